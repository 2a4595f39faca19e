from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "glas.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from glas.accounts import receivers  # noqa: F401  (allauth signals -> services)
        from glas.accounts.cache import hot_keys
        from glas.accounts.demo import seed_personas
        from glas.core.demo import register_seeder
        from glas.core.hotcache import read_on_every_request

        register_seeder("accounts.personas", seed_personas)
        read_on_every_request(person=hot_keys)
