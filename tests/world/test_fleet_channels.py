"""Fleets by channel: every row says how its chips arrived; totals carry their range."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import fullstack
from fullstack import Economy, Estimate, FleetEntry
from fullstack.world import CHANNELS, load_world


@pytest.fixture(scope="module")
def world() -> fullstack.World:
    return fullstack.reference_world()


def test_every_fleet_row_has_one_of_three_channels(world: fullstack.World) -> None:
    for code, economy in world.economies.items():
        for entry in economy.fleet:
            assert entry.channel in CHANNELS, (code, entry.accelerator.name)
            home = entry.accelerator.designer_jurisdiction == code
            assert (entry.channel == "domestic") == home, (code, entry.accelerator.name)


def test_china_holds_all_three_channels(world: fullstack.World) -> None:
    rows = world.economies["CN"].fleet_by_channel()
    assert [r["channel"] for r in rows] == ["domestic", "legal", "smuggled", "total"]
    for r in rows:
        assert 0 <= r["h100e_low"] <= r["h100e"] <= r["h100e_high"], r
    total = rows[-1]
    assert total["h100e"] == pytest.approx(sum(r["h100e"] for r in rows[:-1]))
    assert total["h100e_low"] == pytest.approx(sum(r["h100e_low"] for r in rows[:-1]))


def test_fleet_total_is_the_sum_of_the_rows_and_matches_fleet_h100e(
    world: fullstack.World,
) -> None:
    for economy in world.economies.values():
        total = economy.fleet_total()
        assert total.value.m_as("H100e") == pytest.approx(economy.fleet_h100e.m_as("H100e"))
        assert total.low <= total.value <= total.high
        by_channel = sum(economy.fleet_total(c).value.m_as("H100e") for c in CHANNELS)
        assert by_channel == pytest.approx(total.value.m_as("H100e"))


def test_a_missing_low_counts_as_the_central_value() -> None:
    e = Economy(
        code="XX",
        name="X",
        currency="USD",
        fleet=[
            FleetEntry("H100 SXM", 2024, "10 chip"),
            FleetEntry(
                "H100 SXM",
                2025,
                Estimate(
                    value="20 chip", high="30 chip", source=fullstack.Assumption(reason="test")
                ),
            ),
        ],
    )
    total = e.fleet_total()
    assert not math.isnan(total.low.m_as("H100e"))
    assert total.low.m_as("H100e") == pytest.approx(30.0)
    assert total.value.m_as("H100e") == pytest.approx(30.0)
    assert total.high.m_as("H100e") == pytest.approx(40.0)


def test_domestic_share_of_china_is_between_its_bounds(world: fullstack.World) -> None:
    share = world.economies["CN"].domestic_share()
    assert 0 < share.low <= share.value <= share.high < 1
    dom = world.economies["CN"].fleet_total("domestic").value.m_as("H100e")
    assert share.value == pytest.approx(dom / world.economies["CN"].fleet_h100e.m_as("H100e"))


def test_a_legal_home_designed_chip_becomes_domestic_and_bad_channels_are_refused() -> None:
    e = Economy(code="US", name="US", currency="USD", fleet=[FleetEntry("H100 SXM", 2024, 10)])
    assert e.fleet[0].channel == "domestic"
    with pytest.raises(fullstack.ValidationError, match="domestic"):
        Economy(
            code="CN",
            name="CN",
            currency="CNY",
            fleet=[FleetEntry("H100 SXM", 2024, 10, "domestic")],
        )
    with pytest.raises(fullstack.ValidationError, match="smuggled"):
        Economy(
            code="CN",
            name="CN",
            currency="CNY",
            fleet=[FleetEntry("Ascend 910B", 2024, 10, "smuggled")],
        )
    with pytest.raises(fullstack.ValidationError, match="channel"):
        FleetEntry("H100 SXM", 2024, 10, "imported")
    with pytest.raises(fullstack.FullstackError):
        fullstack.reference_world().economies["CN"].fleet_total("grey")


@given(st.text(max_size=12).filter(lambda s: s not in CHANNELS))
def test_any_other_channel_is_refused(channel: str) -> None:
    with pytest.raises(fullstack.ValidationError):
        FleetEntry("H100 SXM", 2024, 10, channel)


WORLD = """
schema_version = 1
base_year = 2025
[economies.US]
name = "US"
currency = "USD"
[[economies.US.fleet]]
accelerator = "H100 SXM"
vintage = 2024
count = { value = "10 chip", assumption = "test" }
"""


def test_a_world_file_must_state_each_rows_channel() -> None:
    with pytest.raises(fullstack.FileFormatError, match=r"fleet\[0\]\.channel"):
        load_world(WORLD)
    # a US-designed chip in the US must say "domestic", not "legal"
    with pytest.raises(fullstack.FileFormatError, match="domestic"):
        load_world(WORLD.replace("vintage = 2024", 'vintage = 2024\nchannel = "legal"'))
    w = load_world(WORLD.replace("vintage = 2024", 'vintage = 2024\nchannel = "domestic"'))
    assert w.economies["US"].fleet[0].channel == "domestic"


def test_the_world_command_shows_each_fleet_by_channel_with_its_range(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from fullstack.cli import main

    assert main(["world"]) == 0
    out = capsys.readouterr().out
    assert out.count("Installed fleet by channel (H100e):") == 2
    assert "smuggled" in out
    assert " to " in out
