from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "hoso.petitions"
    label = "petitions"
    verbose_name = _("Petitions")

    def ready(self) -> None:
        from hoso.documents import owners
        from hoso.petitions.models import Petition

        owners.register(
            "petitions.petition",
            Petition.objects.visible_to,
            url_name="petition-detail",
            label="Đơn thư",
        )
