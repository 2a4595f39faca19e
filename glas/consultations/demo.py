"""Demo consultations for ``manage.py seed_demo`` (DEBUG only; see ``glas.core.demo``).

* „Наредба за обществения ред на територията на община Кресна" — in consultation now, with
  comments on paragraphs, an alternative wording, a general comment, a letter entered by staff,
  a comment hidden by a moderator with its published reason, supports and some answers.
* „Програма за развитие на туризма в община Кресна 2027–2030" — closed, every proposal
  answered, the справка published.

Both are invented and say so in their title and summary. Everything goes through the services
(so the same checks and audit entries apply); the closed one is then moved back in time, because
the services only open consultations from today. Running the seeder again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from glas.accounts.demo import PERSONAS
from glas.accounts.models import User
from glas.consultations import services
from glas.consultations.models import Contribution, Draft, DraftEvent, Paragraph
from glas.core.deadlines import rule_due_date
from glas.core.models import Settlement

DEMO = "ДЕМОНСТРАЦИЯ: измислен проект, показващ как работи Глас; не е акт на Община Кресна."
ORDINANCE_TITLE = "Наредба за обществения ред на територията на община Кресна (демонстрация)"
PROGRAMME_TITLE = "Програма за развитие на туризма в община Кресна 2027–2030 (демонстрация)"

ORDINANCE_TEXT = """Глава първа. Общи положения
Чл. 1. (1) Тази наредба урежда обществения ред на територията на община Кресна.
(2) Наредбата се прилага за всички физически и юридически лица на територията на общината.
Чл. 2. Контролът по спазването на наредбата се осъществява от кмета на общината и от определени от него длъжностни лица.
Глава втора. Опазване на тишината
Чл. 3. (1) Забранява се нарушаването на тишината от 23:00 до 07:00 часа.
(2) В летния сезон заведенията в централната част на гр. Кресна могат да работят с музика на открито до 24:00 часа.
(3) Забраната по ал. 1 не се отнася за празници, обявени от общинския съвет.
Чл. 4. Строителни и ремонтни дейности в жилищни сгради се извършват от 08:00 до 19:00 часа в работни дни.
Глава трета. Чистота и опазване на зелените площи
Чл. 5. (1) Забранява се изхвърлянето на отпадъци извън определените места.
(2) Собствениците на домашни кучета са длъжни да почистват след тях.
Чл. 6. Забранява се паленето на огън в горските територии около Кресненското дефиле извън обозначените места.
Глава четвърта. Административнонаказателни разпоредби
Чл. 7. (1) За нарушение на чл. 3 и чл. 4 се налага глоба от 50 до 500 лв.
(2) При повторно нарушение глобата е от 200 до 1000 лв.
Чл. 8. Актовете за нарушения се съставят от длъжностни лица, определени от кмета.
"""

PROGRAMME_TEXT = """Раздел I. Цели
Чл. 1. Програмата определя целите за развитие на туризма в община Кресна за периода 2027–2030 г.
Чл. 2. (1) Основна цел е устойчив туризъм, свързан с природата на Кресненското дефиле и Пирин.
(2) Специфични цели са обозначени пешеходни маршрути, рафтинг по река Струма и местни продукти.
Раздел II. Мерки
Чл. 3. Общината обозначава и поддържа пешеходните маршрути до с. Влахи и с. Ощава.
Чл. 4. Общината подпомага местни производители на мед и билки чрез ежегоден панаир.
Чл. 5. Изпълнението се отчита ежегодно пред общинския съвет.
"""

ADOPTED_PROGRAMME_TEXT = """Раздел I. Цели
Чл. 1. Програмата определя целите за развитие на туризма в община Кресна за периода 2027–2030 г.
Чл. 2. (1) Основна цел е устойчив туризъм, свързан с природата на Кресненското дефиле и Пирин.
(2) Специфични цели са обозначени пешеходни и велосипедни маршрути, рафтинг по река Струма и местни продукти.
Раздел II. Мерки
Чл. 3. Общината обозначава и поддържа пешеходните маршрути до с. Влахи, с. Ощава и с. Горна Брезница.
Чл. 4. Общината подпомага местни производители на мед и билки чрез ежегоден панаир.
Чл. 5. Изпълнението се отчита ежегодно пред общинския съвет и се публикува в Глас.
"""


def _persona(key: str) -> User:
    email = next(persona.email for persona in PERSONAS if persona.key == key)
    user = User.objects.filter(email=email).first()
    if user is None:
        raise RuntimeError(f"The demo persona {email} is missing: run the accounts seeder first.")
    return user


def _paragraph(draft: Draft, article: str, number: str = "") -> int:
    return Paragraph.objects.get(draft=draft, article__number=article, article__version="draft", number=number).pk


def seed_consultations(say: Callable[[str], Any]) -> None:
    staff, advisor = _persona("council_secretary"), _persona("advisor")
    citizen, resident = _persona("citizen"), _persona("verified_resident")
    if Draft.objects.filter(is_demo=True, title=ORDINANCE_TITLE).exists():
        say(f"Consultation “{ORDINANCE_TITLE}” is already there")
    else:
        with transaction.atomic():
            draft = _ordinance(staff, advisor, citizen, resident)
        say(
            f"Consultation “{ORDINANCE_TITLE}”: open until {draft.closes_on}, "
            f"{draft.contributions.count()} contributions"
        )
    if Draft.objects.filter(is_demo=True, title=PROGRAMME_TITLE).exists():
        say(f"Consultation “{PROGRAMME_TITLE}” is already there")
    else:
        with transaction.atomic():
            draft = _programme(staff, citizen, resident)
        say(f"Consultation “{PROGRAMME_TITLE}”: closed, report published, adopted")


def _ordinance(staff: User, advisor: User, citizen: User, resident: User) -> Draft:
    today = timezone.localdate()
    draft = services.draft_create(
        actor=staff,
        title=ORDINANCE_TITLE,
        act_type=Draft.ActType.ORDINANCE,
        topic=Draft.Topic.PUBLIC_ORDER,
        proposer_kind=Draft.ProposerKind.ADMINISTRATION,
        proposer_name="Дирекция „Обща администрация“, Община Кресна",
        summary=f"Нова наредба за тишината, чистотата и зелените площи. {DEMO}",
        motives="<p>Действащата наредба е приета преди повече от десет години и не отразява промените в "
        "Закона за административните нарушения и наказания. <strong>Демонстрационен текст.</strong></p>",
        impact_assessment="<p>Очаква се по-малко сигнали за шум през летния сезон. Не се очакват разходи "
        "за бюджета. <em>Демонстрационен текст.</em></p>",
        settlements=list(Settlement.objects.filter(slug="kresna")),
        is_demo=True,
    )
    services.draft_text_set(actor=staff, draft=draft, text=ORDINANCE_TEXT)
    services.consultation_publish(
        actor=staff, draft=draft, opens_on=today, closes_on=rule_due_date(today, services.TERM_RULE)
    )
    music = services.contribution_submit(
        actor=citizen,
        draft=draft,
        kind=Contribution.Kind.WORDING,
        paragraph_id=_paragraph(draft, "Чл. 3", "(2)"),
        text="Музиката до 24:00 ч. пречи на живеещите в центъра; предлагам до 23:00 ч.",
        proposed_text="В летния сезон заведенията в централната част на гр. Кресна могат да работят "
        "с музика на открито до 23:00 часа.",
    )
    services.contribution_submit(
        actor=resident,
        draft=draft,
        kind=Contribution.Kind.COMMENT,
        paragraph_id=_paragraph(draft, "Чл. 6"),
        text="Нужни са повече обозначени места за огън по маршрута към с. Влахи.",
    )
    services.contribution_submit(
        actor=resident,
        draft=draft,
        kind=Contribution.Kind.GENERAL,
        text="Наредбата трябва да важи еднакво и за селата, не само за гр. Кресна.",
    )
    services.reaction_set(actor=resident, contribution=music, value=1)
    by_email = services.contribution_submit(
        actor=None,
        draft=draft,
        kind=Contribution.Kind.COMMENT,
        paragraph_id=_paragraph(draft, "Чл. 7", "(1)"),
        text="Глобите са твърде високи за пенсионерите в селата.",
        name="Стефан Тодоров (демо)",
        email="stefan.demo@glas.example",
        publish_name=True,
    )
    services.contribution_confirm(token=services.confirmation_token(by_email))
    services.contribution_enter(
        actor=advisor,
        draft=draft,
        kind=Contribution.Kind.COMMENT,
        channel=Contribution.Channel.POST,
        source="Вх. № 94-00-15 (демо)",
        received_on=today,
        name="Иван Петров",
        organisation="Сдружение „Зелена Кресна“ (демо)",
        paragraph_id=_paragraph(draft, "Чл. 5", "(2)"),
        text="Предлагаме общината да постави кошчета за кучешки отпадъци в парковете.",
    )
    rude = services.contribution_submit(
        actor=citizen, draft=draft, kind=Contribution.Kind.GENERAL, text="(демо) Обиден коментар срещу съседите ми."
    )
    services.contribution_hide(
        actor=staff, contribution=rude, reason="Обиди към други хора (правила за участие, т. 3)."
    )
    services.contribution_answer(
        actor=staff,
        contribution=music,
        decision=Contribution.Decision.PARTLY,
        reasons="Часът се съгласува с бизнеса; предлага се 23:30 ч. (демо)",
    )
    return draft


def _programme(staff: User, citizen: User, resident: User) -> Draft:
    today = timezone.localdate()
    draft = services.draft_create(
        actor=staff,
        title=PROGRAMME_TITLE,
        act_type=Draft.ActType.PROGRAMME,
        topic=Draft.Topic.ECONOMY,
        proposer_kind=Draft.ProposerKind.COUNCILLOR,
        proposer_name="Общински съветник (демо)",
        summary=f"Цели и мерки за туризма в общината. {DEMO}",
        motives="<p>Туризмът е шанс срещу обезлюдяването на селата. <strong>Демонстрационен текст.</strong></p>",
        impact_assessment="<p>Разходи до 40 000 лв. годишно от общинския бюджет. <em>Демонстрация.</em></p>",
        is_demo=True,
    )
    services.draft_text_set(actor=staff, draft=draft, text=PROGRAMME_TEXT)
    services.consultation_publish(
        actor=staff, draft=draft, opens_on=today, closes_on=rule_due_date(today, services.TERM_RULE)
    )
    bikes = services.contribution_submit(
        actor=citizen,
        draft=draft,
        kind=Contribution.Kind.WORDING,
        paragraph_id=_paragraph(draft, "Чл. 2", "(2)"),
        text="Да се добавят велосипедни маршрути.",
        proposed_text="Специфични цели са обозначени пешеходни и велосипедни маршрути, рафтинг по река Струма "
        "и местни продукти.",
    )
    village = services.contribution_submit(
        actor=resident,
        draft=draft,
        kind=Contribution.Kind.COMMENT,
        paragraph_id=_paragraph(draft, "Чл. 3"),
        text="Да се включи и маршрут до с. Горна Брезница.",
    )
    airport = services.contribution_submit(
        actor=resident, draft=draft, kind=Contribution.Kind.GENERAL, text="Да се построи летище в Кресна."
    )
    answers = [
        (bikes, Contribution.Decision.ACCEPTED, "Предложението е отразено в чл. 2, ал. 2."),
        (village, Contribution.Decision.ACCEPTED, "Маршрутът е добавен в чл. 3."),
        (airport, Contribution.Decision.OUT_OF_SCOPE, "Изграждането на летище не е предмет на програмата."),
    ]
    for contribution, decision, reasons in answers:
        services.contribution_answer(actor=staff, contribution=contribution, decision=decision, reasons=reasons)
    # Move the consultation back in time so that it has closed (the services open only from today).
    shift = dt.timedelta(days=75)
    draft.refresh_from_db()
    Draft.objects.filter(pk=draft.pk).update(
        opens_on=draft.opens_on - shift,  # type: ignore[operator]
        closes_on=draft.closes_on - shift,  # type: ignore[operator]
        term_min_date=draft.term_min_date - shift,  # type: ignore[operator]
        published_at=draft.published_at - shift,  # type: ignore[operator]
        created_at=draft.created_at - shift - dt.timedelta(days=10),
    )
    for event in DraftEvent.objects.filter(draft=draft):
        DraftEvent.objects.filter(pk=event.pk).update(
            happened_at=event.happened_at
            - shift
            - (dt.timedelta(days=10) if event.kind == "created" else dt.timedelta())
        )
    Contribution.objects.filter(draft=draft).update(created_at=timezone.now() - shift + dt.timedelta(days=5))
    draft.refresh_from_db()
    services.report_publish(actor=staff, draft=draft)
    services.draft_send_to_council(actor=staff, draft=draft)
    services.draft_adopt(
        actor=staff,
        draft=draft,
        decision_number="123 (демо)",
        decision_date=today,
        adopted_text=ADOPTED_PROGRAMME_TEXT,
        votes_for=11,
        votes_against=0,
        votes_abstained=2,
    )
    return draft
