"""The JSON specification of ``manage.py survey_stats`` (issue 4, "Command line contract").

::

    {"data": "responses.csv",                      # or "survey": <id> (complete responses)
     "design": {"ids": "section", "strata": "stratum", "weights": "weight",
                "fpc": "sections_in_stratum", "nest": false},      # every key optional
                # two stages: "ids": ["village", "household"], "fpc": ["N_villages", "N_households"]
     "calibration": {"method": "rake", "margins": {"sex": {"female": 2410, "male": 2136}},
                     "epsilon": 1e-10, "maxit": 100},
     "trim": {"lower": 0.3, "upper": 3.0, "strict": false},        # optional
     "report": true,                                 # adds "weighting" to the output
     "estimates": [
       {"id": "a", "stat": "mean", "var": "trust"},
       {"id": "b", "stat": "total", "var": "hours"},
       {"id": "c", "stat": "mean", "var": "satisfied", "level": "yes"},
       {"id": "d", "stat": "mean", "var": "hours", "by": "sex"},
       {"id": "r", "stat": "ratio", "var": "spent", "denominator": "income"},
       {"id": "e", "stat": "chisq", "vars": ["satisfied", "age"], "statistic": "F", "table": true}]}

Calibration methods: ``"rake"`` (``margins``, each one variable or a joint table ``"a|b"``;
``epsilon`` default 1, ``maxit`` default 10 as in R), ``"poststratify"`` (one margin, or a
joint table ``{"sex|age": {"female|18-34": n, ...}}``) and ``"linear"`` (GREG: ``population``
size, complete ``margins`` of factors and ``totals`` of numeric variables). ``"calibration"``
may also be a list of steps applied in order.

The result maps each estimate id to ``{"estimate", "se", "ci", "deff", "n", "weighted_n"}``;
with ``"by"`` to one such object per level; a ``"chisq"`` to ``{"F", "ndf", "ddf", "p"}`` (or
``{"X2", "df", "p"}`` with ``"statistic": "Chisq"``) plus ``"table"`` when asked. A relative data
path is looked up beside the specification file first, then in the working directory.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from . import calibration as cal
from . import estimates
from .crosstab import crosstab
from .design import Design, make_design
from .errors import AnalysisError
from .table import Table

DESIGN_KEYS = {"ids", "strata", "weights", "fpc", "nest"}
TOP_KEYS = {"data", "survey", "design", "calibration", "trim", "report", "estimates"}
ESTIMATE_KEYS = {"id", "stat", "var", "level", "by", "vars", "statistic", "table", "denominator"}
STATS = {"mean", "total", "proportion", "ratio", "chisq"}


def _object(value: object, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise AnalysisError(_("“%(what)s” must be a JSON object.") % {"what": what})
    return value


def _unknown(value: Mapping[str, Any], allowed: set[str], what: str) -> None:
    extra = sorted(set(value) - allowed)
    if extra:
        raise AnalysisError(_("Unknown key “%(key)s” in %(what)s.") % {"key": extra[0], "what": what})


def load_spec(path: Path) -> dict[str, Any]:
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise AnalysisError(_("Cannot read the specification: %(error)s") % {"error": error}) from error
    except json.JSONDecodeError as error:
        raise AnalysisError(_("The specification is not valid JSON: %(error)s") % {"error": error}) from error
    return dict(_object(spec, "specification"))


def load_table(spec: Mapping[str, Any], base: Path) -> Table:
    """The data: a CSV file (``"data"``) or a stored survey's complete responses (``"survey"``)."""
    if ("data" in spec) == ("survey" in spec):
        raise AnalysisError(_("Give either “data” (a CSV file) or “survey” (a survey id)."))
    if "data" in spec:
        if not isinstance(spec["data"], str) or not spec["data"]:
            raise AnalysisError(_("“data” must be the path of a CSV file."))
        path = Path(spec["data"])
        if not path.is_absolute() and (base / path).is_file():
            path = base / path
        if not path.is_file():
            raise AnalysisError(_("The data file “%(path)s” does not exist.") % {"path": spec["data"]})
        return Table.from_csv(path)
    return survey_table(spec["survey"])


def survey_table(survey_id: object) -> Table:
    """A stored survey's complete responses, one column per export variable."""
    from glas.surveys.models import Survey
    from glas.surveys.selectors import response_table

    if isinstance(survey_id, bool) or not isinstance(survey_id, int | str) or not str(survey_id).isdigit():
        raise AnalysisError(_("“survey” must be a survey id."))
    survey = Survey.objects.filter(pk=int(survey_id)).first()
    if survey is None:
        raise AnalysisError(_("There is no survey %(id)s.") % {"id": survey_id})
    names, rows = response_table(survey)
    return Table.from_rows(names, rows)


def build_design(spec: Mapping[str, Any], table: Table) -> Design:
    options = _object(spec.get("design", {}), "design")
    _unknown(options, DESIGN_KEYS, "design")
    for key in ("ids", "strata", "weights"):
        value = options.get(key)
        several = key == "ids" and isinstance(value, list) and all(isinstance(name, str) for name in value)
        if value is not None and not isinstance(value, str) and not several:
            raise AnalysisError(_("“%(key)s” must be a column name.") % {"key": key})
    fpc = options.get("fpc")
    if fpc is not None and not isinstance(fpc, str | int | float | list):
        raise AnalysisError(_("“fpc” must be a column name, a number or one of these per stage."))
    return make_design(
        table,
        ids=options.get("ids"),
        strata=options.get("strata"),
        weights=options.get("weights"),
        fpc=fpc,
        nest=bool(options.get("nest", False)),
    )


def calibrate(design: Design, table: Table, step: Mapping[str, Any]) -> tuple[Design, cal.WeightingReport]:
    """Apply one calibration step of the specification."""
    method = step.get("method")
    margins = step.get("margins")
    if method == "rake":
        _unknown(step, {"method", "margins", "epsilon", "maxit"}, "calibration")
        return cal.rake(
            design, table, _object(margins, "margins"), epsilon=step.get("epsilon", 1.0), maxit=step.get("maxit", 10)
        )
    if method == "poststratify":
        _unknown(step, {"method", "margins"}, "calibration")
        return cal.poststratify(design, table, _object(margins, "margins"))
    if method == "linear":
        _unknown(step, {"method", "margins", "totals", "population"}, "calibration")
        return cal.calibrate_linear(
            design,
            table,
            population=step.get("population"),
            margins=_object(margins or {}, "margins"),
            totals=_object(step.get("totals") or {}, "totals"),
        )
    raise AnalysisError(_("Unknown calibration method “%(method)s”.") % {"method": method})


def _trim(design: Design, options: Mapping[str, Any]) -> tuple[Design, cal.WeightingReport]:
    _unknown(options, {"lower", "upper", "strict"}, "trim")
    bounds = {"lower": -math.inf, "upper": math.inf}
    for key in bounds:
        value = options.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise AnalysisError(_("Trimming bounds must be numbers."))
        bounds[key] = float(value)
    return cal.trim_weights(design, lower=bounds["lower"], upper=bounds["upper"], strict=bool(options.get("strict")))


def estimate(design: Design, table: Table, item: Mapping[str, Any]) -> Any:
    """One entry of ``"estimates"``."""
    stat = item.get("stat")
    if stat not in STATS:
        raise AnalysisError(_("Unknown statistic “%(stat)s”.") % {"stat": stat})
    if stat == "chisq":
        names = item.get("vars")
        if not isinstance(names, list) or len(names) != 2 or "by" in item:
            raise AnalysisError(_("“chisq” needs “vars”: a list of two columns."))
        result = crosstab(design, table.factor(names[0]), table.factor(names[1]))
        statistic = item.get("statistic", "F")
        if statistic not in {"F", "Chisq"}:
            raise AnalysisError(_("“statistic” must be “F” or “Chisq”."))
        output = result.test(statistic)
        if item.get("table"):
            output["table"] = result.table()
        return output

    if stat == "proportion" or "level" in item:
        if stat not in {"mean", "proportion"} or "level" not in item:
            raise AnalysisError(_("A proportion needs a “level” and the statistic “mean” or “proportion”."))
        y = estimates.indicator(table.factor(item.get("var")), item["level"])
        stat = "mean"
    else:
        y = table.numeric(item.get("var"))
    x = table.numeric(item.get("denominator")) if stat == "ratio" else None
    if item.get("by") is None:
        if x is not None:
            return estimates.ratio(design, y, x).as_dict()
        return (estimates.mean if stat == "mean" else estimates.total)(design, y).as_dict()
    by = table.factor(item["by"])
    if x is not None:
        results = estimates.ratio_by(design, y, x, by)
    else:
        results = (estimates.mean_by if stat == "mean" else estimates.total_by)(design, y, by)
    return {level: result.as_dict() for level, result in results.items()}


def run(spec: Mapping[str, Any], table: Table) -> dict[str, Any]:
    """Run a specification on a table and return the JSON-ready result."""
    _unknown(spec, TOP_KEYS, "the specification")
    design = build_design(spec, table)
    reports: list[dict[str, Any]] = []
    steps = spec.get("calibration")
    if steps is not None:
        for step in steps if isinstance(steps, list) else [steps]:
            design, report = calibrate(design, table, _object(step, "calibration"))
            reports.append(report.as_dict())
    if spec.get("trim") is not None:
        design, report = _trim(design, _object(spec["trim"], "trim"))
        reports.append(report.as_dict())

    items = spec.get("estimates")
    if not isinstance(items, list) or not items:
        raise AnalysisError(_("“estimates” must be a non-empty list."))
    result: dict[str, Any] = {}
    for item in items:
        item = _object(item, "estimate")
        _unknown(item, ESTIMATE_KEYS, "an estimate")
        key = item.get("id")
        if not isinstance(key, str) or not key or key in result or (key == "weighting" and spec.get("report")):
            raise AnalysisError(_("Every estimate needs its own “id”."))
        result[key] = estimate(design, table, item)
    if spec.get("report"):
        result["weighting"] = {"steps": reports, "n": design.n_rows}
    return result


def run_file(path: Path) -> dict[str, Any]:
    spec = load_spec(path)
    table = load_table(spec, path.resolve().parent)
    return run(spec, table)
