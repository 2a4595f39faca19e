"""Reads for survey reports: which variables a finding may use, the check of a finding's
specification, the computed findings of a report and the parts its pages, PDF and DOCX show.

A finding block stores only its specification (``FindingSpec.as_dict()``); the figures are
computed from the data whenever the report is shown (``finding_for_block``), through the
weighting of the survey when it has one. The computed report is cached under a key that changes
when the report, the survey, its weighting or the number of complete responses changes.

Narrative text is plain text: a blank line starts a new paragraph, a single line break is kept,
and nothing is interpreted as markup (so nothing needs sanitising; templates escape it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from glas.core.exceptions import DomainError
from glas.surveys.analysis import AnalysisError
from glas.surveys.findings import Finding, FindingSpec, compute_finding, finding_from_frame
from glas.surveys.methodology import Methodology, survey_methodology
from glas.surveys.models import Question, ReportBlock, SurveyReport
from glas.surveys.weighting import AnalysisFrame, frame_cache_key, survey_analysis_frame, survey_weighting

# The same sets as the findings (``glas.surveys.weighting``): closed questions give shares and
# groups; multiple choice gives shares; numbers, 0–10 scales and Likert scales give means.
CLOSED_TYPES = Question.SINGLE_CODE_TYPES
MEAN_TYPES = Question.NUMBER_TYPES | {"likert"}
FINDING_KINDS = ("frequency", "mean", "crosstab")
SPEC_KEYS = frozenset({"kind", "variable", "by", "column"})
MAX_BLOCKS = 60
TEXT_CAP = 20000
CACHE_SECONDS = 600


# --- Variables and specifications ------------------------------------------------------------


@dataclass(frozen=True)
class ReportVariables:
    """The survey's questions a finding may use, in questionnaire order."""

    questions: list[Question]

    @property
    def closed(self) -> list[Question]:
        """Single-answer closed questions: shares, groups (domains), crosstabs."""
        return [q for q in self.questions if q.type in CLOSED_TYPES]

    @property
    def frequency(self) -> set[str]:
        return {q.variable for q in self.questions if q.type in CLOSED_TYPES or q.type == Question.Type.MULTIPLE}

    @property
    def numeric(self) -> set[str]:
        return {q.variable for q in self.questions if q.type in MEAN_TYPES}

    @property
    def labels(self) -> dict[str, str]:
        return {q.variable: q.text for q in self.questions}


def report_variables(survey: Any) -> ReportVariables:
    types = CLOSED_TYPES | MEAN_TYPES | {Question.Type.MULTIPLE}
    return ReportVariables(
        questions=list(
            Question.objects.filter(survey=survey, type__in=types)
            .order_by("section__position", "position", "id")
            .only("variable", "text", "type")
        )
    )


def check_finding_spec(raw: Any, variables: ReportVariables) -> dict[str, str]:
    """The specification as stored, or a ``DomainError`` naming the field to fix: a kind, a
    variable of the survey that suits it, an optional domain (``by``) and, for a crosstab, the
    column variable."""
    if not isinstance(raw, Mapping) or set(raw) - SPEC_KEYS:
        raise DomainError(_("This finding cannot be read. Choose its kind and variables again."), field="kind")
    kind = raw.get("kind")
    if kind not in FINDING_KINDS:
        raise DomainError(_("Choose what the finding shows."), field="kind")
    closed = {q.variable for q in variables.closed}
    variable, by, column = (raw.get(name) or "" for name in ("variable", "by", "column"))
    if not all(isinstance(value, str) for value in (variable, by, column)):
        raise DomainError(_("This finding cannot be read. Choose its kind and variables again."), field="kind")
    if variable not in variables.frequency | variables.numeric:
        message = _("The survey has no question “%(name)s” to report on.") % {"name": variable}
        raise DomainError(message, field="variable")
    if kind == "mean" and variable not in variables.numeric:
        raise DomainError(_("A mean needs a number or a scale."), field="variable")
    if kind == "frequency" and variable not in variables.frequency:
        raise DomainError(_("Frequencies need a question with answer options."), field="variable")
    if kind == "crosstab" and variable not in closed:
        raise DomainError(_("A crosstab needs two questions with one answer each."), field="variable")
    for name, value in (("by", by), ("column", column)):
        if value and value not in closed:
            raise DomainError(
                _("The survey has no question with answer options “%(name)s”.") % {"name": value}, field=name
            )
        if value and value == variable:
            raise DomainError(_("Choose a different question from the one reported on."), field=name)
    if kind == "crosstab" and not column:
        raise DomainError(_("A crosstab needs a question for its columns."), field="column")
    if kind == "crosstab" and by:
        raise DomainError(_("A crosstab is not split further by a group."), field="by")
    if kind != "crosstab" and column:
        raise DomainError(_("Only a crosstab has columns."), field="column")
    spec = {"kind": kind, "variable": variable}
    if by:
        spec["by"] = by
    if column:
        spec["column"] = column
    return spec


def finding_for_block(survey: Any, spec: Mapping[str, Any], *, frame: AnalysisFrame | None = None) -> Finding:
    """The computed finding of a block's specification (``glas.surveys.findings``), on the
    survey's analysis frame (read once per report when given); raises ``AnalysisError`` with a
    translated message when it no longer computes."""
    finding_spec = FindingSpec.from_dict(dict(spec))
    if frame is not None:
        return finding_from_frame(frame, finding_spec)
    return compute_finding(survey, finding_spec)


# --- Addresses and keys ------------------------------------------------------------------------

# Bulgarian official transliteration (Закон за транслитерацията, чл. 3), for readable addresses.
_TRANSLIT = dict(
    zip(
        "абвгдежзийклмнопрстуфхцчшщъьюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "h",
            "ts",
            "ch",
            "sh",
            "sht",
            "a",
            "y",
            "yu",
            "ya",
        ],
        strict=True,
    )
)


def slug_from(text: str, *, cap: int = 60) -> str:
    """ "Основни резултати" → "osnovni-rezultati"."""
    latin = "".join(_TRANSLIT.get(char, char) for char in text.lower())
    return slugify(latin)[:cap].strip("-")


def default_key(spec: Mapping[str, Any], taken: set[str]) -> str:
    """A readable key from the variables ("trust", "info-by-place", "willing-x-age"), made
    unique within the report with a number."""
    base = slug_from(str(spec.get("variable", "")).replace("_", "-"), cap=30) or "finding"
    if spec.get("by"):
        base += "-by-" + slug_from(str(spec["by"]).replace("_", "-"), cap=25)
    if spec.get("column"):
        base += "-x-" + slug_from(str(spec["column"]).replace("_", "-"), cap=25)
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    return key


def paragraphs(text: str) -> list[str]:
    """Plain narrative text split into paragraphs at blank lines."""
    return [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]


# --- A report as shown --------------------------------------------------------------------------


@dataclass
class ShownBlock:
    block: ReportBlock
    paragraphs: list[str] = field(default_factory=list)
    finding: Finding | None = None
    error: str = ""  # why a finding could not be computed (shown instead of it)


@dataclass
class ShownReport:
    report: SurveyReport
    blocks: list[ShownBlock]
    methodology: Methodology | None

    @property
    def summary(self) -> list[str]:
        return paragraphs(self.report.summary)

    @property
    def findings(self) -> list[ShownBlock]:
        return [item for item in self.blocks if item.block.kind == ReportBlock.Kind.FINDING]


def report_cache_key(report: SurveyReport) -> str:
    """Changes with the report, and with whatever changes the survey's analysis frame (the
    survey, its weighting, its complete responses)."""
    frame = frame_cache_key(report.survey, survey_weighting(report.survey))
    return f"surveys:report:{report.pk}:{report.updated_at.timestamp()}:{get_language()}:{frame}"


def shown_report(report: SurveyReport) -> ShownReport:
    """The report with its findings computed and its methodology generated."""
    blocks = list(ReportBlock.objects.filter(report=report).order_by("position", "id"))
    shown: list[ShownBlock] = []
    methodology = None
    frame: AnalysisFrame | None = None
    no_frame = ""
    if any(block.kind == ReportBlock.Kind.FINDING for block in blocks):
        try:
            frame = survey_analysis_frame(report.survey)
        except AnalysisError as error:
            no_frame = str(error)
    for block in blocks:
        item = ShownBlock(block=block)
        if block.kind == ReportBlock.Kind.TEXT:
            item.paragraphs = paragraphs(block.text)
        elif block.kind == ReportBlock.Kind.FINDING:
            try:
                if frame is None:
                    raise AnalysisError(no_frame)
                item.finding = finding_for_block(report.survey, block.spec or {}, frame=frame)
            except AnalysisError as error:
                item.error = str(error)
        elif methodology is None:
            methodology = survey_methodology(report.survey)
        shown.append(item)
    return ShownReport(report=report, blocks=shown, methodology=methodology)


def cached_shown_report(report: SurveyReport) -> ShownReport:
    """``shown_report`` kept in the cache for the public pages and downloads."""
    key = report_cache_key(report)
    result = cache.get(key)
    if result is None:
        result = shown_report(report)
        cache.set(key, result, CACHE_SECONDS)
    result.report = report
    return result


def spec_in_words(spec: Mapping[str, Any] | None, labels: Mapping[str, str]) -> str:
    """ "Frequencies of trust (How much do you trust …?), by place" for the builder's list."""
    spec = spec or {}

    def name(variable: Any) -> str:
        label = labels.get(str(variable))
        return f"{variable} ({label[:60]})" if label else str(variable)

    kind = spec.get("kind")
    if kind == "crosstab":
        return _("Crosstab: %(row)s × %(column)s") % {
            "row": name(spec.get("variable")),
            "column": name(spec.get("column")),
        }
    words = (_("Mean: %(name)s") if kind == "mean" else _("Frequencies: %(name)s")) % {
        "name": name(spec.get("variable"))
    }
    if spec.get("by"):
        words = _("%(what)s, by %(group)s") % {"what": words, "group": name(spec["by"])}
    return words
