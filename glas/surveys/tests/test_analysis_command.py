"""``manage.py survey_stats SPEC.json``: the command line contract of issue 4 — one JSON object
out, and every error as ``{"error": ...}`` with a non-zero exit."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from glas.surveys import services

from .analysis_data import REPOSITORY, data_dir

SEXES = ["female", "male"]
AGES = ["18-34", "35-54", "55-69", "70+"]


def write_csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def responses(path: Path) -> Path:
    """48 respondents in 2 strata × 4 sections, with a missing value and Bulgarian answers."""
    rows = []
    for i in range(48):
        stratum = "Кресна" if i % 2 else "села"
        rows.append(
            {
                "section": f"{stratum}-{i % 8 // 2}",
                "stratum": stratum,
                "weight": 1.5 + (i % 3) * 0.5,
                "sections_in_stratum": 10 if stratum == "Кресна" else 14,
                "sex": SEXES[i % 2 if i % 5 else 1 - i % 2],
                "age": AGES[i % 4 if i % 7 else (i + 1) % 4],
                "trust": "NA" if i == 5 else (i * 7) % 11,
                "hours": (i * 3) % 13 + 0.5,
                "satisfied": "yes" if (i * 5) % 3 else "no",
            }
        )
    return write_csv(path / "responses.csv", rows)


CONTRACT = {
    "data": "responses.csv",
    "design": {"ids": "section", "strata": "stratum", "weights": "weight", "fpc": "sections_in_stratum"},
    "calibration": {
        "method": "rake",
        "margins": {
            "sex": {"female": 2410, "male": 2136},
            "age": {"18-34": 820, "35-54": 1290, "55-69": 1300, "70+": 1136},
        },
        "epsilon": 1e-10,
        "maxit": 100,
    },
    "estimates": [
        {"id": "a", "stat": "mean", "var": "trust"},
        {"id": "b", "stat": "total", "var": "hours"},
        {"id": "c", "stat": "mean", "var": "satisfied", "level": "yes"},
        {"id": "d", "stat": "mean", "var": "hours", "by": "sex"},
        {"id": "e", "stat": "chisq", "vars": ["satisfied", "age"]},
    ],
}


def run(tmp_path: Path, spec: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    out = io.StringIO()
    try:
        call_command("survey_stats", str(path), stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), json.loads(out.getvalue())
    return 0, json.loads(out.getvalue())


def test_the_contract_example_prints_one_json_object_with_every_estimate(tmp_path: Path) -> None:
    responses(tmp_path)
    code, result = run(tmp_path, CONTRACT)
    assert code == 0
    assert set(result) == {"a", "b", "c", "d", "e"}
    for key in ("a", "b", "c"):
        assert set(result[key]) >= {"estimate", "se", "ci", "deff"}
        low, high = result[key]["ci"]
        assert low < result[key]["estimate"] < high
    assert result["b"]["weighted_n"] == pytest.approx(4546)  # raked to the population
    assert set(result["d"]) == {"female", "male"} and set(result["d"]["female"]) >= {"estimate", "se"}
    assert set(result["e"]) == {"F", "ndf", "ddf", "p"} and 0 <= result["e"]["p"] <= 1
    assert result["a"]["n"] == 47  # the missing trust is left out


def test_the_weighting_report_is_added_when_asked(tmp_path: Path) -> None:
    responses(tmp_path)
    code, result = run(tmp_path, {**CONTRACT, "report": True, "trim": {"upper": 200}})
    assert code == 0
    rake_step, trim_step = result["weighting"]["steps"]
    assert (
        rake_step["method"] == "rake"
        and rake_step["converged"]
        and rake_step["weights_after"]["sum"] == pytest.approx(4546)
    )
    assert trim_step["weights_after"]["max"] <= 200 + 1e-9
    assert rake_step["design_effect"] >= 1


def test_poststratification_to_a_joint_table_and_linear_calibration_run(tmp_path: Path) -> None:
    responses(tmp_path)
    cells = {f"{s}|{a}": 500 + 10 * i for i, (s, a) in enumerate((s, a) for s in SEXES for a in AGES)}
    joint = {**CONTRACT, "calibration": {"method": "poststratify", "margins": {"sex|age": cells}}}
    linear = {
        **CONTRACT,
        "calibration": {"method": "linear", "population": 4546, "margins": {"sex": {"female": 2410, "male": 2136}}},
    }
    assert run(tmp_path, joint)[0] == 0
    code, result = run(tmp_path, {**linear, "estimates": [{"id": "n", "stat": "total", "var": "hours"}]})
    assert code == 0 and result["n"]["weighted_n"] == pytest.approx(4546)


def test_the_chisq_variant_and_the_table_are_available(tmp_path: Path) -> None:
    responses(tmp_path)
    spec = {
        **CONTRACT,
        "estimates": [{"id": "t", "stat": "chisq", "vars": ["sex", "age"], "statistic": "Chisq", "table": True}],
    }
    code, result = run(tmp_path, spec)
    assert code == 0 and set(result["t"]) == {"X2", "df", "p", "table"} and result["t"]["df"] == 3
    female = result["t"]["table"]["female"]
    assert sum(cell["row_percent"] for cell in female.values()) == pytest.approx(100)


@pytest.mark.skipif(data_dir() is None, reason="R's api data sets (shared/data) are not available")
def test_the_command_reproduces_r_on_the_raking_example(tmp_path: Path) -> None:
    spec = {
        "data": str(data_dir() / "apiclus1.csv"),  # type: ignore[operator]
        "design": {"ids": "dnum", "weights": "pw", "fpc": "fpc"},
        "calibration": {
            "method": "rake",
            "margins": {"stype": {"E": 4421, "H": 755, "M": 1018}, "sch.wide": {"No": 1072, "Yes": 5122}},
            "epsilon": 1e-10,
            "maxit": 30,
        },
        "estimates": [
            {"id": "api00", "stat": "mean", "var": "api00"},
            {"id": "enroll", "stat": "total", "var": "enroll"},
        ],
    }
    code, result = run(tmp_path, spec)
    assert code == 0
    assert result["api00"]["estimate"] == pytest.approx(641.2303209, rel=1e-6)
    assert result["api00"]["se"] == pytest.approx(23.70361689, rel=1e-6)
    assert result["enroll"]["se"] == pytest.approx(400603.2569, rel=1e-6)


def with_rows(tmp_path: Path, change: Any) -> None:
    path = responses(tmp_path)
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    change(rows)
    write_csv(path, rows)


def blank_stratum(rows: list[dict[str, Any]]) -> None:
    rows[3]["stratum"] = ""


def lonely_stratum(rows: list[dict[str, Any]]) -> None:
    rows[0]["stratum"], rows[0]["section"] = "самотна", "самотна-0"


def negative_weight(rows: list[dict[str, Any]]) -> None:
    rows[1]["weight"] = "-2"


def missing_weight(rows: list[dict[str, Any]]) -> None:
    rows[1]["weight"] = "NA"


def unknown_sex(rows: list[dict[str, Any]]) -> None:
    rows[0]["sex"] = "other"


ERRORS = [
    ("unknown column", None, {"estimates": [{"id": "a", "stat": "mean", "var": "income"}]}, "Unknown column"),
    ("unknown design column", None, {"design": {"strata": "region"}}, "Unknown column"),
    ("empty stratum", blank_stratum, {}, "stratum"),
    ("single-PSU stratum", lonely_stratum, {}, "only one sampled cluster"),
    ("data level missing from margins", unknown_sex, {}, "not in the population margins"),
    (
        "margin level without respondents",
        None,
        {"calibration": {"method": "rake", "margins": {"sex": {"female": 1, "male": 1, "other": 5}}}},
        "no respondents",
    ),
    (
        "raking that does not converge",
        None,
        {"calibration": {**CONTRACT["calibration"], "maxit": 1}},  # type: ignore[dict-item]
        "did not converge",
    ),
    ("unknown statistic", None, {"estimates": [{"id": "a", "stat": "median", "var": "trust"}]}, "Unknown statistic"),
    ("text variable averaged", None, {"estimates": [{"id": "a", "stat": "mean", "var": "sex"}]}, "not numeric"),
    ("unknown level", None, {"estimates": [{"id": "a", "stat": "mean", "var": "sex", "level": "x"}]}, "does not occur"),
    ("duplicate ids", None, {"estimates": [{"id": "a", "stat": "total", "var": "hours"}] * 2}, "its own"),
    ("both data and survey", None, {"survey": 1}, "either"),
    ("missing data file", None, {"data": "nowhere.csv"}, "does not exist"),
    ("negative weight", negative_weight, {}, "positive"),
    ("missing weight", missing_weight, {}, "missing values"),
    ("unknown calibration", None, {"calibration": {"method": "magic"}}, "Unknown calibration"),
    ("typo in a key", None, {"estimate": []}, "Unknown key"),
]


@pytest.mark.parametrize(("case", "change", "override", "message"), ERRORS, ids=[case[0] for case in ERRORS])
def test_errors_are_printed_as_json_with_a_non_zero_exit(
    tmp_path: Path, case: str, change: Any, override: dict[str, Any], message: str
) -> None:
    if change is None:
        responses(tmp_path)
    else:
        with_rows(tmp_path, change)
    code, result = run(tmp_path, {**CONTRACT, **override})
    assert code == 1
    assert set(result) == {"error"} and message in result["error"]


def test_a_specification_that_is_not_json_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "spec.json"
    path.write_text("{not json", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("survey_stats", str(path), stdout=out)
    assert exit_.value.code == 1 and "not valid JSON" in json.loads(out.getvalue())["error"]


def test_the_command_runs_as_a_process_and_exits_non_zero_on_error(tmp_path: Path) -> None:
    responses(tmp_path)
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(CONTRACT), encoding="utf-8")
    bad.write_text(json.dumps({**CONTRACT, "design": {"ids": "nope"}}), encoding="utf-8")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "glas.test_settings"}
    command = [sys.executable, str(REPOSITORY / "manage.py"), "survey_stats"]
    ok = subprocess.run([*command, str(good)], capture_output=True, text=True, env=env, check=False)  # noqa: S603
    failed = subprocess.run([*command, str(bad)], capture_output=True, text=True, env=env, check=False)  # noqa: S603
    assert ok.returncode == 0 and set(json.loads(ok.stdout)) == {"a", "b", "c", "d", "e"}
    assert failed.returncode == 1 and "nope" in json.loads(failed.stdout)["error"]


@pytest.mark.django_db
def test_a_stored_survey_is_analysed_from_its_complete_responses(tmp_path: Path, in_fieldwork: Any) -> None:
    for age, sex in [("30", "f"), ("40", "m"), ("50", "f"), ("60", "m"), ("70", "f")]:
        response = services.response_start(actor=None, survey=in_fieldwork, channel="web")
        answers = {"voted": "no", "age": age, "sex": sex, "place": "kresna"}
        services.response_save_answers(actor=None, response=response, answers=answers)
        services.response_submit(actor=None, response=response)
    unfinished = services.response_start(actor=None, survey=in_fieldwork, channel="web")
    services.response_save_answers(actor=None, response=unfinished, answers={"voted": "no", "age": "99", "sex": "m"})
    spec = {
        "survey": in_fieldwork.pk,
        "estimates": [
            {"id": "age", "stat": "mean", "var": "age"},
            {"id": "women", "stat": "mean", "var": "sex", "level": "f"},
            {"id": "by_sex", "stat": "mean", "var": "age", "by": "sex"},
        ],
    }
    code, result = run(tmp_path, spec)
    assert code == 0
    assert result["age"]["estimate"] == pytest.approx(50) and result["age"]["n"] == 5
    assert result["women"]["estimate"] == pytest.approx(0.6)
    assert result["by_sex"]["m"]["estimate"] == pytest.approx(50)


@pytest.mark.django_db
def test_an_unknown_survey_is_an_error(tmp_path: Path) -> None:
    code, result = run(tmp_path, {"survey": 999999, "estimates": [{"id": "a", "stat": "mean", "var": "age"}]})
    assert code == 1 and "no survey" in result["error"]


def test_ratios_and_proportions_by_domain_are_estimated(tmp_path: Path) -> None:
    responses(tmp_path)
    estimates = [
        {"id": "r", "stat": "ratio", "var": "hours", "denominator": "trust"},
        {"id": "p", "stat": "proportion", "var": "satisfied", "level": "yes", "by": "sex"},
        {"id": "t", "stat": "total", "var": "hours", "by": "age"},
    ]
    code, result = run(tmp_path, {**CONTRACT, "estimates": estimates})
    assert code == 0
    assert result["r"]["estimate"] > 0 and result["r"]["deff"] is None
    assert set(result["p"]) == {"female", "male"} and all(0 < v["estimate"] < 1 for v in result["p"].values())
    assert sum(v["estimate"] for v in result["t"].values()) == pytest.approx(
        run(tmp_path, {**CONTRACT, "estimates": [{"id": "all", "stat": "total", "var": "hours"}]})[1]["all"]["estimate"]
    )


@pytest.mark.skipif(data_dir() is None, reason="R's api data sets (shared/data) are not available")
def test_a_two_stage_design_is_given_as_lists_of_ids_and_fpc(tmp_path: Path) -> None:
    spec = {
        "data": str(data_dir() / "apiclus2.csv"),  # type: ignore[operator]
        "design": {"ids": ["dnum", "snum"], "fpc": ["fpc1", "fpc2"]},
        "estimates": [{"id": "api00", "stat": "mean", "var": "api00"}],
    }
    code, result = run(tmp_path, spec)
    assert code == 0 and result["api00"]["se"] == pytest.approx(30.09902738, rel=1e-6)
