"""How long ``import fullstack`` takes, against its budget of 0.5 s (issue 2).

Runs ``python -X importtime -c "import fullstack"`` in fresh subprocesses (this interpreter,
``sys.executable``), reads the cumulative time Python reports for the ``fullstack`` package, and
prints the median in seconds and its ratio to the budget. For scale it does the same for
``import pint`` alone: pint and the registry fullstack builds on it are most of the cost.

One unmeasured run first lets pint write its definition cache (``cache_folder=":auto:"``) and
Python its bytecode, as any second import on a machine would find them. The bytecode goes to a
temporary folder (``PYTHONPYCACHEPREFIX``), so nothing is written into the source tree. If this
environment sets ``PYTHONDONTWRITEBYTECODE`` (fullstack's sources are then compiled on every
import), that case is measured too. ``-X importtime`` adds some overhead of its own, so the
figures are a little pessimistic.

Usage::

    python benchmarks/import_time.py            # 7 runs of each
    python benchmarks/import_time.py --runs 15
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

BUDGET_S = 0.5
_LINE = re.compile(
    r"^import time:\s+(?P<self>\d+)\s+\|\s+(?P<cum>\d+)\s+\|(?P<indent>\s*)(?P<name>\S+)"
)


Table = dict[str, tuple[int, int, int]]


def importtime(module: str, env: dict[str, str] | None = None) -> Table:
    """One fresh ``-X importtime`` run: ``{module: (self_us, cumulative_us, depth)}``.

    Python prints each module after the modules it imported, indented by depth, so the table
    keeps that order.
    """
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    table: Table = {}
    for line in result.stderr.splitlines():
        match = _LINE.match(line)
        if match:
            depth = (len(match["indent"]) - 1) // 2
            table[match["name"]] = (int(match["self"]), int(match["cum"]), depth)
    if module not in table:
        msg = f"no import time reported for {module!r}:\n{result.stderr[-2000:]}"
        raise RuntimeError(msg)
    return table


def cumulative_s(
    module: str, runs: int, env: dict[str, str] | None = None
) -> tuple[list[float], Table]:
    """Cumulative import times of ``module`` over ``runs`` runs, and the median run's table."""
    importtime(module, env)  # warm-up: pint's definition cache, bytecode, the OS file cache
    tables = [importtime(module, env) for _ in range(runs)]
    tables.sort(key=lambda t: t[module][1])
    return [t[module][1] / 1e6 for t in tables], tables[len(tables) // 2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each import (default 7)")
    parser.add_argument("--top", type=int, default=8, help="heaviest imports to list")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="fullstack-pycache-") as pycache:
        cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        cached["PYTHONPYCACHEPREFIX"] = pycache
        full, table = cumulative_s("fullstack", args.runs, cached)
        pint_alone, _ = cumulative_s("pint", args.runs, cached)
    median, pint_median = statistics.median(full), statistics.median(pint_alone)

    print(f"import fullstack: median {median:.3f} s over {args.runs} runs", end="")
    print(f" (min {min(full):.3f}, max {max(full):.3f})")
    verdict = "within" if median <= BUDGET_S else "OVER"
    print(f"  {median / BUDGET_S:.2f} of the {BUDGET_S} s budget ({verdict} budget)")
    print(f"import pint alone: median {pint_median:.3f} s", end="")
    print(f" (fullstack / pint = {median / pint_median:.2f})")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        raw, _ = cumulative_s("fullstack", args.runs)
        raw_median = statistics.median(raw)
        print("without a bytecode cache (PYTHONDONTWRITEBYTECODE is set, as here): ", end="")
        print(f"median {raw_median:.3f} s, {raw_median / BUDGET_S:.2f} of the budget")

    print(f"\nwhere the time goes (median run, top {args.top}):")
    for cum, name in _breakdown(table)[: args.top]:
        print(f"  {cum / 1e6:6.3f} s  {name}")
    return 0


def _children(table: Table, module: str) -> list[tuple[int, int, str]]:
    """The modules ``module`` imported directly, as (cumulative, self, name), heaviest first."""
    names = list(table)
    end = names.index(module)
    depth = table[module][2]
    start = end
    while start > 0 and table[names[start - 1]][2] > depth:
        start -= 1
    found = [(table[n][1], table[n][0], n) for n in names[start:end] if table[n][2] == depth + 1]
    return sorted(found, reverse=True)


def _breakdown(table: Table) -> list[tuple[int, str]]:
    """The own time of each fullstack module and the total of what it imported from outside."""
    rows: list[tuple[int, str]] = []
    for name, (own, _, _) in table.items():
        if name == "fullstack" or name.startswith("fullstack."):
            what = "own code and the unit registry" if name == "fullstack.units" else "own code"
            rows.append((own, f"{name} ({what})"))
            rows += [
                (cum, f"{child} (imported by {name})")
                for cum, _, child in _children(table, name)
                if not child.startswith("fullstack")
            ]
    return sorted(rows, reverse=True)


if __name__ == "__main__":
    sys.exit(main())
