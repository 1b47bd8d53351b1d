from django.apps import AppConfig
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "hoso.people"
    label = "people"
    verbose_name = _("People and members")

    def ready(self) -> None:
        from hoso.notices import due
        from hoso.orgs import hooks
        from hoso.people import aggregates, rules
        from hoso.people.due import ADMISSION, TRANSFERS
        from hoso.people.models import ACTIVE_STATUSES, Member
        from hoso.workcal import horizons

        # Members keep a copy of their organization's path; a node with members stays open.
        hooks.PATH_COPIES.append((Member, "org_path"))
        # The member counts of a moved subtree leave its old ancestors for the new ones.
        hooks.MOVED.append(aggregates.moved)
        hooks.CLOSE_BLOCKERS.append(
            lambda node: (
                gettext("Transfer its members first.")
                if Member.objects.filter(organization=node, status__in=ACTIVE_STATUSES).exists()
                else None
            )
        )
        # The worker reminds of admission ceremonies, official recognitions and transfers.
        due.register(ADMISSION)
        due.register(TRANSFERS)
        horizons.register("people", rules.periods)
        # `hoso synth --full`: the members' life cycle, first of the casework stages.
        from hoso.people import hooks as people_hooks
        from hoso.people.synthlife import STAGE

        people_hooks.synth_stage(STAGE)
