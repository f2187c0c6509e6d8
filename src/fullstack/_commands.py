"""The ``fullstack run`` and ``fullstack compare`` commands (registered by `fullstack.cli`).

A scenario is named by a file (TOML, JSON or YAML) or by a built-in scenario's name or short
name (``baseline``, ``tighter``, ``self_reliance``, ``relaxed``). Output is a table, ``--json``
or ``--csv`` (tidy rows), and ``--out DIR`` writes the report (Markdown, HTML, PNG charts).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fullstack._format import text_table
from fullstack.errors import UnknownNameError, ValidationError

if TYPE_CHECKING:
    import argparse

    from fullstack.results import Projection
    from fullstack.scenario import Scenario

__all__ = ["add_commands"]


def _scenario(name: str) -> Scenario:
    """A scenario from a file, or a built-in one by name."""
    from fullstack._library import scenarios
    from fullstack.io import load
    from fullstack.scenario import Scenario

    path = Path(name)
    if path.suffix.lower() in (".toml", ".json", ".yaml", ".yml") or path.exists():
        obj = load(path)
        if not isinstance(obj, Scenario):
            raise ValidationError(str(path), "a scenario file", f"a {type(obj).__name__}")
        return obj
    try:
        return scenarios()[name]
    except UnknownNameError as exc:
        known = ", ".join(repr(n) for n in scenarios())
        kind = f"scenario file or built-in scenario (built-ins: {known})"
        raise UnknownNameError(kind, name, exc.suggestions, len(scenarios())) from None


def _years(p: Projection, chosen: list[int] | None) -> list[int]:
    if chosen:
        return chosen
    ys = p.years
    return sorted({ys[0], *(y for y in (2027, 2030) if y in ys), ys[-1]})


def _emit(args: argparse.Namespace, projections: list[Projection]) -> None:
    from fullstack.results import HEADLINE, compare

    metrics = args.metric or [m for m in HEADLINE if m in projections[0].series]
    years = _years(projections[0], args.year)
    if args.json:
        data = {
            "scenarios": [p.scenario.name for p in projections],
            "years": years,
            "metrics": {
                m: {
                    "unit": projections[0].unit(m),
                    "values": {
                        p.scenario.name: [_plain(p.value(m, y)) for y in years]
                        for p in projections
                    },
                }
                for m in metrics
            },
        }
        print(json.dumps(data, indent=2))
        return
    if args.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["scenario", "economy", "metric", "year", "value", "unit"])
        for p in projections:
            for m in metrics:
                for y in years:
                    writer.writerow([p.scenario.name, m.split(".")[0].upper(), m, y,
                                     _plain(p.value(m, y)), p.unit(m)])  # fmt: skip
        sys.stdout.write(buffer.getvalue())
        return
    if len(projections) == 1:  # one scenario: a metric per row, a year per column
        p = projections[0]
        rows = [[m, *(_show(p.value(m, y), p.unit(m)) for y in years)] for m in metrics]
        print(f"{p.scenario.name} ({p.years[0]}-{p.years[-1]})")
        print(text_table(rows, ["metric", *(str(y) for y in years)]))
        return
    table = compare(*projections, metrics=metrics, years=years)
    header, rows = table._cells()
    print(text_table(rows, header))


def _show(value: Any, unit: str) -> str:
    from fullstack.results import _show as show

    return show(value if isinstance(value, str) else float(value.magnitude), unit)


def _plain(value: Any) -> Any:
    return value if isinstance(value, str) else float(value.magnitude)


def _write_report(args: argparse.Namespace, scenarios: list[Scenario]) -> None:
    if not args.out:
        return
    from fullstack._report import build_report

    report = build_report(scenarios, years=args.year or None)
    files = report.write(Path(args.out))
    print("Wrote " + ", ".join(str(f) for f in files), file=sys.stderr)


def _cmd_run(args: argparse.Namespace) -> int:
    from fullstack.engine import run

    scenario = _scenario(args.scenario)
    _emit(args, [run(scenario)])
    _write_report(args, [scenario])
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from fullstack.engine import run

    scenarios = [_scenario(name) for name in args.scenarios]
    if len(scenarios) < 2:
        raise ValidationError("compare", "two scenarios or more", len(scenarios))
    _emit(args, [run(s) for s in scenarios])
    _write_report(args, scenarios)
    return 0


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--metric",
        action="append",
        help="a metric to show, e.g. cn.compute.installed (repeat for more; default: headline)",
    )
    p.add_argument(
        "--year", action="append", type=int, help="a year to show (repeat; default: a few)"
    )
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print JSON")
    fmt.add_argument("--csv", action="store_true", help="print tidy CSV rows")
    p.add_argument("--out", help="also write report.md, report.html and charts into this folder")


def add_commands(sub: Any) -> None:
    """Register ``run`` and ``compare`` on the CLI's subparsers.

    Example:
        >>> import argparse
        >>> parser = argparse.ArgumentParser()
        >>> add_commands(parser.add_subparsers())
        >>> parser.parse_args(["run", "baseline", "--year", "2030"]).year
        [2030]
    """
    p = sub.add_parser(
        "run",
        help="project a scenario (a file or a built-in name) year by year",
        description="Project a scenario file or a built-in scenario (baseline, tighter, "
        "self_reliance, relaxed) and print its headline metrics.",
    )
    p.add_argument("scenario", help="a scenario file (TOML/JSON/YAML) or a built-in name")
    _common(p)
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser(
        "compare",
        help="project several scenarios and compare them side by side",
        description="Compare scenarios (files or built-in names); differences and ratios "
        "are against the first.",
    )
    p.add_argument("scenarios", nargs="+", help="two or more scenario files or built-in names")
    _common(p)
    p.set_defaults(func=_cmd_compare)
