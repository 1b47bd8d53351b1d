from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CadresConfig(AppConfig):
    name = "hoso.cadres"
    label = "cadres"
    verbose_name = _("Cadres, planning and candidacy")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from hoso.cadres import sections
        from hoso.cadres.actions import depends, names
        from hoso.cadres.due import CADRES, ENTRIES
        from hoso.cadres.models import Cadre
        from hoso.notices import due
        from hoso.orgs import hooks as org_hooks
        from hoso.people import hooks as people_hooks
        from hoso.people.models import Person
        from hoso.vetting import hooks as vetting_hooks

        # Cadres keep a copy of their keeping organization's path, for index-backed scope.
        org_hooks.PATH_COPIES.append((Cadre, "org_path"))
        # ... and of the person's collation key and folded names, for name order and search.
        post_save.connect(names.person_saved, sender=Person, dispatch_uid="cadre-names")
        # The competent committee of a new case is proposed from the managing committee.
        vetting_hooks.COMMITTEE_PROPOSERS.append(sections.managing_committee)
        # A recorded conclusion (or its validity) moves the dates the reminders read.
        vetting_hooks.ON_CONCLUSION.append(depends.conclusion_recorded)
        # A cadre who is not a member is a person the keeping office sees (person page,
        # opening a case on them, identity candidates).
        people_hooks.PERSON_SOURCES.append(sections.cadre_persons)
        # The worker reminds before a conclusion a post or a list entry depends on expires.
        due.register(CADRES)
        due.register(ENTRIES)
