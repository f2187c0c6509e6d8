"""Projections, comparisons, explanations, assumptions, built-in scenarios, CLI and report."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import fullstack
from fullstack._report import build_report
from fullstack.cli import main
from fullstack.policy import GuidanceFund
from fullstack.results import _show

END = 2030


@pytest.fixture(scope="module")
def baseline() -> fullstack.Projection:
    return fullstack.scenarios()["baseline"].run()


# --- the projection ------------------------------------------------------------------------------


def test_run_and_scenario_run_agree() -> None:
    s = fullstack.Scenario(name="s", end=2028)
    a, b = fullstack.run(s), s.run()
    for name in a.metrics:
        np.testing.assert_array_equal(a.series[name], b.series[name])


def test_a_metric_is_a_quantity_per_year(baseline: fullstack.Projection) -> None:
    q = baseline["cn.compute.installed"]
    assert q.units == fullstack.parse_unit("H100e")
    assert len(q.magnitude) == len(baseline.years) == 11
    assert baseline.value("cn.compute.installed_flops", 2030).to("EFLOP/s").magnitude > 0
    assert baseline["cn.output.binding"][0] == "base year"


def test_the_projection_starts_at_the_scenarios_start() -> None:
    p = fullstack.Scenario(name="late", start=2028, end=2030).run()
    full = fullstack.Scenario(name="full", end=2030).run()
    assert p.years == (2028, 2029, 2030)
    assert p.value("cn.compute.installed", 2029) == full.value("cn.compute.installed", 2029)


def test_unknown_metrics_and_years_are_named(baseline: fullstack.Projection) -> None:
    with pytest.raises(fullstack.UnknownNameError, match=r"cn\.compute\.instaled"):
        baseline["cn.compute.instaled"]
    with pytest.raises(fullstack.ValidationError, match="2040"):
        baseline.value("cn.compute.installed", 2040)


def test_to_frame_is_tidy(baseline: fullstack.Projection) -> None:
    df = baseline.to_frame(["cn.compute.installed", "cn.output.binding"])
    assert list(df.columns) == ["scenario", "economy", "metric", "year", "value", "unit"]
    assert len(df) == 2 * len(baseline.years)
    assert set(df.economy) == {"CN"}
    assert df[df.metric == "cn.output.binding"].value.iloc[1] == "hbm"


def test_explain_names_figures_sources_instruments_and_the_binding_constraint(
    baseline: fullstack.Projection,
) -> None:
    e = baseline.explain("cn.foundry.capacity", 2030)
    text = str(e)
    assert "cn.foundry.investment" in e.parameters
    assert "Big Fund III" in text  # the instrument that moved the investment
    assert "SemiAnalysis" in text  # the capacity figure's source
    smuggling = str(baseline.explain("cn.chips.imports_smuggled", 2030))
    assert "world's rule in force 2024-12" in smuggling
    assert baseline.explain("cn.chips.output", 2027).binding == "output: hbm"
    assert "<table>" in e._repr_html_()


def test_html_repr_and_plot(baseline: fullstack.Projection) -> None:
    assert "cn.compute.installed" in baseline._repr_html_()
    ax = baseline.plot("cn.compute.installed", unit="EFLOP/s")
    assert ax.get_ylabel() == "EFLOP/s"
    with pytest.raises(fullstack.ValidationError):
        baseline.plot("cn.output.binding")


# --- assumptions -------------------------------------------------------------------------------


def test_an_assumption_replaces_the_figure_and_effects_still_apply() -> None:
    fund = GuidanceFund(name="F", budget="100 GCNY", start=2025, end=2026, to_capacity=1.0)
    s = (fullstack.Scenario(name="s", end=END) + fund).assume(
        "cn.foundry.capacity", {2027: "100000 wafer/month"}, reason="SMIC's target"
    )
    p = s.run()
    base = (fullstack.Scenario(name="b", end=END) + fund).run()
    assert p.value("cn.foundry.capacity", 2026) == base.value("cn.foundry.capacity", 2026)
    gain = p.value("cn.foundry.capacity", 2030) - base.value("cn.foundry.capacity", 2030)
    assert gain.m_as("wafer/month") == pytest.approx(20_000)  # 100k instead of 80k, fund kept


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"value": "5 GW"}, fullstack.DimensionError, "cn.hbm.stockpile"),
        ({"value": 5}, fullstack.FullstackError, "hbm_stack"),
        ({"value": "1e6 hbm_stack", "reason": ""}, fullstack.ValidationError, "reason"),
        ({"value": {"soon": "1e6 hbm_stack"}}, fullstack.ValidationError, "year"),
    ],
)
def test_bad_assumptions_are_named(kwargs: dict[str, object], error: type, match: str) -> None:
    kwargs = {"reason": "r", **kwargs}
    with pytest.raises(error, match=match):
        fullstack.Override(parameter="cn.hbm.stockpile", **kwargs)


def test_an_assumption_on_an_unknown_parameter_is_named() -> None:
    with pytest.raises(fullstack.UnknownNameError, match=r"hbm\.stokpile"):
        fullstack.Scenario(name="s").assume("cn.hbm.stokpile", 1, reason="r")


def test_money_in_the_wrong_currency_is_an_error_that_says_how_to_convert() -> None:
    s = fullstack.Scenario(name="s", end=2026).assume(
        "cn.compute.capex", "50 GUSD/year", reason="r"
    )
    with pytest.raises(fullstack.ValidationError, match="convert"):
        s.run()


def test_a_scenario_cannot_start_before_the_world() -> None:
    with pytest.raises(fullstack.ValidationError, match="base year"):
        fullstack.Scenario(name="s", start=1990)


def test_a_scenario_takes_an_edited_world() -> None:
    world = fullstack.reference_world().with_figure("CN.smuggling_share", 0.0)
    p = fullstack.Scenario(name="s", world=world, end=2027).run()
    assert p.value("cn.chips.imports_smuggled", 2027).magnitude == 0


def test_assumptions_round_trip_through_files(tmp_path: Path) -> None:
    s = fullstack.scenarios()["relaxed"]
    for suffix in (".toml", ".json"):
        path = tmp_path / f"s{suffix}"
        fullstack.save(s, path)
        again = fullstack.load(path)
        assert again == s
    assert fullstack.run(again).value("cn.chips.imports_legal", 2030) == fullstack.run(s).value(
        "cn.chips.imports_legal", 2030
    )


def test_diff_is_readable() -> None:
    a = fullstack.scenarios()["baseline"]
    b = fullstack.scenarios()["tighter"]
    text = str(a.diff(b))
    assert "+ instrument 'US: China-market chips stopped'" in text
    assert "+ assumption cn.chips.smuggling_share = 0.145" in text
    assert not a.diff(a)


# --- built-in scenarios ------------------------------------------------------------------------


def test_the_built_in_scenarios() -> None:
    names = list(fullstack.scenarios())
    assert names == [
        "2025 policies continue",
        "Tighter controls",
        "Accelerated self-reliance",
        "Relaxed controls",
    ]
    base = fullstack.scenarios()["baseline"]
    tighter = fullstack.scenarios()["tighter"]
    # every scenario builds on the baseline's instruments
    assert set(base.instruments) <= set(tighter.instruments)
    relaxed = fullstack.scenarios()["relaxed"]
    assert "China: H20 and H200 purchases stopped" not in {i.name for i in relaxed.instruments}
    with pytest.raises(fullstack.UnknownNameError):
        fullstack.scenarios()["utopia"]


def test_tighter_controls_mean_less_china_compute_and_relaxed_more() -> None:
    runs = {k: fullstack.scenarios()[k].run() for k in ("baseline", "tighter", "relaxed")}
    at = {k: p.value("cn.compute.installed", 2030).m_as("H100e") for k, p in runs.items()}
    assert at["tighter"] < at["baseline"] < at["relaxed"]


def test_every_validation_estimate_names_a_real_metric() -> None:
    from fullstack._data import read_toml

    p = fullstack.Scenario(name="s", end=2030).run()
    for est in read_toml("validation.toml")["estimate"]:
        assert est["metric"] in p.metrics
        p.value(est["metric"], est["year"]).m_as(est["unit"])
        assert est["source"]["url"].startswith("http")


# --- compare ------------------------------------------------------------------------------------


def test_compare_differences_and_ratios(baseline: fullstack.Projection) -> None:
    tighter = fullstack.scenarios()["tighter"].run()
    table = fullstack.compare(baseline, tighter, metrics=["cn.compute.installed"], years=[2030])
    row = table.rows[0]
    a = baseline.value("cn.compute.installed", 2030).m_as("H100e")
    b = tighter.value("cn.compute.installed", 2030).m_as("H100e")
    assert row["diff"] == pytest.approx(b - a)
    assert row["ratio"] == pytest.approx(b / a)
    assert "Tighter controls" in str(table)
    assert table.to_frame().shape[0] == 1
    assert "<table>" in table._repr_html_()
    table.plot()


def test_compare_refuses_what_is_not_a_projection() -> None:
    with pytest.raises(fullstack.ValidationError, match="Projection"):
        fullstack.compare(fullstack.scenarios()["baseline"])  # type: ignore[arg-type]
    with pytest.raises(fullstack.ValidationError):
        fullstack.compare()


# --- CLI and report -----------------------------------------------------------------------------


def test_cli_run_and_compare(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["run", "baseline", "--year", "2030"]) == 0
    assert "cn.compute.installed" in capsys.readouterr().out
    assert main(["run", "relaxed", "--json", "--metric", "cn.chips.imports_legal"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["metrics"]["cn.chips.imports_legal"]["unit"] == "chip/year"
    assert main(["compare", "baseline", "tighter", "--csv", "--year", "2030"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "scenario,economy,metric,year,value,unit"
    path = tmp_path / "mine.toml"
    fullstack.save(fullstack.scenarios()["tighter"], path)
    assert main(["run", str(path), "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "report.html").exists()


def test_cli_samples_show_how_sure(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["run", "tighter", "--year", "2030", "--samples", "60", "--seed", "3", "--json"]
    argv += ["--metric", "cn.compute.installed", "--metric", "cn.output.binding"]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["samples"] == {"n": 60, "seed": 3}
    ((low, mid, high),) = data["metrics"]["cn.compute.installed"]["p5_p50_p95"]["Tighter controls"]
    assert low <= mid <= high
    assert low < high
    assert "p5_p50_p95" not in data["metrics"]["cn.output.binding"]  # a label has no percentiles
    e = fullstack.scenarios()["tighter"].ensemble(60, seed=3)
    assert [low, mid, high] == [q.magnitude for q in e.quantiles("cn.compute.installed", 2030)]
    assert (
        main(["compare", "baseline", "tighter", "--csv", "--year", "2030", "--samples", "20"]) == 0
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "scenario,economy,metric,year,value,unit,p5,p50,p95"
    assert main(["run", "baseline", "--year", "2030", "--samples", "20"]) == 0
    assert "How sure" in capsys.readouterr().out
    assert main(["run", "baseline", "--samples", "-1"]) == 2
    assert "at least 0" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "basline"],
        ["run", "missing.toml"],
        ["run", "baseline", "--metric", "cn.nope"],
        ["run", "baseline", "--year", "2040"],
        ["compare", "baseline"],
    ],
)
def test_cli_bad_input_exits_non_zero_with_a_message(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("fullstack: error:")
    assert "Traceback" not in err


def test_the_report_has_its_parts(tmp_path: Path) -> None:
    scenarios = [fullstack.scenarios()["baseline"], fullstack.scenarios()["tighter"]]
    report = build_report(scenarios)
    files = report.write(tmp_path)
    assert {f.name for f in files} >= {"report.md", "report.html", "cn-installed.png"}
    md = (tmp_path / "report.md").read_text()
    for part in ("Scenarios compared", "Which constraint binds", "What each scenario adds",
                 "Bibliography", "What the model leaves out"):  # fmt: skip
        assert part in md
    html = (tmp_path / "report.html").read_text()
    assert "data:image/png;base64," in html  # self-contained
    assert "Epoch AI" in md
    assert "cn-installed-range.png" in {f.name for f in files}
    assert "How sure: 5th-95th percentiles over 500 draws" in md
    assert "What explains each difference from 2025 policies continue" in md


def test_the_reports_ranges_and_shares_come_from_ensembles_and_attribution() -> None:
    baseline, tighter = fullstack.scenarios()["baseline"], fullstack.scenarios()["tighter"]
    report = build_report([baseline, tighter], samples=200, seed=3)
    _, rows = report.range_rows()
    row = next(r for r in rows if r[:3] == [tighter.name, "cn.compute.installed", "2030"])
    low, mid, high = tighter.ensemble(200, seed=3).quantiles("cn.compute.installed", 2030)
    assert row[3:] == [_show(low), _show(mid), _show(high)]
    _, shares = report.share_rows()
    assert shares
    assert all(r[0] == tighter.name for r in shares)
    result = fullstack.attribute(baseline, tighter, "cn.compute.installed", tighter.end)
    largest = max(result.shares, key=lambda k: abs(result.shares[k].magnitude))
    assert shares[0][1:] == [largest, _show(result.shares[largest])]
    plain = build_report([baseline], samples=0)
    assert plain.range_rows()[1] == []
    assert plain.share_rows()[1] == []
    assert "How sure" not in plain.markdown()
    for bad in ("x", -1, 2.5):
        with pytest.raises(fullstack.ValidationError, match=r"^build_report\.samples: expected"):
            build_report([baseline], samples=bad)  # type: ignore[arg-type]


def test_to_xarray_keeps_units_samples_and_years(baseline: fullstack.Projection) -> None:
    xr = pytest.importorskip("xarray")
    ds = baseline.to_xarray()
    assert isinstance(ds, xr.Dataset)
    assert ds["cn.compute.installed"].attrs["units"] == "H100e"
    assert ds.sizes["sample"] == 1
    assert ds["year"].values.tolist() == list(baseline.years)
    got = float(ds["cn.compute.installed"].sel(year=2030, sample=0))
    assert got == baseline.value("cn.compute.installed", 2030).m_as("H100e")
    assert "cn.output.binding" not in ds  # labels are not numbers
    ensemble = baseline.scenario.ensemble(30, seed=4)
    eds = ensemble.to_xarray()
    assert eds.sizes["sample"] == 30
    assert eds.attrs["seed"] == 4
    assert set(eds.attrs["uncertain"]) == set(ensemble.uncertain)
    np.testing.assert_array_equal(
        eds["cn.compute.installed"].values, ensemble.projection.series["cn.compute.installed"]
    )


def test_to_xarray_without_xarray_names_the_extra(
    baseline: fullstack.Projection, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "xarray", None)  # as if it were not installed
    with pytest.raises(fullstack.MissingExtraError, match="xarray"):
        baseline.to_xarray()
    with pytest.raises(fullstack.MissingExtraError, match=r"Ensemble\.to_xarray"):
        baseline.scenario.ensemble(5).to_xarray()
