"""The policy core: parameter names, effects and their combination rule, the type registry."""

from __future__ import annotations

import math
from types import SimpleNamespace

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import fullstack
from fullstack.policy import (
    Add,
    Beneficiary,
    Cap,
    Context,
    Floor,
    Instrument,
    Scale,
    combine,
    instrument_types,
    parameter,
    register_instrument,
    resolve,
    tag_of,
    type_for,
    unregister,
)
from fullstack.policy import instruments as registry_module
from fullstack.policy.parameters import PARAMETERS

P = "cn.datacenter.power"
Y = 2026


# --- parameter names ---------------------------------------------------------------------------


def test_every_registered_parameter_parses_with_a_unit_and_a_layer() -> None:
    stack = fullstack.default_stack()
    for key, spec in PARAMETERS.items():
        index = {"chip": "[H20]", "layer": "[memory]", None: ""}[spec.index]
        name = parameter(f"cn.{key}{index}")
        assert name.key == key
        assert spec.layer in stack
        assert spec.description
        if spec.unit not in ("fraction",):
            fullstack.parse_unit(spec.unit.replace("{currency}", "CNY"))


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("cn.foundry.capasity", fullstack.UnknownNameError),
        ("cn.chips.import_cap", fullstack.ValidationError),
        ("cn.foundry.capacity[H20]", fullstack.ValidationError),
        ("cn.chips.import_cap[H100 SMX]", fullstack.UnknownNameError),
        ("cn.supply.domestic_floor[quantum]", fullstack.UnknownNameError),
        ("datacenter power", fullstack.ValidationError),
    ],
)
def test_bad_parameter_names_are_named(name: str, error: type) -> None:
    with pytest.raises(error):
        parameter(name)


def test_an_effect_with_the_wrong_unit_names_parameter_and_unit() -> None:
    with pytest.raises(fullstack.DimensionError) as info:
        Add(P, Y, "5 TWh")
    assert "cn.datacenter.power" in str(info.value)
    with pytest.raises(fullstack.ValidationError, match="fraction"):
        Add("cn.datacenter.utilization", Y, "5 GW")


def test_every_world_figure_parameter_has_a_base_value() -> None:
    world = fullstack.reference_world()
    for code in world.economies:
        for key, spec in PARAMETERS.items():
            index = {"chip": "[H20]", "layer": "[memory]", None: ""}[spec.index]
            value = parameter(f"{code}.{key}{index}").base_value(world.economies[code])
            assert value is not None


# --- the combination rule ------------------------------------------------------------------------

adds = st.lists(st.floats(-5, 5), max_size=4)
scales = st.lists(st.floats(0, 3), max_size=4)
bounds = st.lists(st.floats(0, 20), max_size=3)


def _effects(a: list[float], s: list[float], f: list[float], c: list[float]) -> list[object]:
    return [
        *(Add(P, Y, f"{x} GW") for x in a),
        *(Scale(P, Y, x) for x in s),
        *(Floor(P, Y, f"{x} GW") for x in f),
        *(Cap(P, Y, f"{x} GW") for x in c),
    ]


@given(st.floats(0, 50), adds, scales, bounds, bounds, st.randoms(use_true_random=False))
def test_order_of_effects_never_changes_the_result(
    base: float, a: list[float], s: list[float], f: list[float], c: list[float], rnd: object
) -> None:
    effects = _effects(a, s, f, c)
    shuffled = list(effects)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    first = combine(fullstack.Q_(base, "GW"), effects)
    second = combine(fullstack.Q_(base, "GW"), shuffled)
    assert first.magnitude == second.magnitude  # exactly, not approximately


@given(st.floats(0, 50), adds, scales, bounds, bounds)
def test_the_documented_rule(
    base: float, a: list[float], s: list[float], f: list[float], c: list[float]
) -> None:
    got = combine(fullstack.Q_(base, "GW"), _effects(a, s, f, c)).m_as("GW")
    x = (base + math.fsum(a)) * math.prod(s)
    if f:
        x = max(x, max(f))
    if c:
        x = min(x, min(c))
    assert got == pytest.approx(x, rel=1e-12, abs=1e-12)
    if c:
        assert got <= min(c)  # caps win over floors


@given(st.floats(0, 50), adds, st.floats(0, 5), st.floats(0, 5))
def test_more_added_never_means_less(base: float, a: list[float], extra: float, s: float) -> None:
    effects = [*(Add(P, Y, f"{x} GW") for x in a), Scale(P, Y, s)]
    more = [*effects, Add(P, Y, f"{extra} GW")]
    lo = combine(fullstack.Q_(base, "GW"), effects).m_as("GW")
    hi = combine(fullstack.Q_(base, "GW"), more).m_as("GW")
    assert hi >= lo - 1e-9


@given(st.floats(0, 1), st.floats(0, 5))
def test_fractions_stay_between_zero_and_one(base: float, factor: float) -> None:
    value = combine(base, [Scale("cn.datacenter.utilization", Y, factor)])
    assert 0.0 <= value <= 1.0


def test_a_cap_on_an_uncapped_parameter() -> None:
    base = parameter("cn.chips.import_cap[H20]").base_value(
        fullstack.reference_world().economies["CN"]
    )
    assert math.isinf(base.m_as("chip/year"))
    capped = combine(base, [Cap("cn.chips.import_cap[H20]", Y, "1000 chip/year")])
    assert capped.m_as("chip/year") == 1000


def test_money_effects_in_another_currency_are_an_error_that_names_them() -> None:
    base = fullstack.Q_("100 GCNY/year")
    with pytest.raises(fullstack.CurrencyError):
        combine(base, [Add("cn.compute.capex", Y, "1 GUSD/year")])


# --- instruments, resolve, registry ---


@attrs.frozen(kw_only=True)
class _Fixed(Instrument):
    effects_list: tuple[object, ...] = ()

    def effects(self, ctx: Context):  # type: ignore[no-untyped-def]
        return list(self.effects_list)


def test_resolve_drops_years_outside_the_run_and_names_unknown_economies() -> None:
    world = fullstack.reference_world()
    inst = _Fixed(name="x", effects_list=(Add(P, 2040, "1 GW"),))
    assert resolve(world, [inst], range(2025, 2030)).touched() == []
    stray = _Fixed(name="y", effects_list=(Add("eu.datacenter.power", 2026, "1 GW"),))
    with pytest.raises(fullstack.UnknownNameError, match="'y'"):
        resolve(world, [stray], range(2025, 2030))


def test_instrument_years_and_fields_are_checked() -> None:
    with pytest.raises(fullstack.ValidationError, match=r"Instrument\.end"):
        Instrument(name="x", start=2027, end=2026)
    with pytest.raises(fullstack.UnitError, match="budget"):
        Instrument(name="x", budget="5 MW")
    with pytest.raises(fullstack.UnknownNameError):
        Instrument(name="x", layers=["quantum"])


def test_two_types_claiming_one_tag_is_an_error() -> None:
    @register_instrument("test_claimed")
    @attrs.frozen(kw_only=True)
    class First(Instrument):
        pass

    try:

        @attrs.frozen(kw_only=True)
        class Second(Instrument):
            pass

        with pytest.raises(fullstack.ValidationError, match="already used"):
            register_instrument("test_claimed")(Second)
        assert type_for("test_claimed") is First
    finally:
        unregister("test_claimed")


def test_redefining_a_type_in_a_notebook_cell_replaces_it() -> None:
    def define() -> type:
        @register_instrument("test_cell")
        @attrs.frozen(kw_only=True)
        class CellType(Instrument):
            pass

        return CellType

    try:
        old, new = define(), define()
        assert old is not new
        assert type_for("test_cell") is new
        assert tag_of(old) is None
    finally:
        unregister("test_cell")


@pytest.mark.parametrize("bad", ["", "Has Space", "1abc", "dash-ed"])
def test_bad_tags_are_refused(bad: str) -> None:
    with pytest.raises(fullstack.ValidationError, match="tag"):
        register_instrument(bad)


def test_only_attrs_instruments_register() -> None:
    class Plain(Instrument):  # not decorated with attrs
        pass

    with pytest.raises(fullstack.ValidationError):
        register_instrument("test_plain")(int)
    register_instrument("test_plain_sub")(Plain)  # an attrs subclass by inheritance is fine
    unregister("test_plain_sub")


def test_unknown_tag_lists_the_known_ones_and_the_closest() -> None:
    with pytest.raises(fullstack.UnknownNameError) as info:
        type_for("subsidie")
    assert "subsidy" in str(info.value)


def test_third_party_types_register_through_entry_points(monkeypatch: pytest.MonkeyPatch) -> None:
    @attrs.frozen(kw_only=True)
    class Plugin(Instrument):
        pass

    point = SimpleNamespace(name="test_plugin", load=lambda: Plugin)
    monkeypatch.setattr(registry_module, "_entry_points_loaded", False)
    monkeypatch.setattr(
        "importlib.metadata.entry_points",
        lambda group: [point] if group == "fullstack.instruments" else [],
    )
    try:
        assert instrument_types()["test_plugin"] is Plugin
    finally:
        unregister("test_plugin")


# --- beneficiaries ------------------------------------------------------------------------------


def test_a_contested_link_needs_sources_on_both_sides() -> None:
    claim = fullstack.Assumption(reason="Reported to benefit.")
    with pytest.raises(fullstack.ValidationError, match="counter_sources"):
        Beneficiary(actor="DeepSeek", strength="contested", sources=[claim])
    with pytest.raises(fullstack.ValidationError, match="contested"):
        Beneficiary(actor="DeepSeek", strength="strong", sources=[claim], counter_sources=[claim])
    with pytest.raises(fullstack.UnknownNameError):
        Beneficiary(actor="Nobody Inc", strength="weak", sources=[claim])
    assert Beneficiary(
        actor="DeepSeek", strength="contested", sources=[claim], counter_sources=[claim]
    ).contested


def test_forgetting_to_define_effects_is_a_clear_error() -> None:
    @attrs.frozen(kw_only=True)
    class Forgetful(Instrument):
        pass

    with pytest.raises(NotImplementedError, match=r"Forgetful does not define effects"):
        resolve(fullstack.reference_world(), [Forgetful(name="f")], range(2025, 2027))


@pytest.mark.parametrize("other", [5, "Big Fund III", None, 2.5])
def test_adding_something_that_is_not_an_instrument_is_a_clear_error(other: object) -> None:
    base = fullstack.Scenario(name="s")
    with pytest.raises(fullstack.ValidationError) as info:
        base + other  # type: ignore[operator]
    assert "expected an Instrument, a list of instruments or a Scenario" in str(info.value)
    assert repr(other) in str(info.value)


# --- how values are shown ----------------------------------------------------------------------


def _values() -> fullstack.policy.ParameterValues:
    from fullstack.policy import GuidanceFund

    fund = GuidanceFund(name="Fund", budget="110 GCNY", to_capacity=0.5, start=2025, end=2035)
    return fullstack.Scenario(name="s", start=2025, end=2027, instruments=[fund]).parameters()


def test_an_instrument_shows_its_fields_as_people_read_them() -> None:
    from fullstack.policy import GuidanceFund

    fund = GuidanceFund(name="Big <Fund>", budget="344 GCNY", to_capacity=0.5, end=2034)
    page = fund._repr_html_()
    assert "<b>Big &lt;Fund&gt;</b> (guidance_fund)" in page
    assert "<td>budget</td><td>344 billion CNY</td>" in page
    assert "<td>to_capacity</td><td>0.5</td>" in page


def test_parameter_values_show_each_touched_parameter_by_year() -> None:
    page = _values()._repr_html_()
    assert "<th>parameter</th><th>2025</th><th>2026</th><th>2027</th>" in page
    assert "<td>cn.foundry.investment</td><td>5 billion CNY/year</td>" in page


def test_parameter_values_to_frame_has_a_unit_and_a_column_per_year() -> None:
    pd = pytest.importorskip("pandas")
    frame = _values().to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["unit", 2025, 2026, 2027]
    assert frame.loc["cn.foundry.investment", "unit"] == "CNY/year"
    assert frame.loc["cn.foundry.investment", 2026] == pytest.approx(5e9)


def test_parameter_values_to_frame_without_pandas_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(fullstack.MissingExtraError, match=r"fullstack\[frames\]"):
        _values().to_frame()


def test_a_value_of_an_unknown_economy_or_outside_the_years_is_a_clear_error() -> None:
    values = _values()
    with pytest.raises(fullstack.UnknownNameError, match=r"economy .* 'JP'"):
        values.value("jp.energy.price", 2026)
    with pytest.raises(fullstack.ValidationError, match="a year resolved, 2025-2027, got 2040"):
        values.value("cn.energy.price", 2040)
