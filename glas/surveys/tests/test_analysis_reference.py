"""The engine agrees with R's survey package (4.1-1) to 1e-6 relative on the published ``api``
examples (reference values: ``shared/survey-methods.md``, from the package's saved test output
and vignettes)."""

from __future__ import annotations

import numpy as np
import pytest

from glas.surveys.analysis import (
    Design,
    Table,
    calibrate_linear,
    crosstab,
    domains,
    make_design,
    mean,
    poststratify,
    proportion,
    rake,
    total,
)

from .analysis_data import api_table

REL = 1e-6
POP_TYPES = {"E": 4421, "H": 755, "M": 1018}
POP_SCHWIDE = {"No": 1072, "Yes": 5122}


def close(value: float | None, expected: float) -> bool:
    return value == pytest.approx(expected, rel=REL)


@pytest.fixture(scope="module")
def apistrat() -> Table:
    return api_table("apistrat")


@pytest.fixture(scope="module")
def apiclus1() -> Table:
    return api_table("apiclus1")


@pytest.fixture(scope="module")
def dstrat(apistrat: Table) -> Design:
    return make_design(apistrat, strata="stype", weights="pw", fpc="fpc")


@pytest.fixture(scope="module")
def dclus1(apiclus1: Table) -> Design:
    return make_design(apiclus1, ids="dnum", weights="pw", fpc="fpc")


def test_stratified_mean_and_total_match_r(dstrat: Design, apistrat: Table) -> None:
    api00 = mean(dstrat, apistrat.numeric("api00"))
    enroll = total(dstrat, apistrat.numeric("enroll"))
    assert close(api00.estimate, 662.2873632) and close(api00.se, 9.408940803)
    assert close(enroll.estimate, 3687177.532) and close(enroll.se, 114641.7161)


def test_stratified_mean_without_fpc_matches_r(apistrat: Table) -> None:
    design = make_design(apistrat, strata="stype", weights="pw")
    assert close(mean(design, apistrat.numeric("api00")).se, 9.536132297)


def test_one_stage_cluster_mean_and_total_match_r(dclus1: Design, apiclus1: Table) -> None:
    api00 = mean(dclus1, apiclus1.numeric("api00"))
    enroll = total(dclus1, apiclus1.numeric("enroll"))
    assert close(api00.estimate, 644.1693989) and close(api00.se, 23.54224069)
    assert close(enroll.estimate, 3404940.135) and close(enroll.se, 932235.027)


def test_one_stage_cluster_mean_without_fpc_matches_r_printout(apiclus1: Table) -> None:
    design = make_design(apiclus1, ids="dnum", weights="pw")
    assert mean(design, apiclus1.numeric("api00")).se == pytest.approx(23.779, abs=5e-4)


def test_weights_come_from_the_fpc_when_absent_as_in_r(apistrat: Table, dstrat: Design) -> None:
    from_fpc = make_design(apistrat, strata="stype", fpc="fpc")
    assert from_fpc.weights == pytest.approx(dstrat.weights, rel=1e-6)


def test_two_stage_cluster_mean_and_total_match_r() -> None:
    """``svydesign(id=~dnum+snum, fpc=~fpc1+fpc2, data=apiclus2)``: weights from both stages'
    fpc and R's second-stage variance term."""
    apiclus2 = api_table("apiclus2")
    design = make_design(apiclus2, ids=["dnum", "snum"], fpc=["fpc1", "fpc2"])
    api00 = mean(design, apiclus2.numeric("api00"))
    enroll = total(design, apiclus2.numeric("enroll"))
    assert close(api00.estimate, 670.8118081) and close(api00.se, 30.09902738)
    assert enroll.estimate == pytest.approx(2639273, abs=0.5) and enroll.se == pytest.approx(799638, abs=0.5)


def test_two_stage_design_with_replacement_uses_the_first_stage_only_as_r() -> None:
    apiclus2 = api_table("apiclus2")
    design = make_design(apiclus2, ids=["dnum", "snum"], weights="pw")
    assert mean(design, apiclus2.numeric("api00")).se == pytest.approx(30.712, abs=5e-4)
    assert total(design, apiclus2.numeric("enroll")).se == pytest.approx(820261, abs=0.5)


def test_poststratified_mean_and_total_match_r(dclus1: Design, apiclus1: Table) -> None:
    design, report = poststratify(dclus1, apiclus1, {"stype": POP_TYPES})
    api00 = mean(design, apiclus1.numeric("api00"))
    enroll = total(design, apiclus1.numeric("enroll"))
    assert close(api00.estimate, 642.3107882) and close(api00.se, 23.92048645)
    assert close(enroll.estimate, 3680892.945) and close(enroll.se, 406292.6363)
    assert report.after.total == pytest.approx(6194)


def test_a_joint_post_stratification_table_reproduces_the_cells(dclus1: Design, apiclus1: Table) -> None:
    cells = {"E|No": 600, "E|Yes": 3821, "H|No": 300, "H|Yes": 455, "M|No": 172, "M|Yes": 846}
    design, _report = poststratify(dclus1, apiclus1, {"stype|sch.wide": cells})
    stype, schwide = apiclus1.factor("stype"), apiclus1.factor("sch.wide")
    for key, count in cells.items():
        s, w = key.split("|")
        inside = (stype.codes == stype.code_of(s)) & (schwide.codes == schwide.code_of(w))
        assert design.weights[inside].sum() == pytest.approx(count)


def test_raked_mean_and_total_match_r(dclus1: Design, apiclus1: Table) -> None:
    margins = {"stype": POP_TYPES, "sch.wide": POP_SCHWIDE}
    design, report = rake(dclus1, apiclus1, margins, epsilon=1e-10, maxit=30)
    api00 = mean(design, apiclus1.numeric("api00"))
    enroll = total(design, apiclus1.numeric("enroll"))
    assert close(api00.estimate, 641.2303209) and close(api00.se, 23.70361689)
    assert close(enroll.estimate, 3647280.148) and close(enroll.se, 400603.2569)
    assert report.converged and report.iterations > 1


def test_raking_with_r_default_control_matches_rakecheck(dclus1: Design, apiclus1: Table) -> None:
    """``rake(dclus1, list(~stype, ~sch.wide), ...)`` with R's default epsilon = 1, maxit = 10
    (tests/rakecheck.Rout.save prints 641.23, 23.704; 3647300, 400603)."""
    design, _report = rake(dclus1, apiclus1, {"stype": POP_TYPES, "sch.wide": POP_SCHWIDE})
    api00 = mean(design, apiclus1.numeric("api00"))
    enroll = total(design, apiclus1.numeric("enroll"))
    assert round(api00.estimate, 2) == 641.23 and round(api00.se, 3) == 23.704
    assert round(enroll.estimate, -2) == 3647300 and round(enroll.se) == 400603


def test_raking_to_a_joint_table_and_a_margin_matches_rakecheck(dclus1: Design, apiclus1: Table) -> None:
    """``rake(dclus1, list(~stype+sch.wide, ~comp.imp), list(xtabs(~stype+sch.wide, apipop),
    pop.imp))`` prints 642.62, SE 22.732."""
    apipop = api_table("apipop")
    stype, schwide = apipop.factor("stype"), apipop.factor("sch.wide")
    joint = {
        f"{s}|{w}": float(((stype.codes == i) & (schwide.codes == j)).sum())
        for i, s in enumerate(stype.levels)
        for j, w in enumerate(schwide.levels)
    }
    margins = {"stype|sch.wide": joint, "comp.imp": {"No": 1712, "Yes": 4482}}
    design, _report = rake(dclus1, apiclus1, margins)
    api00 = mean(design, apiclus1.numeric("api00"))
    assert round(api00.estimate, 2) == 642.62 and round(api00.se, 3) == 22.732


def test_linear_calibration_to_a_total_matches_r(dclus1: Design, apiclus1: Table) -> None:
    design, _report = calibrate_linear(dclus1, apiclus1, population=6194, totals={"api99": 3914069})
    api00 = mean(design, apiclus1.numeric("api00"))
    assert close(api00.estimate, 666.7177363) and close(api00.se, 3.295880912)


def test_linear_calibration_to_a_margin_and_a_total_matches_r(dclus1: Design, apiclus1: Table) -> None:
    design, _report = calibrate_linear(dclus1, apiclus1, margins={"stype": POP_TYPES}, totals={"api99": 3914069})
    api00 = mean(design, apiclus1.numeric("api00"))
    assert close(api00.estimate, 665.3090712) and close(api00.se, 3.441753116)


def test_domain_means_match_svyby(dclus1: Design, apiclus1: Table) -> None:
    ell = apiclus1.numeric("ell")
    result = {level: mean(dclus1, ell, domain) for level, domain in domains(apiclus1.factor("stype")).items()}
    assert [round(result[level].estimate, 5) for level in "EHM"] == [29.69444, 15.0, 22.68]
    assert result["E"].se == pytest.approx(1.411617, rel=5e-6)
    assert result["H"].se == pytest.approx(5.347065, rel=5e-6)
    assert result["M"].se == pytest.approx(2.952862, rel=5e-6)


def test_proportion_of_a_level_matches_r(dstrat: Design, apistrat: Table) -> None:
    share = proportion(dstrat, apistrat.factor("sch.wide"), "No")
    assert close(share.estimate, 0.1720519886) and close(share.se, 0.02434478011)


def test_rao_scott_f_test_matches_svychisq(dclus1: Design, apiclus1: Table) -> None:
    test = crosstab(dclus1, apiclus1.factor("sch.wide"), apiclus1.factor("stype")).test()
    assert close(test["F"], 5.193369541) and close(test["ndf"], 1.494639778)
    assert close(test["ddf"], 20.924956888) and close(test["p"], 0.02174746237)


def test_rao_scott_chisq_variant_matches_svychisq(dclus1: Design, apiclus1: Table) -> None:
    test = crosstab(dclus1, apiclus1.factor("sch.wide"), apiclus1.factor("stype")).test("Chisq")
    assert close(test["X2"], 11.94089208) and test["df"] == 2 and close(test["p"], 0.005553263303)


def test_rao_scott_on_the_stratified_design_matches_svychisq(dstrat: Design, apistrat: Table) -> None:
    test = crosstab(dstrat, apistrat.factor("sch.wide"), apistrat.factor("stype")).test()
    assert test["F"] == pytest.approx(17.24744, rel=5e-7)
    assert test["ndf"] == pytest.approx(1.828672, rel=5e-7)
    assert test["ddf"] == pytest.approx(360.2483, rel=5e-7)
    assert test["p"] == pytest.approx(2.035e-07, rel=5e-4)


def test_missing_values_are_a_domain_of_the_rows_with_a_value(dstrat: Design, apistrat: Table) -> None:
    """na.rm = TRUE keeps every PSU of the design in the variance (R pads the subset's PSU
    totals with zeros): a missing value is the same as being outside the domain of rows with a
    value, and differs from analysing a smaller design built on those rows only."""
    acs = apistrat.numeric("acs.k3")
    present = ~np.isnan(acs)
    assert 0 < present.sum() < len(acs)
    with_missing = mean(dstrat, acs)
    as_domain = mean(dstrat, np.nan_to_num(acs), present)
    assert with_missing.n == int(present.sum())
    assert with_missing.estimate == pytest.approx(as_domain.estimate, rel=1e-12)
    assert with_missing.se == pytest.approx(as_domain.se, rel=1e-12)
    rows = {
        "acs": acs[present],
        "stype": apistrat.factor("stype").codes[present],
        "pw": dstrat.weights[present],
        "fpc": apistrat.numeric("fpc")[present],
    }
    smaller = make_design(Table.from_arrays(rows), strata="stype", weights="pw", fpc="fpc")
    assert mean(smaller, rows["acs"]).se != pytest.approx(with_missing.se, rel=1e-6)
