"""Distributions for assumptions, and rank correlations between drawn parameters."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fullstack
from fullstack.distributions import (
    Choice,
    Correlation,
    Distribution,
    LogNormal,
    Normal,
    Triangular,
    Uniform,
    from_table,
    norm_ppf,
)
from fullstack.engine import _draw, uncertain_figures
from fullstack.errors import DimensionError, FileFormatError, ValidationError
from fullstack.scenario import Override

STOCK = Triangular("4e6 hbm_stack", "7.4e6 hbm_stack", "1e7 hbm_stack")
BASE = fullstack.Scenario(name="s", end=2026)


def _stockpile(e: fullstack.Ensemble) -> np.ndarray:
    return e.projection.inputs["CN"].kernel.params["hbm.stockpile"][:, 0]


# --- the distributions ---------------------------------------------------------------------------

DISTRIBUTIONS: list[tuple[Distribution, float, float]] = [
    (Uniform(0.2, 0.5), 0.2, 0.5),
    (Triangular(1.0, 1.5, 4.0), 1.0, 4.0),
    (Triangular(2.0, 2.0, 2.0), 2.0, 2.0),
    (Normal(1.0, 0.5), -np.inf, np.inf),
    (Normal(1.0, 0.5, low=0.8, high=3.0), 0.8, 3.0),
    (Normal(1.0, 0.5, low=3.0), 3.0, np.inf),
    (LogNormal(2.0, 0.7), 0.0, np.inf),
    (Choice([3.0, 1.0, 2.0], weights=[1, 0, 2]), 1.0, 3.0),
]


@pytest.mark.parametrize(("dist", "low", "high"), DISTRIBUTIONS, ids=str)
@settings(max_examples=50, deadline=None)
@given(u=st.lists(st.floats(0.0, 1.0, exclude_max=True), min_size=1, max_size=50))
def test_ppf_is_monotone_and_within_bounds(
    dist: Distribution, low: float, high: float, u: list[float]
) -> None:
    ordered = np.sort(np.array(u))
    x = dist.ppf(ordered, "")
    assert x.shape == ordered.shape
    assert (x[1:] >= x[:-1]).all()
    assert (x >= low).all()
    assert (x <= high).all()


def test_central_values() -> None:
    assert Uniform("1 GW", "3 GW").central == fullstack.Q_("2 GW")
    assert STOCK.central == fullstack.Q_("7.4e6 hbm_stack")
    assert Normal(0.5, 0.1).central == 0.5
    assert Normal(0.5, 0.1, low=0.6, high=0.9).central == 0.6
    assert LogNormal("4 GW", 0.3).central == fullstack.Q_("4 GW")
    assert Choice([0.1, 0.2, 0.3], weights=[1, 2, 2]).central == 0.2


def test_quantiles_in_the_parameters_unit() -> None:
    u = np.array([0.5])
    assert Uniform("1 GW", "3 GW").ppf(u, "MW").tolist() == [2000.0]
    np.testing.assert_allclose(Normal(0, 1).ppf(np.array([0.975]), ""), [1.959964], rtol=1e-6)
    np.testing.assert_allclose(norm_ppf(np.array([1e-10, 0.3, 0.99])),
                               [-6.361340902, -0.524400513, 2.326347874], rtol=1e-8)  # fmt: skip
    lognormal = LogNormal.from_range("2 GW", "8 GW")
    np.testing.assert_allclose(lognormal.ppf(np.array([0.05, 0.5, 0.95]), "GW"), [2, 4, 8])


@pytest.mark.parametrize(
    ("make", "where"),
    [
        (lambda: Uniform(2, 1), "Uniform.high"),
        (lambda: Triangular(1, 0, 2), "Triangular.mode"),
        (lambda: Triangular(0, 3, 2), "Triangular.high"),
        (lambda: Normal(0, -1), "Normal.sd"),
        (lambda: Normal(0, 1, low=1, high=0), "Normal.high"),
        (lambda: LogNormal(0, 1), "LogNormal.median"),
        (lambda: LogNormal(1, -1), "LogNormal.sigma"),
        (lambda: Choice([]), "Choice.values"),
        (lambda: Choice([1, 2], weights=[1]), "Choice.weights"),
        (lambda: Choice([1, 2], weights=[-1, 2]), "Choice.weights[0]"),
        (lambda: Uniform("1 GW", 2), "Uniform.high"),
        (lambda: Uniform(float("nan"), 2), "Uniform.low"),
        (lambda: Correlation(a="x", b="y", rho=1.0), "Correlation.rho"),
    ],
)
def test_bad_distributions_are_named(make: object, where: str) -> None:
    with pytest.raises(ValidationError) as info:
        make()  # type: ignore[operator]
    assert info.value.where == where


def test_values_of_different_dimensions_are_refused() -> None:
    with pytest.raises(DimensionError, match=r"Triangular\.high"):
        Triangular("1 GW", "2 GW", "3 hbm_stack")


# --- in scenarios --------------------------------------------------------------------------------


def test_an_override_checks_a_distribution_against_the_parameters_unit() -> None:
    o = Override(parameter="cn.datacenter.power", value=Uniform("500 MW", "2 GW"), reason="r")
    assert o.value.low == fullstack.Q_("0.5 GW")
    assert o.is_uncertain
    with pytest.raises(DimensionError, match=r"cn\.hbm\.stockpile\)\.value\.low"):
        Override(
            parameter="cn.hbm.stockpile", value=Triangular("1 GW", "2 GW", "3 GW"), reason="r"
        )
    with pytest.raises(ValidationError, match="fraction"):
        Override(
            parameter="cn.chips.smuggling_share",
            value=Uniform("1 GW", "2 GW"),
            reason="r",
        )
    assert not Override(parameter="cn.datacenter.pue", value=1.2, reason="r").is_uncertain


def test_a_deterministic_run_uses_the_central_value() -> None:
    assumed = BASE.assume("cn.hbm.stockpile", STOCK, reason="r")
    fixed = BASE.assume("cn.hbm.stockpile", "7.4e6 hbm_stack", reason="r")
    a, b = assumed.run(), fixed.run()
    for name in a.metrics:
        np.testing.assert_array_equal(a.series[name], b.series[name], err_msg=name)
    assert "triangular" in assumed.assumptions[0].describe()


def test_an_ensemble_draws_the_assumption() -> None:
    n = 20_000
    e = BASE.assume("cn.hbm.stockpile", STOCK, reason="r").ensemble(n, seed=11)
    assert "assumption:cn.hbm.stockpile" in e.uncertain
    drawn = _stockpile(e)
    probs = np.array([0.05, 0.25, 0.5, 0.75, 0.95])
    expected = STOCK.ppf(probs, "hbm_stack")
    np.testing.assert_allclose(np.quantile(drawn, probs), expected, rtol=0.01)


def test_a_path_of_distributions_takes_one_quantile_per_sample() -> None:
    path = {2025: Uniform(0.1, 0.2), 2026: Uniform(0.3, 0.5)}
    s = BASE.assume("cn.chips.smuggling_share", path, reason="r")
    share = s.ensemble(300, seed=1).projection.inputs["CN"].kernel.params["chips.smuggling_share"]
    np.testing.assert_allclose((share[:, 1] - 0.3) / 0.2, (share[:, 0] - 0.1) / 0.1, atol=1e-9)
    central = s.run().inputs["CN"].kernel.params["chips.smuggling_share"][0]
    np.testing.assert_allclose(central, [0.15, 0.4])


def test_a_plain_override_stops_the_figure_behind_it_from_being_drawn() -> None:
    s = BASE.assume("cn.hbm.stockpile", "5e6 hbm_stack", reason="r")
    e = s.ensemble(200, seed=4)
    assert "CN.hbm_stockpile" in e.uncertain  # drawn, so other figures keep their numbers
    np.testing.assert_array_equal(_stockpile(e), 5e6)
    assert np.ptp(_stockpile(BASE.ensemble(200, seed=4))) > 0


def test_an_uncertain_assumption_leaves_the_figures_draws_alone() -> None:
    names, before = _draw(BASE, 100, 5)
    s = BASE.assume("cn.datacenter.pue", Uniform(1.1, 1.5), reason="r")
    names_after, after = _draw(s, 100, 5)
    assert names_after == [*names, "assumption:cn.datacenter.pue"] == sorted(names_after)
    np.testing.assert_array_equal(after[:, : len(names)], before)


def test_assumptions_are_reproducible_whatever_the_chunking() -> None:
    s = BASE.assume("cn.hbm.stockpile", STOCK, reason="r")
    s = attrs.evolve(s, correlations=(_pair(0.6),))
    whole, chunked = s.ensemble(90, seed=3), s.ensemble(90, seed=3, chunk_size=25)
    for name in whole.projection.metrics:
        np.testing.assert_array_equal(
            whole.projection.series[name], chunked.projection.series[name], err_msg=name
        )


# --- correlations --------------------------------------------------------------------------------


def _pair(rho: float) -> Correlation:
    return Correlation(a="cn.hbm.stockpile", b="CN.chips.smuggling_share", rho=rho)


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    rx, ry = np.argsort(np.argsort(x)), np.argsort(np.argsort(y))
    return float(np.corrcoef(rx, ry)[0, 1])


@pytest.mark.parametrize("rho", [-0.7, 0.3, 0.5, 0.9])
def test_correlated_draws_have_the_rank_correlation_asked_for(rho: float) -> None:
    s = attrs.evolve(BASE.assume("cn.hbm.stockpile", STOCK, reason="r"),
                     correlations=(_pair(rho),))  # fmt: skip
    e = s.ensemble(5_000, seed=2)
    stock = _stockpile(e)
    share = e.projection.inputs["CN"].kernel.params["chips.smuggling_share"][:, 0]
    assert abs(_spearman(stock, share) - rho) < 0.05


def test_correlating_keeps_each_margin_and_the_other_columns() -> None:
    names, plain = _draw(BASE, 1000, 9)
    correlated = attrs.evolve(BASE, correlations=(_pair(0.8),))
    names_c, drawn = _draw(correlated, 1000, 9)
    assert names == names_c
    np.testing.assert_array_equal(np.sort(drawn, axis=0), np.sort(plain, axis=0))
    a, b = names.index("CN.hbm_stockpile"), names.index("CN.smuggling_share")
    others = [i for i in range(len(names)) if i not in (a, b)]
    np.testing.assert_array_equal(drawn[:, others], plain[:, others])
    again = _draw(correlated, 1000, 9)[1]
    np.testing.assert_array_equal(drawn, again)


def test_three_correlations_at_once() -> None:
    third = Correlation(a="cn.hbm.stockpile", b="cn.foundry.capacity", rho=-0.4)
    s = attrs.evolve(BASE, correlations=(_pair(0.5), third))
    names, u = _draw(s, 5000, 1)
    stock, share = u[:, names.index("CN.hbm_stockpile")], u[:, names.index("CN.smuggling_share")]
    capacity = u[:, names.index("CN.advanced_foundry_capacity")]
    assert abs(_spearman(stock, share) - 0.5) < 0.05
    assert abs(_spearman(stock, capacity) + 0.4) < 0.05


def test_a_matrix_that_is_not_positive_definite_names_the_pair() -> None:
    third = Correlation(a="cn.hbm.stockpile", b="cn.foundry.capacity", rho=0.3)
    fourth = Correlation(a="cn.chips.smuggling_share", b="cn.foundry.capacity", rho=-0.9)
    with pytest.raises(ValidationError, match=r"correlations\[2\].*smuggling_share ~ cn\.found"):
        attrs.evolve(BASE, correlations=(_pair(0.9), third, fourth))


def test_bad_correlations_are_named() -> None:
    with pytest.raises(ValidationError, match="one correlation per pair"):
        attrs.evolve(BASE, correlations=(_pair(0.1), _pair(0.2)))
    with pytest.raises(fullstack.UnknownNameError):
        attrs.evolve(BASE, correlations=(Correlation(a="cn.hbm.stockpil", b="cn.x.y", rho=0),))
    fixed = attrs.evolve(
        BASE.assume("cn.hbm.stockpile", "5e6 hbm_stack", reason="r"), correlations=(_pair(0.5),)
    )
    with pytest.raises(ValidationError, match="which an assumption fixes"):
        fixed.ensemble(10)
    certain = Correlation(a="cn.foundry.dies_per_wafer", b="cn.hbm.stockpile", rho=0.5)
    with pytest.raises(ValidationError, match="whose figure has no range"):
        attrs.evolve(BASE, correlations=(certain,)).ensemble(10)
    assert "CN.dies_per_wafer" not in uncertain_figures(BASE.base_world())


# --- files ---------------------------------------------------------------------------------------


def _everything() -> fullstack.Scenario:
    s = BASE.assume("cn.hbm.stockpile", STOCK, reason="r")
    s = s.assume("cn.chips.smuggling_share", {2025: Uniform(0.1, 0.3), 2026: 0.2}, reason="q")
    s = s.assume("cn.datacenter.pue", Choice([1.2, 1.4], weights=[1, 2]), reason="q")
    s = s.assume("cn.foundry.capacity", Normal("6e4 wafer/month", "1e4 wafer/month",
                                                low="3e4 wafer/month"), reason="q")  # fmt: skip
    s = s.assume("cn.datacenter.power", LogNormal.from_range("5 GW", "20 GW"), reason="q")
    return attrs.evolve(s, correlations=(_pair(0.5),))


@pytest.mark.parametrize("fmt", ["toml", "json"])
def test_distributions_and_correlations_round_trip_through_files(fmt: str) -> None:
    s = _everything()
    text = fullstack.dumps(s, format=fmt)
    assert fullstack.loads(text, format=fmt) == s
    if fmt == "toml":
        assert 'distribution = "triangular"' in text
        assert "rho = 0.5" in text


def test_a_distribution_table_reads_like_the_docs_say() -> None:
    text = """
schema_version = 1
name = "x"

[[assumptions]]
parameter = "cn.hbm.stockpile"
reason = "r"
value = { distribution = "triangular", low = "4e6 hbm_stack", mode = "7.4e6 hbm_stack", high = "1e7 hbm_stack" }

[[correlations]]
a = "cn.hbm.stockpile"
b = "cn.chips.smuggling_share"
rho = 0.5
"""  # noqa: E501
    s = fullstack.loads(text)
    assert s.assumptions[0].value == STOCK
    assert s.correlations == attrs.evolve(BASE, correlations=(_pair(0.5),)).correlations


def test_bad_files_report_every_problem_with_its_path() -> None:
    text = """
schema_version = 1
name = "x"

[[assumptions]]
parameter = "cn.hbm.stockpile"
reason = "r"
value = { distribution = "triangular", low = "4e6 hbm_stack", mod = "7.4e6 hbm_stack" }

[[assumptions]]
parameter = "cn.datacenter.pue"
reason = "r"
value = { distribution = "gaussian", mean = 1.2 }

[[assumptions]]
parameter = "cn.foundry.capacity"
reason = "r"
value = { 2026 = { distribution = "uniform", low = "1 GW", high = "2 GW" } }

[[correlations]]
a = "cn.hbm.stockpile"
b = "cn.chips.smuggling_share"
rho = 1.5
"""
    with pytest.raises(FileFormatError) as info:
        fullstack.loads(text)
    message = str(info.value)
    assert "4 problems" in message
    assert "assumptions[0]" in message
    assert "unknown key 'mod'" in message
    assert "missing 'mode'" in message
    assert "missing 'high'" in message
    assert "assumptions[1]" in message
    assert "'gaussian'" in message
    assert "assumptions[2]" in message
    assert "assumptions[1].value.distribution: expected one of 'uniform'" in message
    assert "assumptions[2].value[2026].low: expected a wafer throughput" in message
    assert "correlations[0].rho" in message


def test_from_table_names_its_family() -> None:
    assert from_table({"distribution": "normal", "mean": 1, "sd": 0.1}) == Normal(1.0, 0.1)
    with pytest.raises(ValidationError, match="'uniform', 'triangular'"):
        from_table({"distribution": 3})


def test_bad_correlations_in_files_are_placed() -> None:
    text = """
schema_version = 1
name = "x"

[[correlations]]
a = "cn.hbm.stockpile"
b = "cn.chips.smuggling_share"
rho = 0.9

[[correlations]]
a = "cn.hbm.stockpile"
b = "cn.foundry.capacity"
rho = 0.3

[[correlations]]
a = "cn.chips.smuggling_share"
b = "cn.foundry.capacity"
rho = -0.9
"""
    with pytest.raises(FileFormatError, match=r"correlations\[2\]: expected correlations that"):
        fullstack.loads(text)
    with pytest.raises(FileFormatError, match=r"Scenario.correlations\[0\]\) 'hbm.stockpil'"):
        fullstack.loads(text.replace('a = "cn.hbm.stockpile"', 'a = "cn.hbm.stockpil"', 1))


@pytest.mark.parametrize(
    "dist",
    [
        Uniform(0.3, 0.3),
        Triangular(0.3, 0.3, 0.3),
        Normal(0.3, 0.0),
        Choice([0.3]),
        LogNormal(0.3, 0.0),
    ],
    ids=str,
)
def test_a_zero_width_distribution_draws_its_central_value(dist: Distribution) -> None:
    s = BASE.assume("cn.chips.smuggling_share", dist, reason="r")
    share = s.ensemble(50, seed=1).projection.inputs["CN"].kernel.params["chips.smuggling_share"]
    np.testing.assert_allclose(share, 0.3)
    np.testing.assert_allclose(s.run().inputs["CN"].kernel.params["chips.smuggling_share"], 0.3)


def test_correlate_adds_or_replaces_a_pair() -> None:
    s = BASE.correlate("cn.hbm.stockpile", "cn.chips.smuggling_share", 0.5)
    s = s.correlate("CN.chips.smuggling_share", "cn.hbm.stockpile", -0.2)
    assert [(c.a, c.b, c.rho) for c in s.correlations] == [
        ("cn.chips.smuggling_share", "cn.hbm.stockpile", -0.2)
    ]
    assert "+ correlation cn.chips.smuggling_share ~ cn.hbm.stockpile = -0.2" in str(BASE.diff(s))


@pytest.mark.parametrize(
    ("make", "where"),
    [
        (lambda: Triangular(None, 1, 2), "Triangular.low"),
        (lambda: Uniform(0, None), "Uniform.high"),
        (lambda: LogNormal(None, 0.2), "LogNormal.median"),
    ],
)
def test_a_missing_value_is_named(make: Any, where: str) -> None:
    with pytest.raises(ValidationError, match=rf"^{where}: expected a quantity"):
        make()


@pytest.mark.parametrize(
    ("value", "where"),
    [
        (2.0, r"value"),
        (-0.1, r"value"),
        (Uniform(0.5, 2.0), r"value\.high"),
        (Triangular(-0.2, 0.1, 0.3), r"value\.low"),
        ({2026: 0.2, 2028: 1.5}, r"value\[2028\]"),
    ],
)
def test_a_share_outside_zero_one_is_refused(value: Any, where: str) -> None:
    with pytest.raises(ValidationError, match=rf"{where}: expected a share between 0 and 1"):
        BASE.assume("cn.chips.smuggling_share", value, reason="r")


def test_a_normal_share_may_have_tails_beyond_zero_one() -> None:
    s = BASE.assume("cn.chips.smuggling_share", Normal(0.3, 0.2), reason="r")
    share = s.ensemble(200, seed=2).projection.inputs["CN"].kernel.params["chips.smuggling_share"]
    assert share.min() >= 0.0
    assert share.max() <= 1.0
