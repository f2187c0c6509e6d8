"""Counts of the reference world's figures by provenance; no figure may be unsourced.

Run with ``-s`` to see the counts. A figure is:

* **sourced** when it cites a published `Source` and is backed by more than that one reading:
  for a chip spec, a second source that agrees (`Accelerator.provenance` says "confirmed"); for
  an economy's figure, fleet count, statistic or supply share, a range (a low or a high: the
  range records where a second source or the source's own interval disagrees);
* **single-source** when it cites one published `Source` and nothing more;
* **assumption** when it is an explicit `Assumption` (calibrations, sums, conversions and
  judgements, each with its reason).

For economy figures the split between sourced and single-source is a proxy (a range can come
from one source's interval); the hard rule is that every figure has one of the three.
"""

from __future__ import annotations

from collections import Counter

import pytest

import fullstack

KINDS = ("sourced", "single-source", "assumption")


def provenance_kind(estimate: fullstack.Estimate) -> str:
    """Which of the three kinds an economy-level figure is."""
    if isinstance(estimate.source, fullstack.Assumption):
        return "assumption"
    if estimate.low is not None or estimate.high is not None:
        return "sourced"
    return "single-source"


def economy_counts(economy: fullstack.Economy) -> Counter[str]:
    """Kinds of the economy's own figures: figures, fleet counts, statistics, supply shares."""
    estimates = [
        *economy.figures.values(),
        *(e.count for e in economy.fleet),
        *(s.value for s in economy.statistics),
        *(s.domestic_share for s in economy.supply.values()),
    ]
    return Counter(provenance_kind(est) for est in estimates)


def chip_counts(world: fullstack.World) -> Counter[str]:
    """Kinds of the spec figures of the chips in the world's fleets (each chip once)."""
    chips = {
        e.accelerator.name: e.accelerator for ec in world.economies.values() for e in ec.fleet
    }
    kinds = {"confirmed": "sourced", "single-source": "single-source", "assumption": "assumption"}
    return Counter(kinds[k] for chip in chips.values() for k in chip.provenance().values())


@pytest.fixture(scope="module")
def world() -> fullstack.World:
    return fullstack.reference_world()


def test_every_figure_of_the_world_has_a_provenance_and_the_counts_are_printed(
    world: fullstack.World,
) -> None:
    assert fullstack.unsourced_figures(world) == []
    rows = {code: economy_counts(economy) for code, economy in world.economies.items()}
    rows["chips"] = chip_counts(world)
    total = sum((c for c in rows.values()), Counter())
    lines = ["Figures of the reference world by provenance:"]
    lines.append(f"  {'':<8}" + "".join(f"{kind:>15}" for kind in KINDS) + f"{'all':>8}")
    for name, counts in [*rows.items(), ("total", total)]:
        cells = "".join(f"{counts[kind]:>15}" for kind in KINDS)
        lines.append(f"  {name:<8}{cells}{sum(counts.values()):>8}")
    print("\n".join(lines))
    for counts in rows.values():
        assert set(counts) <= set(KINDS)
    assert sum(total.values()) > 100
    assert total["sourced"] + total["single-source"] > total["assumption"] / 2


@pytest.mark.parametrize("code", ["CN", "US"])
def test_each_economy_has_no_unsourced_figure(world: fullstack.World, code: str) -> None:
    economy = world.economies[code]
    assert fullstack.unsourced_figures(economy) == []
    assert sum(economy_counts(economy).values()) > 20


def test_an_unsourced_figure_is_caught() -> None:
    import attrs

    world = fullstack.reference_world()
    cn = world.economies["CN"]
    bad = attrs.evolve(cn, statistics=(*cn.statistics,))
    object.__setattr__(bad, "name", 3.5)  # a bare float where a figure could hide
    assert fullstack.unsourced_figures(bad) == [".name"]


def test_the_kinds_are_told_apart() -> None:
    src = fullstack.Source(title="T", publisher="P", url="https://example.org")
    assert provenance_kind(fullstack.Estimate(value=1.0, source=src)) == "single-source"
    assert provenance_kind(fullstack.Estimate(value=1.0, high=2.0, source=src)) == "sourced"
    given = fullstack.Estimate(value=1.0, source=fullstack.Assumption(reason="r"))
    assert provenance_kind(given) == "assumption"
