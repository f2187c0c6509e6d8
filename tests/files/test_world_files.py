"""A world saved with `fullstack.save` loads back equal, in world.toml's format (issue 9)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import attrs
import pytest

import fullstack
from fullstack import FileFormatError, Scenario, ValidationError, World
from fullstack.provenance import Assumption, Estimate, Source
from fullstack.world import FleetEntry, load_world, reference_world


@pytest.fixture(scope="module")
def edited() -> World:
    """The reference world with figures, a path point and the roadmap edited."""
    world = reference_world().with_figure("CN.utilization", "30 %")
    world = world.with_figure(
        "US.service_life",
        Estimate(
            value="6 year",
            low="5 year",
            source=Source(title="A report", publisher="Somebody", date="2025-03"),
            note="edited",
        ),
    )
    cn = world.economies["CN"]
    paths = {
        **cn.paths,
        "utilization": {2027: Estimate(value=0.4, source=Assumption(reason="Why."))},
    }
    cn = attrs.evolve(cn, paths=paths, roadmap={**cn.roadmap, 2030: "Ascend 970"})
    return attrs.evolve(world, economies={**world.economies, "CN": cn})


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_the_reference_world_loads_back_equal(tmp_path: Path, suffix: str) -> None:
    path = fullstack.save(reference_world(), tmp_path / f"world{suffix}")
    back = fullstack.load(path)
    assert isinstance(back, World)
    assert back == reference_world()
    assert fullstack.load(path, expect=World) == reference_world()


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_an_edited_world_loads_back_equal(tmp_path: Path, edited: World, suffix: str) -> None:
    assert edited != reference_world()
    back = fullstack.load(fullstack.save(edited, tmp_path / f"world{suffix}"))
    assert back == edited
    cn, us = back.economies["CN"], back.economies["US"]
    assert cn.figure("utilization").value == 0.3
    assert cn.paths["utilization"][2027].value == 0.4
    assert cn.roadmap[2030] == "Ascend 970"
    assert cn.paths == edited.economies["CN"].paths
    assert us.figure("service_life").source == edited.economies["US"].figure("service_life").source


def test_a_saved_toml_world_is_world_toml_format(tmp_path: Path, edited: World) -> None:
    """load_world reads it; every source is written once under [sources] and cited by key."""
    path = fullstack.save(edited, tmp_path / "world.toml")
    assert load_world(path.read_text(), path=str(path)) == edited
    data = tomllib.loads(path.read_text())
    assert data["schema_version"] == 1
    assert data["rules_in_force"] == ["2024-12"]
    keys = set(data["sources"])
    cited = {
        fig["source"]
        for e in data["economies"].values()
        for fig in (*e["figures"].values(), *(row["count"] for row in e.get("fleet", [])))
        if "source" in fig
    }
    assert cited <= keys
    assert len({s["title"] + s.get("date", "") for s in data["sources"].values()}) == len(keys)
    assert data["economies"]["CN"]["roadmap"]["2030"] == "Ascend 970"


def test_the_shipped_world_toml_loads_as_a_world() -> None:
    from importlib import resources

    path = resources.files("fullstack.datasets").joinpath("world.toml")
    assert fullstack.load(str(path)) == reference_world()


def test_a_confidence_other_than_the_keyed_sources_is_kept(tmp_path: Path) -> None:
    source = Source(title="A survey", publisher="Someone", confidence="high")
    cn = reference_world().economies["CN"]
    figures = {
        **cn.figures,
        "utilization": Estimate(value=0.3, source=source),
        "logic_yield": Estimate(value=0.4, source=attrs.evolve(source, confidence="low")),
    }
    world = attrs.evolve(
        reference_world(),
        economies={**reference_world().economies, "CN": attrs.evolve(cn, figures=figures)},
    )
    back = fullstack.load(fullstack.save(world, tmp_path / "w.toml"))
    assert back == world
    assert back.economies["CN"].figure("logic_yield").source.confidence.value == "low"


def test_a_world_file_with_problems_reports_each_at_its_place() -> None:
    text = fullstack.dumps(reference_world())
    text = text.replace("base_year = 2025", "base_yaer = 2025")
    text = text.replace('accelerator = "H20"', 'accelerator = "H2O"', 1)
    with pytest.raises(FileFormatError) as info:
        fullstack.loads(text)
    locations = [p.location for p in info.value.problems]
    assert "base_yaer" in locations
    assert "base_year" in locations
    assert any(loc.startswith("economies.CN.fleet[") for loc in locations)
    assert "did you mean 'H20'" in str(info.value)


def test_a_scenario_with_a_world_value_is_refused_with_the_way_out(
    tmp_path: Path, edited: World
) -> None:
    scenario = Scenario(name="s", world=edited)
    with pytest.raises(
        ValidationError, match=r"Scenario\.world.*fullstack\.save\(scenario\.world"
    ):
        fullstack.save(scenario, tmp_path / "s.toml")
    assert not list(tmp_path.iterdir())  # nothing written
    with pytest.raises(ValidationError, match=r"Scenario\.world"):
        fullstack.dumps(scenario)
    world = fullstack.load(fullstack.save(scenario.world, tmp_path / "world.toml"), expect=World)
    assert Scenario(name="s", world=world) == scenario


def test_parts_of_a_world_a_file_cannot_hold_are_refused(tmp_path: Path) -> None:
    world = reference_world()
    cn = world.economies["CN"]
    with_basis = cn.with_figure(
        "utilization",
        Estimate(
            value=0.3,
            source=Assumption(reason="Why.", basis=[Source(title="A report", publisher="P")]),
        ),
    )
    custom_chip = attrs.evolve(cn.fleet[0].accelerator, name="Homemade 1")
    with_chip = attrs.evolve(
        cn, fleet=(*cn.fleet, FleetEntry(custom_chip, 2025, "10 chip", "legal"))
    )
    cases = [
        (with_basis, r"figures\[utilization\]\.source.*without basis"),
        (with_chip, r"fleet\[\d+\]\.accelerator.*built-in catalog.*Homemade 1"),
    ]
    for economy, message in cases:
        bad = attrs.evolve(world, economies={**world.economies, "CN": economy})
        with pytest.raises(ValidationError, match=message):
            fullstack.save(bad, tmp_path / "bad.toml")
    assert not list(tmp_path.iterdir())
