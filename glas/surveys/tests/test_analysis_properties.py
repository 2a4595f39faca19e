"""Properties of the statistics engine that hold for any data (hypothesis), the batched and
one-column variance paths agreeing, and the design and calibration errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glas.surveys.analysis import (
    AnalysisError,
    Design,
    Table,
    calibrate_linear,
    crosstab,
    make_design,
    mean,
    mean_by,
    poststratify,
    rake,
    total,
    trim_weights,
)

values = st.lists(st.floats(min_value=-1e3, max_value=1e3, allow_nan=False), min_size=2, max_size=60)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(y=values, extra=st.integers(min_value=0, max_value=10_000))
def test_with_equal_weights_the_se_of_the_mean_is_the_simple_random_sample_formula(y: list[float], extra: int) -> None:
    n = len(y)
    population = n + extra
    data = np.array(y)
    table = Table.from_arrays({"y": data})
    srs = float(np.std(data, ddof=1)) / math.sqrt(n) * math.sqrt(1 - n / population)
    estimate = mean(make_design(table, fpc=float(population)), data)
    assert estimate.estimate == pytest.approx(float(data.mean()), rel=1e-9, abs=1e-9)
    assert estimate.se == pytest.approx(srs, rel=1e-7, abs=1e-9)
    without_fpc = mean(make_design(table), data)
    assert without_fpc.se == pytest.approx(float(np.std(data, ddof=1)) / math.sqrt(n), rel=1e-7, abs=1e-9)


@st.composite
def raking_problem(draw: st.DrawFn) -> tuple[dict[str, np.ndarray], dict[str, dict[str, float]]]:
    """A sample where every joint cell occurs, and population margins of a positive joint table."""
    sizes = draw(st.lists(st.integers(min_value=2, max_value=4), min_size=2, max_size=3))
    grid = np.array(np.meshgrid(*[np.arange(size) for size in sizes], indexing="ij")).reshape(len(sizes), -1)
    extra = draw(st.lists(st.tuples(*[st.integers(0, size - 1) for size in sizes]), max_size=40))
    rows = np.concatenate([grid, np.array(extra, dtype=np.int64).reshape(-1, len(sizes)).T], axis=1)
    cells = np.array(draw(st.lists(st.floats(1, 1000), min_size=grid.shape[1], max_size=grid.shape[1])))
    joint = cells.reshape(sizes)
    columns = {f"m{k}": rows[k] for k in range(len(sizes))}
    weights = draw(st.lists(st.floats(0.5, 3), min_size=rows.shape[1], max_size=rows.shape[1]))
    columns["w"] = np.array(weights)
    margins = {}
    for k in range(len(sizes)):
        axes = tuple(a for a in range(len(sizes)) if a != k)
        margins[f"m{k}"] = {str(level): float(count) for level, count in enumerate(joint.sum(axis=axes))}
    return columns, margins


@SETTINGS
@given(problem=raking_problem())
def test_raking_reproduces_every_margin(problem: tuple[dict[str, np.ndarray], dict[str, dict[str, float]]]) -> None:
    columns, margins = problem
    table = Table.from_arrays(columns)
    design, report = rake(make_design(table, weights="w"), table, margins, epsilon=1e-12, maxit=5000)
    assert report.converged
    for name, margin in margins.items():
        codes = columns[name]
        for level, count in margin.items():
            assert design.weights[codes == int(level)].sum() == pytest.approx(count, rel=1e-6)


@SETTINGS
@given(problem=raking_problem(), scale=st.floats(0.8, 1.25))
def test_linear_calibration_and_poststratification_reproduce_their_totals(
    problem: tuple[dict[str, np.ndarray], dict[str, dict[str, float]]], scale: float
) -> None:
    columns, margins = problem
    columns["x"] = columns["m0"] * 2.0 + columns["m1"] + 1.0
    table = Table.from_arrays(columns)
    base = make_design(table, weights="w")
    population = sum(margins["m0"].values())
    x_total = float(columns["x"] @ columns["w"]) / columns["w"].sum() * population * scale
    design, _report = calibrate_linear(base, table, margins={"m0": margins["m0"]}, totals={"x": x_total})
    assert design.weights.sum() == pytest.approx(population, rel=1e-9)
    assert float(design.weights @ columns["x"]) == pytest.approx(x_total, rel=1e-9)
    for level, count in margins["m0"].items():
        assert design.weights[columns["m0"] == int(level)].sum() == pytest.approx(count, rel=1e-9)
    post, _report = poststratify(base, table, {"m1": margins["m1"]})
    for level, count in margins["m1"].items():
        assert post.weights[columns["m1"] == int(level)].sum() == pytest.approx(count, rel=1e-9)


@SETTINGS
@given(y=values, factor=st.floats(0.01, 100))
def test_scaling_the_weights_keeps_the_mean_and_scales_the_total(y: list[float], factor: float) -> None:
    data = np.array(y)
    weights = np.linspace(1, 3, len(y))
    table = Table.from_arrays({"y": data, "w": weights, "w2": weights * factor})
    one, other = make_design(table, weights="w"), make_design(table, weights="w2")
    assert mean(other, data).se == pytest.approx(mean(one, data).se, rel=1e-7, abs=1e-9)
    assert total(other, data).se == pytest.approx(factor * total(one, data).se, rel=1e-7, abs=1e-6)


# --- the batched variance agrees with one residualised vector per column ------------------------


def clustered(seed: int = 3) -> tuple[Table, Design]:
    rng = np.random.default_rng(seed)
    n = 600
    stratum = rng.integers(0, 3, n)
    columns = {
        "stratum": stratum,
        "psu": stratum * 10 + rng.integers(0, 10, n),
        "w": rng.uniform(1, 4, n),
        "sex": rng.integers(0, 2, n),
        "age": rng.integers(0, 4, n),
        "region": rng.integers(0, 5, n),
        "y": rng.normal(10, 3, n),
        "x": rng.uniform(1, 2, n),
    }
    table = Table.from_arrays(columns)
    return table, make_design(table, ids="psu", strata="stratum", weights="w", fpc=40.0)


def calibrated_designs() -> list[tuple[str, Table, Design]]:
    table, design = clustered()
    sex = {"0": 5000.0, "1": 5200.0}
    age = {"0": 2000.0, "1": 3000.0, "2": 2700.0, "3": 2500.0}
    return [
        ("none", table, design),
        ("poststratify", table, poststratify(design, table, {"sex": sex})[0]),
        ("rake", table, rake(design, table, {"sex": sex, "age": age}, epsilon=1e-10, maxit=100)[0]),
        ("linear", table, calibrate_linear(design, table, margins={"age": age}, totals={"x": 15000.0})[0]),
    ]


@pytest.mark.parametrize(("name", "table", "design"), calibrated_designs(), ids=lambda value: str(value)[:12])
def test_domain_estimates_in_one_pass_equal_one_domain_at_a_time(name: str, table: Table, design: Design) -> None:
    y, region = table.numeric("y"), table.factor("region")
    batched = mean_by(design, y, region)
    for code, level in enumerate(region.levels):
        inside = region.codes == code
        influence = np.where(inside, design.weights * (y - batched[level].estimate), 0.0)
        influence /= design.weights[inside].sum()
        one_column = math.sqrt(design.variance(influence))  # residualised row by row
        assert batched[level].se == pytest.approx(one_column, rel=1e-9)
        assert mean(design, y, inside).se == pytest.approx(one_column, rel=1e-9)


def test_a_calibration_after_another_uses_both_residualisations() -> None:
    table, design = clustered()
    sex = {"0": 5000.0, "1": 5200.0}
    age = {"0": 2000.0, "1": 3000.0, "2": 2700.0, "3": 2500.0}
    first, _report = poststratify(design, table, {"sex": sex})
    both, _report = poststratify(first, table, {"age": age})
    y = table.numeric("y")
    assert mean(both, y).se != pytest.approx(mean(first, y).se, rel=1e-6)
    by = mean_by(both, y, table.factor("region"))
    inside = table.factor("region").codes == 0
    assert by["0"].se == pytest.approx(mean(both, y, inside).se, rel=1e-9)


def test_the_crosstab_percentages_add_up_and_the_test_is_a_probability() -> None:
    table, design = clustered()
    result = crosstab(design, table.factor("sex"), table.factor("age"))
    assert result.weighted.sum() == pytest.approx(design.weights.sum())
    cells = result.table()
    assert sum(cell["percent"] for row in cells.values() for cell in row.values()) == pytest.approx(100)
    assert 0 <= result.test()["p"] <= 1 and result.test("Chisq")["df"] == 3


# --- design errors and trimming -------------------------------------------------------------------


def small(**extra: object) -> Table:
    columns: dict[str, object] = {
        "s": np.array([0, 0, 1, 1, 1]),
        "c": np.array([1, 2, 3, 4, 5]),
        "w": np.array([1.0, 2.0, 3.0, 4.0, 5.0]),
    }
    columns.update(extra)
    return Table.from_arrays(columns)


@pytest.mark.parametrize(
    ("options", "extra", "message"),
    [
        ({"fpc": "f"}, {"f": np.array([10, 10, 0.5, 0.5, 0.5])}, "all population counts"),
        ({"fpc": "f"}, {"f": np.array([1.0, 1, 1, 1, 1])}, "all population counts"),
        ({"fpc": "f"}, {"f": np.array([10, 12, 20, 20, 20])}, "same for every row"),
        ({"fpc": "f"}, {"f": np.array([10, 10, 2, 2, 2])}, "smaller than the number of clusters"),
        ({"fpc": "f"}, {"f": np.array([10, 10, np.nan, 20, 20])}, "missing"),
        ({"ids": "k"}, {"k": np.array([1, 2, 2, 3, 4])}, "not nested"),
        ({"weights": "w0"}, {"w0": np.array([1.0, 0, 1, 1, 1])}, "positive"),
        ({"strata": "one"}, {"one": np.array([0, 1, 1, 1, 1])}, "only one sampled cluster"),
        ({"ids": "missing"}, {}, "Unknown column"),
    ],
)
def test_a_bad_design_is_refused_with_a_clear_message(options: dict, extra: dict, message: str) -> None:
    with pytest.raises(AnalysisError, match=message):
        make_design(small(**extra), strata=options.pop("strata", "s"), **options)


def test_nested_ids_may_repeat_across_strata_when_asked() -> None:
    table = small(k=np.array([1, 2, 1, 2, 3]))
    design = make_design(table, ids="k", strata="s", nest=True)
    assert design.n_psu == 5 and design.degrees_of_freedom == 3


def test_a_completely_sampled_stratum_of_one_cluster_adds_no_variance() -> None:
    table = small(f=np.array([2, 2, 3, 3, 3]), one=np.array([0, 0, 1, 1, 1]))
    design = make_design(table, strata="one", fpc="f")
    assert design.variance(np.arange(5.0)) == 0.0


def test_sampling_fractions_give_the_weights() -> None:
    table = small(f=np.array([0.5, 0.5, 0.1, 0.1, 0.1]))
    design = make_design(table, strata="s", fpc="f")
    assert design.weights.tolist() == pytest.approx([2, 2, 10, 10, 10])


def test_trimming_caps_the_weights_and_keeps_their_sum() -> None:
    table = small()
    design, report = trim_weights(make_design(table, weights="w"), lower=1.5, upper=4.5, strict=True)
    assert design.weights.min() >= 1.5 - 1e-12 and design.weights.max() <= 4.5 + 1e-12
    assert design.weights.sum() == pytest.approx(15)
    assert report.before.maximum == 5 and report.after.maximum <= 4.5 + 1e-12


def test_the_weighting_report_gives_kish_effective_sample_size() -> None:
    table = small()
    _design, report = trim_weights(make_design(table, weights="w"), upper=100)
    assert report.effective_sample_size == pytest.approx(15**2 / 55)
    assert report.design_effect == pytest.approx(5 * 55 / 15**2)


def test_a_level_seen_only_beside_missing_values_is_left_out_of_the_table() -> None:
    table, design = clustered()
    age = table.numeric("age").copy()
    sex = table.factor("sex").codes.astype(np.float64)
    sex[age == 3] = np.nan  # age 3 never has a sex
    with_gap = Table.from_arrays({"sex": sex, "age": age})
    result = crosstab(design, with_gap.factor("sex"), with_gap.factor("age"))
    assert result.column_levels == ("0", "1", "2") and math.isfinite(result.test()["F"])
