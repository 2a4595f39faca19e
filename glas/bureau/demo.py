"""Demo data for ``manage.py seed_demo``: a clearly marked set of synthetic bureau cases.

The demo advisor gets a profile and a rota (office hours in Kresna, visiting days in two
villages); a small service directory and two reply templates are added; then cases of every
type across the settlements are taken through the services (so the same checks, deadlines and
audit entries apply). Some are backdated so that they are overdue — their deadlines are
recomputed from the backdated day with the same rules. Running the seeder again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from glas.accounts.models import User
from glas.bureau import appointments, knowledge, services
from glas.bureau.models import Article, Case, CaseDeadline, ReplyTemplate, RotaSlot, Service
from glas.core.deadlines import WorkingCalendar, rule_due_date
from glas.core.models import Settlement

DEMO = "[ДЕМО] "

SERVICES = (
    (
        "Дирекция „Социално подпомагане“ — Симитли",
        Service.Kind.OUTSIDE,
        "Социални помощи, целева помощ за отопление, помощ за хора с увреждания.",
        ["social"],
        "0748 7 12 34",
    ),
    (
        "Отдел „Местни данъци и такси“ — Община Кресна",
        Service.Kind.MUNICIPAL,
        "Данък върху недвижимите имоти, такса битови отпадъци, данък върху превозните средства.",
        ["taxes"],
        "07433 21 21",
    ),
    (
        "Отдел „Устройство на територията“ — Община Кресна",
        Service.Kind.MUNICIPAL,
        "Строителни разрешения, скици, виза за проектиране.",
        ["permits"],
        "07433 21 22",
    ),
    (
        "Център за безплатна правна помощ (Национално бюро за правна помощ)",
        Service.Kind.OUTSIDE,
        "Безплатна правна консултация по телефон 0700 18 250.",
        ["legal"],
        "0700 18 250",
    ),
)

TEMPLATES = (
    (
        "Данък върху недвижимите имоти — срокове",
        "taxes",
        (
            "Данъкът върху недвижимите имоти се плаща на две равни вноски — до 30 юни и до 31 октомври. "
            "При плащане на цялата сума до 30 април се ползва отстъпка от 5 %."
        ),
    ),
    (
        "Как се подава заявление по ЗДОИ",
        "information",
        (
            "Заявлението съдържа трите Ви имена, описание на исканата информация, предпочитаната форма на "
            "достъп и адрес за кореспонденция. Решението се взема в 14-дневен срок."
        ),
    ),
)

# (kind, category, settlement slug, subject, channel, days ago, final step)
CASES: tuple[tuple[str, str, str, str, str, int, str], ...] = (
    ("inquiry", "taxes", "kresna", "Отстъпка за данък сгради", "walk_in", 3, "answer"),
    ("inquiry", "social", "dolna-gradeshnitsa", "Помощ за отопление за самотна възрастна жена", "phone", 25, "open"),
    ("inquiry", "permits", "slivnitsa", "Разрешение за ограда", "letter", 2, "open"),
    ("inquiry", "health", "gorna-breznitsa", "Няма личен лекар в селото", "walk_in", 30, "refer"),
    ("inquiry", "education", "kresna", "Училищен автобус от Ощава", "email", 1, "open"),
    ("zdoi", "information", "kresna", "Договори за снегопочистване 2025–2026", "email", 20, "open"),
    ("zdoi", "information", "slivnitsa", "Разходи за ремонт на читалището", "walk_in", 6, "extend"),
    ("zdoi", "information", "kresna", "Протоколи от обществени обсъждания на бюджета", "letter", 10, "decide"),
    ("proposal", "other", "stara-kresna", "Пейки и осветление на спирката", "walk_in", 70, "open"),
    ("signal", "complaint", "dolna-gradeshnitsa", "Незаконно сметище край реката", "phone", 5, "open"),
)


def _backdate(case: Case, days: int) -> None:
    """Move a demo case back in time, recomputing its deadlines from the earlier day."""
    if not days:
        return
    shift = dt.timedelta(days=days)
    cal = WorkingCalendar.load()
    start = (case.received_on or timezone.localdate()) - shift
    Case.objects.filter(pk=case.pk).update(created_at=case.created_at - shift, received_on=start)
    for deadline in CaseDeadline.objects.filter(case=case):
        deadline.starts_on = start
        deadline.due_on = rule_due_date(start, deadline.rule_key, cal=cal)
        deadline.save(update_fields=["starts_on", "due_on"])
    services._refresh_due(case)


def seed_bureau(say: Callable[[str], Any]) -> None:
    if Case.objects.filter(is_demo=True).exists():
        say("Bureau: demo cases already there")
        return
    advisor = User.objects.filter(email="advisor@glas.example").first()
    admin = User.objects.filter(email="admin@glas.example").first()
    if advisor is None or admin is None:
        say("Bureau: demo personas missing, skipped")
        return
    places = {s.slug: s for s in Settlement.objects.all()}
    with transaction.atomic():
        profile = services.advisor_profile_save(
            actor=admin,
            advisor=advisor,
            kind="staff",
            skills=["taxes", "social", "information", "permits"],
            available=True,
            is_supervisor=False,
        )
        if "kresna" in places:
            for weekday in range(5):
                RotaSlot.objects.get_or_create(
                    advisor=profile,
                    settlement=places["kresna"],
                    weekday=weekday,
                    starts_at=dt.time(9),
                    ends_at=dt.time(12),
                    defaults={"place": "Общинска администрация, ул. „Македония“ 98, стая 5"},
                )
        for slug, weekday in (("dolna-gradeshnitsa", 1), ("slivnitsa", 3)):
            if slug in places:
                RotaSlot.objects.get_or_create(
                    advisor=profile,
                    settlement=places[slug],
                    weekday=weekday,
                    starts_at=dt.time(13),
                    ends_at=dt.time(16),
                    defaults={"place": "Кметството"},
                )
        for name, kind, helps, categories, phone in SERVICES:
            Service.objects.get_or_create(
                name=name,
                defaults={"kind": kind, "helps_with": helps, "categories": categories, "phone": phone, "is_demo": True},
            )
        for title, category, body in TEMPLATES:
            ReplyTemplate.objects.get_or_create(title=title, defaults={"category": category, "body": body})
        for number, (case_kind, category, slug, subject, channel, days_ago, step) in enumerate(CASES, start=1):
            request = services.CaseRequest(
                kind=case_kind,
                category=category,
                subject=DEMO + subject,
                description="Синтетичен демонстрационен случай: " + subject + ".",
                preferred_contact="phone",
                consent_process=True,
                consent_refer=True,
                settlement=places.get(slug),
                name=f"Демо Гражданин {number}",
                phone="0700 00 000",
                address="гр. Кресна, ул. „Демо“ 1",
                access_form="electronic" if case_kind == "zdoi" else "",
            )
            case, _token = services.case_register(actor=advisor, request=request, channel=channel)
            Case.objects.filter(pk=case.pk).update(is_demo=True)
            _backdate(case, days_ago)
            case.refresh_from_db()
            if step == "answer":
                services.case_reply(
                    actor=advisor,
                    case=case,
                    body="Демо отговор: отстъпката е 5 % при плащане до 30 април.",
                    idempotency_key=None,
                    final=True,
                )
            elif step == "refer":
                service = Service.objects.get(name=SERVICES[3][0])
                services.case_refer(actor=advisor, case=case, service=service, note="Демо насочване.", close=True)
            elif step == "extend":
                services.case_extend(
                    actor=advisor, case=case, ground="volume", reason="Демо: исканата информация е в голям обем."
                )
            elif step == "decide":
                services.case_decide(
                    actor=advisor,
                    case=case,
                    decision="partial",
                    grounds="ЗДОИ, чл. 37, ал. 1, т. 2 (демо)",
                    text="Демо решение за частичен достъп.",
                )
        for title, category, body in TEMPLATES:
            article = knowledge.article_create(
                actor=advisor, title=title, summary=body.split(". ")[0] + ".", body=body, category=category
            )
            knowledge.article_submit(actor=advisor, article=article)
            knowledge.article_publish(actor=admin, article=article)
            Article.objects.filter(pk=article.pk).update(is_demo=True)
        today = timezone.localdate()
        for days_ahead in range(1, 15):
            day = today + dt.timedelta(days=days_ahead)
            village = {1: "dolna-gradeshnitsa", 3: "slivnitsa"}.get(day.weekday())
            if day.weekday() < 5 and "kresna" in places:
                appointments.slots_create(
                    actor=advisor,
                    settlement=places["kresna"],
                    place="Общинска администрация, стая 5",
                    day=day,
                    start=dt.time(9),
                    end=dt.time(11),
                    minutes=30,
                )
            if village and village in places:
                appointments.slots_create(
                    actor=advisor,
                    settlement=places[village],
                    place="Кметството",
                    day=day,
                    start=dt.time(13),
                    end=dt.time(15),
                    minutes=30,
                )
    say(f"Bureau: {len(CASES)} demo cases, a rota, {len(SERVICES)} services, articles and appointment slots")
