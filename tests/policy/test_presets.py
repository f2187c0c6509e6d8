"""Preset instruments: real programmes, each sourced, each runnable on the reference world."""

from __future__ import annotations

import re
import textwrap
from typing import Any

import attrs
import pytest

import fullstack
from fullstack._data import GIVEN
from fullstack.policy import Beneficiary, Instrument, Strength, resolve
from fullstack.policy.builtin import ComputeVoucher, ExportControl, GuidanceFund
from fullstack.policy.presets import (
    preset,
    preset_figures,
    preset_part_of,
    presets,
    read_presets,
)

WORLD = fullstack.reference_world()
YEARS = range(2025, 2036)
ALL = presets()
NAMES = sorted(ALL)

# The programmes the issue asks for, by the names users will look for.
REQUIRED = [
    "Big Fund I",
    "Big Fund II",
    "Big Fund III",
    "National AI Industry Investment Fund",
    "East Data West Computing",
    "National Integrated Computing Network",
    "State cloud for surplus compute",
    "Shanghai compute vouchers",
    "Shenzhen compute vouchers",
    "Hangzhou compute vouchers",
    "AI+ initiative",
    "MIIT computing infrastructure action plan",
    "US Oct 2022 rule",
    "US Oct 2023 rule",
    "US Dec 2024 rule",
    "US H20 licence requirement",
    "US MI308 licence requirement",
]

# Fields that describe an instrument rather than being one of its figures.
DESCRIPTIVE = {"name", "economy", "issuer", "layers", "source", "beneficiaries", "note"}
URL = re.compile(r"^https?://[^\s/]+\.[^\s]+$")


def _provenances(name: str) -> list[Any]:
    inst = ALL[name]
    found: list[Any] = [inst.source, *preset_figures(name).values()]
    for b in inst.beneficiaries:
        found += [*b.sources, *b.counter_sources]
    return found


def _sources(name: str) -> list[fullstack.Source]:
    out: list[fullstack.Source] = []
    for p in _provenances(name):
        out.extend([p] if isinstance(p, fullstack.Source) else p.basis)
    return out


def test_every_required_programme_is_a_preset() -> None:
    missing = [n for n in REQUIRED if n not in ALL]
    assert not missing
    assert all(name == inst.name for name, inst in ALL.items())


@pytest.mark.parametrize(
    ("name", "budget"),
    # Big Fund III's 344 billion less its sub-fund's 60.06 billion (the AI fund's own preset).
    [("Big Fund I", 138.7), ("Big Fund II", 204), ("Big Fund III", 344 - 60.06)],
)
def test_the_big_funds_are_guidance_funds_with_their_published_size(
    name: str, budget: float
) -> None:
    fund = preset(name)
    assert isinstance(fund, GuidanceFund)
    assert fund.budget.m_as("GCNY") == pytest.approx(budget, abs=0.2)
    assert isinstance(preset_figures(name)["to_capacity"], fullstack.Assumption)
    # Capital cost and build lag are the projection engine's, not the fund's.
    assert not {"capital_intensity", "lag"} & set(preset_figures(name))


def test_the_national_ai_fund_has_its_published_size() -> None:
    fund = preset("National AI Industry Investment Fund")
    assert fund.budget.m_as("GCNY") == pytest.approx(60.06)


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("US Oct 2022 rule", "2022-10"),
        ("US Oct 2023 rule", "2023-10"),
        ("US Dec 2024 rule", "2024-12"),
    ],
)
def test_the_us_rules_are_export_controls_on_china_by_bis(name: str, rule: str) -> None:
    control = preset(name)
    assert isinstance(control, ExportControl)
    assert control.rule == rule
    assert control.economy == "CN"
    assert control.issuer == "Bureau of Industry and Security"


def test_the_h20_requirement_names_the_chip_and_no_rule() -> None:
    letter = preset("US H20 licence requirement")
    assert isinstance(letter, ExportControl)
    assert letter.rule is None
    assert letter.chips == ("H20",)
    assert letter.start == 2025


def test_the_mi308_requirement_names_the_chip_and_no_rule() -> None:
    letter = preset("MI308 license requirement")
    assert isinstance(letter, ExportControl)
    assert letter.name == "US MI308 licence requirement"
    assert preset("MI308 licence") is letter
    assert letter.rule is None
    assert letter.chips == ("Instinct MI308X",)
    assert (letter.start, letter.end) == (2025, 2025)
    figures = preset_figures(letter.name)
    assert figures["chips"] == figures["start"] == letter.source
    assert isinstance(figures["end"], fullstack.Assumption)


def test_the_city_vouchers_are_compute_vouchers_in_yuan() -> None:
    for city in ("Shanghai", "Shenzhen", "Hangzhou"):
        voucher = preset(f"{city} compute vouchers")
        assert isinstance(voucher, ComputeVoucher)
        assert fullstack.currency_of(voucher.budget_per_year) == "CNY"


# --- provenance ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_every_preset_has_a_source_or_an_assumption(name: str) -> None:
    assert isinstance(ALL[name].source, fullstack.Source | fullstack.Assumption)
    assert ALL[name].source is not GIVEN  # the placeholder for 'no source recorded'


@pytest.mark.parametrize("name", NAMES)
def test_every_source_has_a_url_a_date_or_a_note_and_a_confidence(name: str) -> None:
    sources = _sources(name)
    assert sources
    for s in sources:
        assert s.url is not None, s.title
        assert URL.match(s.url), s.url
        assert s.date or s.note, s.title
        assert isinstance(s.confidence, fullstack.Confidence)


@pytest.mark.parametrize("name", NAMES)
def test_every_figure_of_a_preset_says_where_it_comes_from(name: str) -> None:
    inst = ALL[name]
    figures = preset_figures(name)
    for field in attrs.fields(type(inst)):
        if field.name in DESCRIPTIVE:
            continue
        default = field.default
        value = getattr(inst, field.name)
        is_default = (
            default is not attrs.NOTHING
            and not isinstance(default, attrs.Factory)  # type: ignore[arg-type]
            and (value == default or str(value) == str(default) or _same_quantity(value, default))
        )
        if not is_default:
            assert field.name in figures, f"{name}.{field.name} has no provenance"
    assert set(figures) <= {f.name for f in attrs.fields(type(inst))}


def _same_quantity(value: Any, default: Any) -> bool:
    if not hasattr(value, "units") or not isinstance(default, str):
        return False
    return bool(value == fullstack.Q_(default))


@pytest.mark.parametrize("name", NAMES)
def test_assumptions_are_low_confidence_and_give_reasons(name: str) -> None:
    for p in _provenances(name):
        if isinstance(p, fullstack.Assumption):
            assert p.confidence is fullstack.Confidence.LOW
            assert len(p.reason) > 40


def test_figures_are_a_copy() -> None:
    figures = preset_figures("Big Fund III")
    figures.clear()
    assert preset_figures("Big Fund III")


# --- beneficiaries -------------------------------------------------------------------------------


def _beneficiaries() -> list[tuple[str, Beneficiary]]:
    return [(name, b) for name in NAMES for b in ALL[name].beneficiaries]


def test_some_presets_name_their_beneficiaries_and_one_link_is_contested() -> None:
    links = _beneficiaries()
    assert len(links) >= 2
    assert any(b.contested for _, b in links)


@pytest.mark.parametrize(("name", "link"), _beneficiaries(), ids=lambda x: getattr(x, "actor", x))
def test_a_beneficiary_link_is_sourced_and_a_contested_one_has_both_sides(
    name: str, link: Beneficiary
) -> None:
    fullstack.actors().resolve(link.actor)
    assert link.sources
    assert link.note
    if link.strength is Strength.CONTESTED:
        assert link.counter_sources
        assert not set(link.sources) & set(link.counter_sources)
        for s in (*link.sources, *link.counter_sources):
            assert isinstance(s, fullstack.Source)  # both sides are published, not assumed
    else:
        assert not link.counter_sources


def test_the_deepseek_link_is_shown_as_contested() -> None:
    links = [b for _, b in _beneficiaries() if b.actor == "DeepSeek"]
    assert links
    assert all(b.contested for b in links)


# --- they run ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_each_preset_resolves_on_the_reference_world(name: str) -> None:
    values = resolve(WORLD, [ALL[name]], YEARS)
    for key in values.values:
        assert key[1] in YEARS


def test_all_presets_together_make_a_scenario_that_resolves() -> None:
    scenario = fullstack.Scenario(name="Everything", instruments=list(ALL.values()))
    values = scenario.parameters()
    assert "cn.chips.import_cap[H100 SXM]" in values.touched()
    assert "cn.foundry.investment" in values.touched()
    assert "cn.datacenter.power_additions" in values.touched()


def test_programmes_that_ended_before_the_run_move_nothing() -> None:
    for name in ("Big Fund I", "Big Fund II", "US Oct 2022 rule"):
        assert resolve(WORLD, [preset(name)], YEARS).touched() == []
    assert resolve(WORLD, [preset("Big Fund III")], YEARS).touched() == ["cn.foundry.investment"]


@pytest.mark.parametrize("name", NAMES)
def test_no_preset_has_an_effect_outside_its_active_years(name: str) -> None:
    inst = ALL[name]
    years = range(2010, 2046)
    for (parameter, year), _ in resolve(WORLD, [inst], years).values.items():
        assert inst.active(year), (name, parameter, year)


def test_big_fund_iii_invests_its_share_evenly_over_its_ten_years_and_then_stops() -> None:
    fund = preset("Big Fund III")
    values = resolve(WORLD, [fund], range(2020, 2040))
    spent = {y: values.value("cn.foundry.investment", y).m_as("GCNY/year") for y in values.years}
    per_year = (344 - 60.06) * 0.15 / 10
    assert spent == {y: pytest.approx(per_year) if 2024 <= y <= 2033 else 0.0 for y in spent}


# --- lookup and tweaking -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("big fund iii", "Big Fund III"),
        ("Big-Fund-3", "Big Fund III"),
        ("  east data west computing ", "East Data West Computing"),
        ("EDWC", "East Data West Computing"),
        ("us oct 2023 rule", "US Oct 2023 rule"),
        ("ai+ initiative", "AI+ initiative"),
    ],
)
def test_lookup_is_forgiving(query: str, name: str) -> None:
    assert preset(query) is ALL[name]


def test_an_unknown_preset_is_an_error_with_suggestions() -> None:
    with pytest.raises(fullstack.UnknownNameError) as info:
        preset("Big Fund IV")
    assert info.value.suggestions
    assert set(info.value.suggestions) <= set(ALL)
    assert any(s.startswith("Big Fund") for s in info.value.suggestions)
    assert "preset" in str(info.value)


def test_presets_are_cached_but_the_mapping_is_fresh() -> None:
    first = presets()
    first.clear()
    again = presets()
    assert set(again) == set(ALL)
    assert all(again[n] is ALL[n] for n in ALL)


def test_a_preset_can_be_tweaked_with_evolve_and_is_still_checked() -> None:
    fund = preset("Big Fund III")
    assert isinstance(fund, GuidanceFund)
    bolder = attrs.evolve(fund, to_capacity=0.4)
    assert bolder.to_capacity == 0.4
    assert fund.to_capacity != 0.4  # the preset itself is unchanged
    assert preset("Big Fund III") is fund
    with pytest.raises(fullstack.ValidationError, match=r"GuidanceFund\.to_capacity"):
        attrs.evolve(fund, to_capacity=1.4)
    with pytest.raises(fullstack.DimensionError, match=r"GuidanceFund\.to_capacity"):
        attrs.evolve(fund, to_capacity="5 GW")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        attrs.evolve(fund, lag=1)  # type: ignore[call-arg]  # build lags are the engine's


def test_every_preset_is_a_registered_instrument_type() -> None:
    for inst in ALL.values():
        assert isinstance(inst, Instrument)
        assert inst.tag is not None


# --- parts are counted once (issue 10, item 1) ---------------------------------------------------


def test_the_national_ai_fund_is_a_sub_fund_of_big_fund_iii_counted_once() -> None:
    parent, part = preset("Big Fund III"), preset("National AI Industry Investment Fund")
    assert preset_part_of(part.name) == "Big Fund III"
    assert preset_part_of("Big Fund III") is None
    # Big Fund III as registered: 344 billion yuan, once, when both presets are in a scenario.
    assert (parent.budget + part.budget).m_as("GCNY") == pytest.approx(344)
    assert parent.budget.m_as("GCNY") == pytest.approx(344 - 60.06)
    reason = preset_figures("Big Fund III")["budget"]
    assert isinstance(reason, fullstack.Assumption)
    assert "60.06" in reason.reason


def test_running_both_funds_spends_each_yuan_once() -> None:
    years = range(2024, 2040)
    both = resolve(WORLD, [preset("Big Fund III"), preset("National AI fund")], years)
    base = resolve(WORLD, [], years)
    spent = 0.0
    for parameter, share in (("cn.foundry.investment", 0.15), ("cn.compute.capex", 0.25)):
        for y in years:
            added = both.value(parameter, y) - base.value(parameter, y)
            spent += added.m_as("GCNY/year") / share  # the money behind what each fund moves
    assert spent == pytest.approx(344)


def test_the_nicn_is_led_by_the_ndrc_and_the_state_cloud_is_its_own_part() -> None:
    nicn, cloud = preset("NICN"), preset("State cloud for surplus compute")
    assert nicn.issuer.startswith("NDRC")
    assert "National Data Administration" in nicn.issuer
    assert nicn.start == 2021
    assert "2020" in nicn.note
    assert "2023" in nicn.note
    assert cloud.issuer.startswith("MIIT")
    assert cloud.start == 2025
    assert preset_part_of(cloud.name) == "National Integrated Computing Network"
    # Together they add the five points assumed for the whole network, not more.
    values = resolve(WORLD, [nicn, cloud], YEARS)
    base = resolve(WORLD, [], YEARS).value("cn.datacenter.utilization", 2026)
    assert values.value("cn.datacenter.utilization", 2026) - base == pytest.approx(0.05)


def test_every_part_names_a_preset() -> None:
    for name in NAMES:
        parent = preset_part_of(name)
        assert parent is None or parent in ALL


def test_a_presets_file_is_checked_like_a_scenario_file() -> None:
    text = """
    schema_version = 1
    [sources.notes]
    title = "My notes"
    publisher = "Me"
    url = "https://example.org/notes"
    [[presets]]
    part_of = "Nobody"
    [presets.instrument]
    type = "guidance_fund"
    name = "Fund"
    budget = "5 MW"
    to_capacity = 1.5
    source = "note"
    start = 2026
    end = 2025
    [presets.figures]
    budget = "rule:1999-01"
    """
    with pytest.raises(fullstack.FileFormatError) as caught:
        read_presets(textwrap.dedent(text), "mine.toml")
    found = {p.location: p.message for p in caught.value.problems}
    assert caught.value.path == "mine.toml"
    assert set(found) == {
        "presets[0].part_of",
        "presets[0].instrument.budget",
        "presets[0].instrument.to_capacity",
        "presets[0].instrument.source",
        "presets[0].instrument.end",
        "presets[0].figures.budget",
    }
    assert found["presets[0].instrument.source"] == (
        'unknown source "note"; did you mean "notes"?'
    )
    assert found["presets[0].figures.budget"].startswith("unknown export rule 'rule:1999-01'")


def test_the_shipped_file_reads_back_the_same_presets() -> None:
    from importlib import resources

    text = resources.files("fullstack.datasets").joinpath("presets.toml").read_text("utf-8")
    assert read_presets(text) == ALL
