"""Properties of the export rules (hypothesis): monotonicity, Note 2, scalar = vectorized, units.

Generated values lie on a 1e-3 grid (and include the thresholds themselves), so they are never
within the 6-decimal rounding the rules apply before comparing; the one case where that rounding
matters is tested explicitly at the end.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fullstack import Accelerator, accelerators, export_rule

RULES_2023_ON = ("2023-10", "2024-12")
ALL_RULES = ("2022-10", *RULES_2023_ON)
TPP_LINES = (1600.0, 2400.0, 4800.0)
PD_LINES = (1.6, 3.2, 5.92)


def grid(max_value: float, lines: tuple[float, ...]) -> st.SearchStrategy[float]:
    """Values on a 1e-3 grid, with extra weight on the thresholds and their neighbours."""
    on_grid = st.integers(min_value=0, max_value=int(max_value * 1000)).map(lambda k: k / 1000)
    near = st.sampled_from(lines).flatmap(
        lambda x: st.sampled_from([round(x - 1e-3, 3), x, round(x + 1e-3, 3)])
    )
    return st.one_of(on_grid, near)


tpps = grid(40000.0, TPP_LINES)
densities = grid(40.0, PD_LINES)
ios = grid(2000.0, (600.0,))
steps = st.integers(min_value=0, max_value=20_000_000).map(lambda k: k / 1000)
pd_steps = st.integers(min_value=0, max_value=20_000).map(lambda k: k / 1000)
rule_keys = st.sampled_from(ALL_RULES)


def classify(key: str, tpp: float | None, pd: float | None, io: float | None, dc: bool | None):
    return export_rule(key).classify_values(
        tpp=tpp, performance_density=pd, io_bandwidth=io, datacenter=dc
    )


# --- monotonicity --------------------------------------------------------------------------------


@given(
    key=rule_keys,
    tpp=tpps,
    pd=densities,
    io=ios,
    datacenter=st.booleans(),
    dt=steps,
    dp=pd_steps,
    di=steps,
)
def test_more_performance_never_decontrols(
    key: str,
    tpp: float,
    pd: float,
    io: float,
    datacenter: bool,
    dt: float,
    dp: float,
    di: float,
) -> None:
    before = classify(key, tpp, pd, io, datacenter)
    if before.controlled is not True:
        return
    for more in (
        (tpp + dt, pd, io),
        (tpp, pd + dp, io),
        (tpp, pd, io + di),
        (tpp + dt, pd + dp, io + di),
    ):
        after = classify(key, *more, datacenter)
        assert after.controlled is True, (before.to_dict(), more)


@pytest.mark.parametrize("datacenter", [True, False])
@given(key=rule_keys, tpp=tpps, pd=densities, io=ios, dt=steps, dp=pd_steps)
def test_monotone_separately_for_datacenter_and_other_parts(
    datacenter: bool, key: str, tpp: float, pd: float, io: float, dt: float, dp: float
) -> None:
    low = classify(key, tpp, pd, io, datacenter).controlled
    high = classify(key, tpp + dt, pd + dp, io, datacenter).controlled
    assert not (low is True and high is False)


@given(key=st.sampled_from(RULES_2023_ON), tpp=tpps, pd=densities)
def test_a_datacenter_part_is_controlled_whenever_the_same_other_part_is(
    key: str, tpp: float, pd: float
) -> None:
    # Note 2 only ever removes parts that are not designed or marketed for data centers.
    if classify(key, tpp, pd, None, False).controlled:
        assert classify(key, tpp, pd, None, True).controlled is True


# --- Note 2 --------------------------------------------------------------------------------------


@given(
    key=st.sampled_from(RULES_2023_ON),
    tpp=st.integers(min_value=0, max_value=4_799_999).map(lambda k: k / 1000),
    pd=st.none() | densities,
)
def test_non_datacenter_below_4800_is_never_controlled(
    key: str, tpp: float, pd: float | None
) -> None:
    result = classify(key, tpp, pd, None, False)
    assert result.controlled is False
    assert result.paragraphs == ()
    assert result.license_exceptions == ()


@given(key=st.sampled_from(RULES_2023_ON), rate=st.integers(min_value=1, max_value=599_999))
def test_non_datacenter_chip_below_4800_is_never_controlled(key: str, rate: int) -> None:
    # INT8 rates under 600 TOPS: TPP under 4800.
    chip = Accelerator(
        name="consumer",
        throughput={"INT8": f"{rate / 1000} TOPS"},
        die_area="100 mm^2",
        datacenter=False,
    )
    assert export_rule(key).classify(chip).controlled is False


@given(key=st.sampled_from(RULES_2023_ON), tpp=tpps, pd=st.none() | densities)
def test_at_or_above_4800_datacenter_does_not_matter(
    key: str, tpp: float, pd: float | None
) -> None:
    if tpp < 4800:
        return
    results = {classify(key, tpp, pd, None, dc).controlled for dc in (True, False, None)}
    assert results == {True}


# --- scalar and vectorized classification agree --------------------------------------------------


def nan_or(values: st.SearchStrategy[float]) -> st.SearchStrategy[float]:
    return st.one_of(values, st.just(math.nan))


elements = st.tuples(nan_or(tpps), nan_or(densities), nan_or(ios), st.booleans())


def none_if_nan(x: float) -> float | None:
    return None if math.isnan(x) else x


@given(key=rule_keys, rows=st.lists(elements, min_size=1, max_size=12))
def test_scalar_and_vectorized_agree(
    key: str, rows: list[tuple[float, float, float, bool]]
) -> None:
    rule = export_rule(key)
    tpp, pd, io, dc = (np.array(col) for col in zip(*rows, strict=True))
    arrays = rule.classify_arrays(tpp=tpp, performance_density=pd, io_bandwidth=io, datacenter=dc)
    for i, (t, p, b, d) in enumerate(rows):
        one = classify(key, none_if_nan(t), none_if_nan(p), none_if_nan(b), bool(d))
        if one.controlled is None:
            assert not arrays.determined[i], (t, p, b, d)
            assert not arrays.controlled[i]
        else:
            assert arrays.determined[i], (t, p, b, d)
            assert bool(arrays.controlled[i]) is one.controlled, (t, p, b, d)
        if one.controlled:
            met = {pid for pid, arr in arrays.paragraphs.items() if arr[i]}
            assert met == set(one.paragraphs)


@given(key=rule_keys, tpp=tpps, pd=densities, dc=st.booleans())
def test_zero_dimensional_arrays_agree(key: str, tpp: float, pd: float, dc: bool) -> None:
    rule = export_rule(key)
    one = classify(key, tpp, pd, 700.0, dc)
    arrays = rule.classify_arrays(
        tpp=tpp, performance_density=pd, io_bandwidth=700.0, datacenter=dc
    )
    assert arrays.controlled.shape == ()
    assert bool(arrays.controlled) is bool(one.controlled)


@pytest.mark.parametrize("key", ALL_RULES)
def test_catalog_chips_scalar_and_vectorized_agree(key: str) -> None:
    rule = export_rule(key)
    chips = list(accelerators().values())
    results = [rule.classify(chip) for chip in chips]

    def column(name: str) -> np.ndarray:
        values = [r.to_dict()["values"].get(name) for r in results]
        return np.array([math.nan if v is None else v for v in values], dtype=float)

    arrays = rule.classify_arrays(
        tpp=column("tpp"),
        performance_density=column("performance_density"),
        io_bandwidth=column("io_bandwidth"),
        datacenter=[bool(c.datacenter) for c in chips],
    )
    for i, (chip, one) in enumerate(zip(chips, results, strict=True)):
        assert chip.datacenter is not None  # the catalog knows every part's market
        assert bool(arrays.determined[i]) is (one.controlled is not None), chip.name
        assert bool(arrays.controlled[i]) is bool(one.controlled), chip.name


# --- determinism ---------------------------------------------------------------------------------


@given(key=rule_keys, tpp=nan_or(tpps), pd=nan_or(densities), dc=st.booleans())
def test_classification_is_deterministic(key: str, tpp: float, pd: float, dc: bool) -> None:
    first = classify(key, none_if_nan(tpp), none_if_nan(pd), 650.0, dc)
    second = classify(key, none_if_nan(tpp), none_if_nan(pd), 650.0, dc)
    assert first == second
    assert first.to_dict() == second.to_dict()
    rule = export_rule(key)
    a = rule.classify_arrays(tpp=[tpp], performance_density=[pd], datacenter=dc)
    b = rule.classify_arrays(tpp=[tpp], performance_density=[pd], datacenter=dc)
    np.testing.assert_array_equal(a.controlled, b.controlled)
    np.testing.assert_array_equal(a.determined, b.determined)


@pytest.mark.parametrize("key", ALL_RULES)
def test_catalog_classification_is_deterministic(key: str) -> None:
    rule = export_rule(key)
    for chip in accelerators().values():
        assert rule.classify(chip) == rule.classify(chip)


# --- plain numbers and unit strings agree --------------------------------------------------------


@given(
    key=rule_keys,
    tpp=st.integers(min_value=0, max_value=40_000),
    area=st.integers(min_value=1, max_value=5_000),
    io=st.integers(min_value=0, max_value=2_000),
    dc=st.booleans(),
)
def test_plain_numbers_equal_unit_strings(
    key: str, tpp: int, area: int, io: int, dc: bool
) -> None:
    rule = export_rule(key)
    plain = rule.classify_values(tpp=tpp, die_area=area, io_bandwidth=io, datacenter=dc)
    variants = [
        {"tpp": f"{tpp} TPP", "die_area": f"{area} mm^2", "io_bandwidth": f"{io} GB/s"},
        {"tpp": tpp, "die_area": f"{area / 100!r} cm^2", "io_bandwidth": f"{io / 1000!r} TB/s"},
        {"tpp": f"{tpp} bit*TOPS", "die_area": f"{area}mm**2", "io_bandwidth": io},
    ]
    for kwargs in variants:
        other = rule.classify_values(datacenter=dc, **kwargs)
        assert other.controlled == plain.controlled, kwargs
        assert other.paragraphs == plain.paragraphs, kwargs
        assert other.license_exceptions == plain.license_exceptions, kwargs
        assert other.tpp == pytest.approx(plain.tpp)
        assert other.performance_density == pytest.approx(plain.performance_density)


@given(
    tpp=st.integers(min_value=0, max_value=40_000),
    area=st.integers(min_value=1, max_value=5_000),
)
def test_die_area_equals_the_density_it_implies(tpp: int, area: int) -> None:
    rule = export_rule("2023-10")
    by_area = rule.classify_values(tpp=tpp, die_area=area)
    by_density = rule.classify_values(tpp=tpp, performance_density=tpp / area)
    assert by_area.controlled == by_density.controlled
    assert by_area.paragraphs == by_density.paragraphs


# --- the rounding the scalar and vectorized paths apply ------------------------------------------


@pytest.mark.parametrize(
    ("key", "tpp", "pd", "io"),
    [
        ("2023-10", 4799.9999995, 1.0, None),  # a.1
        ("2023-10", 2399.9999995, 2.0, None),  # b.1
        ("2022-10", 5000.0, None, 599.9999995),  # I/O
    ],
)
def test_scalar_and_vectorized_round_alike(
    key: str, tpp: float, pd: float | None, io: float | None
) -> None:
    rule = export_rule(key)
    one = classify(key, tpp, pd, io, True)
    arrays = rule.classify_arrays(
        tpp=[tpp],
        performance_density=[math.nan if pd is None else pd],
        io_bandwidth=[math.nan if io is None else io],
    )
    assert bool(arrays.controlled[0]) is bool(one.controlled)
