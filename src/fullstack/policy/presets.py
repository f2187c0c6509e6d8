"""Real programmes as preset instruments, each with its sources and the assumptions it makes.

The presets are data: ``fullstack/datasets/presets.toml`` holds them, read through the same
converter and the same checks as users' scenario files (`fullstack.load`), so a problem in the
file is reported the same way, all at once, with its place. Each entry of the file holds:

- ``instrument``: the instrument, as a scenario file writes it (``type = "guidance_fund"``...);
- ``figures``: where each figure comes from, a source key or an assumption table;
- ``aliases``: other names to look it up by;
- ``part_of``: the preset it is part of, if any (see below).

Sources are written once in the file's ``[sources]`` table and named by key wherever they are
used (``source = "trendforce_2024"``); ``"rule:2023-10"`` names the source of a built-in export
rule.

A preset is an ordinary instrument object: add it to a scenario as it is, or tweak it with
``attrs.evolve``. Each carries its main `Source`; `preset_figures` says where every figure in it
comes from, published or assumed. Effect sizes nobody published (how much of the Big Fund builds
advanced logic capacity, how far pooling raises utilization) are explicit `Assumption` objects
with their reasons, at low confidence. Presets state flows in their active years (money invested,
power built); what a fab costs per wafer and how long building takes are the projection
engine's, not a preset's.

**Parts are never counted twice.** A programme that is part of another (the National AI Industry
Investment Fund is a sub-fund of Big Fund III, which is its sole limited partner; the 2025 state
cloud is part of the National Integrated Computing Network) is its own preset with
``part_of`` set, and the larger programme's figures exclude it: Big Fund III's budget is its 344
billion yuan less the sub-fund's 60.06 billion. A scenario may hold either or both, and each yuan
and each point of utilization is counted once; to study Big Fund III as registered, add both.
`preset_part_of` gives the relation.

Confidence follows the tags of the project's fact files: primary sources are high, reputable
secondary sources medium, weak mirrors, aggregators and unconfirmed figures low.

Example:
    >>> from fullstack.policy.presets import preset, preset_figures, preset_part_of
    >>> fund = preset("big fund 3")
    >>> fund.name, fund.source.publisher
    ('Big Fund III', 'TrendForce')
    >>> ai_fund = preset("National AI Industry Investment Fund")
    >>> preset_part_of(ai_fund.name)
    'Big Fund III'
    >>> (fund.budget + ai_fund.budget).to("GCNY")  # Big Fund III as registered, counted once
    <Quantity(344.0, 'gigaCNY')>
    >>> type(preset_figures("Big Fund III")["to_capacity"]).__name__
    'Assumption'
    >>> attrs.evolve(fund, to_capacity=0.3).to_capacity
    0.3
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib import resources
from typing import Any, Final

import attrs

from fullstack._codec import _At, _collect, _Invalid, _suggestion, read_text
from fullstack._data import Catalog
from fullstack._modules import make_callable
from fullstack.export_controls import export_rules
from fullstack.policy._converter import converter
from fullstack.policy.instruments import Instrument
from fullstack.provenance import Provenance, Source

__all__ = ["preset", "preset_figures", "preset_part_of", "presets", "read_presets"]

PRESETS_FILE: Final = "presets.toml"
"""The file of ``fullstack.datasets`` that holds the presets."""

_RULE_PREFIX: Final = "rule:"
_SOURCE_LISTS: Final = ("sources", "counter_sources", "basis")


@attrs.frozen(kw_only=True)
class _Entry:
    """A preset: the instrument, where each figure comes from, other names, and its parent.

    Attributes:
        instrument: The instrument.
        figures: Where each figure comes from, by field.
        aliases: Other names to look it up by.
        part_of: The preset whose figures exclude this one's, if any.
    """

    instrument: Instrument
    figures: Mapping[str, Provenance] = attrs.field(factory=dict)
    aliases: tuple[str, ...] = ()
    part_of: str | None = None


@attrs.frozen(kw_only=True)
class _PresetsFile:
    """The schema of ``presets.toml``: sources by key, then the presets."""

    sources: Mapping[str, Source] = attrs.field(factory=dict)
    presets: tuple[_Entry, ...] = ()


class _Presets(Catalog[_Entry]):
    kind = "preset"


def read_presets(text: str, path: str = "<string>") -> dict[str, Instrument]:
    """Check a presets file and return its instruments by name (for tests and new entries).

    Raises:
        FileFormatError: With every problem in the file and where it is.

    Example:
        >>> read_presets('''
        ... schema_version = 1
        ... [sources.notes]
        ... title = "My notes"
        ... publisher = "Me"
        ... url = "https://example.org/notes"
        ... [[presets]]
        ... part_of = "Nothing"
        ... [presets.instrument]
        ... type = "subsidy"
        ... name = "Rebate"
        ... target = "energy"
        ... rate = 0.2
        ... source = "note"
        ... ''')
        Traceback (most recent call last):
        ...
        fullstack.FileFormatError: <string>: 2 problems
          presets[0].part_of: "Nothing" is not a preset in this file
          presets[0].instrument.source: unknown source "note"; did you mean "notes"?
    """
    catalog = _read(text, path)
    return {name: entry.instrument for name, entry in catalog.items()}


def _read(text: str, path: str) -> _Presets:
    return read_text(text, "toml", path, _structure)  # type: ignore[no-any-return]


def _structure(data: dict[str, Any]) -> _Presets:
    """The presets catalog from the file's table; raises `_Invalid` with every problem."""
    codec = converter()
    problems: list[tuple[_At, str]] = []
    raw_sources = data.get("sources", {})
    body = {k: v for k, v in data.items() if k != "schema_version"}
    entries = body.get("presets")
    if isinstance(raw_sources, dict) and isinstance(entries, list):
        problems += _unknown_parents(entries)
        body["presets"] = [
            _with_sources(entry, raw_sources, ("presets", i), problems)
            for i, entry in enumerate(entries)
        ]
    try:
        parsed: _PresetsFile = codec.structure(body, _PresetsFile)
    except Exception as exc:
        taken = {at for at, _ in problems}
        problems += [(at, m) for at, m in _collect(exc) if at not in taken]
    if problems:
        raise _Invalid(problems)
    try:
        return _Presets(
            parsed.presets,
            name_of=lambda e: e.instrument.name,
            aliases_of=lambda e: e.aliases,
            item_type=_Entry,
        )
    except Exception as exc:  # names or aliases used twice
        raise _Invalid([(("presets",), str(exc))]) from None


def _unknown_parents(entries: list[Any]) -> list[tuple[_At, str]]:
    """A ``part_of`` that names no preset of the file."""
    tables = [e if isinstance(e, dict) else {} for e in entries]
    names = {e["instrument"].get("name") for e in tables if isinstance(e.get("instrument"), dict)}
    return [
        (("presets", i, "part_of"), f'"{e["part_of"]}" is not a preset in this file')
        for i, e in enumerate(tables)
        if isinstance(e.get("part_of"), str) and e["part_of"] not in names
    ]


def _with_sources(
    value: Any, sources: dict[str, Any], at: _At, problems: list[tuple[_At, str]]
) -> Any:
    """A copy of ``value`` with each source key replaced by that source's table.

    Keys are text where a source is expected: a ``source`` field, the items of ``sources``,
    ``counter_sources`` and ``basis``, and the values of ``figures``.
    """

    def table(key: str, where: _At) -> Any:
        if key.startswith(_RULE_PREFIX):
            rules = export_rules()
            rule = key.removeprefix(_RULE_PREFIX)
            if rule in rules:
                return converter().unstructure(rules[rule].source)
            problems.append((where, f"unknown export rule {key!r}{_suggestion(rule, rules)}"))
            return key
        if key in sources:
            return sources[key]
        problems.append((where, f'unknown source "{key}"{_suggestion(key, sources)}'))
        return key

    def walk(v: Any, where: _At) -> Any:
        if isinstance(v, list):
            return [walk(x, (*where, i)) for i, x in enumerate(v)]
        if not isinstance(v, dict):
            return v
        out: dict[str, Any] = {}
        for k, x in v.items():
            here = (*where, k)
            if k == "source" and isinstance(x, str):
                out[k] = table(x, here)
            elif k in _SOURCE_LISTS and isinstance(x, list):
                out[k] = [
                    table(y, (*here, i)) if isinstance(y, str) else walk(y, (*here, i))
                    for i, y in enumerate(x)
                ]
            elif k == "figures" and isinstance(x, dict):
                out[k] = {
                    f: table(y, (*here, f)) if isinstance(y, str) else walk(y, (*here, f))
                    for f, y in x.items()
                }
            else:
                out[k] = walk(x, here)
        return out

    return walk(value, at)


@functools.cache
def _catalog() -> _Presets:
    text = resources.files("fullstack.datasets").joinpath(PRESETS_FILE).read_text("utf-8")
    return _read(text, f"fullstack/datasets/{PRESETS_FILE}")


def presets() -> dict[str, Instrument]:
    """Every preset instrument by name: real programmes, sourced (read once, then cached).

    Example:
        >>> from fullstack.policy.presets import presets
        >>> "East Data West Computing" in presets() and "US Oct 2023 rule" in presets()
        True
    """
    return {name: entry.instrument for name, entry in _catalog().items()}


def preset(name: str) -> Instrument:
    """A preset by name or alias, forgiving of case, spaces, hyphens and dots.

    Raises:
        UnknownNameError: With the closest preset names.

    Example:
        >>> from fullstack.policy.presets import preset
        >>> preset("us oct-2023 rule").rule
        '2023-10'
        >>> preset("Big Fund IV")
        Traceback (most recent call last):
        ...
        fullstack.UnknownNameError: unknown preset 'Big Fund IV' (of ... known); did you mean ...
    """
    return _catalog()[name].instrument


def preset_figures(name: str) -> dict[str, Provenance]:
    """Where each figure of a preset comes from, by field: a `Source` or an `Assumption`.

    Example:
        >>> from fullstack.policy.presets import preset_figures
        >>> preset_figures("Shenzhen compute vouchers")["subsidy_rate"].confidence
        <Confidence.LOW: 'low'>
    """
    return dict(_catalog()[name].figures)


def preset_part_of(name: str) -> str | None:
    """The preset that ``name`` is part of (whose figures exclude it), or None.

    Example:
        >>> from fullstack.policy.presets import preset_part_of
        >>> preset_part_of("State cloud for surplus compute")
        'National Integrated Computing Network'
        >>> preset_part_of("Big Fund III") is None
        True
    """
    return _catalog()[name].part_of


# ``fullstack.policy.presets`` is also callable, like its function (see fullstack._modules).
make_callable(__name__, presets)
