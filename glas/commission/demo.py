"""Demo Consultative Commission for ``manage.py seed_demo`` (DEBUG only; see ``glas.core.demo``).

Seven members (the demo persona commission@glas.example chairs; the others are fictional
experts with accounts that cannot sign in), a held meeting whose opinion on the draft public-order
ordinance was adopted with one vote against, a dissenting view and a declared conflict of
interest, and a planned meeting. Everything is marked as demo data. Running it again changes
nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from glas.accounts.models import User
from glas.accounts.roles import Role

EXPERTS = (
    ("Анна Кирилова", "Сдружение „Граждански инициативи — Кресна“", "местно самоуправление, прозрачност"),
    ("Борис Ангелов", "Адвокатска колегия — Благоевград", "административно право"),
    ("Веселина Тодорова", "Читалище „Просвета 1908“", "култура и образование"),
    ("Димитър Стефанов", "Сдружение на земеделските производители", "земеделие, общинска собственост"),
    ("Екатерина Маринова", "Фондация „Струма“", "социални услуги"),
    ("Живко Христов", "Туристическо дружество", "туризъм, околна среда"),
)


def seed_commission(say: Callable[[str], Any]) -> None:
    from glas.accounts.services import role_grant
    from glas.commission import services
    from glas.commission.models import Commission, Meeting

    if Commission.objects.exists():
        say("Commission: already seeded")
        return
    admin = User.objects.get(email="admin@glas.example")
    chair = User.objects.get(email="commission@glas.example")
    term_start, term_end = dt.date(2025, 1, 1), dt.date(2027, 12, 31)
    with transaction.atomic():
        commission = Commission.objects.create(
            name="Консултативна комисия по прякото участие и доброто управление",
            mandate="Дава становища на Общинския съвет по проекти на нормативни актове, стратегии и програми.",
            established_by="Решение на Общинския съвет — Кресна (примерни данни)",
            quorum_share=Decimal("0.5"),
            majority_share=Decimal("0.5"),
            rules_source="Правилник за дейността на комисията, чл. 8 и 9 (примерни данни)",
            is_demo=True,
        )
        members = [
            services.member_appoint(
                actor=admin,
                commission=commission,
                user=chair,
                name="Петър Николов",
                organisation="Сдружение „Прозрачна община“",
                expertise="обществени поръчки, антикорупция",
                term_start=term_start,
                term_end=term_end,
                is_chair=True,
            )
        ]
        for number, (name, organisation, expertise) in enumerate(EXPERTS, start=1):
            email = f"commission-member-{number}@demo.glas.example"
            user = User.objects.filter(email=email).first() or User.objects.create_user(
                email, None, display_name=name, full_name=name
            )
            role_grant(actor=admin, user=user, role=Role.COMMISSION_MEMBER)
            members.append(
                services.member_appoint(
                    actor=admin,
                    commission=commission,
                    user=user,
                    name=name,
                    organisation=organisation,
                    expertise=expertise,
                    term_start=term_start,
                    term_end=term_end,
                )
            )
    now = timezone.now()
    held = services.meeting_schedule(
        actor=admin, commission=commission, starts_at=now - dt.timedelta(days=12), place="Заседателна зала, Кресна"
    )
    item = services.meeting_item_add(
        actor=admin,
        meeting=held,
        title="Проект на Наредба за обществения ред на територията на община Кресна",
        description="Становище по проекта, публикуван за обществена консултация.",
    )
    second = services.meeting_item_add(
        actor=admin,
        meeting=held,
        title="Проект на Програма за управление на отпадъците",
        description="Предварително обсъждане.",
    )
    services.attendance_record(actor=admin, meeting=held, present=[m.pk for m in members[:6]])
    users = [m.user for m in members]
    services.conflict_declare(
        actor=users[3], item=item, nature="Член е на управителния съвет на сдружение, засегнато от проекта."
    )
    opinion = services.opinion_draft_save(
        actor=users[0],
        item=item,
        text=(
            "Комисията подкрепя проекта с бележки: срокът за обществено обсъждане да бъде пълните 30 дни; "
            "забраната за шум в чл. 12 да отчита селскостопанската дейност в селата; "
            "глобите в чл. 31 да бъдат съразмерни."
        ),
        base_revision=0,
    )
    opinion = services.opinion_draft_save(
        actor=users[1],
        item=item,
        text=opinion.text + " Да се предвиди ясна процедура за обжалване на наложените санкции.",
        base_revision=opinion.revision,
        note="Добавена препоръка за обжалването",
    )
    services.opinion_vote_open(actor=admin, opinion=opinion)
    for user, choice in zip(users[:6], ["for", "for", "for", None, "for", "against"], strict=True):
        if choice:
            services.opinion_vote(actor=user, opinion=opinion, choice=choice)
    services.opinion_vote_close(actor=admin, opinion=opinion)
    opinion.refresh_from_db()
    services.dissent_add(
        actor=users[5],
        opinion=opinion,
        text="Не подкрепям становището: проектът ограничава празничните събития в селата без нужда.",
    )
    services.opinion_publish(actor=admin, opinion=opinion)
    services.minutes_save(
        actor=admin,
        meeting=held,
        text="Присъстваха 6 от 7 членове; кворум е налице. По т. 1 е прието становище (4 „за“, 1 „против“). "
        "По т. 2 обсъждането продължава на следващото заседание. (Примерни данни.)",
    )
    del second
    planned = services.meeting_schedule(
        actor=admin, commission=commission, starts_at=now + dt.timedelta(days=9), place="Заседателна зала, Кресна"
    )
    services.meeting_item_add(actor=admin, meeting=planned, title="Проект на Програма за управление на отпадъците")
    say(f"Commission: {len(members)} members, {Meeting.objects.count()} meetings, 1 published opinion")
