"""Every shipped dataset goes through the converter that reads scenario files (issue 9, item 3).

For each file: the objects equal those the former loader built (`legacy_loaders`), and a file
with several problems reports them all, each with its place.
"""

from __future__ import annotations

import legacy_loaders
import pytest

import fullstack
from fullstack.actors import load_actors
from fullstack.money import ExchangeRates
from fullstack.stack import load_stack
from fullstack.world import load_world


def _problems(info: pytest.ExceptionInfo[fullstack.FileFormatError]) -> dict[str, str]:
    return {p.location: p.message for p in info.value.problems}


# --- stack.toml ---------------------------------------------------------------------------------


def test_the_stack_equals_the_former_loaders() -> None:
    old, new = legacy_loaders.load_stack(), load_stack()
    assert new == old
    assert new.edges_source == old.edges_source  # not compared by Stack's __eq__
    assert [layer.source for layer in new] == [layer.source for layer in old]


STACK_WITH_PROBLEMS = """
schema_version = 1
[sources.rand]
title = "Full Stack"
publisher = "RAND"
date = "June 2025"
[[layers]]
id = "Chips"
name = "Chips"
source = "rnd"
[[layers]]
id = "fabs"
name = ""
assumption = "illustration"
source = "rand"
depends_on = "chips"
[[layers]]
id = "models"
name = "Models"
colour = "blue"
[dependencies_provenance]
assumption = "ours"
confidence = "certain"
"""


def test_a_stack_file_reports_every_problem_with_its_place() -> None:
    with pytest.raises(fullstack.FileFormatError) as info:
        load_stack(STACK_WITH_PROBLEMS, path="stack.toml")
    found = _problems(info)
    assert set(found) == {
        "sources.rand.date",
        "layers[0].source",
        "layers[0].id",
        "layers[1].name",
        "layers[1].source",
        "layers[1].depends_on",
        "layers[2].colour",
        "layers[2].source",
        "dependencies_provenance.confidence",
    }, found
    assert 'did you mean "rand"' in found["layers[0].source"]
    assert "both" in found["layers[1].source"]
    assert "neither" in found["layers[2].source"]
    assert str(info.value).startswith("stack.toml: 9 problems")


def test_a_dependency_on_an_unknown_layer_is_placed() -> None:
    text = STACK_WITH_PROBLEMS.split("[[layers]]")[0] + (
        '[[layers]]\nid = "chips"\nname = "Chips"\nassumption = "a"\ndepends_on = ["fab"]\n'
    )
    text = text.replace('date = "June 2025"', 'date = "2025-06"')
    with pytest.raises(fullstack.FileFormatError) as info:
        load_stack(text)
    assert _problems(info) == {"layers[0].depends_on[0]": 'unknown layer "fab"'}


# --- actors.toml --------------------------------------------------------------------------------


def test_the_actors_equal_the_former_loaders() -> None:
    old, new = legacy_loaders.load_actors(), load_actors()
    assert list(new) == list(old)
    assert list(new.values()) == list(old.values())
    assert new is fullstack.actors() or dict(fullstack.actors()) == dict(new)


ACTORS_WITH_PROBLEMS = """
schema_version = 1
[sources.tsmc]
title = "Annual report"
publisher = "TSMC"
[[actors]]
name = "Example Fab"
kind = "factory"
jurisdiction = "cn"
layers = ["fabrication"]
source = "tsmc"
[[actors]]
name = "Example Lab"
kind = "state_lab"
jurisdiction = "CN"
layers = "foundation_models"
state_owned = "yes"
source = "tmsc"
[[actors]]
name = "Example Fund"
kind = "fund"
jurisdiction = "CN"
website = "https://example.org"
"""


def test_an_actors_file_reports_every_problem_with_its_place() -> None:
    with pytest.raises(fullstack.FileFormatError) as info:
        load_actors(ACTORS_WITH_PROBLEMS, path="actors.toml")
    found = _problems(info)
    assert set(found) == {
        "actors[0].kind",
        "actors[0].jurisdiction",
        "actors[1].layers",
        "actors[1].state_owned",
        "actors[1].source",
        "actors[2].website",
        "actors[2].source",
    }, found
    assert 'did you mean "tsmc"' in found["actors[1].source"]
    assert str(info.value).startswith("actors.toml: 7 problems")


def test_unknown_layers_of_actors_are_placed() -> None:
    text = ACTORS_WITH_PROBLEMS.split("[[actors]]")[0] + (
        '[[actors]]\nname = "Lab"\nkind = "firm"\njurisdiction = "CN"\n'
        'layers = ["data", "fondation_models", "chips"]\nassumption = "a"\n'
    )
    with pytest.raises(fullstack.FileFormatError) as info:
        load_actors(text)
    found = _problems(info)
    assert set(found) == {"actors[0].layers[1]", "actors[0].layers[2]"}
    assert found["actors[0].layers[1]"].endswith('did you mean "foundation_models"?')


# --- world.toml ---------------------------------------------------------------------------------


def test_the_reference_world_equals_the_former_loaders() -> None:
    old, new = legacy_loaders.load_world(), load_world()
    assert new == old
    assert new == fullstack.reference_world()
    for code, economy in old.economies.items():
        assert dict(new.economies[code].figures) == dict(economy.figures)
        assert new.economies[code].paths == economy.paths
        assert new.economies[code].supply == economy.supply


WORLD_WITH_PROBLEMS = """
schema_version = 1
base_year = 2025
rules_in_force = ["2024-12", "2099-01"]
[sources.epoch]
title = "AI Chip Sales"
publisher = "Epoch AI"
[economies.CN]
name = "China"
currency = "RMB"
[economies.CN.figures]
pue = { value = "1.3 GW", source = "epoch" }
utilisation = { value = 0.3, assumption = "a typo in the name" }
service_life = { value = "5 year", low = "7 year", source = "epok" }
hbm_supply = { value = "1 hbm_stack/year", assumption = "why", colour = "red" }
[[economies.CN.fleet]]
accelerator = "H100 SXM"
vintage = 1899
channel = "legal"
count = { value = "10 chip", source = "epoch" }
[[economies.CN.fleet]]
accelerator = "Ascend 910B"
vintage = 2024
channel = "legal"
count = { value = "10 chip", source = "epoch" }
[economies.CN.supply.quantum]
domestic_share = { value = 0.5, assumption = "why" }
[economies.CN.paths.utilization]
2027 = { value = 1.4, assumption = "why" }
20x8 = { value = 0.4, assumption = "why" }
[economies.CN.roadmap]
2027 = "Ascend 9000"
"""


def test_a_world_file_reports_every_problem_with_its_place() -> None:
    with pytest.raises(fullstack.FileFormatError) as info:
        load_world(WORLD_WITH_PROBLEMS, path="world.toml")
    found = _problems(info)
    assert set(found) == {
        "rules_in_force[1]",
        "economies.CN.currency",
        "economies.CN.figures.pue",
        "economies.CN.figures.utilisation",
        "economies.CN.figures.service_life.low",
        "economies.CN.figures.service_life.source",
        "economies.CN.figures.hbm_supply.colour",
        "economies.CN.fleet[0].vintage",
        "economies.CN.supply.quantum",
        'economies.CN.paths.utilization["2027"]',
        'economies.CN.paths.utilization["20x8"]',
        'economies.CN.roadmap["2027"]',
    }, found
    assert "without a unit" in found["economies.CN.figures.pue"]
    assert "did you mean 'utilization'" in found["economies.CN.figures.utilisation"]
    assert 'did you mean "epoch"' in found["economies.CN.figures.service_life.source"]


FLEET = """
schema_version = 1
base_year = 2025
[economies.CN]
currency = "CNY"
[[economies.CN.fleet]]
accelerator = "H100 SXM"
vintage = 2024
channel = "smuggled"
count = { value = "10 chip", assumption = "why" }
[[economies.CN.fleet]]
accelerator = "Ascend 910B"
vintage = 2024
channel = "legal"
count = { value = "10 chip", assumption = "why" }
"""


def test_a_fleet_channel_against_the_chips_designer_is_placed() -> None:
    with pytest.raises(fullstack.FileFormatError) as info:
        load_world(FLEET)
    found = _problems(info)
    assert set(found) == {"economies.CN.fleet[1].channel"}
    assert "designed in CN" in found["economies.CN.fleet[1].channel"]


# --- exchange_rates.toml ------------------------------------------------------------------------


def test_the_exchange_rates_equal_the_former_loaders() -> None:
    old, new = legacy_loaders.exchange_rates(), fullstack.exchange_rates()
    assert new == old
    assert [r.source for r in new] == [r.source for r in old]


RATES_WITH_PROBLEMS = """
schema_version = 1
[sources.g5a]
title = "G.5A"
publisher = "Federal Reserve"
[[rates]]
base = "USD"
quote = "RMB"
rates = { 2024 = 7.1957, 2025 = "7.19" }
source = "g5a"
[[rates]]
base = "EUR"
quote = "EUR"
rates = { 24 = 1.08, 2025 = -1.0 }
source = "g5"
[[rates]]
base = "USD"
rates = 7.1
source = "g5a"
"""


def test_a_rates_file_reports_every_problem_with_its_place() -> None:
    import tomllib

    with pytest.raises(fullstack.FileFormatError) as info:
        ExchangeRates.from_toml(tomllib.loads(RATES_WITH_PROBLEMS), path="rates.toml")
    found = _problems(info)
    assert set(found) == {
        "rates[0].quote",
        'rates[0].rates["2025"]',
        "rates[1].quote",
        'rates[1].rates["24"]',
        'rates[1].rates["2025"]',
        "rates[1].source",
        "rates[2].quote",
        "rates[2].rates",
    }, found
    assert 'did you mean "g5a"' in found["rates[1].source"]
    assert "a currency other than base" in found["rates[1].quote"]


def test_a_pair_and_year_given_twice_is_a_problem_of_the_rates() -> None:
    text = RATES_WITH_PROBLEMS.split("[[rates]]")[0] + (
        '[[rates]]\nbase = "USD"\nquote = "CNY"\nrates = { 2024 = 7.1 }\nsource = "g5a"\n'
        '[[rates]]\nbase = "CNY"\nquote = "USD"\nrates = { 2024 = 0.14 }\nsource = "g5a"\n'
    )
    import tomllib

    with pytest.raises(fullstack.FileFormatError) as info:
        ExchangeRates.from_toml(tomllib.loads(text))
    assert set(_problems(info)) == {"rates"}


# --- accelerators.toml --------------------------------------------------------------------------


def test_the_accelerators_equal_the_former_loaders() -> None:
    old, new = legacy_loaders.accelerators(), fullstack.accelerators()
    assert list(new) == list(old)
    for name, chip in old.items():
        assert new[name] == chip
        assert new[name].throughput == chip.throughput
        assert new[name].confirmed_by == chip.confirmed_by
        assert new[name].tdp == chip.tdp


ACCELERATORS_WITH_PROBLEMS = """
schema_version = 1
[sources.epoch]
title = "Data on Machine Learning Hardware"
publisher = "Epoch AI"
[[accelerators]]
name = "X1"
year = 1890
status = "rumoured"
throughput.INT8 = { value = "700 W", source = "epoch" }
throughput.BF17 = { value = "350 TFLOP/s", source = "epoch" }
memory = { value = "80 GB", low = "96 GB", source = "epoch" }
tdp = { value = "-700 W", source = "epoh" }
confirmed_by.memory = ["epoch", "techpowerup"]
[[accelerators]]
name = ""
datacenter = "yes"
memory_bandwidth = "3.35 TB/s"
clock = "1.8 GHz"
"""


def test_an_accelerators_file_reports_every_problem_with_its_place() -> None:
    from fullstack.accelerators import load_catalog

    with pytest.raises(fullstack.FileFormatError) as info:
        load_catalog(ACCELERATORS_WITH_PROBLEMS, path="accelerators.toml")
    found = _problems(info)
    assert set(found) == {
        "accelerators[0].year",
        "accelerators[0].status",
        "accelerators[0].throughput.INT8",
        "accelerators[0].throughput.BF17",
        "accelerators[0].memory.low",
        "accelerators[0].tdp",
        "accelerators[0].tdp.source",
        "accelerators[0].confirmed_by.memory[1]",
        "accelerators[1].name",
        "accelerators[1].datacenter",
        "accelerators[1].memory_bandwidth",
        "accelerators[1].clock",
    }, found
    assert 'did you mean "epoch"' in found["accelerators[0].tdp.source"]
