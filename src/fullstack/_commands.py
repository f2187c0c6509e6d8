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


Ranges = dict[tuple[str, str, int], tuple[float, float, float]]
"""5th, 50th and 95th percentiles by (scenario, metric, year)."""


def _ranges(
    args: argparse.Namespace, scenarios: list[Scenario], metrics: list[str], years: list[int]
) -> Ranges:
    """With ``--samples N``: each scenario's ensemble, its numeric metrics' percentiles."""
    if not args.samples:
        return {}
    out: Ranges = {}
    for scenario in scenarios:
        ensemble = scenario.ensemble(args.samples, seed=args.seed)
        for m in metrics:
            if ensemble.projection.unit(m) == "label":
                continue
            for y in years:
                low, mid, high = ensemble.quantiles(m, y)
                out[(scenario.name, m, y)] = (
                    float(low.magnitude),
                    float(mid.magnitude),
                    float(high.magnitude),
                )
    return out


def _emit(
    args: argparse.Namespace, projections: list[Projection], scenarios: list[Scenario]
) -> None:
    from fullstack.results import HEADLINE, compare

    metrics = args.metric or [m for m in HEADLINE if m in projections[0].series]
    years = _years(projections[0], args.year)
    ranges = _ranges(args, scenarios, metrics, years)
    if args.json:
        data: dict[str, Any] = {
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
        if args.samples:
            data["samples"] = {"n": args.samples, "seed": args.seed}
            for m in metrics:
                if all((p.scenario.name, m, years[0]) in ranges for p in projections):
                    data["metrics"][m]["p5_p50_p95"] = {
                        p.scenario.name: [list(ranges[(p.scenario.name, m, y)]) for y in years]
                        for p in projections
                    }
        print(json.dumps(data, indent=2))
        return
    if args.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        extra = ["p5", "p50", "p95"] if args.samples else []
        writer.writerow(["scenario", "economy", "metric", "year", "value", "unit", *extra])
        for p in projections:
            for m in metrics:
                for y in years:
                    found = ranges.get((p.scenario.name, m, y))
                    tail = [*found] if found else [""] * len(extra)
                    writer.writerow([p.scenario.name, m.split(".")[0].upper(), m, y,
                                     _plain(p.value(m, y)), p.unit(m), *tail])  # fmt: skip
        sys.stdout.write(buffer.getvalue())
        return
    if len(projections) == 1:  # one scenario: a metric per row, a year per column
        p = projections[0]
        rows = [[m, *(_show(p.value(m, y), p.unit(m)) for y in years)] for m in metrics]
        print(f"{p.scenario.name} ({p.years[0]}-{p.years[-1]})")
        print(text_table(rows, ["metric", *(str(y) for y in years)]))
    else:
        table = compare(*projections, metrics=metrics, years=years)
        header, rows = table._cells()
        print(text_table(rows, header))
    if ranges:
        print(
            f"\nHow sure: 5th, 50th and 95th percentiles over {args.samples:,} draws of the "
            f"uncertain figures (seed {args.seed}); the values above are the central run."
        )
        rows = [
            [name, m, str(y), *(_show(v, projections[0].unit(m)) for v in ranges[(name, m, y)])]
            for (name, m, y) in ranges
        ]
        print(text_table(rows, ["scenario", "metric", "year", "5th", "median", "95th"]))


def _show(value: Any, unit: str) -> str:
    from fullstack.results import _show as show

    if isinstance(value, str):
        return show(value, unit)
    return show(float(getattr(value, "magnitude", value)), unit)


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
    _emit(args, [run(scenario)], [scenario])
    _write_report(args, [scenario])
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from fullstack.engine import run

    scenarios = [_scenario(name) for name in args.scenarios]
    if len(scenarios) < 2:
        raise ValidationError("compare", "two scenarios or more", len(scenarios))
    _emit(args, [run(s) for s in scenarios], scenarios)
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
    p.add_argument(
        "--samples",
        type=_count,
        default=0,
        help="also draw the uncertain figures N times and show the 5th-95th percentiles",
    )
    p.add_argument("--seed", type=_count, default=0, help="the seed of those draws (default 0)")


def _count(text: str) -> int:
    """A whole number of at least zero, for --samples and --seed."""
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 0, got {value}")
    return value


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
