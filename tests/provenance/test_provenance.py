"""fullstack.provenance: sources, their citations, assumptions, estimates and confidence tags."""

from __future__ import annotations

import re

import attrs
import pytest
from hypothesis import given

from fullstack import (
    Q_,
    Assumption,
    Confidence,
    DimensionError,
    Estimate,
    Provenance,
    Source,
    ValidationError,
)
from fullstack.testing import assumptions, estimates, sources

EPOCH = Source(
    title="Data on Machine Learning Hardware",
    publisher="Epoch AI",
    url="https://epoch.ai/data/machine-learning-hardware",
    accessed="2025-03-01",
    note="Row 'NVIDIA H100 SXM5 80GB'.",
    confidence="high",
    license="CC BY 4.0",
)


# --- Source --------------------------------------------------------------------------------------


def test_cite_gives_the_access_date_and_licence() -> None:
    cite = EPOCH.cite()
    assert cite.startswith("Epoch AI (n.d.). Data on Machine Learning Hardware. https://epoch.ai/")
    assert "(accessed 2025-03-01)" in cite
    assert cite.endswith("Licence: CC BY 4.0.")
    assert "accessed" not in attrs.evolve(EPOCH, accessed=None).cite()


def test_cite_lists_authors_then_publisher() -> None:
    source = Source(title="Full Stack", authors=("Kyle Chan", "Gregory Smith"), publisher="RAND")
    assert source.cite() == "Kyle Chan, Gregory Smith (n.d.). Full Stack. RAND."
    assert Source(title="T", authors="Solo Author", date="2024").cite() == "Solo Author (2024). T."


def _fields(entry: str) -> dict[str, str]:
    return dict(re.findall(r"^  (\w+) = \{(.*)\},$", entry, re.M))


def test_bibtex_carries_access_date_note_and_licence() -> None:
    entry = EPOCH.to_bibtex()
    assert entry.startswith(f"@misc{{{EPOCH.key},\n")
    assert entry.endswith("\n}")
    fields = _fields(entry)
    assert fields["urldate"] == "2025-03-01"
    assert fields["note"] == "Row 'NVIDIA H100 SXM5 80GB'. Licence: CC BY 4.0"
    assert fields["author"] == "{Epoch AI}"
    assert "year" not in fields
    licence_only = attrs.evolve(EPOCH, note="")
    assert _fields(licence_only.to_bibtex())["note"] == "Licence: CC BY 4.0"


def _balanced(text: str) -> bool:
    depth = 0
    for char in re.sub(r"\\[{}]", "", text):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


@given(sources())
def test_every_source_cites_and_gives_a_balanced_bibtex_entry(source: Source) -> None:
    assert source.title in source.cite()
    entry = source.to_bibtex()
    assert _balanced(entry)
    assert re.fullmatch(r"[a-z0-9]*(\d{4}|nd)[a-z0-9]*", source.key)


def test_key_is_surname_or_publisher_year_and_title_word() -> None:
    assert Source(title="Data on GPU Clusters", publisher="Epoch AI", date="2025").key == (
        "epochai2025data"
    )
    rand = Source(title="Full Stack: China's Evolving", authors=("Kyle Chan",), date="2025-06-26")
    assert rand.key == "chan2025full"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"publisher": None}, "Source.publisher"),
        ({"publisher": "  "}, "Source.publisher"),
        ({"title": ""}, "Source.title"),
        ({"date": "May 2024"}, "Source.date"),
        ({"date": "2024-13"}, "Source.date"),
        ({"accessed": "01/03/2025"}, "Source.accessed"),
        ({"url": "www.example.com"}, "Source.url"),
        ({"confidence": "certain"}, "confidence"),
    ],
)
def test_sources_check_their_fields(changes: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        attrs.evolve(EPOCH, **changes)
    assert str(info.value).startswith(f"{field}: expected")


def test_sources_are_hashable_and_comparable() -> None:
    assert len({EPOCH, attrs.evolve(EPOCH), attrs.evolve(EPOCH, note="other")}) == 2
    assert Source(title="T", publisher="P", date="2024-05").year == 2024
    assert EPOCH.year is None


# --- Assumption and Provenance -------------------------------------------------------------------


def test_assumptions_default_to_low_confidence_and_check_their_basis() -> None:
    assumption = Assumption(reason="Carried forward.", basis=[EPOCH])
    assert assumption.confidence is Confidence.LOW
    assert assumption.basis == (EPOCH,)
    assert assumption.cite() == "Assumption: Carried forward."
    with pytest.raises(ValidationError, match=r"Assumption\.basis"):
        Assumption(reason="r", basis=["Epoch AI"])  # type: ignore[list-item]
    with pytest.raises(ValidationError, match=r"Assumption\.reason"):
        Assumption(reason=" ")


@given(assumptions())
def test_provenance_covers_sources_and_assumptions(assumption: Assumption) -> None:
    assert isinstance(assumption, Provenance)  # type: ignore[misc,arg-type]
    assert isinstance(EPOCH, Provenance)  # type: ignore[misc,arg-type]
    assert all(isinstance(s, Source) for s in assumption.basis)


# --- Estimate ------------------------------------------------------------------------------------

GUESS = Assumption(reason="Illustration.")


def test_estimates_convert_the_range_to_the_central_units() -> None:
    e = Estimate(value="376 TFLOP/s", low="0.28 PFLOP/s", high="400 TFLOP/s", source=GUESS)
    assert e.low == Q_(280, "TFLOP/s")
    assert e.low.units == e.value.units
    assert e.has_range
    assert e.contains("300 TFLOP/s")
    assert not e.contains(Q_("0.5 PFLOP/s"))
    with pytest.raises(DimensionError):
        e.contains("300 W")


@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        ({"value": "376 TFLOP/s", "low": "400 TFLOP/s"}, ValidationError, "Estimate.low"),
        ({"value": "376 TFLOP/s", "high": "300 TFLOP/s"}, ValidationError, "Estimate.high"),
        ({"value": "376 TFLOP/s", "low": "300 W"}, DimensionError, "Estimate.low"),
        ({"value": "nan TFLOP/s"}, ValidationError, "Estimate.value"),
        ({"value": "1 TFLOP/s", "high": "inf TFLOP/s"}, ValidationError, "Estimate.high"),
        ({"value": 0.3, "low": "1 W"}, ValidationError, "Estimate.low"),
        ({"value": True}, ValidationError, "Estimate.value"),
    ],
)
def test_estimates_check_their_range(kwargs: dict[str, object], error: type, field: str) -> None:
    with pytest.raises(error) as info:
        Estimate(**kwargs, source=GUESS)  # type: ignore[arg-type]
    assert str(info.value).startswith(f"{field}: expected")
    assert "<Quantity" not in str(info.value)


def test_estimates_need_a_provenance() -> None:
    with pytest.raises(
        ValidationError, match=r"Estimate\.source: expected a Source or an Assumption"
    ):
        Estimate(value=1.0, source="RAND")  # type: ignore[arg-type]


@given(estimates("W"))
def test_generated_estimates_contain_their_central_value(e: Estimate) -> None:
    assert e.contains(e.value)


# --- Confidence ----------------------------------------------------------------------------------

# The tags of the project's fact files and the level each stands for.
TAGS = {
    "P": Confidence.HIGH,
    "P-copy": Confidence.HIGH,
    "P-translation": Confidence.HIGH,
    "P-mirror": Confidence.MEDIUM,
    "Q": Confidence.MEDIUM,
    "S": Confidence.MEDIUM,
    "C": Confidence.MEDIUM,
    "RAND": Confidence.MEDIUM,
    "S-weak": Confidence.LOW,
    "unconfirmed": Confidence.LOW,
}


@pytest.mark.parametrize(("tag", "level"), TAGS.items())
def test_every_fact_file_tag_maps_to_its_level(tag: str, level: Confidence) -> None:
    for written in (tag, f"[{tag}]", f" [ {tag.lower()} ] ", tag.upper()):
        assert Confidence.from_tag(written) is level


@pytest.mark.parametrize(
    ("tag", "level"),
    [
        ("[P/S]", Confidence.MEDIUM),
        ("[RAND + S]", Confidence.MEDIUM),
        ("[S-weak, unconfirmed]", Confidence.LOW),
        ("[P-mirror / S-weak]", Confidence.LOW),
        ("[P/P-copy]", Confidence.HIGH),
    ],
)
def test_combined_tags_take_the_lowest_level(tag: str, level: Confidence) -> None:
    assert Confidence.from_tag(tag) is level


@pytest.mark.parametrize("tag", ["[X]", "", "[P/X]", "[RAND appendix]"])
def test_unknown_tags_are_refused(tag: str) -> None:
    with pytest.raises(ValidationError, match=r"Confidence\.from_tag"):
        Confidence.from_tag(tag)


def test_the_docstring_of_from_tag_names_every_tag() -> None:
    doc = Confidence.from_tag.__doc__ or ""
    for tag in TAGS:
        assert f"``[{tag}]``" in doc, tag
