from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TravelConfig(AppConfig):
    name = "hoso.travel"
    label = "travel"
    verbose_name = _("Foreign travel and relations")

    def ready(self) -> None:
        from hoso.documents import owners
        from hoso.notices import due
        from hoso.travel import difference  # noqa: F401 (registers its re-vetting section)
        from hoso.travel.due import REPORTS, STAY_RETURNS, periods
        from hoso.travel.models import Trip
        from hoso.workcal import horizons

        owners.register(
            "travel.trip", Trip.objects.visible_to, url_name="trip-detail", label="Ra nước ngoài"
        )
        # The worker reminds of trip reports due after the return, and of long stays abroad
        # whose planned return has passed.
        due.register(REPORTS)
        due.register(STAY_RETURNS)
        horizons.register("travel", periods)
        # `hoso synth --full`: trips abroad over the years.
        from hoso.people import hooks as people_hooks
        from hoso.travel import synth

        people_hooks.synth_stage(synth.STAGE)
