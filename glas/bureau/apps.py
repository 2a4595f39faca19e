from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BureauConfig(AppConfig):
    name = "glas.bureau"
    label = "bureau"
    verbose_name = _("Citizens' bureau")

    def ready(self) -> None:
        import datetime as dt

        from glas.bureau import receivers  # noqa: F401  (cache invalidation)
        from glas.bureau.demo import seed_bureau
        from glas.bureau.rules import supervisor_cache_key
        from glas.bureau.tasks import run_bureau_deadlines
        from glas.core.demo import register_seeder
        from glas.core.hotcache import read_on_every_request
        from glas.core.jobs import register

        register_seeder("bureau.demo", seed_bureau)
        from glas.accounts.selectors import EXPORT_SECTIONS
        from glas.bureau.selectors import personal_data_section

        EXPORT_SECTIONS["bureau_cases"] = personal_data_section
        register("bureau.deadlines", dt.timedelta(hours=1), run_bureau_deadlines)
        # Asked on every bureau page; fetched with the other reads of a signed-in request.
        read_on_every_request(person=[supervisor_cache_key])
