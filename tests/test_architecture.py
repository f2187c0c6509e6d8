"""The layers of the package: every module is placed in the import contract and described in
``docs/architecture.md`` (``make lint`` runs the contract itself with ``lint-imports``)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "fullstack"


def _modules() -> list[str]:
    """The package's top-level modules and subpackages (datasets hold data, not code)."""
    names = [p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"]
    names += [p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()]
    return sorted(set(names) - {"datasets"})


def _layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = config["tool"]["importlinter"]["contracts"]
    assert contract["type"] == "layers"
    return list(contract["layers"])


def _in_contract() -> set[str]:
    found: set[str] = set()
    for layer in _layers():
        found |= set(re.findall(r"fullstack\.(\w+)", layer))
    return found


@pytest.mark.parametrize("module", _modules())
def test_every_module_has_a_layer_in_the_import_contract(module: str) -> None:
    assert module in _in_contract(), (
        f"fullstack.{module} is in no layer of [tool.importlinter] in pyproject.toml: add it "
        "to the row of the modules it sits among (see docs/architecture.md)"
    )


@pytest.mark.parametrize("module", _modules())
def test_every_module_is_described_in_the_architecture_page(module: str) -> None:
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert f"`{module}`" in page, f"docs/architecture.md does not say what {module} owns"


def test_the_contract_is_ordered_from_the_command_line_down_to_errors() -> None:
    layers = _layers()
    assert layers[0].startswith("fullstack.cli")
    assert any("fullstack.errors" in layer for layer in layers[-2:])
    position = {
        m: i for i, layer in enumerate(layers) for m in re.findall(r"fullstack\.\w+", layer)
    }
    order = ["fullstack.io", "fullstack.scenario", "fullstack.policy", "fullstack.world"]
    assert [position[m] for m in order] == sorted(position[m] for m in order)
    assert position["fullstack.units"] > position["fullstack.provenance"]


MAX_LINES = 800
"""Modules stay reviewable: split one near this size (STYLE.md section 9; issue 9)."""


def test_no_module_is_over_800_lines() -> None:
    long = {
        str(path.relative_to(PACKAGE)): lines
        for path in sorted(PACKAGE.rglob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, (
        f"modules over {MAX_LINES} lines: {long}; split each along a seam into private modules "
        "that the public one re-exports (as export_controls and _codec are)"
    )
