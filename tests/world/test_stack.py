"""The stack: a DAG of layers with queries, and clear errors for cycles and unknown layers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import fullstack
from fullstack import Layer, Stack
from fullstack.stack import load_stack


@st.composite
def dags(draw: st.DrawFn) -> Stack:
    """Random acyclic stacks: layer i may only depend on layers before it in a random order."""
    n = draw(st.integers(min_value=1, max_value=9))
    ids = [f"l{i}" for i in range(n)]
    order = draw(st.permutations(ids))
    edges: dict[str, list[str]] = {}
    for i, layer in enumerate(order):
        if i:
            deps = draw(st.lists(st.sampled_from(order[:i]), unique=True, max_size=3))
            if deps:
                edges[layer] = deps
    return Stack([Layer(i, i.upper()) for i in ids], depends_on=edges)


@given(dags())
def test_topological_order_puts_every_layer_after_its_dependencies(stack: Stack) -> None:
    order = stack.topological_order()
    assert sorted(order) == sorted(stack.ids)
    for layer in stack.ids:
        for dep in stack.dependencies(layer):
            assert order.index(dep) < order.index(layer)


@given(dags())
def test_upstream_and_downstream_mirror_each_other(stack: Stack) -> None:
    for a in stack.ids:
        for b in stack.ids:
            assert (a in stack.upstream(b)) == (b in stack.downstream(a))
        assert a not in stack.upstream(a)
        assert set(stack.dependencies(a)) <= set(stack.upstream(a))


@given(dags(), st.data())
def test_an_edge_closing_a_loop_is_refused_and_names_the_cycle(
    stack: Stack, data: st.DataObject
) -> None:
    candidates = [(a, b) for a in stack.ids for b in stack.upstream(a)]
    if not candidates:
        return
    a, b = data.draw(st.sampled_from(candidates))
    with pytest.raises(fullstack.ValidationError) as info:
        stack.with_dependency(b, a)  # b already sits below a
    assert "cycle" in str(info.value)
    assert a in str(info.value)
    assert b in str(info.value)


def test_a_self_loop_is_a_cycle() -> None:
    with pytest.raises(fullstack.ValidationError, match="depending on itself"):
        Stack([Layer("a", "A")], depends_on={"a": ["a"]})


def test_an_unknown_layer_is_named_with_a_suggestion() -> None:
    with pytest.raises(fullstack.UnknownNameError) as info:
        Stack(
            [Layer("chips", "Chips"), Layer("models", "Models")], depends_on={"models": ["chip"]}
        )
    assert "'chip'" in str(info.value)
    assert "chips" in str(info.value)


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(fullstack.ValidationError, match="unique layer ids"):
        Stack([Layer("a", "A"), Layer("a", "Again")])


@pytest.mark.parametrize("bad", ["Data Centers", "1layer", "", "data-centers"])
def test_layer_ids_are_snake_case(bad: str) -> None:
    with pytest.raises(fullstack.ValidationError, match=r"Layer\.id"):
        Layer(bad, "Name")


def test_the_default_stack_follows_rands_framing() -> None:
    stack = fullstack.default_stack()
    assert set(stack.ids) == {
        "sme",
        "fabrication",
        "memory",
        "chip_design",
        "servers_software",
        "datacenters",
        "energy",
        "data",
        "foundation_models",
        "research_talent",
        "software_applications",
        "physical_applications",
    }
    # Models need compute, which needs chips, which need fabs, which need equipment.
    for below in ("datacenters", "fabrication", "sme", "energy", "data"):
        assert below in stack.upstream("foundation_models")
    for layer in stack:
        assert isinstance(layer.source, fullstack.Source | fullstack.Assumption)


def test_lookup_by_name_and_user_layers() -> None:
    stack = fullstack.default_stack()
    assert stack["Data centers"].id == "datacenters"
    bigger = stack.with_layer(Layer("quantum", "Quantum"), depends_on=["fabrication"])
    assert "quantum" in bigger.downstream("sme")
    assert "quantum" not in stack


def test_stack_files_report_every_problem_with_its_place() -> None:
    text = """
schema_version = 1
[[layers]]
id = "Bad Id"
name = "x"
assumption = "a"
[[layers]]
id = "ok"
name = "OK"
source = "nowhere"
"""
    with pytest.raises(fullstack.FileFormatError) as info:
        load_stack(text)
    message = str(info.value)
    assert "layers[0]" in message
    assert "layers[1]" in message
    assert "nowhere" in message


def test_a_cycle_in_a_file_is_a_file_error() -> None:
    text = """
schema_version = 1
[[layers]]
id = "a"
name = "A"
depends_on = ["b"]
assumption = "x"
[[layers]]
id = "b"
name = "B"
depends_on = ["a"]
assumption = "x"
"""
    with pytest.raises(fullstack.FileFormatError, match="cycle"):
        load_stack(text)


def test_html_repr_lists_every_layer() -> None:
    html = fullstack.default_stack()._repr_html_()
    for layer in fullstack.default_stack():
        assert layer.id in html
