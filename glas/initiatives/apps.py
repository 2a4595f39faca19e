from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "glas.initiatives"
    label = "initiatives"
    verbose_name = _("Initiatives and petitions")

    def ready(self) -> None:
        from glas.core.demo import register_seeder
        from glas.core.participation import register_provider
        from glas.initiatives.demo import seed_initiatives
        from glas.initiatives.selectors import open_now

        register_provider("initiatives", open_now)
        from glas.accounts.selectors import EXPORT_SECTIONS
        from glas.initiatives.selectors import personal_data

        EXPORT_SECTIONS["initiatives"] = personal_data
        register_seeder("initiatives.demo", seed_initiatives)
