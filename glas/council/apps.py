from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    name = "glas.council"
    label = "council"
    verbose_name = _("Municipal council")

    def ready(self) -> None:
        from glas.core.demo import register_seeder
        from glas.council.demo import seed_council

        register_seeder("council.demo", seed_council)
