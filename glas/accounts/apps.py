from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "glas.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from glas.accounts import receivers  # noqa: F401  (allauth signals -> services)
        from glas.accounts.demo import seed_personas
        from glas.core.demo import register_seeder

        register_seeder("accounts.personas", seed_personas)
