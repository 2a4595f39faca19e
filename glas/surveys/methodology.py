"""The generated methodology section of a survey report: population, sample, modes, fieldwork
dates, anonymity, weighting, margin of error and the caveats a reader needs.

Everything is counted from the data, as the public results count it: complete responses of the
first keying only (a paper questionnaire keyed twice for checking is one response). The margin
of error is the largest one, for a proportion of 50 % at 95 % confidence,
``1.96 × √(0.25 / n) × √deff``, with deff the design effect of the weighting (1 without it).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from glas.core.models import PopulationFigure
from glas.core.selectors import current_municipality_or_none
from glas.surveys.analysis import AnalysisError
from glas.surveys.models import Question, Response, Survey
from glas.surveys.weighting import survey_analysis_frame, survey_weighting

Z_95 = 1.959964


@dataclass(frozen=True)
class WeightingSummary:
    method: str  # the method as words
    variables: list[str]  # the calibration (and design) variables
    margins_source: str
    effective_n: float | None
    design_effect: float | None


@dataclass
class Methodology:
    municipality: str
    population: int | None
    population_year: int | None
    population_source: str
    adults: int | None  # registered voters: the adult citizens of the municipality
    adults_as_of: dt.date | None
    adults_source: str
    complete: int
    channels: list[tuple[str, int]]  # (channel as words, complete responses), channels used only
    fieldwork_start: dt.date | None
    fieldwork_end: dt.date | None
    first_response: dt.date | None
    last_response: dt.date | None
    anonymity: str
    weighting: WeightingSummary | None
    margin_of_error: float | None  # percentage points
    caveats: list[str] = field(default_factory=list)

    @property
    def weighted(self) -> bool:
        return self.weighting is not None

    @property
    def margin_words(self) -> str:
        if self.margin_of_error is None:
            return _("Not computed: there are no complete responses.")
        if self.weighted:
            text = _(
                "At most ±%(moe)s percentage points for a proportion of 50%% at 95%% confidence, allowing for "
                "the design effect of the weighting."
            )
        else:
            text = _("At most ±%(moe)s percentage points for a proportion of 50%% at 95%% confidence.")
        return text % {"moe": number_format(self.margin_of_error, 1)}


def margin_of_error(n: float, design_effect: float | None = None) -> float | None:
    """The largest margin of error (a proportion of 50 %, 95 % confidence), in percentage
    points, for ``n`` complete responses and a design effect."""
    if n <= 0:
        return None
    deff = design_effect if design_effect and design_effect > 0 else 1.0
    return round(100 * Z_95 * math.sqrt(0.25 / n) * math.sqrt(deff), 1)


def survey_weighting_summary(survey: Survey) -> tuple[WeightingSummary | None, str]:
    """The survey's weighting as the methodology describes it (None when the results are
    unweighted), and why a weighting that is set could not be applied ("" when it could)."""
    weighting = survey_weighting(survey)
    if weighting is None or not weighting.is_active:
        return None, ""
    try:
        frame = survey_analysis_frame(survey)
    except AnalysisError as error:
        return None, str(error)
    if not frame.weighted:
        return None, frame.problem
    variables = [*weighting.margins]
    variables += [name for name in (weighting.strata_variable, weighting.cluster_variable) if name]
    report = frame.report
    effective = report.effective_sample_size if report else frame.effective_sample_size
    deff = report.design_effect if report else (frame.n / effective if effective else None)
    labels = dict(Question.objects.filter(survey=survey, variable__in=variables).values_list("variable", "text"))
    summary = WeightingSummary(
        method=frame.method_label,
        variables=[_variable_words(name, labels) for name in dict.fromkeys(variables)],
        margins_source=weighting.margins_source,
        effective_n=effective,
        design_effect=deff,
    )
    return summary, ""


def _variable_words(variable: str, labels: dict[str, str]) -> str:
    """ "В кое населено място живеете? (q01_settlement)": the question a reader knows, and its name."""
    label = labels.get(variable, "")
    if not label:
        return variable
    return _("“%(question)s” (%(variable)s)") % {"question": Truncator(label).chars(80), "variable": variable}


def survey_methodology(survey: Survey) -> Methodology:
    """The methodology of ``survey`` in a fixed number of queries."""
    municipality = current_municipality_or_none()
    figure = (
        PopulationFigure.objects.filter(municipality=municipality, settlement__isnull=True).order_by("-year").first()
        if municipality
        else None
    )
    complete = Response.objects.filter(survey=survey, status=Response.Status.COMPLETE, entry_round=1)
    by_channel = dict(complete.values("channel").annotate(n=Count("id")).values_list("channel", "n"))
    span = complete.aggregate(first=Min("submitted_at"), last=Max("submitted_at"))
    total = sum(by_channel.values())
    weighting, problem = survey_weighting_summary(survey)
    deff = weighting.design_effect if weighting else None
    methodology = Methodology(
        municipality=municipality.display_name if municipality else "",
        population=figure.population if figure else None,
        population_year=figure.year if figure else None,
        population_source=figure.source if figure else "",
        adults=municipality.voters if municipality else None,
        adults_as_of=municipality.voters_as_of if municipality else None,
        adults_source=municipality.voters_source if municipality else "",
        complete=total,
        channels=[(str(label), by_channel[code]) for code, label in Response.Channel.choices if by_channel.get(code)],
        fieldwork_start=survey.fieldwork_start,
        fieldwork_end=survey.fieldwork_end,
        first_response=timezone.localdate(span["first"]) if span["first"] else None,
        last_response=timezone.localdate(span["last"]) if span["last"] else None,
        anonymity=survey.get_anonymity_display(),
        weighting=weighting,
        margin_of_error=margin_of_error(total, deff),
    )
    methodology.caveats = _caveats(survey, methodology, web=by_channel.get(Response.Channel.WEB, 0), problem=problem)
    return methodology


def _caveats(survey: Survey, methodology: Methodology, *, web: int, problem: str) -> list[str]:
    caveats = []
    if problem:
        caveats.append(_("The weighting that is set could not be applied: %(problem)s") % {"problem": problem})
    if survey.is_demo:
        caveats.append(
            _(
                "Synthetic demo data: the survey and all its answers were generated by a program to "
                "show how reports work. They say nothing about anyone's views."
            )
        )
    if web:
        caveats.append(
            _(
                "Those who answered through the public online link chose to take part themselves: "
                "they are not a random sample of residents, and weighting cannot fully correct this."
            )
        )
    if not methodology.weighted:
        caveats.append(_("The results are unweighted and describe the respondents only, not all residents."))
    if methodology.margin_of_error is not None:
        caveats.append(
            _(
                "The margin of error assumes a random sample; it does not cover errors from "
                "self-selection, non-response or the wording of questions."
            )
        )
    return caveats
