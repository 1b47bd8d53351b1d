from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TravelConfig(AppConfig):
    name = "hoso.travel"
    label = "travel"
    verbose_name = _("Foreign travel and relations")

    def ready(self) -> None:
        from hoso.documents import owners
        from hoso.travel import difference  # noqa: F401 (registers its re-vetting section)
        from hoso.travel.models import Trip

        owners.register(
            "travel.trip", Trip.objects.visible_to, url_name="trip-detail", label="Ra nước ngoài"
        )
