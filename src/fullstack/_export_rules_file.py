"""The built-in export rules: the rules file's reader and the lookup by month.

``datasets/export_rules.toml`` holds the rules' paragraphs, thresholds, wording and sources;
`read_rules` reads a file of that format through the converter that reads scenario files (every
problem at once, with its place), `export_rules` reads the shipped one once, and `export_rule`
finds a rule by the month it was issued, forgiving of the form (``"oct 2023"``).
`fullstack.export_controls` re-exports them.

Example:
    >>> export_rule("2022").key
    '2022-10'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any, Final

import attrs

from fullstack._codec import _At, _Codec, _collect, _Invalid, _suggestion, read_text
from fullstack._export_rule import ExportRule
from fullstack.errors import UnknownNameError
from fullstack.provenance import Source

__all__ = ["RULES_FILE", "export_rule", "export_rules", "read_rules"]

RULES_FILE: Final = "export_rules.toml"
"""The file of ``fullstack.datasets`` that holds the built-in rules (paragraphs, thresholds,
sources), read by `export_rules`."""


@attrs.frozen(kw_only=True)
class _RulesFile:
    """The schema of ``export_rules.toml``: sources by key, then the rules, oldest first."""

    sources: Mapping[str, Source] = attrs.field(factory=dict)
    rules: tuple[ExportRule, ...] = ()


def read_rules(text: str, path: str = "<string>") -> dict[str, ExportRule]:
    """Check a rules file (the format of ``datasets/export_rules.toml``); the rules by key.

    Read through the converter that reads scenario files, so every problem is reported at
    once with its place. Sources are written once under ``[sources]`` and named by key in a
    rule's ``source`` and ``secondary``.

    Raises:
        FileFormatError: With every problem in the file and where it is.

    Example:
        >>> read_rules('''
        ... schema_version = 1
        ... [sources.federal_register]
        ... title = "A rule"
        ... publisher = "BIS"
        ... [[rules]]
        ... key = "2030-01"
        ... title = "A rule"
        ... citation = "95 FR 1"
        ... issued = "2030-01-02"
        ... effective = "2030-01-02"
        ... source = "federal_register"
        ... secondary = ["federal_registr"]
        ... [[rules.paragraphs]]
        ... id = "3A090.a"
        ... conditions = [{ metric = "tpp", op = "=>", threshold = 4800 }]
        ... ''')
        Traceback (most recent call last):
        ...
        fullstack.FileFormatError: <string>: 2 problems
          rules[0].secondary[0]: unknown source "federal_registr"; did you mean "federal_register"?
          rules[0].paragraphs[0].conditions[0].op: expected one of ">=", ">", "<", "<=", got "=>"
    """
    parsed: _RulesFile = read_text(text, "toml", path, _structure_rules)
    return {rule.key: rule for rule in parsed.rules}


def _structure_rules(data: dict[str, Any]) -> _RulesFile:
    """The rules file's table as objects; raises `_Invalid` with every problem."""
    problems: list[tuple[_At, str]] = []
    body = {k: v for k, v in data.items() if k != "schema_version"}
    sources = body.get("sources")
    rules = body.get("rules")
    if isinstance(sources, dict) and isinstance(rules, list):

        def table(key: Any, at: _At) -> Any:
            if isinstance(key, str) and key in sources:
                return sources[key]
            if isinstance(key, str):
                problems.append((at, f'unknown source "{key}"{_suggestion(key, sources)}'))
            return key

        for i, rule in enumerate(rules):
            if not isinstance(rule, dict):
                continue
            if "source" in rule:
                rule["source"] = table(rule["source"], ("rules", i, "source"))
            if isinstance(rule.get("secondary"), list):
                rule["secondary"] = [
                    table(k, ("rules", i, "secondary", j)) for j, k in enumerate(rule["secondary"])
                ]
    try:
        parsed: _RulesFile = _Codec().structure(body, _RulesFile)
    except Exception as exc:
        taken = {at for at, _ in problems}
        problems += [(at, m) for at, m in _collect(exc) if at not in taken]
    if not problems:
        keys = [rule.key for rule in parsed.rules]
        problems += [
            (("rules", i, "key"), f'"{k}" is the key of an earlier rule')
            for i, k in enumerate(keys)
            if k in keys[:i]
        ]
    if problems:
        raise _Invalid(problems)
    return parsed


@functools.cache
def export_rules() -> dict[str, ExportRule]:
    """The built-in rules by key, oldest first (read from ``datasets/export_rules.toml``).

    Example:
        >>> list(export_rules())
        ['2022-10', '2023-10', '2024-12', '2026-01']
    """
    from importlib import resources

    text = resources.files("fullstack.datasets").joinpath(RULES_FILE).read_text("utf-8")
    return read_rules(text, f"fullstack/datasets/{RULES_FILE}")


def export_rule(key: str | None = None) -> ExportRule:
    """A built-in rule by the month it was issued (``"2023-10"``); the newest when None.

    Accepts ``"2023-10"``, ``"2023-10-17"``, ``"2023"`` and ``"oct 2023"``.

    Raises:
        UnknownNameError: With the known keys.

    Example:
        >>> export_rule().key
        '2026-01'
        >>> export_rule("Oct 2022").citation
        '87 FR 62186'
    """
    rules = export_rules()
    if key is None:
        return list(rules.values())[-1]
    text = str(key).strip().casefold()
    months = {m: i + 1 for i, m in enumerate(_MONTHS)}
    match = re.fullmatch(r"([a-z]{3})[a-z]*\.?\s+(\d{4})", text)
    if match and match.group(1) in months:
        text = f"{match.group(2)}-{months[match.group(1)]:02d}"
    for k in rules:
        if text == k or re.fullmatch(re.escape(k) + r"-(0[1-9]|[12]\d|3[01])", text):
            return rules[k]
    by_year = [k for k in rules if k[:4] == text]
    if len(by_year) == 1:
        return rules[by_year[0]]
    raise UnknownNameError("export rule", str(key), list(rules), known=len(rules))


_MONTHS: Final = (
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
)
