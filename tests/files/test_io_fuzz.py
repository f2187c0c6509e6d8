"""Fuzzing the loader: whatever the input, it loads or raises `FileFormatError`, nothing else.

Random bytes and text in every format, random nested data, plausible documents built from the
real keys and tags, and valid files with one thing broken (a key dropped or renamed, a value of
another type, a line cut). Anything that loads also saves and loads back equal.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import math
from typing import Any

import attrs
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

import fullstack
from fullstack import Q_, Assumption, FileFormatError, Scenario, Source
from fullstack.io import dumps, loads
from fullstack.policy import Beneficiary, ExportControl, Subsidy, instrument_types

HAS_YAML = importlib.util.find_spec("yaml") is not None
FORMATS = ["toml", "json", *(["yaml"] if HAS_YAML else [])]


def load_or_file_error(text: str | bytes, fmt: str) -> Any:
    """Load; a `FileFormatError` is fine (returned), any other exception fails the test."""
    error: FileFormatError | None
    try:
        loaded = loads(text, format=fmt)
    except FileFormatError as exc:
        error = exc
    else:
        error = None
    if error is not None:
        assert error.problems, "a FileFormatError must carry at least one problem"
        assert str(error).startswith("<string>: ")
        event(f"{len(error.problems)} problem(s)" if len(error.problems) < 3 else "3+ problems")
        return error
    event(f"loaded a {type(loaded).__name__}")
    assert isinstance(loaded, Scenario | fullstack.Instrument | list)
    again = loads(dumps(loaded, format="json"), format="json")  # what loads, saves
    if not _has_nan(loaded):
        assert again == loaded
    return loaded


def _has_nan(obj: Any) -> bool:
    values = attrs.astuple(obj) if attrs.has(type(obj)) else obj
    if isinstance(values, list | tuple):
        return any(_has_nan(v) for v in values)
    magnitude = getattr(values, "magnitude", values)
    return isinstance(magnitude, float) and math.isnan(magnitude)


# --- random input --------------------------------------------------------------------------------

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(["5 GW", "344 GCNY", "0.2 GCNY/(wafer/month)", "2023-10", "CN", "energy"])
)
JSON_LIKE = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@pytest.mark.parametrize("fmt", FORMATS)
@given(data=st.binary(max_size=300))
def test_random_bytes_raise_only_file_errors(fmt: str, data: bytes) -> None:
    load_or_file_error(data, fmt)


TOMLISH = st.text(alphabet="[]{}=\"'.,#:-_ \n\t0123456789abcdefnrstuy", max_size=200)


@pytest.mark.parametrize("fmt", FORMATS)
@given(text=st.text(max_size=200) | TOMLISH)
def test_random_text_raises_only_file_errors(fmt: str, text: str) -> None:
    load_or_file_error(text, fmt)


@given(data=JSON_LIKE)
def test_random_nested_data_raises_only_file_errors(data: Any) -> None:
    load_or_file_error(json.dumps(data), "json")
    if isinstance(data, dict):
        load_or_file_error(json.dumps({"schema_version": 1, **data}), "json")


# --- plausible documents -------------------------------------------------------------------------


def _field_keys() -> list[str]:
    keys = {"type", "assumption", "title", "publisher", "value", "low", "high", "actor"}
    for cls in (*instrument_types().values(), Scenario, Source, Beneficiary):
        keys |= {f.alias for f in attrs.fields(cls)}
    return sorted(keys)


KEYS: st.SearchStrategy[Any] = st.sampled_from(_field_keys()) | st.text(max_size=6)
TAGS = st.sampled_from(sorted(instrument_types())) | st.text(max_size=6) | st.integers()
PLAUSIBLE = st.sampled_from(
    [
        "5 GW",
        "344 GCNY",
        "1 GCNY/(wafer/month)",
        "0 chip/year",
        "2023-10",
        "H20",
        "chip_design",
        "CN",
        "energy",
        "strong",
        "contested",
        "DeepSeek",
        "high",
        2025,
        2030,
        0.3,
        -1,
        {"assumption": "why"},
        {"title": "T", "publisher": "P"},
        {"title": "T"},
        [],
        [{"assumption": "why"}],
        [{"actor": "SMIC", "strength": "strong", "sources": [{"assumption": "x"}]}],
    ]
)
VALUES = PLAUSIBLE | JSON_LIKE


@st.composite
def instrument_tables(draw: st.DrawFn) -> dict[str, Any]:
    table = {"type": draw(TAGS), "name": draw(st.text(max_size=10))}
    table.update(draw(st.dictionaries(KEYS, VALUES, max_size=8)))
    if draw(st.booleans()):
        del table["type"]
    return table


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    doc: dict[str, Any] = {"schema_version": draw(st.sampled_from([1, 1, 1, 0, 2, "1", None]))}
    shape = draw(st.sampled_from(["scenario", "instrument", "list"]))
    if shape == "instrument":
        doc.update(draw(instrument_tables()))
        return doc
    instruments = draw(st.lists(instrument_tables(), max_size=3))
    if shape == "list":
        return {**doc, "instruments": instruments}
    doc.update({"name": draw(st.text(max_size=10)), "instruments": instruments})
    doc.update(draw(st.dictionaries(KEYS, VALUES, max_size=4)))
    return doc


@given(doc=documents())
def test_plausible_documents_raise_only_file_errors(doc: dict[str, Any]) -> None:
    load_or_file_error(json.dumps(doc), "json")


# --- valid files, broken one way -----------------------------------------------------------------


def _valid() -> Scenario:
    source = Source(title="Big Fund III registration", publisher="Caixin", date="2024-05-27")
    instruments = [
        Subsidy(
            name="Chip rebate",
            issuer="MOF",
            budget=Q_("344 GCNY"),
            start=2024,
            end=2038,
            target="chips",
            rate=0.3,
            source=source,
            beneficiaries=[
                Beneficiary(
                    actor="DeepSeek",
                    strength="contested",
                    sources=[Assumption(reason="Reports link it to state promotion.")],
                    counter_sources=[source],
                )
            ],
        ),
        ExportControl(name="US Oct 2023 rule", rule="2023-10", chips=["H20"], start=2023),
        Subsidy(name="Power rebate", target="energy", rate=0.2, layers=["chip_design"]),
    ]
    return Scenario(name="Chip push", end=2030, description="Funds", instruments=instruments)


VALID = json.loads(dumps(_valid(), format="json"))


def _paths(value: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [at]
    if isinstance(value, dict):
        for k, v in value.items():
            found += _paths(v, (*at, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _paths(v, (*at, i))
    return found


@st.composite
def broken(draw: st.DrawFn) -> Any:
    doc = json.loads(json.dumps(VALID))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(doc)))
        if not path:
            continue
        *parent_path, last = path
        parent = doc
        for part in parent_path:
            parent = parent[part]
        action = draw(st.sampled_from(["drop", "replace", "rename", "wrap", "retype"]))
        if action == "drop":
            del parent[last]
        elif action == "replace":  # a copy: sampled_from gives the same (mutable) object
            parent[last] = copy.deepcopy(draw(VALUES))
        elif action == "wrap":
            parent[last] = [parent[last]]
        elif action == "retype":
            old = parent[last]
            parent[last] = (
                str(old) if not isinstance(old, str) else draw(st.integers() | st.floats())
            )
        elif isinstance(parent, dict):
            parent[draw(KEYS)] = parent.pop(last)
    return doc


def test_the_valid_file_is_valid() -> None:
    for fmt in FORMATS:
        assert loads(dumps(_valid(), format=fmt), format=fmt) == _valid()


@given(doc=broken())
def test_valid_files_broken_one_way_raise_only_file_errors(doc: Any) -> None:
    load_or_file_error(json.dumps(doc), "json")


@pytest.mark.parametrize("fmt", FORMATS)
@given(data=st.data())
def test_valid_text_cut_or_spliced_raises_only_file_errors(fmt: str, data: st.DataObject) -> None:
    text = dumps(_valid(), format=fmt)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 40)))
    insert = data.draw(
        st.sampled_from(["", "\n", '"', "[", "]", "= 5\n", "x", "\n[[instruments]]\n"])
    )
    load_or_file_error(text[:start] + insert + text[end:], fmt)
