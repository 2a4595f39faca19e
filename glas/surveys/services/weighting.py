"""Setting a survey's weighting: the sampling design and the population margins.

``survey_weighting_set`` checks everything against the questionnaire and the answers before
it saves: the variables are closed questions of the survey, margin levels are codes of their
question, counts are positive, every answer given in the data has a population count, and the
weighting really runs (raking converges, linear calibration gives positive weights).
``settlement_margins`` proposes margins for the settlement question from the census figures
kept in ``glas.core``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from glas.core.audit import audit_log
from glas.core.exceptions import DomainError
from glas.core.models import PopulationFigure, Settlement
from glas.surveys.analysis import AnalysisError, Table
from glas.surveys.models import Answer, Question, Response, Survey, SurveyWeighting
from glas.surveys.selectors import Structure, response_table, survey_structure
from glas.surveys.services.common import clean_field_text, require
from glas.surveys.weighting import CLOSED_TYPES, WeightingSettings, apply_weighting

if TYPE_CHECKING:
    from glas.accounts.models import User

SOURCE_CAP = 300
MAX_ITERATIONS = 1000


def _closed_question(structure: Structure, variable: str, field: str) -> Question:
    question = structure.by_variable.get(variable)
    if question is None or question.type not in CLOSED_TYPES:
        raise DomainError(
            _("“%(variable)s” is not a single-answer closed question of this survey.") % {"variable": variable},
            field=field,
        )
    return question


def _positive(value: Any, *, field: str, message: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
        raise DomainError(message, field=field)
    return float(value)


def _answer_counts(survey: Survey, questions: list[Question]) -> dict[int, dict[str, int]]:
    """Complete responses per answer code of each question (one query)."""
    counts: dict[int, dict[str, int]] = {question.pk: {} for question in questions}
    rows = (
        Answer.objects.filter(
            question__in=questions, response__status=Response.Status.COMPLETE, response__entry_round=1
        )
        .exclude(text="")
        .values("question_id", "text")
        .annotate(n=Count("id"))
    )
    for row in rows:
        counts[row["question_id"]][row["text"]] = row["n"]
    return counts


def _check_margins(
    structure: Structure, margins: Any, method: str
) -> tuple[dict[str, dict[str, float]], list[Question]]:
    if method == SurveyWeighting.Method.NONE:
        if margins:
            raise DomainError(_("Choose a calibration method for the population margins."), field="method")
        return {}, []
    if not isinstance(margins, Mapping) or not margins:
        raise DomainError(_("Give the population counts of at least one question."), field="margins")
    if method == SurveyWeighting.Method.POSTSTRATIFY and len(margins) != 1:
        raise DomainError(
            _("Post-stratification uses the counts of one question; use raking for several."), field="margins"
        )
    cleaned: dict[str, dict[str, float]] = {}
    questions: list[Question] = []
    for variable, counts in margins.items():
        question = _closed_question(structure, str(variable), "margins")
        codes = structure.codes_of(question)
        if not isinstance(counts, Mapping) or not counts:
            raise DomainError(
                _("Give the population count of each answer of “%(variable)s”.") % {"variable": variable},
                field="margins",
            )
        level_counts: dict[str, float] = {}
        for code, count in counts.items():
            if str(code) not in codes:
                raise DomainError(
                    _("“%(code)s” is not an answer code of “%(variable)s”.") % {"code": code, "variable": variable},
                    field="margins",
                )
            level_counts[str(code)] = _positive(
                count,
                field="margins",
                message=_("The population count of “%(code)s” in “%(variable)s” must be a positive number.")
                % {"code": code, "variable": variable},
            )
        cleaned[str(variable)] = {
            code: int(count) if count.is_integer() else count for code, count in level_counts.items()
        }
        questions.append(question)
    if method == SurveyWeighting.Method.LINEAR:
        totals = {round(sum(counts.values()), 6) for counts in cleaned.values()}
        if len(totals) > 1:
            raise DomainError(
                _("For linear calibration the counts of every question must add up to the same population."),
                field="margins",
            )
    return cleaned, questions


def _check_coverage(
    survey: Survey, structure: Structure, margins: dict[str, dict[str, float]], questions: list[Question]
) -> None:
    """Every answer given has a population count, every counted answer was given by someone,
    and every respondent answered each margin question."""
    if not questions:
        return
    complete = Response.objects.filter(survey=survey, status=Response.Status.COMPLETE, entry_round=1).count()
    if not complete:
        return  # margins may be set before fieldwork; the pages check them again once answers arrive
    labels = {q.variable: dict(q.choices.values_list("code", "label")) for q in questions}
    for question, given in zip(questions, _answer_counts(survey, questions).values(), strict=True):
        counts = margins[question.variable]
        for code, n in sorted(given.items()):
            if code not in counts:
                raise DomainError(
                    ngettext(
                        "The answer “%(label)s” (code %(code)s) to “%(variable)s” was given by %(n)d respondent "
                        "but has no population count. Add its count, or weight on another question.",
                        "The answer “%(label)s” (code %(code)s) to “%(variable)s” was given by %(n)d respondents "
                        "but has no population count. Add its count, or weight on another question.",
                        n,
                    )
                    % {
                        "label": labels[question.variable].get(code, code),
                        "code": code,
                        "variable": question.variable,
                        "n": n,
                    },
                    field="margins",
                )
        for code in counts:
            if code not in given:
                raise DomainError(
                    _(
                        "Nobody gave the answer “%(code)s” to “%(variable)s”, so its population cannot be "
                        "represented: remove its count (and say so with the source) or merge it with another."
                    )
                    % {"code": code, "variable": question.variable},
                    field="margins",
                )
        skipped = complete - sum(given.values())
        if skipped > 0:
            raise DomainError(
                ngettext(
                    "%(n)d respondent did not answer “%(variable)s”; weighting needs an answer from everyone. "
                    "Choose a required question.",
                    "%(n)d respondents did not answer “%(variable)s”; weighting needs an answer from everyone. "
                    "Choose a required question.",
                    skipped,
                )
                % {"n": skipped, "variable": question.variable},
                field="margins",
            )


def survey_weighting_set(
    *,
    actor: User,
    survey: Survey,
    method: str,
    margins: Mapping[str, Mapping[str, float]] | None = None,
    margins_source: str = "",
    strata_variable: str = "",
    cluster_variable: str = "",
    fpc: float | None = None,
    epsilon: float = 1.0,
    max_iterations: int = 10,
    trim_lower: float | None = None,
    trim_upper: float | None = None,
) -> SurveyWeighting:
    """Set (or replace) the weighting of ``survey``: the calibration ``method`` with population
    ``margins`` ({variable: {choice code: count}}) and their source, the design (strata and
    first-stage cluster variables, finite population correction), raking's tolerance and
    iterations, and trimming bounds as multiples of the mean weight. Raises ``DomainError`` with
    a translated message naming the field."""
    require(actor, "surveys.weight_survey", survey)
    if method not in SurveyWeighting.Method.values:
        raise DomainError(_("Choose a calibration method from the list."), field="method")
    structure = survey_structure(survey)
    strata, cluster = strata_variable or "", cluster_variable or ""
    if strata:
        _closed_question(structure, strata, "strata_variable")
    if cluster:
        _closed_question(structure, cluster, "cluster_variable")
    if fpc is not None:
        fpc = _positive(fpc, field="fpc", message=_("The finite population correction must be a positive number."))
    epsilon = _positive(epsilon, field="epsilon", message=_("The raking tolerance must be a positive number."))
    if (
        isinstance(max_iterations, bool)
        or not isinstance(max_iterations, int)
        or not (1 <= max_iterations <= MAX_ITERATIONS)
    ):
        raise DomainError(
            _("The number of raking iterations must be a whole number from 1 to %(max)d.") % {"max": MAX_ITERATIONS},
            field="max_iterations",
        )
    bounds = {}
    for key, value in (("trim_lower", trim_lower), ("trim_upper", trim_upper)):
        bounds[key] = (
            None
            if value is None
            else _positive(
                value, field=key, message=_("Trimming bounds must be positive numbers (multiples of the mean weight).")
            )
        )
    if bounds["trim_lower"] is not None and bounds["trim_lower"] > 1:
        raise DomainError(_("The lowest weight cannot be above the mean weight (1)."), field="trim_lower")
    if bounds["trim_upper"] is not None and bounds["trim_upper"] < 1:
        raise DomainError(_("The highest weight cannot be below the mean weight (1)."), field="trim_upper")
    if (
        bounds["trim_lower"] is not None
        and bounds["trim_upper"] is not None
        and bounds["trim_lower"] >= bounds["trim_upper"]
    ):
        raise DomainError(_("The lowest weight must be below the highest."), field="trim_upper")
    cleaned, questions = _check_margins(structure, margins or {}, method)
    source = clean_field_text(margins_source, field="margins_source", cap=SOURCE_CAP)
    if cleaned and not source:
        raise DomainError(
            _("Say where the population figures come from (e.g. “НСИ, Преброяване 2021”)."), field="margins_source"
        )
    _check_coverage(survey, structure, cleaned, questions)
    settings = WeightingSettings(
        method=method,
        margins=cleaned,
        strata_variable=strata,
        cluster_variable=cluster,
        fpc=fpc,
        epsilon=epsilon,
        max_iterations=max_iterations,
        trim_lower=bounds["trim_lower"],
        trim_upper=bounds["trim_upper"],
    )
    _check_runs(survey, settings)
    with transaction.atomic():
        weighting, _created = SurveyWeighting.objects.update_or_create(
            survey=survey,
            defaults={
                "method": method,
                "margins": cleaned,
                "margins_source": source,
                "strata_variable": strata,
                "cluster_variable": cluster,
                "fpc": fpc,
                "epsilon": epsilon,
                "max_iterations": max_iterations,
                "trim_lower": bounds["trim_lower"],
                "trim_upper": bounds["trim_upper"],
                "updated_by": actor,
                "updated_at": timezone.now(),
            },
        )
        audit_log(
            actor=actor,
            action="surveys.weighting.set",
            obj=survey,
            data={
                "method": method,
                "variables": sorted(cleaned),
                "strata": strata,
                "cluster": cluster,
                "source": source,
            },
        )
    return weighting


def _check_runs(survey: Survey, settings: WeightingSettings) -> None:
    """Apply the weighting to the current answers; a failure becomes a form error."""
    if not settings.active:
        return
    names, rows = response_table(survey)
    table = Table.from_rows(names, rows)
    if table.n_rows == 0:
        return  # nothing to check against yet: the pages will apply it once answers arrive
    try:
        apply_weighting(table, settings)
    except AnalysisError as error:
        raise DomainError(str(error), field="margins") from error


# --- Margins proposed from the census ------------------------------------------------------------


@dataclass(frozen=True)
class ProposedMargins:
    """Population counts proposed for one question, with their source and what was left out."""

    variable: str
    counts: dict[str, int]
    source: str
    figure: str  # which figure is used, in words
    left_out: list[str]  # settlements with a population but no respondents (names)


def settlement_margins(survey: Survey) -> ProposedMargins | None:
    """Margins for the survey's settlement question from the latest population figure of each
    settlement in ``glas.core`` (the census). The census data loaded holds total population, not
    adults, so the figure used is the total population (said in ``figure``). Settlements with
    nobody among the complete responses are left out (post-stratification cannot represent
    them) and named. None when the survey has no settlement question or no figures exist."""
    question = Question.objects.filter(survey=survey, type=Question.Type.SETTLEMENT).order_by("position").first()
    if question is None:
        return None
    settlements = list(
        Settlement.objects.filter(slug__in=survey_structure(survey).settlements).order_by("kind", "name")
    )
    figures: dict[int, PopulationFigure] = {}
    for figure in PopulationFigure.objects.filter(settlement__in=settlements).order_by("settlement_id", "-year"):
        figures.setdefault(figure.settlement_id or 0, figure)
    if not figures:
        return None
    given = _answer_counts(survey, [question])[question.pk]
    counts: dict[str, int] = {}
    left_out: list[str] = []
    sources: list[str] = []
    years: set[int] = set()
    for settlement in settlements:
        if settlement.pk not in figures:
            continue
        figure = figures[settlement.pk]
        if settlement.slug not in given:
            left_out.append(settlement.name)
            continue
        counts[settlement.slug] = figure.population
        years.add(figure.year)
        if figure.source not in sources:
            sources.append(figure.source)
    return ProposedMargins(
        variable=question.variable,
        counts=counts,
        source="; ".join(sources),
        figure=_(
            "total population of each settlement (all ages; the census figures loaded have no adult counts), "
            "year %(years)s"
        )
        % {"years": ", ".join(str(year) for year in sorted(years))},
        left_out=left_out,
    )
