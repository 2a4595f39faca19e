"""Forms of the weighting and analysis pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from glas.core.forms import CHOOSE
from glas.surveys.findings import FindingSpec
from glas.surveys.models import SurveyWeighting
from glas.surveys.weighting import VariableInfo

MARGIN_PREFIX = "m__"


def _variable_choices(variables: list[VariableInfo], *, empty: str) -> list[tuple[str, str]]:
    return [("", empty), *((info.variable, f"{info.variable}: {info.label[:80]}") for info in variables)]


class WeightingForm(forms.Form):
    """The design and the calibration. Population counts are one field per answer of each
    closed question, named ``m__<variable>__<code>``; a question with any count filled in is a
    margin."""

    method = forms.ChoiceField(label=_("Calibration method"), choices=SurveyWeighting.Method.choices)
    margins_source = forms.CharField(
        label=_("Source of the population figures"),
        max_length=300,
        required=False,
        help_text=_("Required with population counts, e.g. “НСИ, Преброяване 2021”."),
    )
    strata_variable = forms.ChoiceField(label=_("Strata"), required=False)
    cluster_variable = forms.ChoiceField(label=_("First-stage clusters"), required=False)
    fpc = forms.FloatField(
        label=_("Finite population correction"),
        required=False,
        localize=True,
        help_text=_(
            "Optional: the number of first-stage units in the population (for example the adult residents "
            "when every respondent is drawn at random), or the sampling fraction (at most 1)."
        ),
    )
    epsilon = forms.FloatField(
        label=_("Raking tolerance"),
        initial=1.0,
        localize=True,
        help_text=_("Raking stops when no weighted count changes by more than this between two rounds."),
    )
    max_iterations = forms.IntegerField(label=_("Raking rounds at most"), initial=10, min_value=1, max_value=1000)
    trim_lower = forms.FloatField(
        label=_("Lowest weight"),
        required=False,
        localize=True,
        help_text=_("Optional, as a multiple of the mean weight (e.g. 0.3); lower weights are raised to it."),
    )
    trim_upper = forms.FloatField(
        label=_("Highest weight"),
        required=False,
        localize=True,
        help_text=_("Optional, as a multiple of the mean weight (e.g. 3); higher weights are cut to it."),
    )

    def __init__(self, *args: Any, variables: list[VariableInfo], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.closed = [info for info in variables if info.closed]
        choices = _variable_choices(self.closed, empty=str(_("— none —")))
        self.fields["strata_variable"].choices = choices  # type: ignore[attr-defined]
        self.fields["cluster_variable"].choices = choices  # type: ignore[attr-defined]
        for info in self.closed:
            for code, label in info.categories:
                self.fields[f"{MARGIN_PREFIX}{info.variable}__{code}"] = forms.FloatField(
                    label=label, required=False, localize=True, min_value=0
                )

    def margin_groups(self) -> list[tuple[VariableInfo, list[forms.BoundField]]]:
        return [
            (info, [self[f"{MARGIN_PREFIX}{info.variable}__{code}"] for code, _label in info.categories])
            for info in self.closed
        ]

    def filled_variables(self) -> set[str]:
        if not self.is_bound:
            return {
                name.split("__")[1] for name, value in self.initial.items() if name.startswith(MARGIN_PREFIX) and value
            }
        return {
            name.split("__")[1]
            for name in self.fields
            if name.startswith(MARGIN_PREFIX) and str(self.data.get(name, "")).strip()
        }

    def margins(self) -> dict[str, dict[str, float]]:
        margins: dict[str, dict[str, float]] = {}
        for info in self.closed:
            for code, _label in info.categories:
                value = self.cleaned_data.get(f"{MARGIN_PREFIX}{info.variable}__{code}")
                if value is not None:
                    margins.setdefault(info.variable, {})[code] = value
        return margins

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "method": data["method"],
            "margins": self.margins(),
            "margins_source": data["margins_source"],
            "strata_variable": data["strata_variable"],
            "cluster_variable": data["cluster_variable"],
            "fpc": data["fpc"],
            "epsilon": data["epsilon"],
            "max_iterations": data["max_iterations"],
            "trim_lower": data["trim_lower"],
            "trim_upper": data["trim_upper"],
        }

    @staticmethod
    def initial_of(weighting: SurveyWeighting | None) -> dict[str, Any]:
        if weighting is None:
            return {}
        initial: dict[str, Any] = {
            "method": weighting.method,
            "margins_source": weighting.margins_source,
            "strata_variable": weighting.strata_variable,
            "cluster_variable": weighting.cluster_variable,
            "fpc": weighting.fpc,
            "epsilon": weighting.epsilon,
            "max_iterations": weighting.max_iterations,
            "trim_lower": weighting.trim_lower,
            "trim_upper": weighting.trim_upper,
        }
        initial.update(margin_initial(weighting.margins))
        return initial


def margin_initial(margins: Mapping[str, Mapping[str, float]]) -> dict[str, Any]:
    return {
        f"{MARGIN_PREFIX}{variable}__{code}": count
        for variable, counts in margins.items()
        for code, count in counts.items()
    }


class AnalysisForm(forms.Form):
    """What to estimate: a question, optionally split by another (domains) or crossed with one."""

    variable = forms.ChoiceField(label=_("Question"))
    by = forms.ChoiceField(label=_("Split by (optional)"), required=False)
    column = forms.ChoiceField(label=_("Cross-tabulate with (optional)"), required=False)

    def __init__(self, *args: Any, variables: Mapping[str, VariableInfo], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.variables = variables
        analysable = [info for info in variables.values() if info.closed or info.multiple or info.numeric]
        closed = [info for info in variables.values() if info.closed]
        self.fields["variable"].choices = _variable_choices(analysable, empty=str(CHOOSE))  # type: ignore[attr-defined]
        self.fields["by"].choices = _variable_choices(closed, empty=str(_("— not split —")))  # type: ignore[attr-defined]
        self.fields["column"].choices = _variable_choices(closed, empty=str(_("— no cross-tabulation —")))  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("by") and data.get("column"):
            raise forms.ValidationError(_("Either split by a question or cross-tabulate with one, not both."))
        return data

    def spec(self) -> FindingSpec:
        """The finding asked for: a cross-tabulation when a column is chosen, a mean for a number
        or a 0–10 scale, otherwise the shares of the answers. Raises ``AnalysisError``."""
        data = self.cleaned_data
        info = self.variables[data["variable"]]
        if data["column"]:
            kind = "crosstab"
        elif info.numeric and not info.closed:
            kind = "mean"
        else:
            kind = "frequency"
        return FindingSpec.from_dict(
            {"kind": kind, "variable": data["variable"], "by": data["by"] or None, "column": data["column"] or None},
            variables=self.variables,
        )
