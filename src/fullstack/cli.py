"""The ``fullstack`` command line.

Commands:

- ``fullstack units``: the custom units and what they mean.
- ``fullstack convert VALUE TO``: convert a quantity (``"300 EFLOP/s" H100e``), or money between
  currencies with ``--year`` (``"344 GCNY" USD --year 2023``).
- ``fullstack rates``: the default exchange-rate table with its sources.
- ``fullstack classify NAME`` or ``fullstack classify --tpp X --die-area Y``: classify a catalog
  chip or a hypothetical one under a US export rule (``--rule 2022-10|2023-10|2024-12``).
- ``fullstack catalog accelerators``: the built-in accelerator catalog.
- ``fullstack rules``: the built-in export rules and their paragraphs.
- ``fullstack world``: the reference world (China and the US at 2025) and self-sufficiency.
- ``fullstack sources [--format table|markdown|bibtex]``: every source the library's data uses.
- ``fullstack instruments``: the instrument types and the presets of real programmes.
- ``fullstack validate FILE``: load a scenario or instrument file and report every problem (with
  ``--json``, a ``{"file", "valid", "problems"}`` object, also for an invalid file).
- ``fullstack demo``: the built-in demonstration (``make demo`` runs it).

Every command takes ``--json`` for machine-readable output where it makes sense. Errors print one
line to stderr and exit with status 2; there are no tracebacks for bad input.

Example:
    >>> main(["convert", "1 GW", "MW"])
    1,000 MW
    0
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fullstack._format import text_table
from fullstack._quantity_text import format_value
from fullstack._unit_table import unit_table
from fullstack.errors import FullstackError

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["main"]


def _emit(args: argparse.Namespace, data: Any, text: str) -> None:
    print(json.dumps(data, indent=2) if getattr(args, "json", False) else text)


def _cmd_units(args: argparse.Namespace) -> int:
    table = unit_table()  # generated from units.txt, the one list of custom units
    rows = [[u.name, ", ".join(u.aliases), u.dimension, u.definition] for u in table]
    data = [
        {
            "unit": u.name,
            "aliases": list(u.aliases),
            "dimension": u.dimension,
            "definition": u.definition,
            "meaning": u.why,
        }
        for u in table
    ]
    _emit(args, data, text_table(rows, ("unit", "aliases", "dimension", "definition")))
    return 0


def _cmd_convert(args: argparse.Namespace) -> int:
    from fullstack.money import convert_currency
    from fullstack.units import CURRENCIES, currency_of, format_quantity, parse_quantity

    value = parse_quantity(args.value, where="VALUE")
    src = currency_of(value)
    if src is not None and args.to in CURRENCIES and args.to != src:
        if args.year is None:
            raise FullstackError("converting between currencies needs --year (e.g. --year 2023)")
        result = convert_currency(value, args.to, year=args.year, carry_forward=args.carry_forward)
    else:
        result = value.to(args.to)
    text = format_quantity(result)  # exact in JSON; for people, in the unit asked for
    shown = format_value(result, keep_unit=currency_of(result) is None)
    _emit(
        args,
        {"value": text, "magnitude": float(result.magnitude), "unit": f"{result.units:~C}"},
        shown,
    )
    return 0


def _cmd_rates(args: argparse.Namespace) -> int:
    from fullstack.money import exchange_rates

    table = exchange_rates()
    rows = [
        [r.date, f"{r.base}/{r.quote}", f"{r.rate:.4f}", r.kind, getattr(r.source, "title", "")]
        for r in table
    ]
    data = [
        {
            "year": r.year,
            "base": r.base,
            "quote": r.quote,
            "rate": r.rate,
            "source": r.source.cite(),
        }
        for r in table
    ]
    notes = "\n".join(f"  {s.cite()}" for s in table.sources())
    text = text_table(rows, ("year", "pair", "rate", "kind", "source")) + "\n\nSources:\n" + notes
    _emit(args, data, text)
    return 0


def _cmd_classify(args: argparse.Namespace) -> int:
    from fullstack.accelerators import accelerators
    from fullstack.export_controls import export_rule

    rule = export_rule(args.rule)
    figures = (args.tpp, args.die_area, args.performance_density, args.io_bandwidth)
    if args.name is not None:
        if any(f is not None for f in figures):
            raise FullstackError(
                "classify: give a catalog NAME or the figures (--tpp ...), not both"
            )
        chip = accelerators()[args.name]
        if args.datacenter is not None and args.datacenter != chip.datacenter:
            import attrs

            chip = attrs.evolve(chip, datacenter=args.datacenter)
        result = rule.classify(chip, at=args.at)
    elif args.tpp is None:
        raise FullstackError(
            "classify: expected a catalog NAME (e.g. H20) or --tpp for a hypothetical chip, "
            "got neither"
        )
    else:
        result = rule.classify_values(
            tpp=_number_or_text(args.tpp),
            die_area=_number_or_text(args.die_area),
            performance_density=_number_or_text(args.performance_density),
            io_bandwidth=_number_or_text(args.io_bandwidth),
            datacenter=True if args.datacenter is None else args.datacenter,
        )
    text = str(result)
    if result.controlled is False and (line := result.nearest_line()) is not None:
        text += f"\nNearest line: {line}"
    text += f"\nRule: {rule.source.cite()}"
    _emit(args, result.to_dict(), text)
    return 0


def _number_or_text(value: str | None) -> float | str | None:
    """A plain number stays a number (read in the rule's units); anything else is parsed."""
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return value


def _cmd_catalog(args: argparse.Namespace) -> int:
    from fullstack.accelerators import accelerators

    catalog = accelerators()
    data = catalog.rows()

    def fmt(v: Any) -> str:
        if isinstance(v, bool):
            return "yes" if v else "no"
        return format_value(v)

    cols = ("name", "vendor", "year", "datacenter", "tpp", "performance_density", "h100e")
    rows = []
    for r in data:
        kinds = list(catalog[r["name"]].provenance().values())
        r["figures_confirmed"] = kinds.count("confirmed")
        r["figures_single_source"] = kinds.count("single-source")
        r["figures_assumed"] = kinds.count("assumption")
        checked = f"{r['figures_confirmed']}/{len(kinds)}"
        rows.append([*(fmt(r[c]) for c in cols), checked])
    header = ("name", "vendor", "year", "DC", "TPP", "PD (TPP/mm²)", "H100e", "2nd source")
    counts = catalog.provenance_counts()
    credit = (
        f"\n2nd source: figures a second source confirms, of all the chip's figures "
        f"({counts['confirmed']} confirmed, {counts['single-source']} on one source and "
        f"{counts['assumption']} explicit assumptions in all; "
        "fullstack.accelerators()[name].provenance() says which)."
        "\nFigures mostly from Epoch AI, 'Data on Machine Learning Hardware' (CC BY 4.0), "
        "https://epoch.ai/data/machine-learning-hardware; each figure's source: "
        "fullstack.accelerators()[name].figures()."
    )
    _emit(args, data, text_table(rows, header) + credit)
    return 0


def _cmd_rules(args: argparse.Namespace) -> int:
    from fullstack.export_controls import export_rules

    rows = []
    data = []
    for rule in export_rules().values():
        for para in rule.paragraphs:
            test = " and ".join(str(c) for c in para.conditions)
            rows.append([rule.key, rule.citation, para.id, test])
        data.append(
            {
                "key": rule.key,
                "citation": rule.citation,
                "issued": rule.issued,
                "effective": rule.effective,
                "paragraphs": {
                    p.id: [[c.metric.value, c.op, c.threshold] for c in p.conditions]
                    for p in rule.paragraphs
                },
                "source": rule.source.cite(),
            }
        )
    _emit(args, data, text_table(rows, ("rule", "citation", "paragraph", "test")))
    return 0


def _cmd_sources(args: argparse.Namespace) -> int:
    from fullstack.bibliography import bibliography

    bib = bibliography()
    if args.json:
        data = {
            "sources": bib.rows(),
            "assumptions": [
                {"reason": a.reason, "confidence": a.confidence.value} for a in bib.assumptions
            ],
        }
        print(json.dumps(data, indent=2))
        return 0
    if args.format == "markdown":
        print(bib.to_markdown(), end="")
    elif args.format == "bibtex":
        print(bib.to_bibtex(), end="")
    else:
        rows = [[r["confidence"], str(r["uses"]), r["citation"]] for r in bib.rows()]
        print(text_table(rows, ("confidence", "uses", "source")))
        print(f"\n{len(bib.entries)} sources and {len(bib.assumptions)} explicit assumptions.")
        print("Markdown: fullstack sources --format markdown; BibTeX: --format bibtex.")
    return 0


def _cmd_world(args: argparse.Namespace) -> int:
    from fullstack.world import reference_world

    world = reference_world()
    data: dict[str, Any] = {"base_year": world.base_year, "economies": {}}
    lines = [
        f"Reference world at {world.base_year}; export rules in force: "
        + ", ".join(f"{r.key} ({r.citation})" for r in world.rules_in_force)
    ]
    for code, economy in world.economies.items():
        figures = {
            name: {"value": _plain_value(est.value), "source": est.source.cite()}
            for name, est in economy.figures.items()
        }
        fleet = economy.fleet_rows()
        data["economies"][code] = {
            "name": economy.name,
            "currency": economy.currency,
            "figures": figures,
            "fleet": fleet,
            "fleet_h100e": float(economy.fleet_h100e.m_as("H100e")),
            "fleet_by_channel": economy.fleet_by_channel(),
        }
        lines.append(f"\n== {economy.name} ({code}) ==")
        rows = [
            [name, _plain_value(est.value), est.source.cite()[:70]]
            for name, est in sorted(economy.figures.items())
        ]
        lines.append(text_table(rows, ("figure", "value", "source")))
        channel_rows = [
            [
                r["channel"],
                f"{r['h100e']:,.0f}",
                f"{r['h100e_low']:,.0f} to {r['h100e_high']:,.0f}",
                f"{r['share']:.0%}",
            ]
            for r in economy.fleet_by_channel()
        ]
        lines.append("\nInstalled fleet by channel (H100e):")
        lines.append(text_table(channel_rows, ("channel", "H100e", "range", "share")))
    table = world.self_sufficiency()
    data["self_sufficiency"] = [dict(r) for r in table.rows]
    lines.append("\n== Self-sufficiency by layer ==\n" + str(table))
    _emit(args, data, "\n".join(lines))
    return 0


def _plain_value(value: Any) -> str:
    return format_value(value)


def _cmd_instruments(args: argparse.Namespace) -> int:
    from fullstack.policy import instrument_types, tag_of
    from fullstack.policy.presets import presets

    types = instrument_types()
    data: dict[str, Any] = {
        "types": {tag: f"{cls.__module__}.{cls.__qualname__}" for tag, cls in types.items()},
        "presets": [],
    }
    rows = []
    for name, inst in presets().items():
        years = f"{inst.start}-{inst.end if inst.end is not None else ''}"
        tag = tag_of(type(inst)) or "?"
        rows.append([name, tag, inst.economy, years, inst.source.cite()[:60]])
        data["presets"].append(
            {
                "name": name,
                "type": tag,
                "economy": inst.economy,
                "start": inst.start,
                "end": inst.end,
                "source": inst.source.cite(),
            }
        )
    text = (
        f"Instrument types ({len(types)}): {', '.join(sorted(types))}\n\nPresets:\n"
        + text_table(rows, ("preset", "type", "economy", "years", "source"))
    )
    _emit(args, data, text)
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from fullstack.errors import FileFormatError
    from fullstack.io import load

    try:
        obj = load(args.file)
    except FileFormatError as exc:
        if not args.json:
            raise
        problems = [{"location": p.location, "message": p.message} for p in exc.problems]
        print(json.dumps({"file": args.file, "valid": False, "problems": problems}, indent=2))
        return 2
    kind = type(obj).__name__
    name = getattr(obj, "name", "")
    count = len(getattr(obj, "instruments", ()) or ())
    detail = f", {count} instruments" if count else ""
    _emit(
        args,
        {"file": args.file, "valid": True, "kind": kind, "name": name, "problems": []},
        f"{args.file}: valid {kind} {name!r}{detail}",
    )
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from fullstack._demo import run_demo

    return run_demo(Path(args.out), echo=print)


def _parser() -> argparse.ArgumentParser:
    from fullstack import __version__

    parser = argparse.ArgumentParser(
        prog="fullstack",
        description="Model the AI tech stack and the industrial policy around it.",
    )
    parser.add_argument("--version", action="version", version=f"fullstack {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("units", help="list fullstack's custom units")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_cmd_units)

    p = sub.add_parser("convert", help="convert a quantity, or money at a year's exchange rate")
    p.add_argument("value", help='a quantity, e.g. "300 EFLOP/s" or "344 GCNY"')
    p.add_argument("to", help='target unit or currency, e.g. "H100e" or "USD"')
    p.add_argument("--year", type=int, help="year of the exchange rate (currencies only)")
    p.add_argument(
        "--carry-forward",
        action="store_true",
        help="for years after the table, reuse its latest rate (marked as an assumption)",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_cmd_convert)

    p = sub.add_parser("rates", help="the default exchange-rate table and its sources")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_cmd_rates)

    p = sub.add_parser(
        "classify",
        help="classify a chip under a US export rule (3A090)",
        description="Classify a catalog chip (NAME) or a hypothetical one (--tpp ...). Plain "
        "numbers are read in the rule's units: TPP, mm², TPP/mm², GB/s; strings with units "
        "such as '800 mm^2' are accepted too.",
    )
    p.add_argument("name", nargs="?", help="a catalog accelerator, e.g. H20 (any case/spacing)")
    p.add_argument("--rule", help="2022-10, 2023-10 or 2024-12 (default: the newest)")
    p.add_argument("--tpp", help="total processing performance of a hypothetical chip")
    p.add_argument("--die-area", help="applicable die area (mm² if a plain number)")
    p.add_argument("--performance-density", help="TPP per mm² (instead of --die-area)")
    p.add_argument("--io-bandwidth", help="chip-to-chip I/O bandwidth (GB/s if plain)")
    dc = p.add_mutually_exclusive_group()
    dc.add_argument(
        "--datacenter",
        dest="datacenter",
        action="store_true",
        default=None,
        help="designed or marketed for data centers (default for --tpp; a catalog chip's own "
        "flag otherwise)",
    )
    dc.add_argument(
        "--no-datacenter",
        dest="datacenter",
        action="store_false",
        help="not designed or marketed for data centers (the rule's Note 2)",
    )
    p.add_argument(
        "--at",
        choices=("value", "low", "high"),
        default="value",
        help="use the central figures or the low/high ends of their estimates",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_cmd_classify)

    p = sub.add_parser("catalog", help="list a built-in catalog")
    p.add_argument("what", choices=("accelerators",), help="which catalog")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_cmd_catalog)

    p = sub.add_parser("rules", help="the built-in export rules and their paragraphs")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_cmd_rules)

    p = sub.add_parser("world", help="the reference world: figures, fleets, self-sufficiency")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_cmd_world)

    p = sub.add_parser("sources", help="every source the built-in data uses (a bibliography)")
    p.add_argument(
        "--format", choices=("table", "markdown", "bibtex"), default="table", help="output format"
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_cmd_sources)

    p = sub.add_parser("instruments", help="instrument types and presets of real programmes")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_cmd_instruments)

    p = sub.add_parser("validate", help="check a scenario or instrument file (TOML/JSON/YAML)")
    p.add_argument("file", help="the file to check")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_cmd_validate)

    from fullstack._commands import add_commands

    add_commands(sub)

    p = sub.add_parser(
        "demo", help="project the built-in scenarios and write the report (make demo)"
    )
    p.add_argument("--out", default="demo-output", help="folder for the report files")
    p.set_defaults(func=_cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    Args:
        argv: The arguments (without the program name); ``sys.argv[1:]`` by default.

    Returns:
        0 on success, 2 for bad input (the message goes to stderr).

    Example:
        >>> main(["convert", "4800 TPP", "bit*TOPS"])
        4,800 b·TOPS
        0
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage and the error to stderr
        return exc.code if isinstance(exc.code, int) else 2
    if args.command is None:
        parser.print_help()
        return 0
    try:
        status: int = args.func(args)
    except FullstackError as exc:
        print(f"fullstack: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a file or folder the command could not read or write
        print(f"fullstack: error: {exc}", file=sys.stderr)
        return 2
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
