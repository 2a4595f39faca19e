"""Background work of the integrity channel: deadline reminders and retention."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

REMIND_DAYS_BEFORE = 2


@task()
def remind_integrity_deadlines() -> int:
    """Notify every active officer of reports whose acknowledgement or feedback is due within two
    days or overdue (the notification names registration numbers only, never content)."""
    from glas.core.services import notify
    from glas.integrity.selectors import reports_needing_attention

    due = reports_needing_attention(timezone.localdate() + dt.timedelta(days=REMIND_DAYS_BEFORE))
    if not due:
        return 0
    from glas.integrity.models import IntegrityOfficer

    officers = [o.user for o in IntegrityOfficer.objects.filter(active=True).select_related("user")]
    references = ", ".join(report.reference for report in due[:20])
    notify(
        recipients=officers,
        kind="integrity.deadlines",
        title=_("Integrity reports with deadlines: %(references)s") % {"references": references},
        url=reverse("integrity:inbox"),
    )
    return len(due)


@task()
def purge_expired_reports() -> int:
    from glas.integrity.services import reports_purge_expired

    return reports_purge_expired()


@task()
def scan_vote_conflicts() -> int:
    """Check new council votes against the declarations (also run when a declaration is filed)."""
    from glas.integrity.services import vote_conflicts_scan

    return vote_conflicts_scan()
