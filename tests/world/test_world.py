"""The reference world: loads, every figure sourced, units checked, bad input named."""

from __future__ import annotations

import json

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import fullstack
from fullstack import Economy, FleetEntry, SupplyShare
from fullstack.cli import main
from fullstack.testing import wrong_dimension_quantities
from fullstack.world import ECONOMY_FIGURES, load_world

ENGINE_FIGURES = (
    "advanced_foundry_capacity",
    "ai_share_of_advanced_capacity",
    "logic_yield",
    "dies_per_wafer",
    "dies_per_package",
    "hbm_supply",
    "hbm_stacks_per_package",
    "datacenter_power_for_ai",
    "ai_capex",
    "electricity_price",
    "utilization",
    "service_life",
)


@pytest.fixture(scope="module")
def world() -> fullstack.World:
    return fullstack.reference_world()


def test_china_and_the_us_at_2025(world: fullstack.World) -> None:
    assert world.base_year == 2025
    assert {"CN", "US"} <= set(world.economies)
    assert world.economies["CN"].currency == "CNY"
    assert world.economies["US"].currency == "USD"
    assert world.rules_in_force, "the export rules in force at the base year"


def test_no_figure_in_the_reference_world_is_unsourced(world: fullstack.World) -> None:
    assert fullstack.unsourced_figures(world) == []
    figures = list(fullstack.walk_figures(world))
    assert len(figures) > 40
    for path, estimate in figures:
        source = estimate.source
        assert isinstance(source, fullstack.Source | fullstack.Assumption), path
        if isinstance(source, fullstack.Source):
            assert source.title.strip(), path
            assert source.publisher or source.authors, path
            assert source.url, f"{path}: {source.title} has no URL"
            if "epoch" in (source.publisher or "").lower():
                assert "CC BY 4.0" in (source.license or ""), path
        else:
            assert len(source.reason) > 15, f"{path}: an assumption needs a reason"


def test_the_walk_catches_an_unsourced_quantity() -> None:
    @attrs.frozen
    class Sneaky:
        power: object

    assert fullstack.unsourced_figures(Sneaky(fullstack.Q_("5 GW"))) == [".power"]
    assert fullstack.unsourced_figures(Sneaky(0.5)) == [".power"]
    assert fullstack.unsourced_figures(Sneaky(2025)) == []


@pytest.mark.parametrize("code", ["CN", "US"])
def test_every_figure_the_engine_needs_is_there(world: fullstack.World, code: str) -> None:
    economy = world.economies[code]
    missing = [name for name in ENGINE_FIGURES if name not in economy.figures]
    assert missing == []


@pytest.mark.parametrize("code", ["CN", "US"])
def test_supply_covers_every_layer_with_known_suppliers(world: fullstack.World, code: str) -> None:
    economy = world.economies[code]
    assert set(economy.supply) == set(world.stack.ids)
    actors = fullstack.actors()
    for layer, share in economy.supply.items():
        assert 0 <= share.domestic_share.value <= 1, layer
        assert share.foreign_share == pytest.approx(1 - share.domestic_share.value)
        for supplier in share.suppliers:
            assert supplier in actors, f"{code}/{layer}: {supplier}"


@pytest.mark.parametrize("code", ["CN", "US"])
def test_fleets_use_catalog_chips_and_count_positive(world: fullstack.World, code: str) -> None:
    economy = world.economies[code]
    assert economy.fleet
    catalog = fullstack.accelerators()
    for entry in economy.fleet:
        assert entry.accelerator.name in catalog
        assert entry.count.value.m_as("chip") > 0
        assert 2015 <= entry.vintage <= world.base_year
    assert economy.fleet_h100e.m_as("H100e") > 0


def test_fleet_h100e_is_the_sum_of_counts_times_chip_h100e(world: fullstack.World) -> None:
    for economy in world.economies.values():
        expected = 0.0
        for entry in economy.fleet:
            per_chip = entry.accelerator.h100e
            if per_chip is not None:
                expected += entry.count.value.m_as("chip") * per_chip.m_as("H100e")
        assert economy.fleet_h100e.m_as("H100e") == pytest.approx(expected)


def test_china_statistics_include_the_official_compute_figures(world: fullstack.World) -> None:
    stats = world.economies["CN"].statistics
    assert stats
    assert any(
        "EFLOP" in str(s.value.value.units) for s in stats if hasattr(s.value.value, "units")
    )


def test_self_sufficiency_table(world: fullstack.World) -> None:
    table = world.self_sufficiency()
    assert len(table.rows) == 2 * len(world.stack)
    for row in table.rows:
        assert row["domestic"] + row["foreign"] == pytest.approx(1.0)
        assert isinstance(row["assumption"], bool)
    frame = table.to_frame()
    assert frame.loc[("CN", "fabrication"), "domestic"] == table.share("CN", "fabrication")
    assert "assumption" in table._repr_html_() or "Assumption" in table._repr_html_()


def test_changing_one_figure_leaves_the_original_alone(world: fullstack.World) -> None:
    changed = world.with_figure("CN.utilization", 0.61)
    assert changed.economies["CN"].figure("utilization").value == 0.61
    assert world.economies["CN"].figure("utilization").value != 0.61
    assert changed.economies["US"] is world.economies["US"]
    given_source = changed.economies["CN"].figure("utilization").source
    assert isinstance(given_source, fullstack.Assumption)


@pytest.mark.parametrize(
    ("path", "error"),
    [
        ("XX.utilization", fullstack.UnknownNameError),
        ("CN.utilisation", fullstack.UnknownNameError),
        ("CN.utilization", fullstack.ValidationError),
    ],
)
def test_bad_figure_paths_and_values(world: fullstack.World, path: str, error: type) -> None:
    with pytest.raises(error):
        world.with_figure(path, 1.5)


@given(st.floats(allow_nan=True, allow_infinity=True).filter(lambda x: not 0 <= x <= 1))
def test_fractions_outside_zero_to_one_are_refused(x: float) -> None:
    with pytest.raises(fullstack.ValidationError, match="utilization"):
        Economy(code="XX", name="X", currency="USD", figures={"utilization": x})
    with pytest.raises(fullstack.ValidationError, match="domestic_share"):
        SupplyShare(x)


@given(wrong_dimension_quantities("GW"))
def test_power_figures_refuse_every_wrong_dimension(q: fullstack.Quantity) -> None:
    with pytest.raises(fullstack.UnitError) as info:
        Economy(code="XX", name="X", currency="USD", figures={"datacenter_power_for_ai": q})
    assert "datacenter_power_for_ai" in str(info.value)


@pytest.mark.parametrize("name", sorted(ECONOMY_FIGURES))
def test_bare_numbers_need_a_unit_except_for_fractions(name: str) -> None:
    spec = ECONOMY_FIGURES[name]
    if spec.unit in ("fraction", "count", "dimensionless"):  # shares and ratios such as PUE
        Economy(code="XX", name="X", currency="USD", figures={name: 0.5})
    else:
        with pytest.raises(fullstack.FullstackError, match=name):
            Economy(code="XX", name="X", currency="USD", figures={name: 5})


def test_money_figures_take_any_currency_but_not_other_dimensions() -> None:
    e = Economy(
        code="XX",
        name="X",
        currency="USD",
        figures={"ai_capex": "50 GCNY/year", "electricity_price": "0.08 USD/kWh"},
    )
    assert fullstack.currency_of(e.figure("ai_capex").value) == "CNY"
    with pytest.raises(fullstack.FullstackError, match="ai_capex"):
        Economy(code="XX", name="X", currency="USD", figures={"ai_capex": "5 GW"})


def test_unknown_figures_and_fleet_chips_are_named() -> None:
    with pytest.raises(fullstack.UnknownNameError, match="utilisation"):
        Economy(code="XX", name="X", currency="USD", figures={"utilisation": 0.3})
    with pytest.raises(fullstack.UnknownNameError) as info:
        FleetEntry("H100 SMX", 2024, "10 chip")
    assert "H100 SXM" in str(info.value)


BAD_WORLD = """
schema_version = 1
base_year = 2025
[economies.XX]
name = "Example"
currency = "USD"
[economies.XX.figures]
advanced_foundry_capacity = { value = "-5 wafer/month", assumption = "bad" }
utilization = { value = 1.3, assumption = "bad" }
hbm_supply = { value = "5 GW", assumption = "bad" }
[[economies.XX.fleet]]
accelerator = "Nonexistent 9000"
vintage = 2024
count = { value = "10 chip", assumption = "bad" }
[economies.XX.supply.fabrication]
domestic_share = { value = 1.5, assumption = "bad" }
suppliers = ["Nobody Inc"]
[economies.XX.supply.quantum]
domestic_share = { value = 0.5, assumption = "bad" }
"""


def test_a_bad_world_file_reports_every_problem_with_its_place() -> None:
    with pytest.raises(fullstack.FileFormatError) as info:
        load_world(BAD_WORLD)
    message = str(info.value)
    for place in (
        "economies.XX.figures.advanced_foundry_capacity",
        "economies.XX.figures.utilization",
        "economies.XX.figures.hbm_supply",
        "economies.XX.fleet[0]",
        "economies.XX.supply.fabrication",
        "economies.XX.supply.quantum",
    ):
        assert place in message
    assert "Nonexistent 9000" in message
    assert len(info.value.problems) >= 6


def test_html_reprs_render(world: fullstack.World) -> None:
    html = world._repr_html_()
    assert "China" in html
    assert "United States" in html or "US" in html
    assert "<table>" in world.economies["CN"]._repr_html_()


def test_cli_world_and_sources(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["world", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["economies"]) >= {"CN", "US"}
    assert data["self_sufficiency"]
    assert main(["sources"]) == 0
    out = capsys.readouterr().out
    assert "Epoch AI" in out
    assert main(["sources", "--format", "bibtex"]) == 0
    assert capsys.readouterr().out.lstrip().startswith("@")
    assert main(["sources", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["sources"]
