import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrityConfig(AppConfig):
    name = "glas.integrity"
    label = "integrity"
    verbose_name = _("Integrity")

    def ready(self) -> None:
        from glas.core.jobs import register
        from glas.integrity.tasks import purge_expired_reports, remind_integrity_deadlines, scan_vote_conflicts

        register("integrity.deadline_reminders", dt.timedelta(days=1), remind_integrity_deadlines)
        register("integrity.retention", dt.timedelta(days=1), purge_expired_reports)
        register("integrity.vote_conflicts", dt.timedelta(days=1), scan_vote_conflicts)
        from glas.core.demo import register_seeder
        from glas.integrity.demo import seed_declarations, seed_integrity

        register_seeder("integrity.demo", seed_integrity)
        register_seeder("integrity.declarations_demo", seed_declarations)
