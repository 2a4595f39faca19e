from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "glas.consultations"
    label = "consultations"
    verbose_name = _("Public consultations")

    def ready(self) -> None:
        from glas.consultations.selectors import open_now
        from glas.core.participation import register_provider

        register_provider("consultations", open_now)
        from glas.consultations.demo import seed_consultations
        from glas.core.demo import register_seeder

        register_seeder("consultations.demo", seed_consultations)
        from glas.consultations.demo_opinion_map import seed_opinion_map

        register_seeder("consultations.opinion_map_demo", seed_opinion_map)
        from glas.accounts.selectors import EXPORT_SECTIONS
        from glas.consultations.selectors import personal_data

        EXPORT_SECTIONS["consultations"] = personal_data
