"""The public API: what ``fullstack.__all__`` promises exists, is documented and has examples.

Docstrings are read the way the API reference reads them (griffe), so the docstrings of
constants and re-exported pint objects count, and their examples are run here: pytest's doctest
collection does not see them (it does run the examples of functions, classes and methods).
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil
from pathlib import Path
from typing import Any

import pytest

import fullstack

griffe = pytest.importorskip("griffe")

SRC = Path(__file__).resolve().parents[1] / "src"
# A version string has nothing to document or demonstrate.
NO_DOCSTRING_NEEDED = {"__version__"}
# The doctest options of pyproject.toml; NUMBER and its checker are pytest's.
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE | doctest.register_optionflag("NUMBER")


@pytest.fixture(scope="module")
def package() -> Any:
    return griffe.load("fullstack", search_paths=[str(SRC)])


def _public_names() -> list[str]:
    return [n for n in fullstack.__all__ if n not in NO_DOCSTRING_NEEDED]


def test_all_has_no_duplicates_and_every_name_exists() -> None:
    assert len(set(fullstack.__all__)) == len(fullstack.__all__)
    missing = [n for n in fullstack.__all__ if not hasattr(fullstack, n)]
    assert missing == []


def test_every_public_module_all_names_exist() -> None:
    for info in pkgutil.iter_modules(fullstack.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"fullstack.{info.name}")
        for name in getattr(module, "__all__", ()):
            assert hasattr(module, name), f"fullstack.{info.name}.__all__ lists missing {name}"


@pytest.mark.parametrize("name", _public_names())
def test_every_public_name_has_a_docstring_in_the_api_reference(package: Any, name: str) -> None:
    docstring = package[name].docstring
    assert docstring is not None, f"fullstack.{name} has no docstring the API reference can show"
    assert docstring.value.strip()


def _is_callable(name: str) -> bool:
    return callable(getattr(fullstack, name))


@pytest.mark.parametrize("name", [n for n in _public_names() if _is_callable(n)])
def test_every_public_callable_has_an_example(package: Any, name: str) -> None:
    assert "Example" in package[name].docstring.value, f"fullstack.{name} has no Example"


def _public_members() -> list[tuple[str, Any]]:
    """Public methods and properties of fullstack's public classes, by qualified name."""
    found = []
    for name in fullstack.__all__:
        obj = getattr(fullstack, name)
        if not (isinstance(obj, type) and obj.__module__.startswith("fullstack")):
            continue
        for attr, value in vars(obj).items():
            if attr.startswith("_"):
                continue
            func = value.fget if isinstance(value, property) else getattr(value, "__func__", value)
            if inspect.isfunction(func):
                found.append((f"{name}.{attr}", func))
    return found


@pytest.mark.parametrize(
    ("qualname", "func"), [pytest.param(q, f, id=q) for q, f in _public_members()]
)
def test_every_public_method_has_an_example(qualname: str, func: Any) -> None:
    assert "Example" in (inspect.getdoc(func) or ""), f"fullstack.{qualname} has no Example"


def _run_examples(text: str, name: str, globs: dict[str, Any]) -> doctest.TestResults:
    test = doctest.DocTestParser().get_doctest(text, dict(globs), name, None, 0)
    from _pytest.doctest import _get_checker  # pytest's checker understands NUMBER

    runner = doctest.DocTestRunner(checker=_get_checker(), optionflags=FLAGS)
    runner.run(test)
    return runner.summarize(verbose=False)


def _module_globals(module_name: str) -> dict[str, Any]:
    """The names an example sees: the top-level package's, then its own module's (as pytest)."""
    globs = dict(vars(fullstack))
    globs.update(vars(importlib.import_module(module_name)))
    globs.update(fullstack=fullstack, Q_=fullstack.Q_)
    return globs


def _attribute_docstrings(package: Any) -> list[tuple[str, str, str]]:
    """(name, module, docstring) of the module-level constants and aliases in fullstack."""
    found = []
    for module in [package, *package.modules.values()]:
        for member in module.members.values():
            if member.is_alias or not member.is_attribute or member.docstring is None:
                continue
            found.append((member.path, module.path, member.docstring.value))
    return found


def test_attribute_examples_run(package: Any) -> None:
    attributes = _attribute_docstrings(package)
    names = {path for path, _, _ in attributes}
    # The constants the issue names must be among them (griffe reads docstrings that follow an
    # assignment, not "#:" comments).
    for expected in ("fullstack.units.Q_", "fullstack.units.ureg", "fullstack.units.CURRENCIES"):
        assert expected in names
    for path, module, text in attributes:
        result = _run_examples(text, path, _module_globals(module))
        assert result.failed == 0, f"the example of {path} fails (see the output above)"


def test_exceptions_show_the_short_name_and_other_classes_keep_their_module() -> None:
    # Tracebacks read fullstack.DimensionError; other classes keep their module so that pytest's
    # doctest collection finds (and runs) the examples of their methods.
    for name in fullstack.__all__:
        obj = getattr(fullstack, name)
        if isinstance(obj, type) and obj.__module__.startswith("fullstack"):
            if issubclass(obj, BaseException):
                assert obj.__module__ == "fullstack", name
            else:
                assert obj.__module__ != "fullstack", name


# --- the names themselves ------------------------------------------------------------------------

# The public API, pinned: adding or removing a name is a decision, made here and in the
# CHANGELOG. Names imported on first use (PEP 562) are listed in fullstack._LAZY as well.
PUBLIC = [
    "CURRENCIES",
    "ECONOMY_FIGURES",
    "METRICS",
    "Q_",
    "Accelerator",
    "AcceleratorCatalog",
    "Actor",
    "ActorCatalog",
    "ActorKind",
    "Add",
    "ArrayClassification",
    "Assumption",
    "Attribution",
    "Beneficiary",
    "Bibliography",
    "Cap",
    "Classification",
    "Comparison",
    "Ensemble",
    "Confidence",
    "CurrencyError",
    "DimensionError",
    "Economy",
    "Effect",
    "Estimate",
    "ExchangeRate",
    "ExchangeRates",
    "Explanation",
    "ExportRule",
    "FileFormatError",
    "FleetEntry",
    "Floor",
    "FullstackError",
    "Instrument",
    "Layer",
    "MissingExtraError",
    "MissingUnitError",
    "Override",
    "Precision",
    "PrecisionError",
    "Problem",
    "Projection",
    "Provenance",
    "Quantity",
    "Scale",
    "Scenario",
    "ScenarioDiff",
    "SelfSufficiency",
    "Sensitivity",
    "Sobol",
    "Source",
    "Stack",
    "Statistic",
    "SupplyShare",
    "Throughput",
    "Unit",
    "UnitError",
    "UnknownNameError",
    "UnknownUnitError",
    "ValidationError",
    "World",
    "__version__",
    "accelerator",
    "accelerators",
    "actor",
    "actors",
    "attribute",
    "bibliography",
    "check_quantity",
    "compare",
    "convert_currency",
    "currency_of",
    "default_stack",
    "describe_dimension",
    "dumps",
    "ema_model",
    "exchange_rates",
    "export_rule",
    "export_rules",
    "format_quantity",
    "format_value",
    "fraction_field",
    "instrument_types",
    "load",
    "loads",
    "money_field",
    "parse_quantity",
    "parse_unit",
    "preset",
    "presets",
    "quantity_field",
    "reference_world",
    "register_instrument",
    "run",
    "save",
    "scenarios",
    "sensitivity",
    "sobol",
    "to_quantity",
    "unsourced_figures",
    "ureg",
    "walk_figures",
]


def test_all_is_exactly_the_pinned_public_names() -> None:
    assert sorted(fullstack.__all__) == sorted(PUBLIC)


def test_dir_shows_only_the_public_names() -> None:
    assert dir(fullstack) == sorted(fullstack.__all__)
    assert not [n for n in dir(fullstack) if n.startswith("_") and n != "__version__"]


def test_the_version_comes_from_the_package_metadata() -> None:
    from importlib.metadata import version

    assert fullstack.__version__ == version("fullstack")


@pytest.mark.parametrize(
    ("old", "new"), [("instrument", "register_instrument"), ("instruments", "presets")]
)
def test_old_names_still_work_and_warn(old: str, new: str) -> None:
    with pytest.warns(
        DeprecationWarning, match=f"fullstack.{old} is deprecated: use fullstack.{new}"
    ):
        assert getattr(fullstack, old) is getattr(fullstack, new)
    assert old not in fullstack.__all__


def test_the_old_decorator_in_fullstack_policy_warns_and_still_registers() -> None:
    import attrs

    from fullstack.policy import Instrument, instrument, tag_of, unregister

    with pytest.warns(DeprecationWarning, match="use fullstack.register_instrument"):

        @instrument("test_old_decorator")
        @attrs.frozen(kw_only=True)
        class Old(Instrument):
            pass

    assert tag_of(Old) == "test_old_decorator"
    unregister("test_old_decorator")


@pytest.mark.parametrize(
    ("module_name", "attribute"),
    [
        ("fullstack.accelerators", "accelerators"),
        ("fullstack.actors", "actors"),
        ("fullstack.bibliography", "bibliography"),
        ("fullstack.policy.presets", "presets"),
    ],
)
def test_a_public_function_never_shadows_its_module(module_name: str, attribute: str) -> None:
    module = importlib.import_module(module_name)
    assert inspect.ismodule(module)
    package = importlib.import_module(module_name.rpartition(".")[0])
    # the package's attribute is the module itself, and calling it is calling the function
    assert getattr(package, attribute) is module
    assert module() == getattr(module, attribute)()


def test_no_public_function_shares_its_name_with_a_public_module() -> None:
    for info in pkgutil.walk_packages(fullstack.__path__, "fullstack."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        package_name, _, leaf = info.name.rpartition(".")
        package = importlib.import_module(package_name)
        value = getattr(package, leaf, None)
        assert value is None or inspect.ismodule(value), info.name
