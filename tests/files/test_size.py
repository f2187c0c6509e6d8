"""Size: building and loading large scenarios stays linear, and the shortcut stays correct."""

from __future__ import annotations

import pytest

import fullstack
from fullstack.errors import ValidationError
from fullstack.policy import Subsidy


def _rebate(i: int | str) -> Subsidy:
    return Subsidy(name=f"Rebate {i}", target="energy", rate=0.1)


def test_adding_one_at_a_time_finds_a_duplicate_of_an_early_instrument() -> None:
    s = fullstack.Scenario(name="s")
    for i in range(50):
        s = s + _rebate(i)
    with pytest.raises(ValidationError, match="unique instrument names") as info:
        s + _rebate(3)
    assert info.value.got == ["Rebate 3"]


def test_branching_from_one_scenario_does_not_share_names() -> None:
    base = fullstack.Scenario(name="s") + _rebate(0)
    left = base + _rebate("left")
    right = base + _rebate("right")  # must not see "Rebate left" as taken
    assert [i.name for i in right.instruments] == ["Rebate 0", "Rebate right"]
    assert left + _rebate("right") != right
    with pytest.raises(ValidationError, match="unique instrument names"):
        left + _rebate("left")


def test_a_rejected_addition_leaves_the_scenario_usable() -> None:
    s = fullstack.Scenario(name="s") + _rebate(0) + _rebate(1)
    with pytest.raises(ValidationError):
        s + _rebate(1)
    assert len((s + _rebate(2)).instruments) == 3
    mixed: list[object] = [_rebate(2), "not an instrument"]
    with pytest.raises(ValidationError, match="expected an Instrument"):
        s + mixed  # type: ignore[operator]


def test_a_large_scenario_file_loads_back_equal() -> None:
    s = fullstack.Scenario(name="Large", instruments=[_rebate(i) for i in range(2_000)])
    assert fullstack.loads(fullstack.dumps(s)) == s


def test_adding_one_at_a_time_checks_each_instrument_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Linear: the names of the instruments already there are not checked again on each add."""
    from fullstack import scenario as scenario_module

    checked: list[int] = []
    real = scenario_module._checked_names

    def counting(items: tuple[object, ...], *args: object) -> set[str]:
        checked.append(len(items))
        return real(items, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(scenario_module, "_checked_names", counting)
    s = fullstack.Scenario(name="s")
    for i in range(200):
        s = s + _rebate(i)
    assert len(s.instruments) == 200
    assert sum(checked) == 200  # quadratic re-checking would be 20,100


def test_duplicates_among_or_against_added_instruments_are_refused() -> None:
    s = fullstack.Scenario(name="s") + _rebate(0)
    with pytest.raises(ValidationError, match="unique instrument names") as info:
        s + [_rebate(1), _rebate(1)]  # noqa: RUF005
    assert info.value.got == ["Rebate 1"]
    other = fullstack.Scenario(name="o", instruments=[_rebate(0), _rebate(2)])
    with pytest.raises(ValidationError, match="unique instrument names") as info:
        s + other
    assert info.value.got == ["Rebate 0"]
    with pytest.raises(ValidationError, match=r"Scenario\.instruments\[2\]"):
        s + [_rebate(3), 5]  # type: ignore[list-item]  # noqa: RUF005
    assert [i.name for i in (s + other.without("Rebate 0")).instruments] == [
        "Rebate 0",
        "Rebate 2",
    ]
