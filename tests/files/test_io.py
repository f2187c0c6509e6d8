"""Files: scenarios and instruments in TOML, JSON and YAML; errors, migrations, atomic writes."""

from __future__ import annotations

import datetime
import doctest
import enum
import importlib.util
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

import attrs
import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

import fullstack
from fullstack import (
    Q_,
    Assumption,
    Estimate,
    FileFormatError,
    FullstackError,
    Quantity,
    Scenario,
    Source,
    ValidationError,
    fraction_field,
    money_field,
    quantity_field,
)
from fullstack import io as fio
from fullstack.io import MIGRATIONS, SCHEMA_VERSION, MissingExtraError, dumps, load, loads, save
from fullstack.policy import (
    Beneficiary,
    ExportControl,
    Instrument,
    Subsidy,
    instrument_types,
    register_instrument,
    unregister,
)
from fullstack.testing import estimates, money, provenances, quantities

HAS_YAML = importlib.util.find_spec("yaml") is not None
FORMATS = ["toml", "json", *(["yaml"] if HAS_YAML else [])]
PROFILE_EXAMPLES: int = getattr(settings.default, "max_examples", 60)
FEWER = settings(max_examples=max(10, PROFILE_EXAMPLES // 3))

RAND = Source(
    title="Full Stack: China's Evolving Industrial Policy for AI",
    publisher="RAND Corporation",
    authors=("Kyle Chan", "Gregory Smith"),
    date="2025-06-26",
    url="https://www.rand.org/pubs/perspectives/PEA4012-1.html",
    confidence="high",
)


def round_trip(obj: Any, fmt: str) -> Any:
    return loads(dumps(obj, format=fmt), format=fmt)


# --- instances of every registered type ----------------------------------------------------------


def example_instances(cls: type) -> list[Any]:
    """The instances of ``cls`` that its docstring's Example builds (run as doctest runs them)."""
    module = sys.modules[cls.__module__]
    globs = {**vars(module), **{n: getattr(fullstack, n) for n in fullstack.__all__}}
    found: list[Any] = []
    for test in doctest.DocTestFinder(recurse=False).find(cls, globs=globs):
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
        runner.run(test, out=lambda _: None, clear_globs=False)
        found += [v for v in test.globs.values() if type(v) is cls]
    return found


def instances_of(cls: type) -> list[Any]:
    found = example_instances(cls)
    if not found:  # no instance in the Example: ask the public strategies for one
        from hypothesis import find

        from fullstack.testing import instrument_strategy

        found = [find(instrument_strategy(cls), lambda _: True)]
    return found


TAGS = sorted(instrument_types())


@pytest.mark.parametrize("tag", TAGS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_registered_type_round_trips(tag: str, fmt: str) -> None:
    cls = instrument_types()[tag]
    examples = instances_of(cls)
    assert examples, f"no instance of {cls.__name__} to test: give its docstring an Example"
    for inst in examples:
        text = dumps(inst, format=fmt)
        back = loads(text, format=fmt)
        assert back == inst
        assert type(back) is cls
        assert dumps(back, format=fmt) == text


@st.composite
def varied(draw: st.DrawFn) -> Any:
    """An instance of any registered type: its example with common and unit fields redrawn."""
    cls = instrument_types()[draw(st.sampled_from(TAGS))]
    base = draw(st.sampled_from(instances_of(cls)))
    changes: dict[str, Any] = {}
    common = {
        "name": st.text(min_size=1, max_size=20).filter(str.strip),
        "economy": st.sampled_from(["CN", "US"]),
        "issuer": st.text(max_size=20),
        "start": st.integers(2015, 2035),
        "source": provenances(),
        "note": st.text(max_size=30),
    }
    for name, strategy in common.items():
        if draw(st.booleans()):
            changes[name] = draw(strategy)
    # Money is in the currency of the economy (files refuse anything else).
    currencies = {"CN": "CNY", "US": "USD"}
    currency = currencies[changes.get("economy", base.economy)]
    redraw = currency != currencies[base.economy]  # the example's money is in another currency
    if (redraw and base.budget is not None) or draw(st.booleans()):
        changes["budget"] = draw(money((currency,)))
    if draw(st.booleans()):
        start = changes.get("start", base.start)
        changes["end"] = start + draw(st.integers(0, 10))
    for field in attrs.fields(cls):
        kind, unit = field.metadata.get("fullstack.kind"), field.metadata.get("fullstack.unit")
        if kind is None or not ((redraw and kind == "money") or draw(st.booleans())):
            continue
        if kind == "quantity":
            changes[field.name] = draw(quantities(unit, max_value=1e9))
        elif kind == "fraction":
            changes[field.name] = draw(st.floats(0, 1))
        elif kind == "money":
            per = unit.partition("/")[2]
            amount = draw(money((currency,), max_value=1e12))
            changes[field.name] = amount * fullstack.Q_(1, f"1/({per})") if per else amount
    try:
        return attrs.evolve(base, **changes)
    except FullstackError:
        reject()


@settings(max_examples=PROFILE_EXAMPLES * 2)
@given(inst=varied(), fmt=st.sampled_from(FORMATS))
def test_varied_instances_of_every_type_round_trip(inst: Any, fmt: str) -> None:
    assert round_trip(inst, fmt) == inst


def test_only_fields_that_differ_from_their_defaults_are_written() -> None:
    rebate = Subsidy(name="Power rebate", target="energy", rate=0.2)
    assert dumps(rebate).splitlines() == [
        "schema_version = 1",
        'type = "subsidy"',
        'name = "Power rebate"',
        'target = "energy"',
        "rate = 0.2",
    ]


def test_every_field_may_be_given_even_at_its_default() -> None:
    text = """
    schema_version = 1
    type = "subsidy"
    name = "Power rebate"
    economy = "CN"
    issuer = ""
    layers = []
    start = 2025
    budget = "0 CNY"
    beneficiaries = []
    note = ""
    target = "energy"
    rate = 0.2
    [source]
    assumption = "Stated directly when the object was built; no source was recorded with it."
    confidence = "low"
    basis = []
    """
    loaded = loads(textwrap.dedent(text))
    assert loaded == Subsidy(name="Power rebate", target="energy", rate=0.2, budget="0 CNY")


def test_quantities_are_readable_text() -> None:
    rebate = Subsidy(name="Rebate", target="energy", rate=0.2, budget=Q_("344 GCNY"))
    assert 'budget = "344 GCNY"' in dumps(rebate)
    rebate = Subsidy(name="Rebate", target="energy", rate=0.2, budget=Q_("2.5e6 USD/year"))
    assert 'budget = "2500000 USD/year"' in dumps(rebate)
    rebate = Subsidy(name="Rebate", target="energy", rate=0.2, budget=Q_("1.25 MCNY/month"))
    assert 'budget = "1.25 MCNY/month"' in dumps(rebate)


def test_sources_assumptions_and_beneficiaries_are_tables() -> None:
    rebate = Subsidy(
        name="Chip rebate",
        target="chips",
        rate=0.1,
        budget=Q_("344 GCNY"),
        start=2024,
        end=2038,
        source=RAND,
        beneficiaries=[
            Beneficiary(
                actor="DeepSeek",
                strength="contested",
                sources=[Assumption(reason="Reports link it to state promotion.")],
                counter_sources=[RAND],
            )
        ],
    )
    data = fio._document_of(rebate)
    assert data["source"]["publisher"] == "RAND Corporation"
    assert data["source"]["authors"] == ["Kyle Chan", "Gregory Smith"]
    assert data["source"]["confidence"] == "high"
    link = data["beneficiaries"][0]
    assert link["strength"] == "contested"
    assert link["sources"] == [{"assumption": "Reports link it to state promotion."}]
    for fmt in FORMATS:
        assert round_trip(rebate, fmt) == rebate


def test_a_list_of_instruments_and_an_empty_one() -> None:
    rules = [
        ExportControl(name="US Oct 2022 rule", rule="2022-10", start=2022),
        ExportControl(name="US Oct 2023 rule", rule="2023-10", start=2023),
    ]
    for fmt in FORMATS:
        assert round_trip(rules, fmt) == rules
        assert round_trip([], fmt) == []
    assert round_trip(tuple(rules), "toml") == rules  # a tuple comes back as a list


# --- a type defined after import -----------------------------------------------------------------


class Mode(enum.Enum):
    FAST = "fast"
    SLOW = "slow"


class Level(enum.StrEnum):  # a str enum: cattrs would dispatch it as str
    LOW = "low"
    HIGH = "high"


@pytest.fixture
def compute_pool() -> Iterator[type]:
    """A custom type with every kind of field, defined and registered after import.

    The converter has been used (and built) before the class exists.
    """
    dumps(Scenario(name="before"))  # the converter exists before the type does

    @register_instrument("test_io_compute_pool")
    @attrs.frozen(kw_only=True)
    class ComputePool(Instrument):
        """A pooled compute programme (a test type with every kind of field)."""

        power: Quantity = quantity_field("GW")
        price: Any = money_field(per="kWh", optional=True)
        share: float = fraction_field(default=0.5)
        cities: tuple[str, ...] = ()
        sizes: tuple[Quantity, ...] = ()
        caps: Mapping[str, Quantity] = attrs.field(factory=dict, hash=False)
        estimate: Estimate | None = None
        mode: Mode = Mode.FAST
        level: Level = Level.LOW
        pair: tuple[int, str] = (1, "a")
        flag: bool = False
        count: int = 0
        ratio: float = 1.0
        kind: Literal["grid", "offgrid"] = "grid"
        opened: datetime.date | None = None
        evidence: Source | Assumption | None = None
        backup: Quantity = quantity_field("MW", default="5 MW")

    try:
        yield ComputePool
    finally:
        unregister("test_io_compute_pool")


TEXT = st.text(max_size=12)


def pools(cls: type) -> st.SearchStrategy[Any]:
    return st.builds(
        cls,
        name=st.text(min_size=1, max_size=20).filter(str.strip),
        start=st.integers(2020, 2030),
        power=quantities("GW", max_value=1e6),
        price=st.none() | money(("CNY",)).map(lambda m: m / fullstack.Q_(1, "kWh")),
        share=st.floats(0, 1),
        cities=st.lists(TEXT, max_size=3).map(tuple),
        sizes=st.lists(quantities("MW"), max_size=3).map(tuple),
        caps=st.dictionaries(TEXT, quantities("W"), max_size=3),
        estimate=st.none() | estimates("GW"),
        mode=st.sampled_from(Mode),
        level=st.sampled_from(Level),
        pair=st.tuples(st.integers(-(2**63), 2**63 - 1), TEXT),
        flag=st.booleans(),
        count=st.integers(-(2**63), 2**63 - 1),
        ratio=st.floats(allow_nan=False),
        kind=st.sampled_from(["grid", "offgrid"]),
        opened=st.none() | st.dates(),
        evidence=st.none() | provenances(),
        source=provenances(),
    )


def test_a_type_defined_after_import_round_trips(compute_pool: type) -> None:
    @settings(FEWER)
    @given(inst=pools(compute_pool), fmt=st.sampled_from(FORMATS))
    def check(inst: Any, fmt: str) -> None:
        back = round_trip(inst, fmt)
        assert back == inst
        assert type(back.mode) is Mode
        assert type(back.level) is Level

    check()


def test_a_type_defined_after_import_reads_with_every_field(compute_pool: type) -> None:
    text = """
    schema_version = 1
    type = "test_io_compute_pool"
    name = "Pool"
    power = "1.5 GW"
    price = "0.3 CNY/kWh"
    cities = ["Shanghai", "Guiyang"]
    sizes = ["100 MW", "0.2 GW"]
    caps = { east = "1 GW", "west side" = "2 GW" }
    mode = "slow"
    level = "high"
    pair = [2, "b"]
    flag = true
    count = 3
    ratio = 2
    kind = "offgrid"
    opened = 2024-05-01
    estimate = { value = "2 GW", low = "1 GW", source = { assumption = "guess" } }
    evidence = { title = "Plan", publisher = "NDRC" }
    """
    pool = loads(textwrap.dedent(text))
    assert pool.caps["west side"] == fullstack.Q_("2 GW")
    assert pool.mode is Mode.SLOW
    assert pool.level is Level.HIGH
    assert pool.pair == (2, "b")
    assert pool.ratio == 2.0
    assert pool.opened == datetime.date(2024, 5, 1)
    assert pool.estimate.low == fullstack.Q_("1 GW")
    assert pool.evidence == Source(title="Plan", publisher="NDRC")
    for fmt in FORMATS:
        assert round_trip(pool, fmt) == pool


def test_a_custom_type_reports_its_problems(compute_pool: type) -> None:
    text = """
    schema_version = 1
    type = "test_io_compute_pool"
    name = "Pool"
    power = "1.5 GWh"
    sizes = ["100 MW", 5]
    caps = { east = "x" }
    mode = "medium"
    pair = [2]
    kind = "grid2"
    opened = "May 2024"
    evidence = { assumption = "" }
    """
    with pytest.raises(FileFormatError) as caught:
        loads(textwrap.dedent(text))
    problems = {p.location: p.message for p in caught.value.problems}
    assert list(problems) == [
        "power",
        "sizes[1]",
        "caps.east",
        "mode",
        "pair",
        "kind",
        "opened",
        "evidence.assumption",
    ]
    assert problems["power"].startswith("expected a power")
    assert problems["sizes[1]"] == 'expected a quantity with a unit, e.g. "5 GW", got 5'
    assert problems["mode"] == 'expected one of "fast", "slow", got "medium"'
    assert problems["kind"] == 'expected one of "grid", "offgrid", got "grid2"'
    assert problems["pair"] == "expected an array of 2, got an array of 1"


def test_toml_refuses_none_where_the_default_is_not_none(compute_pool: type) -> None:
    pool = attrs.evolve(compute_pool(name="Pool", power="1 GW"), mode=Mode.SLOW)
    object.__setattr__(pool, "count", None)  # a value TOML cannot hold
    with pytest.raises(ValidationError, match=r"count \(TOML\).*TOML has no null"):
        dumps(pool)
    assert '"count": null' in dumps(pool, format="json")


def test_an_unregistered_type_cannot_be_saved(tmp_path: Path) -> None:
    @attrs.frozen(kw_only=True)
    class Unregistered(Instrument):
        pass

    target = tmp_path / "s.toml"
    with pytest.raises(ValidationError, match=r"@fullstack\.instrument"):
        save(Scenario(name="s") + Unregistered(name="u"), target)
    assert list(tmp_path.iterdir()) == []


def test_objects_fullstack_does_not_write_are_refused() -> None:
    with pytest.raises(ValidationError, match="a Scenario, an instrument, a list"):
        dumps({"name": "x"})
    with pytest.raises(ValidationError, match="a Scenario, an instrument, a list"):
        dumps([Scenario(name="s")])


# --- a fresh process -----------------------------------------------------------------------------

NOTEBOOK_CELL = '''
import sys

import attrs

import fullstack
import fullstack.io
from fullstack.policy import Add, ExportControl, Instrument, Subsidy


@fullstack.register_instrument("test_io_hbm_stockpile")
@attrs.frozen(kw_only=True)
class HbmStockpile(Instrument):
    """Stockpiling HBM ahead of a ban (defined like a notebook cell: no module file)."""

    stacks_per_year: fullstack.Quantity = fullstack.quantity_field("hbm_stack/year")
    ports: tuple[str, ...] = ()

    def effects(self, ctx):
        for year in ctx.active_years(self):
            yield Add(f"{self.economy}.hbm.supply", year, self.stacks_per_year)


def build():
    return fullstack.Scenario(name="Stockpile", start=2025, end=2030) + [
        ExportControl(name="US Oct 2023 rule", rule="2023-10", start=2023, issuer="BIS"),
        Subsidy(name="Power rebate", target="energy", rate=0.2, budget="5 GCNY/year",
                start=2026, source=fullstack.Assumption(reason="Illustration.")),
        HbmStockpile(name="HBM stockpile", start=2025, end=2026,
                     stacks_per_year="2e6 hbm_stack/year", ports=("Shanghai",)),
    ]


if __name__ == "__main__":
    loaded = fullstack.io.load(sys.argv[1])
    assert loaded == build(), loaded
    assert type(loaded.instruments[2]).__name__ == "HbmStockpile"
    sys.stdout.write(fullstack.io.dumps(loaded))
'''


def test_a_scenario_with_a_custom_type_loads_equal_in_a_fresh_process(tmp_path: Path) -> None:
    import runpy

    script = tmp_path / "cell.py"
    script.write_text(NOTEBOOK_CELL)
    try:
        cell = runpy.run_path(str(script), run_name="io_notebook_cell")
        scenario = cell["build"]()
        target = save(scenario, tmp_path / "stockpile.toml")
    finally:
        unregister("test_io_hbm_stockpile")
    assert 'type = "test_io_hbm_stockpile"' in target.read_text()
    assert 'stacks_per_year = "2000000 hbm_stack/year"' in target.read_text()
    done = subprocess.run(
        [sys.executable, str(script), str(target)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == target.read_text()


# --- errors --------------------------------------------------------------------------------------

BROKEN = """
schema_version = 1
name = "Broken"
start = "2025"
colour = "red"

[[instruments]]
type = "subsidy"
name = "Power rebate"
target = "power"
rate = 0.2

[[instruments]]
type = "subsidy"
name = "Compute rebate"
budget = "344 GCNY"
start = 2024
end = 2038
target = "compute"
rate = 1.3

[[instruments]]
type = "subsidy"
name = "Chip rebate"
budget = "5 MW"
target = "chips"
rate = 0.1
layers = ["chip_desgn"]

[[instruments]]
type = "subsdy"
name = "Other rebate"

[[instruments]]
name = "No type"
"""


def test_a_bad_file_reports_every_problem_with_its_path(tmp_path: Path) -> None:
    target = tmp_path / "broken.toml"
    target.write_text(BROKEN)
    with pytest.raises(FileFormatError) as caught:
        load(target)
    err = caught.value
    assert err.path == str(target)
    found = {p.location: p.message for p in err.problems}
    assert list(found) == [
        "start",
        "colour",
        "instruments[0].target",
        "instruments[1].rate",
        "instruments[2].budget",
        "instruments[2].layers",
        "instruments[3].type",
        "instruments[4]",
    ]
    assert found["start"] == 'expected a whole number, got "2025"'
    assert found["colour"].startswith("unknown key for Scenario (it takes name, instruments")
    assert found["instruments[0].target"] == (
        'expected one of "compute", "chips", "energy", got "power"'
    )
    assert found["instruments[1].rate"].startswith("expected a fraction between 0 and 1")
    assert found["instruments[1].rate"].endswith("got 1.3")
    assert found["instruments[2].budget"].startswith("expected money")
    assert "got 5.0 MW" in found["instruments[2].budget"]
    assert "did you mean 'chip_design'?" in found["instruments[2].layers"]
    assert 'did you mean "subsidy"?' in found["instruments[3].type"]
    assert found["instruments[4]"].startswith('missing "type"')
    text = str(err)
    assert text.startswith(f"{target}: 8 problems\n  start: expected a whole number")
    assert "instruments[2].budget: expected money" in text


def test_errors_hide_the_machinery_behind_them() -> None:
    for text, fmt in [
        ("schema_version = 1\nname = 5", "toml"),
        ("not = [toml", "toml"),
        ("{", "json"),
        ('{"schema_version": 1, "type": "subsidy", "name": "x", "rate": "a lot"}', "json"),
    ]:
        with pytest.raises(FileFormatError) as caught:
            loads(text, fmt)
        assert caught.value.__cause__ is None
        assert caught.value.__suppress_context__
        assert "Traceback" not in str(caught.value)
        assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("text", "fmt", "location", "message"),
    [
        ("name = [1,", "toml", "", "not valid TOML: "),
        ('{"a": }', "json", "", "not valid JSON: Expecting value: line 1 column 7"),
        ("[1, 2]", "json", "", "expected a table at the top of the file, got an array of 2"),
        ("name = 'x'", "toml", "schema_version", "missing: start the file with schema_version"),
        ("schema_version = true\nname = 'x'", "toml", "schema_version", "expected a whole"),
        ("schema_version = 1", "toml", "name", "missing (Scenario needs it)"),
        ("schema_version = 1\nname = 'x'\nend = 2020", "toml", "end", "expected a year not"),
        ("schema_version = 1\nname = 'x'\nworld = 'mars'", "toml", "world", "'reference'"),
        ("schema_version = 1\nname = 'x'\ninstruments = 5", "toml", "instruments", "an array"),
        ("schema_version = 1\nname = 'x'\ninstruments = [5]", "toml", "instruments[0]", "table"),
        ("schema_version = 1\ntype = 5", "toml", "type", "unknown instrument type 5."),
        (
            "schema_version = 1\ntype = 'subsidy'\nname = 'x'\ntarget = 'chips'\nrate = 0.1\n"
            "rat = 1",
            "toml",
            "rat",
            'unknown key for subsidy; did you mean "rate"?',
        ),
        (
            "schema_version = 1\ntype = 'export_control'\nname = 'x'\nrule = '2023-11'",
            "toml",
            "",
            "unknown export rule '2023-11'",
        ),
        (
            "schema_version = 1\ntype = 'subsidy'\nname = 'x'\ntarget = 'chips'\nrate = 0.1\n"
            "source = { title = 'T' }",
            "toml",
            "source.publisher",
            "a publisher or at least one author",
        ),
        (
            "schema_version = 1\ntype = 'subsidy'\nname = 'x'\ntarget = 'chips'\nrate = 0.1\n"
            "source = 'RAND'",
            "toml",
            "source",
            'or an assumption (assumption = "why"), got "RAND"',
        ),
        (
            "schema_version = 1\nname = 'x'\n[[instruments]]\ntype = 'subsidy'\nname = 'a'\n"
            "target = 'chips'\nrate = 0.1\n[[instruments]]\ntype = 'subsidy'\nname = 'a'\n"
            "target = 'chips'\nrate = 0.2",
            "toml",
            "instruments",
            "unique instrument names",
        ),
    ],
)
def test_bad_files(text: str, fmt: str, location: str, message: str) -> None:
    with pytest.raises(FileFormatError) as caught:
        loads(text, fmt)
    assert [p.location for p in caught.value.problems] == [location]
    assert message in caught.value.problems[0].message


@pytest.mark.skipif(not HAS_YAML, reason="needs the yaml extra")
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: &a [*a]", "nested deeper than"),
        ("{1: 2}", "keys must be text, got the key 1"),
        ("x: !!binary aGVsbG8=", "unsupported value b'hello'"),
        ("x: !!python/object:os.system ls", "not valid YAML"),
        ("2023-02-30", "not valid YAML: day is out of range"),
    ],
)
def test_yaml_is_read_safely(text: str, message: str) -> None:
    with pytest.raises(FileFormatError) as caught:
        loads(text, "yaml")
    assert message in str(caught.value)


def test_unknown_type_lists_the_known_ones_and_the_closest() -> None:
    with pytest.raises(FileFormatError) as caught:
        loads('schema_version = 1\ntype = "export_contrl"\nname = "x"')
    (problem,) = caught.value.problems
    assert problem.location == "type"
    assert problem.message.startswith('unknown instrument type "export_contrl"; did you mean')
    assert '"export_control"?' in problem.message
    listed = problem.message.partition("Known types: ")[2].split(", ")
    assert listed == sorted(instrument_types())


def test_bytes_and_a_byte_order_mark_are_read() -> None:
    data = "\ufeffschema_version = 1\nname = 'Baseline'\n".encode()
    assert loads(data) == Scenario(name="Baseline")
    with pytest.raises(FileFormatError, match="not UTF-8 text"):
        loads(b"schema_version = 1\nname = '\xff'")


# --- schema versions and migrations --------------------------------------------------------------


def kind_to_type(data: dict[str, Any]) -> dict[str, Any]:
    """A test migration: version 0 tagged instruments with ``kind``; version 1 uses ``type``."""

    def fix(table: Any) -> Any:
        if isinstance(table, dict) and "kind" in table:
            table = {("type" if k == "kind" else k): v for k, v in table.items()}
        return table

    data = fix(data)
    if isinstance(data.get("instruments"), list):
        data["instruments"] = [fix(t) for t in data["instruments"]]
    return data


VERSION_0 = """
schema_version = 0
name = "Old"
[[instruments]]
kind = "subsidy"
name = "Power rebate"
target = "energy"
rate = 0.2
"""


def test_an_older_file_is_upgraded_through_the_migrations(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert SCHEMA_VERSION == 1
    monkeypatch.setitem(MIGRATIONS, 0, kind_to_type)
    loaded = loads(VERSION_0)
    assert loaded == Scenario(name="Old") + Subsidy(name="Power rebate", target="energy", rate=0.2)
    text = dumps(loaded)
    assert text.startswith("schema_version = 1\n")
    assert 'type = "subsidy"' in text
    assert "kind" not in text


def test_migrations_run_step_by_step_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []

    def step(version: int) -> Any:
        def upgrade(data: dict[str, Any]) -> dict[str, Any]:
            assert data["schema_version"] == version
            seen.append(version)
            return {**data, "description": data.get("description", "") + f"v{version + 1} "}

        return upgrade

    monkeypatch.setitem(MIGRATIONS, -1, step(-1))
    monkeypatch.setitem(MIGRATIONS, 0, step(0))
    loaded = loads("schema_version = -1\nname = 'x'")
    assert seen == [-1, 0]
    assert loaded.description == "v0 v1 "


def test_a_version_without_a_migration_is_refused() -> None:
    with pytest.raises(FileFormatError) as caught:
        loads(VERSION_0)
    (problem,) = caught.value.problems
    assert problem.location == "schema_version"
    assert problem.message == "0 is not a version fullstack knows (it reads 1 to 1)"


def test_a_failing_migration_is_a_file_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(data: dict[str, Any]) -> dict[str, Any]:
        return data["instruments"][7]  # type: ignore[no-any-return]

    monkeypatch.setitem(MIGRATIONS, 0, broken)
    with pytest.raises(FileFormatError, match="could not upgrade the file from schema_version 0"):
        loads(VERSION_0)


def test_a_newer_file_is_refused_with_a_clear_message() -> None:
    text = "schema_version = 2\nname = 5\nteleport = true"  # the rest is not even looked at
    with pytest.raises(FileFormatError) as caught:
        loads(text)
    (problem,) = caught.value.problems
    assert problem.location == "schema_version"
    assert "2 is newer than this fullstack reads (up to 1)" in problem.message
    assert "upgrade fullstack" in problem.message


# --- formats and paths ---------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".toml", ".json", ".yaml", ".yml", ".TOML"])
def test_the_suffix_sets_the_format(tmp_path: Path, suffix: str) -> None:
    if "y" in suffix.lower() and not HAS_YAML:
        pytest.skip("needs the yaml extra")
    scenario = Scenario(name="s", end=2030) + Subsidy(name="r", target="energy", rate=0.2)
    target = save(scenario, tmp_path / f"s{suffix}")
    fmt = {".toml": "toml", ".json": "json"}.get(suffix.lower(), "yaml")
    assert target.read_text() == dumps(scenario, format=fmt)
    assert load(target) == scenario


def test_format_overrides_the_suffix_and_bad_formats_are_refused(tmp_path: Path) -> None:
    scenario = Scenario(name="s")
    target = save(scenario, tmp_path / "s.txt", format="json")
    assert target.read_text().startswith("{")
    assert load(target, format="JSON") == scenario
    with pytest.raises(ValidationError, match=r"a file ending in \.toml"):
        load(target)
    with pytest.raises(ValidationError, match=r"a file ending in \.toml"):
        save(scenario, tmp_path / "s.txt")
    with pytest.raises(ValidationError, match="a format among toml, json, yaml"):
        dumps(scenario, format="xml")
    with pytest.raises(FileFormatError, match="cannot read the file"):
        load(tmp_path / "missing.toml")


def test_yaml_without_pyyaml_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "yaml", None)  # import yaml now raises ImportError
    for call in (
        lambda: dumps(Scenario(name="s"), format="yaml"),
        lambda: loads("name: s", format="yaml"),
        lambda: save(Scenario(name="s"), tmp_path / "s.yaml"),
    ):
        with pytest.raises(MissingExtraError, match=r"pip install 'fullstack\[yaml\]'") as caught:
            call()
        assert isinstance(caught.value, FullstackError)
        assert isinstance(caught.value, ImportError)
    assert list(tmp_path.iterdir()) == []


# --- atomic writes -------------------------------------------------------------------------------


@pytest.fixture
def saved(tmp_path: Path) -> tuple[Path, Scenario, str]:
    old = Scenario(name="Old", end=2030) + Subsidy(name="Rebate", target="energy", rate=0.2)
    target = save(old, tmp_path / "scenario.toml")
    return target, old, target.read_text()


@pytest.mark.parametrize("where", ["replace", "fsync", "write"])
def test_a_crash_mid_write_leaves_the_old_file_intact(
    saved: tuple[Path, Scenario, str], monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    target, old, old_text = saved
    new = attrs.evolve(old, name="New", end=2035)

    def crash(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt  # the process is interrupted mid-write

    if where == "write":
        real_fdopen = os.fdopen

        def half_written(fd: int, *args: Any, **kwargs: Any) -> Any:
            handle = real_fdopen(fd, *args, **kwargs)

            class Half:
                def __enter__(self) -> Any:
                    return self

                def __exit__(self, *exc: object) -> None:
                    handle.close()

                def write(self, data: bytes) -> None:
                    handle.write(data[: len(data) // 2])
                    raise KeyboardInterrupt

            return Half()

        monkeypatch.setattr(os, "fdopen", half_written)
    else:
        monkeypatch.setattr(os, where, crash)
    with pytest.raises(KeyboardInterrupt):
        save(new, target)
    assert target.read_text() == old_text
    assert load(target) == old
    assert [p.name for p in target.parent.iterdir()] == ["scenario.toml"]


def test_a_failure_before_writing_leaves_the_old_file_intact(
    saved: tuple[Path, Scenario, str],
) -> None:
    target, _, old_text = saved
    with pytest.raises(ValidationError):
        save([Scenario(name="not an instrument")], target)
    assert target.read_text() == old_text
    assert [p.name for p in target.parent.iterdir()] == ["scenario.toml"]


KILLED_MID_WRITE = """
import os, signal, sys
import fullstack
import fullstack.io
from fullstack.policy import Subsidy

def killed(fd):  # the file's bytes are written but not yet renamed into place
    os.kill(os.getpid(), signal.SIGKILL)

os.fsync = killed
new = fullstack.Scenario(name="New", end=2035) + Subsidy(name="Rebate", target="chips", rate=0.5)
fullstack.io.save(new, sys.argv[1])
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_a_process_killed_mid_write_leaves_the_old_file_intact(
    saved: tuple[Path, Scenario, str],
) -> None:
    target, old, old_text = saved
    done = subprocess.run(
        [sys.executable, "-c", KILLED_MID_WRITE, str(target)],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert target.read_text() == old_text
    assert load(target) == old
    leftovers = [p.name for p in target.parent.iterdir() if p.name != "scenario.toml"]
    # A killed process cannot clean up: its hidden temporary file stays, and never matters.
    assert all(name.startswith(".scenario.toml.") for name in leftovers)


def test_a_type_whose_annotations_do_not_resolve_still_round_trips() -> None:
    class Colour(enum.Enum):  # local: the string annotation "Colour" cannot be resolved
        RED = "red"
        BLUE = "blue"

    @register_instrument("test_io_local_annotations")
    @attrs.frozen(kw_only=True)
    class Painted(Instrument):
        colour: Colour = Colour.RED
        power: Quantity = quantity_field("GW")

    try:
        painted = Painted(name="p", colour=Colour.BLUE, power=Q_("2 GW"))
        for fmt in FORMATS:
            assert round_trip(painted, fmt) == painted
    finally:
        unregister("test_io_local_annotations")
