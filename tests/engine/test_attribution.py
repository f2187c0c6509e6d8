"""Attribution: exact Shapley shares of the difference between two scenarios."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fullstack
from fullstack.policy import ExportControl, GuidanceFund, InfrastructureProgramme

BASE = fullstack.Scenario(name="a", end=2030)
METRIC, YEAR = "cn.compute.installed", 2030


def _total(result: fullstack.Attribution) -> float:
    return sum(q.m_as("H100e") for q in result.shares.values())


@pytest.mark.parametrize("other", ["tighter", "self_reliance", "relaxed"])
def test_shares_sum_to_the_difference_and_the_ends_are_the_two_runs(other: str) -> None:
    a = fullstack.scenarios()["baseline"]
    b = fullstack.scenarios()[other]
    result = fullstack.attribute(a, b, METRIC, YEAR)
    assert result.before == a.run().value(METRIC, YEAR)
    assert result.after.m_as("H100e") == pytest.approx(b.run().value(METRIC, YEAR).m_as("H100e"))
    assert _total(result) == pytest.approx(result.difference.m_as("H100e"), abs=1e-3)


def test_a_policy_that_does_nothing_gets_nothing() -> None:
    late = GuidanceFund(name="Late fund", budget="50 GCNY", start=2031, end=2032, to_capacity=1)
    power = InfrastructureProgramme(name="Power", power_per_year="3 GW/year", start=2026)
    b = BASE + late + power
    result = fullstack.attribute(BASE, b, METRIC, YEAR)
    assert result.shares["+ Late fund"].magnitude == 0
    assert _total(result) == pytest.approx(result.difference.m_as("H100e"), abs=1e-3)


ONE_INSTRUMENT = st.sampled_from(
    [
        ExportControl(name="H20 ban", chips=["H20"], start=2026),
        InfrastructureProgramme(name="Power", power_per_year="4 GW/year", start=2026),
        GuidanceFund(name="Fund", budget="200 GCNY", start=2025, end=2028, to_capacity=1),
    ]
)


@settings(max_examples=6, deadline=None)
@given(ONE_INSTRUMENT, st.sampled_from(["baseline", "tighter", "self_reliance"]), st.booleans())
def test_scenarios_that_differ_by_one_instrument_attribute_everything_to_it(
    instrument: fullstack.policy.Instrument, name: str, removed: bool
) -> None:
    a = fullstack.scenarios()[name]
    b = a + instrument
    if removed:  # the same pair the other way round: the one player is a removal
        a, b = b, a
    result = fullstack.attribute(a, b, METRIC, YEAR)
    label = ("- " if removed else "+ ") + instrument.name
    assert set(result.shares) == {label}
    assert result.shares[label].m_as("H100e") == pytest.approx(
        result.difference.m_as("H100e"), abs=1e-6
    )
    expected = b.run().value(METRIC, YEAR) - a.run().value(METRIC, YEAR)
    assert result.difference.m_as("H100e") == pytest.approx(expected.m_as("H100e"), abs=1e-6)


def test_two_identical_policies_share_equally() -> None:
    ban = ExportControl(name="Ban 1", chips=["H20"], start=2026)
    twin = attrs.evolve(ban, name="Ban 2")
    result = fullstack.attribute(BASE, BASE + ban + twin, METRIC, YEAR)
    assert result.shares["+ Ban 1"] == result.shares["+ Ban 2"]


def test_removed_changed_and_assumption_players_are_labelled() -> None:
    fund = GuidanceFund(name="Fund", budget="100 GCNY", start=2025, end=2027, to_capacity=1)
    a = (BASE + fund).assume("cn.chips.smuggling_share", 0.1, reason="r")
    b = (BASE + attrs.evolve(fund, budget="300 GCNY")).assume(
        "cn.chips.smuggling_share", 0.5, reason="r"
    )
    labels = set(fullstack.attribute(a, b, METRIC, YEAR).shares)
    assert labels == {"~ Fund", "~ assumption cn.chips.smuggling_share"}
    c = BASE.assume("cn.hbm.supply", "1e6 hbm_stack/year", reason="r")
    assert set(fullstack.attribute(c, BASE, METRIC, YEAR).shares) == {"- assumption cn.hbm.supply"}


@settings(max_examples=10, deadline=None)
@given(st.permutations(["a", "b", "c"]))
def test_the_order_of_instruments_does_not_change_the_shares(order: list[str]) -> None:
    made = {
        "a": ExportControl(name="a", chips=["H20"], start=2026),
        "b": InfrastructureProgramme(name="b", power_per_year="2 GW/year", start=2026),
        "c": BASE.assume("cn.chips.smuggling_share", 0.6, reason="r").assumptions[0],
    }
    b = BASE + made["a"] + made["b"]
    b = attrs.evolve(b, assumptions=(made["c"],))
    reference = fullstack.attribute(BASE, b, METRIC, YEAR).shares
    shuffled = attrs.evolve(b, instruments=tuple(made[k] for k in order if k != "c"))
    again = fullstack.attribute(BASE, shuffled, METRIC, YEAR).shares
    for label, q in reference.items():
        assert again[label].m_as("H100e") == pytest.approx(q.m_as("H100e"), abs=1e-6)


def test_attribution_reports_as_text_frame_html_and_chart() -> None:
    result = fullstack.attribute(
        fullstack.scenarios()["baseline"], fullstack.scenarios()["relaxed"], METRIC, YEAR
    )
    assert "China: H20 and H200 purchases stopped" in str(result)
    assert set(result.to_frame().columns) == {"player", "share", "unit", "fraction"}
    assert "<table>" in result._repr_html_()
    result.plot()


def test_bad_attributions_are_named() -> None:
    with pytest.raises(fullstack.ValidationError, match="horizon"):
        fullstack.attribute(BASE, attrs.evolve(BASE, end=2031), METRIC, YEAR)
    with pytest.raises(fullstack.ValidationError, match="numeric"):
        fullstack.attribute(BASE, BASE, "cn.output.binding", YEAR)
    with pytest.raises(fullstack.ValidationError, match="permutations"):
        fullstack.attribute(BASE, BASE, METRIC, YEAR, permutations=0)
    with pytest.raises(fullstack.ValidationError, match="samples"):
        fullstack.attribute(BASE, BASE, METRIC, YEAR, samples=-1)
    with pytest.raises(fullstack.ValidationError, match="Scenario"):
        fullstack.attribute(BASE.run(), BASE, METRIC, YEAR)  # type: ignore[arg-type]
    for seed in ("x", -1, True):
        with pytest.raises(fullstack.ValidationError, match=r"^attribute.seed: expected"):
            fullstack.attribute(BASE, BASE, METRIC, YEAR, samples=2, seed=seed)  # type: ignore[arg-type]


def test_beyond_twelve_players_random_orders_estimate_the_shares() -> None:
    many = BASE + [
        InfrastructureProgramme(
            name=f"p{i}", power_per_year=f"{0.2 * (i + 1)} GW/year", start=2026
        )
        for i in range(13)
    ]
    result = fullstack.attribute(BASE, many, METRIC, YEAR, permutations=40)
    assert len(result.shares) == 13
    assert set(result.errors) == set(result.shares)
    # every order's marginal gains sum to the whole difference, so their mean does too
    assert _total(result) == pytest.approx(result.difference.m_as("H100e"), rel=1e-9, abs=1e-3)


def test_random_orders_agree_with_the_exact_values() -> None:
    a, b = fullstack.scenarios()["baseline"], fullstack.scenarios()["relaxed"]
    exact = fullstack.attribute(a, b, METRIC, YEAR)
    estimate = fullstack.attribute(a, b, METRIC, YEAR, permutations=300, seed=1)
    for label, q in exact.shares.items():
        error = estimate.errors[label].m_as("H100e")
        gap = abs(estimate.shares[label].m_as("H100e") - q.m_as("H100e"))
        assert gap <= 4 * error + 1e-6, label


def test_under_an_ensemble_each_share_has_a_range() -> None:
    a, b = fullstack.scenarios()["baseline"], fullstack.scenarios()["relaxed"]
    result = fullstack.attribute(a, b, METRIC, YEAR, samples=40, seed=2)
    assert result.samples == 40
    for label, (low, high) in result.ranges.items():
        assert low <= high, label
    again = fullstack.attribute(a, b, METRIC, YEAR, samples=40, seed=2)
    assert again.ranges == result.ranges
