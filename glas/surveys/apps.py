from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "glas.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from glas.core.participation import register_provider
        from glas.surveys.views.respond import open_now

        register_provider("surveys", open_now)
        from glas.core.demo import register_seeder
        from glas.surveys.demo import seed_surveys

        register_seeder("surveys.demo", seed_surveys)
