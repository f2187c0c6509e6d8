"""The shipped accelerator catalog: coverage, provenance of every figure, lookup, file loading.

The cross-check against Epoch AI's *Data on Machine Learning Hardware* (CC BY 4.0) reads a pinned
slice of its export vendored in ``tests/data`` (see its README), so it runs on a clean clone too.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from fullstack import (
    Accelerator,
    AcceleratorCatalog,
    Assumption,
    Estimate,
    FileFormatError,
    Source,
    UnknownNameError,
    ValidationError,
    accelerator,
    accelerators,
)
from fullstack.accelerators import load_catalog

EPOCH_CSV = Path(__file__).resolve().parents[1] / "data" / "epoch_ml_hardware_slice.csv"
EPOCH_EXPORT = "2025-12-14"

# Chips the issue names, as a user would type them, with the vendor each belongs to.
NAMED = [
    ("A100", "NVIDIA"),
    ("A800", "NVIDIA"),
    ("H100 SXM", "NVIDIA"),
    ("H100 PCIe", "NVIDIA"),
    ("H800", "NVIDIA"),
    ("H20", "NVIDIA"),
    ("H200", "NVIDIA"),
    ("B200", "NVIDIA"),
    ("L20", "NVIDIA"),
    ("L40", "NVIDIA"),
    ("L40S", "NVIDIA"),
    ("RTX 4090", "NVIDIA"),
    ("RTX 4090 D", "NVIDIA"),
    ("MI250X", "AMD"),
    ("MI300X", "AMD"),
    ("Gaudi 2", "Intel"),
    ("Gaudi 3", "Intel"),
    ("Ascend 910B", "Huawei"),
    ("Ascend 910C", "Huawei"),
]


def all_chips() -> list[Accelerator]:
    return list(accelerators().values())


# --- coverage ------------------------------------------------------------------------------------


def test_catalog_has_at_least_25_accelerators() -> None:
    cat = accelerators()
    assert isinstance(cat, AcceleratorCatalog)
    assert len(cat) >= 25
    assert len(set(cat)) == len(cat)
    assert all(isinstance(a, Accelerator) for a in cat.values())


@pytest.mark.parametrize(("name", "vendor"), NAMED)
def test_named_chip_is_present(name: str, vendor: str) -> None:
    assert name in accelerators()
    assert accelerator(name).vendor == vendor


def test_named_chips_are_distinct_entries() -> None:
    names = [accelerators().resolve(n) for n, _ in NAMED]
    assert len(set(names)) == len(names)


def test_h100_variants_and_4090_variants_are_distinct() -> None:
    cat = accelerators()
    assert cat.resolve("H100 SXM") != cat.resolve("H100 PCIe")
    assert cat.resolve("RTX 4090") != cat.resolve("RTX 4090 D")


@pytest.mark.parametrize("vendor", ["Google", "Cambricon", "Biren"])
def test_vendor_has_parts(vendor: str) -> None:
    assert any(a.vendor == vendor for a in all_chips())


def test_google_tpus_are_present() -> None:
    tpus = [a for a in all_chips() if a.vendor == "Google"]
    assert len(tpus) >= 2
    assert all("TPU" in a.name for a in tpus)


def test_jurisdictions() -> None:
    assert accelerator("H20").designer_jurisdiction == "US"
    for name in ("Ascend 910B", "Ascend 910C"):
        assert accelerator(name).designer_jurisdiction == "CN"
    for chip in all_chips():
        if chip.vendor in {"Huawei", "Cambricon", "Biren"}:
            assert chip.designer_jurisdiction == "CN", chip.name


def test_consumer_cards_are_not_datacenter_parts() -> None:
    # GeForce cards are consumer products; the rest of the list are data-center parts.
    assert accelerator("RTX 4090").datacenter is False
    assert accelerator("RTX 4090 D").datacenter is False
    for name, _ in NAMED:
        if "RTX" not in name:
            assert accelerator(name).datacenter is True, name


def test_every_chip_has_a_throughput() -> None:
    for chip in all_chips():
        assert chip.throughput, chip.name
        assert chip.tpp is not None, chip.name


# --- provenance of every figure ------------------------------------------------------------------


def test_every_figure_has_a_source_or_an_assumption() -> None:
    n = 0
    for chip in all_chips():
        for field, est in chip.figures().items():
            n += 1
            assert isinstance(est, Estimate), (chip.name, field)
            assert isinstance(est.source, Source | Assumption), (chip.name, field)
            if isinstance(est.source, Assumption):
                assert est.source.reason.strip(), (chip.name, field)
    assert n > 200  # the walk really visited the figures


def test_every_source_is_citable() -> None:
    sources = {
        est.source
        for chip in all_chips()
        for est in chip.figures().values()
        if isinstance(est.source, Source)
    }
    assert len(sources) >= 5
    for src in sources:
        assert src.title.strip(), src
        assert (src.publisher or "").strip() or src.authors, src.title
        assert src.url, src.title
        assert src.url.startswith(("http://", "https://")), src.url


EPOCH_TITLES = {"Data on Machine Learning Hardware", "AI Chip Sales"}


def is_epoch(src: object) -> bool:
    return isinstance(src, Source) and (
        src.publisher == "Epoch AI" or "epoch.ai" in (src.url or "")
    )


def is_epoch_hardware(src: object) -> bool:
    """Epoch AI's hardware database, the CSV the cross-check below reads."""
    return is_epoch(src) and getattr(src, "title", "") == "Data on Machine Learning Hardware"


def test_epoch_figures_carry_the_cc_by_license() -> None:
    epoch = [
        est.source
        for chip in all_chips()
        for est in chip.figures().values()
        if is_epoch(est.source)
    ]
    assert len(epoch) > 100  # most figures come from Epoch AI
    for src in epoch:
        assert src.license == "CC BY 4.0"
        assert src.title in EPOCH_TITLES
        assert src.url.startswith("https://epoch.ai/")


def test_catalog_sources_include_epoch() -> None:
    assert any(is_epoch(s) for s in accelerators().sources())


def test_figures_have_the_right_dimensions() -> None:
    units = {
        "memory": "GB",
        "memory_bandwidth": "GB/s",
        "io_bandwidth": "GB/s",
        "die_area": "mm**2",
        "tdp": "W",
        "hbm_stacks": "hbm_stack",
    }
    for chip in all_chips():
        for field, est in chip.figures().items():
            unit = "TFLOP/s" if field.startswith("throughput.") else units[field]
            assert est.value.m_as(unit) > 0, (chip.name, field)
            for end in (est.low, est.high):
                if end is not None:
                    assert end.m_as(unit) > 0, (chip.name, field)


def test_ascend_910b_fp16_is_a_range() -> None:
    # Epoch's 910B bins: 910B4/Pro 280, 910B2 376, 910B1 400 TFLOP/s (FP16).
    est = accelerator("Ascend 910B").figures()["throughput.FP16"]
    assert isinstance(est, Estimate)
    assert est.low is not None
    assert est.high is not None
    assert est.has_range
    low, value, high = (float(q.m_as("TFLOP/s")) for q in (est.low, est.value, est.high))
    assert low < value <= high
    assert value == pytest.approx(376.0)


def test_missing_public_figures_stay_missing() -> None:
    # Epoch could not find these die areas; nothing may be filled in for them.
    assert accelerator("B200").die_area is None
    assert accelerator("Gaudi 3").die_area is None
    assert accelerator("B200").performance_density is None


# --- lookup --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("h100 sxm", "H100 SXM"),
        ("H100-SXM", "H100 SXM"),
        ("h100_sxm", "H100 SXM"),
        ("  H100   SXM ", "H100 SXM"),
        ("H100SXM", "H100 SXM"),
        ("h100", "H100 SXM"),
        ("rtx4090d", "GeForce RTX 4090 D"),
        ("RTX-4090-D", "GeForce RTX 4090 D"),
        ("geforce rtx 4090", "GeForce RTX 4090"),
        ("910b", "Ascend 910B"),
        ("ascend910c", "Ascend 910C"),
        ("mi300x", "Instinct MI300X"),
        ("GAUDI3", "Gaudi 3"),
    ],
)
def test_lookup_is_forgiving(typed: str, name: str) -> None:
    cat = accelerators()
    assert cat.resolve(typed) == name
    assert cat[typed].name == name
    assert typed in cat


def test_unknown_name_suggests_close_names() -> None:
    with pytest.raises(UnknownNameError) as info:
        accelerators()["H100 SMX"]
    assert "H100 SXM" in info.value.suggestions
    assert "H100 SXM" in str(info.value)
    assert isinstance(info.value, LookupError)


def test_unknown_name_via_accelerator_function() -> None:
    with pytest.raises(UnknownNameError, match="Ascend 910B"):
        accelerator("Asend 910B")


def test_unknown_name_is_not_contained() -> None:
    cat = accelerators()
    assert "Quantum Chip 9000" not in cat
    assert 5 not in cat


def test_catalog_is_cached_and_read_only() -> None:
    assert accelerators() is accelerators()
    with pytest.raises(TypeError):
        accelerators()["H20"] = accelerator("H20")  # type: ignore[index]


def test_rows_have_one_entry_per_chip() -> None:
    rows = accelerators().rows()
    assert len(rows) == len(accelerators())
    h20 = next(r for r in rows if r["name"] == "H20")
    assert h20["tpp"] == pytest.approx(296 * 8)
    assert h20["die_area_mm2"] == pytest.approx(814)


def test_to_frame() -> None:
    pytest.importorskip("pandas")
    frame = accelerators().to_frame()
    assert len(frame) == len(accelerators())
    assert frame.loc["H100 SXM", "tpp"] == pytest.approx(15832.0)


# --- cross-check against Epoch AI's CSV (CC BY 4.0) ----------------------------------------------

# Catalog entry -> exact "Hardware name" in Epoch's export of 2025-12-14. The Ascend 910B is left
# out on purpose: its figures come from several of Epoch's 910B bin rows (see its note).
EPOCH_NAMES = {
    "A100 SXM4 80GB": "NVIDIA A100 SXM4 80 GB",
    "A800 SXM4 80GB": "NVIDIA A800 SXM",
    "H100 SXM": "NVIDIA H100 SXM5 80GB",
    "H100 PCIe": "NVIDIA H100 PCIe",
    "H800 SXM": "NVIDIA H800 SXM5",
    "H20": "NVIDIA HGX H20",
    "H200 SXM": "NVIDIA H200 SXM",
    "B200": "NVIDIA B200",
    "L20": "NVIDIA L20 PCle",
    "L40": "NVIDIA L40",
    "GeForce RTX 4090": "NVIDIA GeForce RTX 4090",
    "Instinct MI250X": "AMD Radeon Instinct MI250X",
    "Instinct MI300X": "AMD Instinct MI300X",
    "Gaudi 2": "Intel Habana Gaudi2",
    "Gaudi 3": "Intel Habana Gaudi3",
    "TPU v4": "Google TPU v4",
    "TPU v5e": "Google TPU v5e",
    "TPU v7": "Google TPU v7 Ironwood",
    "Ascend 910C": "Huawei Ascend 910C",
    "MLU370-X8": "Cambricon MLU370-X8",
    "BR100": "Biren BR100",
    "TPU v5p": "Google TPU v5p",
    "TPU v6e": "Google TPU v6e Trillium",
    "B300": "NVIDIA B300 (Blackwell Ultra)",
    "Instinct MI325X": "AMD Instinct MI325X",
    "Instinct MI350X": "AMD Instinct MI350X",
    "Instinct MI355X": "AMD Instinct MI355X",
    "Trainium1": "Amazon Trainium1",
    "Trainium2": "Amazon Trainium2",
    "Trainium3": "Amazon Trainium3",
    "Ascend 950DT": "Huawei Ascend 950DT",
    "Ascend 960": "Huawei Ascend 960",
    "Ascend 970": "Huawei Ascend 970",
}

# Catalog figure -> (Epoch column, unit of that column).
EPOCH_COLUMNS = {
    "throughput.BF16": ("Tensor-FP16/BF16 performance (FLOP/s)", "FLOP/s"),
    "throughput.INT8": ("INT8 performance (OP/s)", "OP/s"),
    "throughput.FP8": ("FP8 performance (FLOP/s)", "FLOP/s"),
    "throughput.FP4": ("FP4 performance (FLOP/s)", "FLOP/s"),
    "io_bandwidth": ("Intranode bandwidth (byte/s)", "B/s"),
    "memory": ("Memory size per board (Byte)", "B"),
    "memory_bandwidth": ("Memory bandwidth (byte/s)", "B/s"),
    "die_area": ("Die Size (mm^2)", "mm**2"),
    "tdp": ("TDP (W)", "W"),
}


@pytest.fixture(scope="module")
def epoch_rows() -> dict[str, dict[str, str]]:
    with EPOCH_CSV.open(newline="", encoding="utf-8") as f:
        return {row["Hardware name"]: row for row in csv.DictReader(f)}


def epoch_cell(row: dict[str, str], figure: str) -> tuple[str, str]:
    if figure == "throughput.FP16":
        # Epoch's tensor column where it has one; its plain FP16 column otherwise (the catalog
        # says so for the Ascend, Cambricon and Hygon parts).
        tensor = row["Tensor-FP16/BF16 performance (FLOP/s)"]
        return tensor or row["FP16 (half precision) performance (FLOP/s)"], "FLOP/s"
    column, unit = EPOCH_COLUMNS[figure]
    return row[column], unit


@pytest.mark.parametrize("name", sorted(EPOCH_NAMES))
def test_epoch_sourced_figures_match_the_csv(
    name: str, epoch_rows: dict[str, dict[str, str]]
) -> None:
    row = epoch_rows[EPOCH_NAMES[name]]
    checked = 0
    for figure, est in accelerator(name).figures().items():
        if not is_epoch_hardware(est.source) or (
            figure not in EPOCH_COLUMNS and figure != "throughput.FP16"
        ):
            continue
        cell, unit = epoch_cell(row, figure)
        assert cell, f"{name} {figure}: sourced to Epoch AI but Epoch's cell is blank"
        ours = float(est.value.m_as(unit))
        assert ours == pytest.approx(float(cell), rel=0.01), (name, figure)
        checked += 1
    assert checked >= 2, name


@pytest.mark.parametrize(
    ("epoch_name", "catalog_name", "bf16_tflops", "int8_tops", "memory_gb", "tdp_w"),
    [
        # Values typed from the CSV row, so this test also fails if the CSV mapping is wrong.
        ("NVIDIA H100 SXM5 80GB", "H100 SXM", 989.4, 1979, 80, 700),
        ("NVIDIA A100 SXM4 80 GB", "A100 SXM4 80GB", 312, 624, 80, 400),
        ("NVIDIA HGX H20", "H20", 148, 296, 96, 400),
        ("AMD Instinct MI300X", "Instinct MI300X", 1307.4, 2614.9, 192, 750),
    ],
)
def test_handful_of_chips_against_the_csv(
    epoch_rows: dict[str, dict[str, str]],
    epoch_name: str,
    catalog_name: str,
    bf16_tflops: float,
    int8_tops: float,
    memory_gb: float,
    tdp_w: float,
) -> None:
    row = epoch_rows[epoch_name]
    assert float(row["Tensor-FP16/BF16 performance (FLOP/s)"]) == pytest.approx(bf16_tflops * 1e12)
    assert float(row["INT8 performance (OP/s)"]) == pytest.approx(int8_tops * 1e12)
    assert float(row["Memory size per board (Byte)"]) == pytest.approx(memory_gb * 1e9)
    assert float(row["TDP (W)"]) == pytest.approx(tdp_w)
    chip = accelerator(catalog_name)
    assert float(chip.rate("BF16").value.m_as("TFLOP/s")) == pytest.approx(bf16_tflops, rel=0.01)
    assert float(chip.rate("INT8").value.m_as("TOPS")) == pytest.approx(int8_tops, rel=0.01)
    assert float(chip.memory.value.m_as("GB")) == pytest.approx(memory_gb, rel=0.01)
    assert float(chip.tdp.value.m_as("W")) == pytest.approx(tdp_w, rel=0.01)


# --- load_catalog: errors with their place in the file -------------------------------------------

HEADER = """\
schema_version = 1

[sources.me]
title = "My notes"
publisher = "Me"
url = "https://example.org/notes"

"""


def load(body: str) -> AcceleratorCatalog:
    return load_catalog(HEADER + body, path="test.toml")


def problems_of(body: str) -> tuple[str, list[str]]:
    with pytest.raises(FileFormatError) as info:
        load(body)
    return str(info.value), [str(p) for p in info.value.problems]


def test_load_a_minimal_catalog() -> None:
    cat = load(
        '[[accelerators]]\nname = "X1"\naliases = ["x-one"]\ndatacenter = true\n'
        'throughput.INT8 = { value = "700 TOPS", source = "me" }\n'
        'die_area = { value = "500 mm^2", assumption = "my guess" }\n'
    )
    x1 = cat["x one"]
    assert x1.name == "X1"
    assert float(x1.tpp.m_as("TPP")) == pytest.approx(5600.0)
    assert x1.figures()["throughput.INT8"].source.title == "My notes"
    assert isinstance(x1.figures()["die_area"].source, Assumption)


def test_invalid_toml() -> None:
    with pytest.raises(FileFormatError, match="TOML"):
        load_catalog("this is = = not toml", path="bad.toml")


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (
            '[[accelerators]]\nname = "X"\ndie_area = { value = "600 mm^2", source = "nobody" }\n',
            "nobody",
        ),
        ('[[accelerators]]\nname = "X"\ncolour = "red"\n', "colour"),
        (
            '[[accelerators]]\nname = "X"\ndie_area = { value = 600.0, source = "me" }\n',
            "die_area",
        ),
        ('[[accelerators]]\nname = "X"\ndie_area = { value = 600, source = "me" }\n', "die_area"),
        (
            '[[accelerators]]\nname = "X"\ndie_area = { value = "5 W", source = "me" }\n',
            "die_area",
        ),
        (
            '[[accelerators]]\nname = "X"\ntdp = { value = "-700 W", source = "me" }\n',
            "tdp",
        ),
        (
            '[[accelerators]]\nname = "X"\nthroughput.BF16 = { value = "1 TFLOP/s" }\n',
            "throughput.BF16",
        ),
        ('[[accelerators]]\nname = "X"\ndie_area = "600 mm^2"\n', "die_area"),
        (
            '[[accelerators]]\nname = "X"\nthroughput.BF16 = { value = "5 GB", source = "me" }\n',
            "BF16",
        ),
    ],
)
def test_entry_problem_names_its_place(body: str, fragment: str) -> None:
    text, problems = problems_of(body)
    assert text.startswith("test.toml")
    assert len(problems) == 1
    assert problems[0].startswith("accelerators[0].")  # the path into the file, as for scenarios
    assert fragment in problems[0]


def test_wrong_dimension_message_names_the_dimension() -> None:
    _, problems = problems_of(
        '[[accelerators]]\nname = "X"\ndie_area = { value = "5 W", source = "me" }\n'
    )
    assert "area" in problems[0]
    assert "power" in problems[0]


def test_negative_value_is_a_problem() -> None:
    _, problems = problems_of(
        '[[accelerators]]\nname = "X"\nmemory = { value = "-80 GB", source = "me" }\n'
    )
    assert "memory" in problems[0]
    assert "positive" in problems[0]


def test_problems_in_several_entries_are_reported_together() -> None:
    body = (
        '[[accelerators]]\nname = "Good"\n'
        'throughput.INT8 = { value = "100 TOPS", source = "me" }\n'
        '[[accelerators]]\nname = "A"\ndie_area = { value = "5 W", source = "me" }\n'
        '[[accelerators]]\nname = "B"\ntdp = { value = "700 W", source = "nobody" }\n'
        '[[accelerators]]\nname = "C"\nshape = "round"\n'
        '[[accelerators]]\nname = "D"\nmemory = { value = 80.0, source = "me" }\n'
    )
    text, problems = problems_of(body)
    assert len(problems) == 4
    assert [p.split(":")[0].split(".")[0] for p in problems] == [
        "accelerators[1]",
        "accelerators[2]",
        "accelerators[3]",
        "accelerators[4]",
    ]
    assert "4 problems" in text


def test_file_level_and_entry_problems_are_reported_together() -> None:
    text = (  # no schema_version: a newer one would stop the reading there, as for scenarios
        '[sources.s]\ntitle = \'t\'\nbogus = 1\n[[accelerators]]\nname = "X"\ncolour = "red"\n'
    )
    with pytest.raises(FileFormatError) as info:
        load_catalog(text)
    places = [str(p) for p in info.value.problems]
    assert any(p.startswith("schema_version") for p in places)
    assert any(p.startswith("sources.s") for p in places)
    assert any(p.startswith("accelerators[0]") for p in places)


def test_several_problems_in_one_entry_are_all_reported() -> None:
    _, problems = problems_of(
        '[[accelerators]]\nname = "X"\n'
        'die_area = { value = "5 W", source = "me" }\n'
        'tdp = { value = "-700 W", source = "me" }\n'
    )
    assert len(problems) == 2


def test_duplicate_names_are_a_problem() -> None:
    text, _ = problems_of('[[accelerators]]\nname = "X"\n[[accelerators]]\nname = "x"\n')
    assert "x" in text


def test_missing_name_is_a_problem() -> None:
    _, problems = problems_of('[[accelerators]]\nvendor = "Me"\n')
    assert problems[0].startswith("accelerators[0]")
    assert "name" in problems[0]


def test_shipped_file_loads_through_load_catalog() -> None:
    from importlib import resources

    text = resources.files("fullstack.datasets").joinpath("accelerators.toml").read_text("utf-8")
    cat = load_catalog(text)
    assert list(cat) == list(accelerators())


# --- provenance: second sources, and the count of single-source figures (issue 10) ---------------

# Figures that rest on one published source (no `confirmed_by`). This number may only go down:
# when a figure gets a second source, lower it; a new single-source figure must come with one.
SINGLE_SOURCE_RATCHET = 44


def test_provenance_counts_and_the_single_source_ratchet() -> None:
    counts = accelerators().provenance_counts()
    print(f"accelerator figures by provenance: {counts}")  # shown with pytest -s
    assert set(counts) == {"confirmed", "single-source", "assumption"}
    total = sum(len(chip.figures()) for chip in all_chips())
    assert sum(counts.values()) == total
    assert counts["confirmed"] >= 60
    assert counts["single-source"] <= SINGLE_SOURCE_RATCHET, (
        f"{counts['single-source']} figures rest on a single source, more than the "
        f"{SINGLE_SOURCE_RATCHET} allowed: give new figures a second source (confirmed_by)"
    )


def test_every_figure_is_sourced_or_an_explicit_assumption() -> None:
    for chip in all_chips():
        for field, kind in chip.provenance().items():
            assert kind in {"confirmed", "single-source", "assumption"}, (chip.name, field)
            if kind == "assumption":
                reason = chip.figures()[field].source.reason  # type: ignore[union-attr]
                assert reason.strip(), (chip.name, field)


def test_confirming_sources_differ_from_the_figure_source_and_are_citable() -> None:
    n = 0
    for chip in all_chips():
        figures = chip.figures()
        for field, sources in chip.confirmed_by.items():
            assert field in figures, (chip.name, field)
            for src in sources:
                n += 1
                assert src is not figures[field].source, (chip.name, field)
                assert src.url.startswith(("http://", "https://")), src.title
                # Two Epoch AI datasets are one compiler, not independent sources.
                assert not (is_epoch(src) and is_epoch(figures[field].source)), (chip.name, field)
    assert n >= 60


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("A100", "throughput.BF16"),
        ("A100", "memory_bandwidth"),
        ("H100 SXM", "throughput.BF16"),
        ("H100 SXM", "io_bandwidth"),
        ("H20", "memory_bandwidth"),
        ("B200", "throughput.FP8"),
        ("TPU v5p", "throughput.BF16"),
        ("TPU v7", "throughput.FP8"),
    ],
)
def test_fleet_chips_have_second_sources(name: str, field: str) -> None:
    assert accelerator(name).provenance()[field] == "confirmed"


def test_b200_second_source_differences_are_kept_as_ranges() -> None:
    b200 = accelerator("B200")
    memory = b200.memory
    assert memory is not None
    assert float(memory.value.m_as("GB")) == pytest.approx(180)
    assert float(memory.high.m_as("GB")) == pytest.approx(192)
    bw = b200.memory_bandwidth
    assert bw is not None
    assert float(bw.high.m_as("TB/s")) == pytest.approx(8)


def test_confirmed_by_must_name_known_sources_and_figures() -> None:
    _, problems = problems_of(
        '[[accelerators]]\nname = "X"\n'
        'tdp = { value = "700 W", source = "me" }\n'
        'confirmed_by.tdp = ["nobody"]\n'
    )
    assert "nobody" in problems[0]
    text = HEADER.replace(
        "[sources.me]", '[sources.other]\ntitle = "O"\npublisher = "O"\n\n[sources.me]'
    )
    with pytest.raises(FileFormatError, match="memory"):
        load_catalog(
            text + '[[accelerators]]\nname = "X"\ntdp = { value = "700 W", source = "me" }\n'
            'confirmed_by.memory = ["other"]\n'
        )
    with pytest.raises(FileFormatError, match="other than"):
        load_catalog(
            text + '[[accelerators]]\nname = "X"\ntdp = { value = "700 W", source = "me" }\n'
            'confirmed_by.tdp = ["me"]\n'
        )
    cat = load_catalog(
        text + '[[accelerators]]\nname = "X"\ntdp = { value = "700 W", source = "me" }\n'
        'confirmed_by.tdp = ["other"]\n'
    )
    assert cat["X"].provenance() == {"tdp": "confirmed"}


# --- the chips of 2025-2028 (issue 10) ---------------------------------------------------------

NEW_CHIPS = [
    ("B300", "NVIDIA", "released"),
    ("Rubin", "NVIDIA", "announced"),
    ("Trainium1", "Amazon", "released"),
    ("Trainium2", "Amazon", "released"),
    ("Trainium3", "Amazon", "released"),
    ("Instinct MI325X", "AMD", "released"),
    ("Instinct MI350X", "AMD", "released"),
    ("Instinct MI355X", "AMD", "released"),
    ("MLU590", "Cambricon", "released"),
    ("Ascend 950PR", "Huawei", "announced"),
    ("Ascend 950DT", "Huawei", "announced"),
    ("Ascend 960", "Huawei", "announced"),
    ("Ascend 970", "Huawei", "announced"),
]


@pytest.mark.parametrize(("name", "vendor", "status"), NEW_CHIPS)
def test_new_chips_are_catalogued_with_their_status(name: str, vendor: str, status: str) -> None:
    # The exact names matter: the projection engine looks the Huawei roadmap up by them.
    chip = accelerators()[name]
    assert chip.name == name
    assert chip.vendor == vendor
    assert chip.status == status
    assert chip.announced is (status == "announced")
    rates = {p.name for p in chip.throughput}
    assert rates & {"BF16", "FP16", "FP8", "INT8"}, name  # a dense 16- or 8-bit rate
    assert chip.h100e is not None
    assert chip.year is not None
    assert 2022 <= chip.year <= 2028


def test_huawei_roadmap_years_and_doubling() -> None:
    years = {
        n: accelerator(n).year
        for n in ("Ascend 950PR", "Ascend 950DT", "Ascend 960", "Ascend 970")
    }
    assert years == {
        "Ascend 950PR": 2026,
        "Ascend 950DT": 2026,
        "Ascend 960": 2027,
        "Ascend 970": 2028,
    }
    fp8 = [
        float(accelerator(n).rate("FP8").value.m_as("TFLOP/s"))
        for n in ("Ascend 950DT", "Ascend 960", "Ascend 970")
    ]
    assert fp8 == pytest.approx([1000, 2000, 4000])


def test_status_is_checked() -> None:
    with pytest.raises(ValidationError, match="announced"):
        Accelerator(name="x", status="rumoured")
    _, problems = problems_of('[[accelerators]]\nname = "X"\nstatus = "shipping"\n')
    assert "status" in problems[0]


def test_mi308x_is_counted_as_epoch_counts_it() -> None:
    # Epoch AI's chip-sales data: about 0.33 H100e per MI308X (653.7 8-bit TOPS / 1,979).
    mi308 = accelerator("MI308X")
    assert float(mi308.h100e.m_as("H100e")) == pytest.approx(0.33, abs=0.005)
    assert float(mi308.rate("INT8").value.m_as("TOPS")) == pytest.approx(653.7)
    fp16 = mi308.figures()["throughput.FP16"]
    assert isinstance(fp16.source, Assumption)
    assert float(fp16.high.m_as("TFLOP/s")) == pytest.approx(653.7)
    assert "Apr 2025" in mi308.note


def test_rows_carry_the_status() -> None:
    rows = {r["name"]: r for r in accelerators().rows()}
    assert rows["Ascend 960"]["status"] == "announced"
    assert rows["H100 SXM"]["status"] == "released"
