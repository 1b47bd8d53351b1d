from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "hoso.petitions"
    label = "petitions"
    verbose_name = _("Petitions")

    def ready(self) -> None:
        from django.shortcuts import get_object_or_404

        from hoso.documents import owners
        from hoso.notices import due
        from hoso.people import hooks as people_hooks
        from hoso.petitions.actions import link_case
        from hoso.petitions.due import PETITIONS, periods
        from hoso.petitions.models import Petition
        from hoso.petitions.reads import petition_subjects
        from hoso.vetting import hooks
        from hoso.workcal import horizons

        owners.register(
            "petitions.petition",
            Petition.objects.visible_to,
            url_name="petition-detail",
            label="Đơn thư",
        )
        # A vetting case can be opened from a petition (?petition=ID on the new-case page).
        hooks.OPENED_FROM["petition"] = hooks.Source(
            find=lambda user, pk: get_object_or_404(Petition.objects.visible_to(user), pk=pk),
            attach=link_case,
        )
        # The worker reminds of petitions near or past their time limit.
        due.register(PETITIONS)
        horizons.register("petitions", periods)
        people_hooks.PERSON_SOURCES.append(petition_subjects)
        # `hoso synth --full`: petitions over the years.
        from hoso.petitions import synth

        people_hooks.synth_stage(synth.STAGE)
