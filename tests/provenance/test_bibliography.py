"""The bibliography: deduplicated, complete, and in the formats people cite in."""

from __future__ import annotations

import attrs
from hypothesis import given
from hypothesis import strategies as st

import fullstack
from fullstack import Assumption, Estimate, Source, bibliography
from fullstack.testing import sources


@attrs.frozen
class Holder:
    figures: tuple[Estimate, ...]


@given(st.lists(sources(), min_size=1, max_size=5), st.integers(min_value=1, max_value=4))
def test_each_source_is_listed_once_with_its_number_of_uses(
    pool: list[Source], repeat: int
) -> None:
    figures = tuple(Estimate(value=1.0, source=s) for s in pool for _ in range(repeat))
    bib = bibliography(Holder(figures))
    distinct = {(s.title, s.publisher, s.authors, s.date, s.url) for s in pool}
    assert len(bib.entries) == len(distinct)
    assert sum(e.uses for e in bib.entries) == len(figures)
    bibtex = bib.to_bibtex()
    keys = [line.split("{")[1].rstrip(",") for line in bibtex.splitlines() if line.startswith("@")]
    assert len(keys) == len(bib.entries)
    assert len(set(keys)) == len(keys), "BibTeX keys must be unique"
    markdown = bib.to_markdown()
    for entry in bib.entries:
        assert entry.source.cite() in markdown


def test_assumptions_are_listed_apart_with_their_basis_cited() -> None:
    basis = Source(title="A dataset", publisher="Someone", date="2024")
    assumption = Assumption(reason="Half of the dataset's figure.", basis=(basis,))
    bib = bibliography(Holder((Estimate(value=0.5, source=assumption),)))
    assert bib.assumptions == (assumption,)
    assert bib.sources == (basis,)


def test_per_figure_confidence_does_not_split_a_source() -> None:
    base = Source(title="T", publisher="P", confidence="medium")
    low = attrs.evolve(base, confidence="low")
    bib = bibliography(Holder((Estimate(value=1.0, source=base), Estimate(value=2.0, source=low))))
    assert len(bib.entries) == 1
    assert bib.entries[0].uses == 2


def test_the_default_bibliography_credits_epoch_and_the_federal_register() -> None:
    bib = fullstack.bibliography()
    publishers = {e.source.publisher for e in bib.entries}
    assert "Epoch AI" in publishers
    assert any("Bureau of Industry and Security" in (p or "") for p in publishers)
    assert any(e.source.license == "CC BY 4.0" for e in bib.entries)
    assert "citation" in bib.to_frame().columns
