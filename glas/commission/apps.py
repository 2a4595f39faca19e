from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommissionConfig(AppConfig):
    name = "glas.commission"
    label = "commission"
    verbose_name = _("Consultative Commission")

    def ready(self) -> None:
        from glas.commission.demo import seed_commission
        from glas.core.demo import register_seeder

        register_seeder("commission.demo", seed_commission)
