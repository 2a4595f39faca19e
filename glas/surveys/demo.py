"""Demo surveys for ``manage.py seed_demo`` (DEBUG only; see ``glas.core.demo``).

* The baseline study "Участие на гражданите в местното управление — Кресна": 25 questions in nine
  sections with display logic, a quota by settlement proportional to the census, and about 400
  clearly synthetic responses across the web, assisted, paper (some keyed twice) and phone
  channels, closed after three weeks of fieldwork in October 2026 with its results published,
  and post-stratified by settlement to the census figures kept in ``glas.core`` (the census
  data loaded has no counts by sex or age group, so settlement is the only margin). Its report
  "Основни резултати" is published with four findings, narrative text that says the data are
  synthetic, and the generated methodology.
* "Оценка на Бюрото за информиране": five questions, left in draft to show the designer.
* The baseline's open question ``q25_suggestions`` has a code frame of seven themes; the demo
  researcher has coded every answer (by the theme of its first sentence) and the demo
  administrator, as second coder, about 40 % of them on their own — agreeing mostly, not
  always — so the agreement page shows a kappa and a few disagreements to adjudicate.

Everything is built through ``glas.surveys.services`` (the demo researcher designs and runs the
surveys; the demo advisor keys assisted, paper and phone questionnaires), so the same checks,
display logic, quotas and audit entries apply as for real data. The random generator has a fixed
seed: the demo data is the same on every machine. Running the seeder again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from glas.accounts.demo import PERSONAS
from glas.accounts.models import User
from glas.core.models import PopulationFigure, Settlement
from glas.core.selectors import current_municipality
from glas.surveys import services
from glas.surveys.coding import codable_answers
from glas.surveys.models import CodeFrame, Question, Response, Survey, SurveyReport, SurveyWeighting

TITLE = "Участие на гражданите в местното управление — Кресна"
DRAFT_TITLE = "Оценка на Бюрото за информиране"
RESPONSES = 400  # round-one questionnaires (complete and broken off); second keyings come on top
QUOTA_TOTAL = 400
SEED = 20261005
FIELDWORK_START = dt.date(2026, 10, 5)
FIELDWORK_END = dt.date(2026, 10, 25)
SOFIA = ZoneInfo("Europe/Sofia")
DK, REFUSED = "98", "99"  # the usual codes for "don't know / can't say" and "refused"

SYNTHETIC_NOTE = (
    "ДЕМОНСТРАЦИОННИ ДАННИ: проучването и всички отговори в него са синтетични — генерирани от "
    "програма с фиксирано начално число, а не дадени от реални хора. Не ги използвайте за изводи."
)

# --- The questionnaire ------------------------------------------------------------------------

Q = dict[str, Any]


@dataclass(frozen=True)
class SectionPlan:
    title: str
    questions: tuple[Q, ...]
    logic: dict[str, Any] | None = None


LIKERT_INTEREST = (
    ("1", "Изобщо не се интересувам"),
    ("2", "По-скоро не се интересувам"),
    ("3", "Отчасти се интересувам"),
    ("4", "По-скоро се интересувам"),
    ("5", "Силно се интересувам"),
)
TRUST_SCALE = (
    ("1", "Изобщо нямам доверие"),
    ("2", "По-скоро нямам доверие"),
    ("3", "Нито имам, нито нямам доверие"),
    ("4", "По-скоро имам доверие"),
    ("5", "Напълно имам доверие"),
    (DK, "Не мога да преценя"),
)
WILLINGNESS_SCALE = (
    ("1", "Определено не"),
    ("2", "По-скоро не"),
    ("3", "По-скоро да"),
    ("4", "Определено да"),
    (DK, "Не мога да преценя"),
)
SATISFACTION = (
    ("1", "Изобщо не съм удовлетворен/а"),
    ("2", "По-скоро не съм удовлетворен/а"),
    ("3", "Нито удовлетворен/а, нито неудовлетворен/а"),
    ("4", "По-скоро съм удовлетворен/а"),
    ("5", "Напълно удовлетворен/а"),
)

BASELINE = (
    SectionPlan(
        "Профил на респондента",
        (
            {
                "variable": "q01_settlement",
                "type": "settlement",
                "text": "В кое населено място на община Кресна живеете постоянно?",
                "required": True,
            },
            {
                "variable": "q02_sex",
                "type": "single",
                "text": "Вашият пол е:",
                "choices": [("1", "Мъж"), ("2", "Жена"), (REFUSED, "Не желая да отговоря")],
                "required": True,
            },
            {
                "variable": "q03_age_group",
                "type": "single",
                "text": "В коя възрастова група попадате?",
                "choices": [
                    ("1", "18–29 години"),
                    ("2", "30–44 години"),
                    ("3", "45–59 години"),
                    ("4", "60–74 години"),
                    ("5", "75 и повече години"),
                ],
                "required": True,
            },
            {
                "variable": "q04_education",
                "type": "single",
                "text": "Какво е най-високото образование, което сте завършили?",
                "choices": [
                    ("1", "Начално или без образование"),
                    ("2", "Основно"),
                    ("3", "Средно (общо или професионално)"),
                    ("4", "Полувисше или професионален бакалавър"),
                    ("5", "Висше (бакалавър, магистър, доктор)"),
                ],
                "required": True,
            },
            {
                "variable": "q05_employment",
                "type": "single",
                "text": "Кое от следните описва най-точно основното Ви занимание в момента?",
                "choices": [
                    ("1", "Работя по трудов или служебен договор"),
                    ("2", "Самонает/а съм или имам собствен бизнес"),
                    ("3", "Земеделски производител/ка"),
                    ("4", "Безработен/а"),
                    ("5", "Пенсионер/ка"),
                    ("6", "Учащ/а"),
                    ("7", "Грижа се за дома или семейството (вкл. отпуск по майчинство)"),
                ],
                "allow_other": True,
                "required": True,
            },
        ),
    ),
    SectionPlan(
        "Участие в местния обществен живот",
        (
            {
                "variable": "q06_voted_local",
                "type": "single",
                "text": "Гласувахте ли на последните местни избори (октомври 2023 г.)?",
                "choices": [("1", "Да"), ("2", "Не"), (DK, "Не си спомням"), (REFUSED, "Не желая да отговоря")],
                "required": True,
            },
            {
                "variable": "q07_participation",
                "type": "multiple",
                "text": (
                    "През последните две години участвали ли сте в някоя от следните форми на участие в "
                    "местните дела? Отбележете всички, които се отнасят за Вас."
                ),
                "choices": [
                    ("consult", "Обществено обсъждане или консултация (на място или онлайн)"),
                    ("petition", "Подписка или петиция до общината"),
                    ("assembly", "Общо събрание на населението"),
                    ("referendum", "Местен референдум"),
                    ("contact", "Обърнах се лично или писмено към кмета или към общински съветник"),
                    ("none", "Не съм участвал/а в нито една от тези форми"),
                ],
                "min_choices": 1,
                "required": True,
            },
            {
                "variable": "q08_contact_reply",
                "type": "single",
                "text": "Получихте ли отговор, когато се обърнахте към кмета или към общински съветник?",
                "choices": [
                    ("1", "Да, в срок и по същество"),
                    ("2", "Да, но със закъснение или само формален"),
                    ("3", "Не получих отговор"),
                    (DK, "Не си спомням"),
                ],
                "logic": {"op": "equals", "var": "q07_participation", "value": "contact"},
            },
            {
                "variable": "q09_interest",
                "type": "likert",
                "scale_points": 5,
                "text": "Доколко се интересувате от това, което се случва в общината?",
                "choices": list(LIKERT_INTEREST),
                "required": True,
            },
            {
                "variable": "q10_efficacy",
                "type": "likert",
                "scale_points": 5,
                "text": (
                    "Доколко сте съгласни или несъгласни със следното твърдение: „Хора като мен могат да "
                    "влияят на решенията, които се вземат в общината.“"
                ),
                "required": True,
            },
        ),
    ),
    SectionPlan(
        "Доверие в местните институции",
        (
            {
                "variable": "q11_trust",
                "type": "matrix",
                "text": "Доколко имате доверие на всяка от следните институции?",
                "choices": list(TRUST_SCALE),
                "rows": [
                    ("mayor", "Кметът на общината"),
                    ("council", "Общинският съвет"),
                    ("admin", "Общинската администрация"),
                    ("kmetove", "Кметовете на кметства и кметските наместници"),
                ],
                "required": True,
            },
        ),
    ),
    SectionPlan(
        "Информираност",
        (
            {
                "variable": "q12_info_sources",
                "type": "multiple",
                "text": (
                    "Откъде обикновено научавате за решенията на общината и на Общинския съвет? "
                    "Отбележете всички източници, които ползвате."
                ),
                "choices": [
                    ("website", "Интернет страницата на общината"),
                    ("facebook", "Фейсбук (страницата на общината или местни групи)"),
                    ("boards", "Информационните табла"),
                    ("kmetstvo", "От кметството или от кмета на населеното място"),
                    ("word", "От роднини, съседи, познати"),
                    ("media", "От регионалните медии (радио, телевизия, вестници)"),
                    ("none", "Не научавам за решенията на общината"),
                ],
                "allow_other": True,
                "min_choices": 1,
                "required": True,
            },
            {
                "variable": "q13_info_rating",
                "type": "scale_0_10",
                "text": (
                    "Как оценявате информацията, която общината дава за своите решения — доколко е навременна, "
                    "разбираема и пълна?"
                ),
                "help_text": "Ако не можете да прецените, оставете въпроса без отговор.",
                "low_label": "0 — напълно незадоволителна",
                "high_label": "10 — отлична",
            },
        ),
    ),
    SectionPlan(
        "Административно обслужване",
        (
            {
                "variable": "q14_service_used",
                "type": "yes_no",
                "text": (
                    "През последните 12 месеца ползвали ли сте услуга на общинската администрация или на "
                    "кметството (например удостоверение, плащане на местни данъци, разрешение)?"
                ),
                "required": True,
            },
        ),
    ),
    SectionPlan(
        "Последната ползвана административна услуга",
        (
            {
                "variable": "q15_service_type",
                "type": "dropdown",
                "text": "Каква беше последната услуга, която ползвахте?",
                "choices": [
                    ("civil", "Гражданска регистрация (удостоверения, актове, адресна регистрация)"),
                    ("tax", "Местни данъци и такси"),
                    ("build", "Устройство на територията и строителство (скици, разрешения)"),
                    ("social", "Социални дейности и помощи"),
                    ("property", "Общинска собственост (наем, покупка, ползване)"),
                    ("agri", "Земеделие и гори"),
                ],
                "allow_other": True,
                "required": True,
            },
            {
                "variable": "q16_service_mode",
                "type": "single",
                "text": "По какъв начин ползвахте услугата?",
                "choices": [
                    ("1", "На гише в сградата на общината"),
                    ("2", "В кметството по местоживеене"),
                    ("3", "Онлайн (електронна услуга)"),
                    ("4", "По пощата или по телефона"),
                ],
                "required": True,
            },
            {
                "variable": "q17_service_satisfaction",
                "type": "likert",
                "scale_points": 5,
                "text": "Доколко сте удовлетворени от начина, по който беше извършена услугата?",
                "choices": list(SATISFACTION),
                "required": True,
            },
            {
                "variable": "q18_service_days",
                "type": "numeric",
                "text": "Колко работни дни минаха от подаването на искането до получаването на резултата?",
                "help_text": "Ако услугата е извършена веднага, въведете 0. Ако не си спомняте, оставете празно.",
                "min_value": 0,
                "max_value": 90,
            },
        ),
        logic={"op": "equals", "var": "q14_service_used", "value": "yes"},
    ),
    SectionPlan(
        "Възприятия за корупция",
        (
            {
                "variable": "note_corruption",
                "type": "note",
                "text": (
                    "Следващите въпроси са по-чувствителни. Напомняме, че проучването е анонимно и че можете "
                    "да пропуснете всеки въпрос, на който не желаете да отговорите."
                ),
            },
            {
                "variable": "q19_corruption_spread",
                "type": "single",
                "text": "Според Вас доколко е разпространена корупцията в общинската администрация?",
                "choices": [
                    ("1", "Изобщо не е разпространена"),
                    ("2", "Слабо разпространена"),
                    ("3", "Доста разпространена"),
                    ("4", "Силно разпространена"),
                    (DK, "Не мога да преценя"),
                ],
            },
            {
                "variable": "q20_bribe_asked",
                "type": "single",
                "text": (
                    "Случвало ли се е служител на общината или на кметството да Ви поиска или да Ви намекне за "
                    "пари, подарък или услуга, за да свърши или да ускори работата си?"
                ),
                "choices": [("1", "Да"), ("2", "Не"), (REFUSED, "Предпочитам да не отговарям")],
            },
            {
                "variable": "q21_would_report",
                "type": "single",
                "text": (
                    "Ако служител на общината Ви поиска подкуп, бихте ли подали сигнал за това до компетентна "
                    "институция?"
                ),
                "choices": [
                    ("1", "Да, определено"),
                    ("2", "По-скоро да"),
                    ("3", "По-скоро не"),
                    ("4", "Не, определено"),
                    (DK, "Не мога да преценя"),
                ],
            },
            {
                "variable": "q22_report_channel",
                "type": "single",
                "text": "По какъв начин най-вероятно бихте подали сигнала?",
                "choices": [
                    ("platform", "Онлайн, чрез платформата на общината (възможно и анонимно)"),
                    ("mayor", "Лично пред кмета или пред общински съветник"),
                    ("police", "В полицията или в прокуратурата"),
                    ("kpk", "В Комисията за противодействие на корупцията"),
                    ("bureau", "В Бюрото за информиране на гражданите"),
                    ("media", "Публично — в медиите или в социалните мрежи"),
                ],
                "allow_other": True,
                "logic": {"op": "in", "var": "q21_would_report", "values": ["1", "2"]},
            },
        ),
    ),
    SectionPlan(
        "Готовност за участие",
        (
            {
                "variable": "q23_willingness",
                "type": "matrix",
                "text": "Ако имате възможност, бихте ли…",
                "choices": list(WILLINGNESS_SCALE),
                "rows": [
                    ("consult", "участвали в обществено обсъждане на общински проект или решение"),
                    ("referendum", "гласували на местен референдум"),
                    ("assembly", "участвали в общо събрание на населението"),
                    ("bureau", "потърсили съдействие от Бюрото за информиране на гражданите"),
                ],
                "required": True,
            },
            {
                "variable": "q24_priorities",
                "type": "ranking",
                "text": (
                    "Подредете следните области според това колко спешно общината трябва да влага средства в тях "
                    "(на първо място — най-спешната)."
                ),
                "choices": [
                    ("roads", "Пътища и улици"),
                    ("water", "Водоснабдяване"),
                    ("jobs", "Работни места"),
                    ("health", "Здравеопазване"),
                    ("schools", "Училища и детски градини"),
                ],
                "randomise": True,
            },
        ),
    ),
    SectionPlan(
        "Предложения",
        (
            {
                "variable": "q25_suggestions",
                "type": "long_text",
                "text": (
                    "Какво според Вас трябва да се промени, за да участват жителите на общината по-активно във "
                    "вземането на решения?"
                ),
                "max_length": 2000,
            },
        ),
    ),
)

DRAFT = (
    {
        "variable": "b01_purpose",
        "type": "single",
        "text": "С каква цел посетихте Бюрото за информиране на гражданите?",
        "choices": [
            ("info", "За информация за административна услуга"),
            ("forms", "За помощ при попълване на документи"),
            ("signal", "За да подам сигнал или предложение"),
            ("consult", "За да участвам в обществено обсъждане"),
        ],
        "allow_other": True,
        "required": True,
    },
    {
        "variable": "b02_clear",
        "type": "likert",
        "scale_points": 5,
        "text": "Доколко сте съгласни със следното твърдение: „Служителят ми обясни ясно това, което ме интересуваше.“",
    },
    {
        "variable": "b03_wait",
        "type": "single",
        "text": "Колко време чакахте, докато бъдете обслужени?",
        "choices": [
            ("1", "До 5 минути"),
            ("2", "От 5 до 15 минути"),
            ("3", "От 15 до 30 минути"),
            ("4", "Над 30 минути"),
            (DK, "Не си спомням"),
        ],
    },
    {
        "variable": "b04_overall",
        "type": "scale_0_10",
        "text": "Като цяло, как оценявате обслужването в Бюрото?",
        "low_label": "0 — много лошо",
        "high_label": "10 — отлично",
    },
    {
        "variable": "b05_improve",
        "type": "long_text",
        "text": "Какво бихме могли да подобрим?",
        "max_length": 1000,
    },
)


# --- The seeder -------------------------------------------------------------------------------


def _persona(key: str) -> User:
    email = next(persona.email for persona in PERSONAS if persona.key == key)
    user = User.objects.filter(email=email).first()
    if user is None:
        raise RuntimeError(f"The demo persona {email} is missing: run the accounts seeder first.")
    return user


def seed_surveys(say: Callable[[str], Any], *, responses: int = RESPONSES) -> None:
    """Create the two demo surveys unless they are there already (matched by title)."""
    researcher, advisor = _persona("researcher"), _persona("advisor")
    if Survey.objects.filter(is_demo=True, title=TITLE).exists():
        say(f"Survey “{TITLE}” is already there")
    else:
        began = time.monotonic()
        with transaction.atomic():
            survey = _baseline(researcher, advisor, responses)
        counts = survey.responses.values_list("status", flat=True)
        say(
            f"Survey “{TITLE}”: {survey.questions.exclude(type=Question.Type.NOTE).count()} questions, "
            f"{len(counts)} synthetic responses "
            f"({sum(status == Response.Status.COMPLETE for status in counts)} complete) "
            f"in {time.monotonic() - began:.1f} s"
        )
    baseline = Survey.objects.filter(is_demo=True, title=TITLE).first()
    if baseline is not None and not SurveyWeighting.objects.filter(survey=baseline).exists():
        with transaction.atomic():
            weighting = _weighting(researcher, baseline)
        if weighting is not None:
            say(f"Survey “{TITLE}”: weighted by settlement ({weighting.margins_source})")
    if baseline is not None and not SurveyReport.objects.filter(slug=REPORT_SLUG).exists():
        with transaction.atomic():
            report = _report(researcher, baseline)
        say(f"Report “{report.title}”: published at /surveys/reports/{report.slug}/")
    if baseline is not None and CodeFrame.objects.filter(question__survey=baseline).exists():
        say(f"The code frame of “{TITLE}” is already there")
    elif baseline is not None:
        with transaction.atomic():
            coded, second = _code_suggestions(baseline, researcher, _persona("admin"))
        say(f"Code frame of q25_suggestions: {coded} answers coded, {second} of them by a second coder")
    if Survey.objects.filter(is_demo=True, title=DRAFT_TITLE).exists():
        say(f"Survey “{DRAFT_TITLE}” is already there")
    else:
        with transaction.atomic():
            _draft(researcher)
        say(f"Survey “{DRAFT_TITLE}”: {len(DRAFT)} questions, in draft")


def _add_questions(actor: User, section: Any, questions: Sequence[Q]) -> None:
    for question in questions:
        services.question_add(actor=actor, section=section, **question)


def _draft(researcher: User) -> Survey:
    survey = services.survey_create(
        actor=researcher,
        title=DRAFT_TITLE,
        purpose=(
            "Кратка анкета за посетителите на Бюрото за информиране на гражданите, попълвана след "
            f"посещението. Все още се подготвя. {SYNTHETIC_NOTE}"
        ),
        anonymity=Survey.Anonymity.ANONYMOUS,
        is_demo=True,
    )
    section = survey.sections.get()
    services.section_update(actor=researcher, section=section, data={"title": "Вашето посещение"})
    _add_questions(researcher, section, DRAFT)
    return survey


def _baseline(researcher: User, advisor: User, responses: int) -> Survey:
    survey = services.survey_create(
        actor=researcher,
        title=TITLE,
        purpose=(
            "Базово проучване на участието на гражданите в местното управление в община Кресна: участие, "
            "доверие в местните институции, информираност, административно обслужване, възприятия за "
            "корупция и готовност за участие. Следващите вълни ще се сравняват с него. " + SYNTHETIC_NOTE
        ),
        intro=(
            "Община Кресна провежда проучване за участието на гражданите в местното управление. Попълването "
            "отнема около 15 минути. Няма верни и грешни отговори — интересува ни Вашето мнение."
        ),
        consent_text=(
            "Участието е доброволно и анонимно: не събираме имена, ЕГН, адреси за електронна поща или "
            "IP адреси и отговорите Ви не могат да бъдат свързани с Вас. Можете да пропуснете въпросите, на "
            "които не желаете да отговорите, и да прекъснете по всяко време. Резултатите се публикуват само "
            "обобщено. Продължавайки, потвърждавате, че сте навършили 18 години и сте съгласни да участвате."
        ),
        # Anonymous rather than confidential: the survey is answered by public link and keyed by
        # the bureau from paper, assisted and phone interviews, with no invitations to tick off;
        # so nothing needs to link a person to the survey at all. (Paper questionnaire numbers
        # exist only to compare double entry and identify nobody.)
        anonymity=Survey.Anonymity.ANONYMOUS,
        is_demo=True,
    )
    for index, section_plan in enumerate(BASELINE):
        if index == 0:
            section = survey.sections.get()
            services.section_update(actor=researcher, section=section, data={"title": section_plan.title})
        else:
            section = services.section_add(
                actor=researcher, survey=survey, title=section_plan.title, logic_json=section_plan.logic
            )
        _add_questions(researcher, section, section_plan.questions)

    targets = _quota_targets(QUOTA_TOTAL)
    services.quota_define(
        actor=researcher,
        survey=survey,
        name="Населено място (пропорционално на населението, НСИ 2011)",
        variables=["q01_settlement"],
        cells=[({"q01_settlement": slug}, target) for slug, target in targets.items()],
    )
    services.survey_transition(actor=researcher, survey=survey, to=Survey.Status.FIELDWORK)

    plans = _plan_responses(random.Random(SEED), targets, responses)  # noqa: S311 - synthetic data, not security
    entered: list[tuple[Response, dt.datetime, dt.datetime | None]] = []
    for plan in sorted(plans, key=lambda plan: plan.started_at):
        actor = None
        if plan.channel in Response.ENTERED_CHANNELS:
            # The second keying of a paper questionnaire is done by someone else than the first:
            # here the researcher, as double entry should be independent.
            actor = researcher if plan.entry_round == 2 else advisor
        response = services.response_start(
            actor=actor,
            survey=survey,
            channel=plan.channel,
            paper_ref=plan.paper_ref,
            entry_round=plan.entry_round,
        )
        services.response_save_answers(actor=actor, response=response, answers=plan.answers, other=plan.other)
        if plan.submit:
            services.response_submit(actor=actor, response=response)
        entered.append((response, plan.started_at, plan.submitted_at))

    # Seed data only: the services stamp responses with timezone.now(); spread them over the
    # fieldwork period afterwards, as if they had been given then.
    for response, started_at, submitted_at in entered:
        response.started_at, response.submitted_at = started_at, submitted_at
    Response.objects.bulk_update([row[0] for row in entered], ["started_at", "submitted_at"], batch_size=500)

    # The fieldwork dates are set only now: the services take responses only between them, and
    # October 2026 has passed when the demo is seeded.
    services.survey_update(
        actor=researcher, survey=survey, data={"fieldwork_start": FIELDWORK_START, "fieldwork_end": FIELDWORK_END}
    )
    services.survey_transition(actor=researcher, survey=survey, to=Survey.Status.CLOSED)
    publish = getattr(services, "survey_results_publish", None)
    if publish is not None:
        publish(actor=researcher, survey=survey, published=True)
    else:
        # Seed data only, until the publishing service is merged: show the results page.
        Survey.objects.filter(pk=survey.pk).update(results_published=True)
        survey.results_published = True
    # Seed data only: the questionnaire was designed before fieldwork, not on the day of seeding.
    designed = dt.datetime.combine(FIELDWORK_START - dt.timedelta(days=21), dt.time(10, 30), tzinfo=SOFIA)
    Survey.objects.filter(pk=survey.pk).update(created_at=designed)
    return survey


def _weighting(researcher: User, survey: Survey) -> SurveyWeighting | None:
    """Post-stratify the baseline by settlement to the latest census figures (settlements with
    no complete response are left out, and the source says so)."""
    proposal = services.settlement_margins(survey)
    if proposal is None or not proposal.counts:
        return None
    source = f"{proposal.source}: общо население по населени места"
    if proposal.left_out:
        source += f" (без {', '.join(proposal.left_out)} — няма отговорили)"
    return services.survey_weighting_set(
        actor=researcher,
        survey=survey,
        method=SurveyWeighting.Method.POSTSTRATIFY,
        margins={proposal.variable: proposal.counts},
        margins_source=source,
    )


REPORT_SLUG = "kresna-2026-osnovni-rezultati"
REPORT_TITLE = "Основни резултати"
REPORT_SUMMARY = (
    "Основните резултати от базовото проучване за участието на гражданите в местното управление в "
    f"община Кресна. {SYNTHETIC_NOTE}"
)
# (kind, data): narrative text, findings (their specification, caption and link key), methodology.
REPORT_BLOCKS: tuple[tuple[str, dict[str, Any]], ...] = (
    (
        "text",
        {
            "caption": "За доклада",
            "text": (
                "Този доклад показва как изглеждат резултатите от проучване в Глас: всяка констатация е "
                "таблица и диаграма, изчислени от отговорите, с доверителни интервали и постоянна връзка, "
                "която препоръките могат да цитират.\n\n"
                "ВНИМАНИЕ: данните са синтетични демонстрационни данни, генерирани от програма. Те не описват "
                "мнението на жителите на община Кресна и не бива да се използват за изводи."
            ),
        },
    ),
    (
        "finding",
        {
            "spec": {"kind": "frequency", "variable": "q10_efficacy"},
            "caption": "Могат ли хора като мен да влияят на решенията на общината?",
            "key": "vliyanie",
        },
    ),
    (
        "finding",
        {
            "spec": {"kind": "mean", "variable": "q13_info_rating", "by": "q01_settlement"},
            "caption": "Оценка на информацията от общината (0–10) по населени места",
            "key": "informatsiya-po-naseleni-mesta",
        },
    ),
    (
        "finding",
        {
            "spec": {"kind": "crosstab", "variable": "q03_age_group", "column": "q06_voted_local"},
            "caption": "Участие в последните местни избори по възрастови групи",
            "key": "izbori-po-vazrast",
        },
    ),
    (
        "finding",
        {
            "spec": {"kind": "frequency", "variable": "q07_participation"},
            "caption": "Форми на участие в местните дела през последните две години",
            "key": "formi-na-uchastie",
        },
    ),
    (
        "text",
        {
            "caption": "Как да се четат резултатите",
            "text": (
                "Процентите са претеглени по населено място спрямо преброяването, за да отговаря всяко село на "
                "дела си в населението. Доверителният интервал показва колко несигурна е всяка оценка; "
                "оценките, основани на малко отговорили, са отбелязани.\n\n"
                "Припомняме: това са синтетични демонстрационни данни."
            ),
        },
    ),
    ("methodology", {}),
)


def _report(researcher: User, survey: Survey) -> SurveyReport:
    """The published demo report "Основни резултати" on the baseline study."""
    report = services.report_create(
        actor=researcher, survey=survey, title=REPORT_TITLE, summary=REPORT_SUMMARY, slug=REPORT_SLUG
    )
    for kind, data in REPORT_BLOCKS:
        services.block_add(actor=researcher, report=report, kind=kind, data=data)
    return services.report_publish(actor=researcher, report=report)


def _code_suggestions(survey: Survey, researcher: User, second_coder: User) -> tuple[int, int]:
    """The code frame of ``q25_suggestions``; every answer coded by the researcher (the primary
    coder) by the theme of its first suggestion, a sample coded again by ``second_coder``, who
    now and then picks the theme of the second suggestion or another one."""
    question = Question.objects.get(survey=survey, variable="q25_suggestions")
    frame = services.code_frame_create(
        actor=researcher,
        question=question,
        name="Теми на предложенията",
        description="Основната тема на предложението (при няколко — на първото). Синтетични демонстрационни данни.",
    )
    codes = {
        value: services.code_create(actor=researcher, frame=frame, value=value, label=label, description=text)
        for value, label, text in SUGGESTION_CODES
    }
    rng = random.Random(SEED + 25)  # noqa: S311 - synthetic data, not security
    first: dict[int, list[int]] = {}
    second: dict[int, list[int]] = {}
    for pk, text in codable_answers(question).values_list("pk", "text"):
        themes = [SUGGESTION_THEMES[i] for i, sentence in enumerate(SUGGESTIONS) if sentence in text]
        theme = next(SUGGESTION_THEMES[i] for i, sentence in enumerate(SUGGESTIONS) if text.startswith(sentence))
        first.setdefault(theme, []).append(pk)
        if rng.random() < SECOND_CODER_SHARE:
            other = theme
            if rng.random() < SECOND_CODER_DISAGREES:
                alternatives = [value for value in themes if value != theme] or [
                    value for value in codes if value != theme
                ]
                other = rng.choice(alternatives)
            second.setdefault(other, []).append(pk)
    for coder, coding in ((researcher, first), (second_coder, second)):
        for value, answer_ids in sorted(coding.items()):
            services.answers_code_bulk(actor=coder, frame=frame, answer_ids=answer_ids, code=codes[value])
    return sum(map(len, first.values())), sum(map(len, second.values()))


def _quota_targets(total: int) -> dict[str, int]:
    """Targets proportional to each settlement's latest population figure (largest remainders)."""
    municipality = current_municipality()
    population: dict[str, int] = {}
    for settlement in Settlement.objects.filter(municipality=municipality).order_by("kind", "name"):
        figure = PopulationFigure.objects.filter(settlement=settlement).order_by("-year").first()
        population[settlement.slug] = figure.population if figure else 0
    whole = sum(population.values()) or 1
    shares = {slug: total * people / whole for slug, people in population.items()}
    targets = {slug: math.floor(share) for slug, share in shares.items()}
    by_remainder = sorted(shares, key=lambda slug: shares[slug] - targets[slug], reverse=True)
    for slug in by_remainder[: total - sum(targets.values())]:
        targets[slug] += 1
    return targets


# --- Synthetic respondents --------------------------------------------------------------------
#
# Each respondent has a profile (settlement, sex, age group, education, occupation) and two
# latent traits, civic engagement and institutional trust, from which the answers follow, so
# that they hang together: the engaged vote and take part more, the trusting rate information
# and services higher and see less corruption, older people answer more often on paper or with
# help at the bureau, villagers learn more from the kmetstvo and rank water supply higher.

AGE_BY_KIND = {"town": (16, 23, 26, 24, 11), "village": (10, 18, 25, 30, 17)}
FEMALE_BY_AGE = (0.48, 0.49, 0.50, 0.54, 0.62)
EDUCATION_BY_AGE = (
    (2, 12, 58, 3, 25),
    (2, 12, 52, 4, 30),
    (3, 15, 55, 7, 20),
    (6, 22, 50, 8, 14),
    (18, 32, 36, 5, 9),
)
EMPLOYMENT_CODES = ("1", "2", "3", "4", "5", "6", "7", "other")
EMPLOYMENT_BY_AGE = (
    (45, 6, 3, 14, 0, 24, 6, 2),
    (60, 12, 5, 12, 1, 1, 7, 2),
    (58, 12, 7, 14, 5, 0, 3, 1),
    (16, 4, 4, 4, 70, 0, 1, 1),
    (0, 0, 1, 0, 99, 0, 0, 0),
)
EMPLOYMENT_OTHER = ("Работя сезонно в чужбина", "Временна работа без договор", "В болничен съм от няколко месеца")
CHANNELS = ("web", "assisted", "paper", "phone")
CHANNEL_BY_AGE = (
    (75, 5, 12, 8),
    (65, 10, 17, 8),
    (48, 18, 24, 10),
    (25, 30, 33, 12),
    (8, 35, 45, 12),
)
INFO_OTHER = (
    "От общинския вестник",
    "На работното място",
    "От сесиите на съвета, които гледам онлайн",
    "От читалището",
)
SERVICE_TYPES = ("civil", "tax", "build", "social", "property", "agri", "other")
SERVICE_OTHER = ("Заверка на документи", "Регистрация на домашен любимец", "Заявка за контейнер за отпадъци")
SERVICE_DAYS = {
    "civil": (0, 2),
    "tax": (0, 1),
    "build": (7, 30),
    "social": (3, 20),
    "property": (10, 40),
    "agri": (1, 10),
    "other": (0, 7),
}
REPORT_OTHER = ("Чрез адвокат", "В областната администрация")
SUGGESTIONS = (
    "Информацията във Фейсбук да излиза навреме, а не в деня на обсъждането.",
    "Обществените обсъждания да се правят след работно време, за да могат да идват и работещите.",
    "Проектите на решения да се публикуват поне две седмици преди сесията.",
    "Кметът да идва по-често в селата и да изслушва хората.",
    "Сесиите на Общинския съвет да се излъчват онлайн.",
    "Да се отговаря в срок на писмата и сигналите на гражданите.",
    "Първо да се оправи водата в селото, после да ни питат за участие.",
    "Повече прозрачност при обществените поръчки.",
    "Таблото в кметството да се обновява редовно.",
    "Младите да се включват чрез училището и читалището.",
    "Общинските съветници да имат приемно време и в селата.",
    "Бюджетът да се обяснява на разбираем език, с примери.",
    "Хората не вярват, че мнението им има значение — трябва да видят резултат.",
    "Повече електронни услуги, за да не се ходи до Кресна за всяко удостоверение.",
    "Транспорт за възрастните хора от селата в приемния ден на общината.",
    "Анкети като тази да се правят всяка година и резултатите да се казват.",
    "Повече работни места за младите, иначе няма кой да участва.",
    "Решенията за пътищата в селата да се обсъждат с хората там.",
    "Общински бюлетин на хартия, който да стига до всеки дом.",
    "Нямам предложение.",
    "Гласуване по интернет на местните референдуми.",
    "Повече уважение от служителите към възрастните хора.",
    "Да се публикува как е гласувал всеки съветник.",
    "Да има кутия за предложения във всяко кметство.",
)
# The code frame of q25_suggestions: (code, label, description) and the code of each suggestion.
SUGGESTION_CODES = (
    (1, "Информация и прозрачност", "Навременна и разбираема информация: публикуване, табла, бюлетин, бюджет."),
    (2, "Обсъждания и допитвания", "Кога и как се допитват до жителите: обсъждания, анкети, кутии за предложения."),
    (3, "Достъп до кмета и съветниците", "Срещи в селата, приемно време, отговор на писма, отношение."),
    (4, "Онлайн участие и е-услуги", "Излъчване на сесиите, електронни услуги, гласуване по интернет."),
    (5, "Първо основните проблеми", "Вода, транспорт, работни места: участието идва след тях."),
    (6, "Доверие и видим резултат", "Хората трябва да видят, че мнението им променя нещо."),
    (7, "Няма предложение", "Отговорът не съдържа предложение."),
)
SUGGESTION_THEMES = (1, 2, 1, 3, 4, 3, 5, 1, 1, 2, 3, 1, 6, 4, 5, 2, 5, 2, 1, 7, 4, 3, 1, 2)
SECOND_CODER_SHARE = 0.4
SECOND_CODER_DISAGREES = 0.15
MISMATCHABLE = ("q13_info_rating", "q18_service_days", "q09_interest", "q11_trust", "q04_education")


@dataclass
class Plan:
    """One response to enter: its channel, answers and the times it is stamped with."""

    channel: str
    answers: dict[str, Any]
    other: dict[str, str] = field(default_factory=dict)
    submit: bool = True
    paper_ref: str = ""
    entry_round: int = 1
    started_at: dt.datetime = dt.datetime.min.replace(tzinfo=dt.UTC)
    submitted_at: dt.datetime | None = None


def _logistic(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def _level(x: float, cuts: Sequence[float]) -> int:
    """1 + the number of cuts below ``x``: a latent score turned into an ordinal answer."""
    return 1 + sum(x > cut for cut in cuts)


def _pick(rng: random.Random, codes: Sequence[str], weights: Sequence[float]) -> str:
    return rng.choices(list(codes), weights=list(weights))[0]


def _respondent(
    rng: random.Random, settlement: str, kind: str
) -> tuple[dict[str, Any], dict[str, str], dict[str, Any]]:
    """One synthetic person's answers (only to the questions their answers show), their
    "other" texts, and the traits the channel and timing depend on."""
    a: dict[str, Any] = {"q01_settlement": settlement}
    other: dict[str, str] = {}
    village = kind == "village"
    age = int(_pick(rng, "12345", AGE_BY_KIND[kind])) - 1  # 0..4
    a["q02_sex"] = REFUSED if rng.random() < 0.01 else ("2" if rng.random() < FEMALE_BY_AGE[age] else "1")
    a["q03_age_group"] = str(age + 1)
    education = int(_pick(rng, "12345", EDUCATION_BY_AGE[age]))
    if village and education > 1 and rng.random() < 0.25:
        education -= 1
    a["q04_education"] = str(education)
    a["q05_employment"] = _pick(rng, EMPLOYMENT_CODES, EMPLOYMENT_BY_AGE[age])
    if a["q05_employment"] == "other":
        other["q05_employment"] = rng.choice(EMPLOYMENT_OTHER)
    engaged = rng.gauss(0, 1) + 0.35 * (education >= 4) - 0.25 * (education <= 2) + 0.15 * (age >= 2)
    trust = rng.gauss(0, 1) + 0.15 * village

    if rng.random() < 0.03:
        a["q06_voted_local"] = DK
    elif rng.random() < 0.02:
        a["q06_voted_local"] = REFUSED
    else:
        turnout = _logistic(0.3 + 0.9 * engaged + (-0.7, -0.25, 0.15, 0.45, 0.3)[age])
        a["q06_voted_local"] = "1" if rng.random() < turnout else "2"
    bases = {
        "consult": -2.8,
        "petition": -2.3,
        "assembly": -3.1 + 0.9 * village,
        "referendum": -3.7,
        "contact": -2.1 + 0.4 * village,
    }
    forms = [form for form, base in bases.items() if rng.random() < _logistic(base + 0.9 * engaged)]
    a["q07_participation"] = forms or ["none"]
    if "contact" in forms:
        a["q08_contact_reply"] = DK if rng.random() < 0.05 else str(4 - _level(trust + rng.gauss(0, 0.8), (-0.5, 0.5)))
    a["q09_interest"] = str(_level(0.9 * engaged + rng.gauss(0, 0.6), (-1.3, -0.4, 0.4, 1.2)))
    a["q10_efficacy"] = str(_level(0.5 * engaged + 0.4 * trust - 0.4 + rng.gauss(0, 0.8), (-1.0, -0.2, 0.5, 1.3)))

    shifts = {"mayor": 0.3, "council": -0.15, "admin": 0.0, "kmetove": 0.4}
    trust_answers = {}
    for row, shift in shifts.items():
        unsure = 0.05 + 0.08 * (engaged < -0.8) + (0.25 if row == "kmetove" and not village else 0)
        trust_answers[row] = (
            DK if rng.random() < unsure else str(_level(trust + shift + rng.gauss(0, 0.6), (-1.2, -0.4, 0.4, 1.2)))
        )
    a["q11_trust"] = trust_answers

    young = (0.9, 0.75, 0.45, 0.2, 0.05)[age]
    source_chances = {
        "website": 0.55 * young + 0.1 * (education >= 4),
        "facebook": 0.85 * young + 0.05,
        "boards": 0.18 + 0.05 * age,
        "kmetstvo": (0.3 + 0.08 * age) if village else 0.04,
        "word": 0.45,
        "media": 0.12 + 0.05 * age,
    }
    sources = [source for source, chance in source_chances.items() if rng.random() < chance]
    if rng.random() < 0.03:
        sources.append("other")
        other["q12_info_sources"] = rng.choice(INFO_OTHER)
    a["q12_info_sources"] = sources or ["none"]
    if rng.random() > 0.05 and sources:
        a["q13_info_rating"] = max(0, min(10, round(5 + 1.4 * trust + 0.3 * engaged + rng.gauss(0, 1.5))))

    works = a["q05_employment"] in ("1", "2", "3")
    used = rng.random() < _logistic(-0.45 + 0.35 * works + 0.2 * (1 <= age <= 3))
    a["q14_service_used"] = "yes" if used else "no"
    if used:
        kind_weights = (30, 30, 8, 12 + 8 * (age >= 3), 5, 10 + 4 * village, 5)
        service = _pick(rng, SERVICE_TYPES, kind_weights)
        a["q15_service_type"] = service
        if service == "other":
            other["q15_service_type"] = rng.choice(SERVICE_OTHER)
        online = 0.25 * young
        mode_weights = (0.85 - online, 0.0, online + 0.08, 0.07) if not village else (0.4, 0.45, online, 0.08)
        a["q16_service_mode"] = _pick(rng, "1234", mode_weights)
        low, high = SERVICE_DAYS[service]
        days = round(low + (high - low) * rng.random() ** 1.5)
        if rng.random() > 0.08:
            a["q18_service_days"] = days
        satisfied = 0.5 * trust + 0.5 - 0.04 * days + rng.gauss(0, 0.8)
        a["q17_service_satisfaction"] = str(_level(satisfied, (-1.2, -0.4, 0.3, 1.1)))

    asked = rng.random()
    if asked < 0.05:
        a["q20_bribe_asked"] = "1"
    elif asked < 0.11:
        a["q20_bribe_asked"] = REFUSED
    elif asked < 0.97:
        a["q20_bribe_asked"] = "2"
    if rng.random() < 0.18 + 0.1 * (engaged < -0.5):
        a["q19_corruption_spread"] = DK
    elif rng.random() < 0.97:
        seen = 0.2 - 0.8 * trust + 0.9 * (a.get("q20_bribe_asked") == "1") + rng.gauss(0, 0.7)
        a["q19_corruption_spread"] = str(_level(seen, (-1.1, -0.1, 0.9)))
    if rng.random() < 0.12:
        a["q21_would_report"] = DK
    elif rng.random() < 0.97:
        a["q21_would_report"] = str(5 - _level(0.5 * trust + 0.4 * engaged - 0.2 + rng.gauss(0, 0.9), (-1, 0, 1)))
    if a.get("q21_would_report") in ("1", "2"):
        channel_weights = (20 + 25 * young, 25 + 5 * age, 20, 12, 8, 6 + 8 * young, 2)
        a["q22_report_channel"] = _pick(
            rng, ("platform", "mayor", "police", "kpk", "bureau", "media", "other"), channel_weights
        )
        if a["q22_report_channel"] == "other":
            other["q22_report_channel"] = rng.choice(REPORT_OTHER)

    willing = {"consult": -0.2, "referendum": 0.6, "assembly": -0.1 + 0.3 * village, "bureau": 0.0}
    a["q23_willingness"] = {
        row: DK if rng.random() < 0.07 else str(_level(0.8 * engaged + base + rng.gauss(0, 0.7), (-0.9, 0, 0.9)))
        for row, base in willing.items()
    }
    weights = {
        "roads": 2.2 + 0.5 * village,
        "water": 1.8 + 0.8 * village,
        "jobs": 3.0 + 1.0 * (age <= 1),
        "health": 1.8 + 1.2 * (age >= 3),
        "schools": 0.9 + 0.8 * (age == 1),
    }
    if rng.random() > 0.04:
        ranking: list[str] = []
        while weights:  # Plackett–Luce: draw the first, then the first of the rest, …
            chosen = _pick(rng, list(weights), list(weights.values()))
            ranking.append(chosen)
            del weights[chosen]
        a["q24_priorities"] = ranking
    traits = {"age": age, "village": village, "engaged": engaged}
    return a, other, traits


def _suggestion(rng: random.Random, chance: float) -> str | None:
    if rng.random() >= chance:
        return None
    first, second = rng.sample(SUGGESTIONS, 2)
    return first if rng.random() < 0.7 else f"{first} {second}"


def _at(day: dt.date, hours: tuple[float, float], rng: random.Random) -> dt.datetime:
    minutes = int(60 * (hours[0] + (hours[1] - hours[0]) * rng.random()))
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60, rng.randrange(60)), tzinfo=SOFIA)


def _fieldwork_days(*, weekdays_only: bool, last: dt.date = FIELDWORK_END) -> list[dt.date]:
    days = [FIELDWORK_START + dt.timedelta(days=offset) for offset in range((last - FIELDWORK_START).days + 1)]
    return [day for day in days if not weekdays_only or day.weekday() < 5]


def _when(rng: random.Random, channel: str) -> tuple[dt.datetime, dt.timedelta]:
    """A plausible start time and duration: the web any day (most at launch and after the
    reminder in the second week, in the evening), the bureau and the phone on weekdays in
    office hours, paper questionnaires keyed at the bureau as they come in."""
    if channel == "web":
        days = _fieldwork_days(weekdays_only=False)
        weights = [3.0 if offset < 3 else 2.0 if 8 <= offset < 10 else 1.0 for offset in range(len(days))]
        day = rng.choices(days, weights=weights)[0]
        start = _at(day, (7, 23) if rng.random() < 0.4 else (18, 22.5), rng)
        return start, dt.timedelta(minutes=min(60.0, max(6.0, rng.lognormvariate(math.log(14), 0.4))))
    if channel == "paper":
        day = rng.choice(_fieldwork_days(weekdays_only=True)[2:])
        return _at(day, (9, 16.5), rng), dt.timedelta(minutes=max(3.0, rng.lognormvariate(math.log(6), 0.3)))
    hours = (9, 16.5) if channel == "assisted" else (10, 18.5)
    median = 22 if channel == "assisted" else 17
    day = rng.choice(_fieldwork_days(weekdays_only=True))
    return _at(day, hours, rng), dt.timedelta(minutes=max(8.0, rng.lognormvariate(math.log(median), 0.35)))


def _plan_responses(rng: random.Random, targets: dict[str, int], count: int) -> list[Plan]:
    """``count`` round-one responses (about 5% broken off), with settlements drawn from the
    quota places so no cell overfills, and second keyings of about one paper questionnaire in
    seven, a few of them with keying mistakes."""
    kinds = dict(Settlement.objects.filter(slug__in=targets).values_list("slug", "kind"))
    broken = round(count * 0.05)
    places = [slug for slug, target in targets.items() for _place in range(target)]
    if count - broken > len(places):
        raise ValueError(f"At most {len(places) + broken} responses fit the quotas.")
    rng.shuffle(places)
    slugs = list(targets)
    plans: list[Plan] = []
    paper_number = 0
    for index in range(count):
        complete = index >= broken
        settlement = places.pop() if complete else rng.choices(slugs, weights=list(targets.values()))[0]
        answers, other, traits = _respondent(rng, settlement, kinds[settlement])
        if complete:
            weights: list[float] = list(CHANNEL_BY_AGE[traits["age"]])
            if traits["village"]:
                weights[2] *= 1.2  # questionnaires handed out through the kmetstva
            channel = _pick(rng, CHANNELS, weights)
        else:
            channel = "web" if rng.random() < 0.75 else "phone"
        text = _suggestion(rng, {"web": 0.35, "assisted": 0.2, "paper": 0.25, "phone": 0.15}[channel])
        if text:
            answers["q25_suggestions"] = text
        started, duration = _when(rng, channel)
        plan = Plan(channel=channel, answers=answers, other=other, started_at=started, submitted_at=started + duration)
        if channel == "paper":
            paper_number += 1
            plan.paper_ref = f"KR-{paper_number:04d}"
        if not complete:
            # Broken off after the profile and a few more pages: only those answers were saved.
            plan.answers, plan.other = _first_sections(answers, other, rng.randint(1, 5))
            plan.submit, plan.submitted_at = False, None
        plans.append(plan)
    return plans + _second_keyings(rng, [plan for plan in plans if plan.paper_ref])


def _first_sections(
    answers: dict[str, Any], other: dict[str, str], sections: int
) -> tuple[dict[str, Any], dict[str, str]]:
    kept = {question["variable"] for plan in BASELINE[:sections] for question in plan.questions}
    return (
        {variable: value for variable, value in answers.items() if variable in kept},
        {variable: text for variable, text in other.items() if variable in kept},
    )


def _second_keyings(rng: random.Random, papers: list[Plan]) -> list[Plan]:
    """Second, independent keyings of a sample of paper questionnaires. A third of them carry a
    keying mistake (a different but valid answer) for the double-entry comparison to find.

    They are submitted like the first keyings; a second keying takes no quota place and is left
    out of results and exports (it only checks the first)."""
    if not papers:
        return []
    chosen = rng.sample(papers, max(1, round(len(papers) / 7)))
    mistakes = max(1, len(chosen) // 3)
    keyings = []
    for position, first in enumerate(chosen):
        answers = {
            variable: dict(value) if isinstance(value, dict) else list(value) if isinstance(value, list) else value
            for variable, value in first.answers.items()
        }
        if position < mistakes:
            _miskey(rng, answers)
        start = _second_keying_time(rng, first)
        keyings.append(
            Plan(
                channel="paper",
                answers=answers,
                other=dict(first.other),
                paper_ref=first.paper_ref,
                entry_round=2,
                started_at=start,
                submitted_at=start + dt.timedelta(minutes=rng.randint(4, 9)),
            )
        )
    return keyings


def _second_keying_time(rng: random.Random, first: Plan) -> dt.datetime:
    """One to three working days after the first keying, in office hours; the same afternoon if
    fieldwork ends before then."""
    day = first.started_at.date()
    for _step in range(rng.randint(1, 3)):
        day += dt.timedelta(days=1)
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
    if day > FIELDWORK_END:
        return first.started_at + dt.timedelta(minutes=rng.randint(30, 120))
    return _at(day, (9, 16.5), rng)


def _miskey(rng: random.Random, answers: dict[str, Any]) -> None:
    """A plausible keying slip that leaves the answer valid and the display logic unchanged."""
    variable = rng.choice([variable for variable in MISMATCHABLE if variable in answers])
    value = answers[variable]
    if variable == "q13_info_rating":
        answers[variable] = (value + 3) % 11 if value != 7 else 1
    elif variable == "q18_service_days":
        answers[variable] = value + 5 if value < 85 else value - 5
    elif variable == "q11_trust":
        answers[variable] = {**value, "mayor": value["council"], "council": value["mayor"]}
        if value["mayor"] == value["council"]:
            answers[variable]["admin"] = "1" if value["admin"] != "1" else "2"
    else:
        answers[variable] = str(int(value) % 5 + 1)
