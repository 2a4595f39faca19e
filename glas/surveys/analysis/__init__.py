"""Survey statistics engine: designs, calibration, estimates and tests that agree with R.

The reference is R's ``survey`` package (T. Lumley; Debian ``r-cran-survey``): every formula
here follows its semantics — ``svydesign``, ``postStratify``, ``rake``, ``calibrate``,
``trimWeights``, ``svymean``, ``svytotal``, ``svyratio``, ``svyby`` and ``svychisq`` — and the
tests in ``glas/surveys/tests/test_analysis_*.py`` check the published examples on the ``api``
data to 1e-6 relative, and ``test_analysis_r_fixtures.py`` checks every function against R's
results on a committed synthetic sample (``tests/fixtures/r``: the sample, the R script that
made ``expected.json`` and how to regenerate it). The code is vectorised numpy/scipy: group sums are ``np.bincount``
over integer codes, never a loop over rows.

Modules:

* ``table`` – columns (numbers with NaN for missing, factors as integer codes) read from CSV,
  arrays or a stored survey's response table;
* ``design`` – :class:`Design` (weights, strata, first-stage clusters, fpc) and the linearised
  variance of influence values;
* ``calibration`` – post-stratification, raking, linear calibration (GREG), weight trimming,
  with the variance adjustments R makes, and the weighting report;
* ``estimates`` – means, totals, proportions, ratios, within domains;
* ``crosstab`` – weighted tables with the Rao–Scott corrected χ² test;
* ``spec`` – the JSON specification run by ``manage.py survey_stats``.
"""

from .calibration import WeightingReport, calibrate_linear, poststratify, rake, trim_weights
from .crosstab import Crosstab, crosstab
from .design import Design, make_design
from .errors import AnalysisError
from .estimates import (
    Estimate,
    domains,
    mean,
    mean_by,
    proportion,
    proportion_by,
    ratio,
    ratio_by,
    total,
    total_by,
)
from .table import Factor, Table

__all__ = [
    "AnalysisError",
    "Crosstab",
    "Design",
    "Estimate",
    "Factor",
    "Table",
    "WeightingReport",
    "calibrate_linear",
    "crosstab",
    "domains",
    "make_design",
    "mean",
    "mean_by",
    "poststratify",
    "proportion",
    "proportion_by",
    "rake",
    "ratio",
    "ratio_by",
    "total",
    "total_by",
    "trim_weights",
]
