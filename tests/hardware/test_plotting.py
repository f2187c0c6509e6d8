"""fullstack.plotting.plot_export_controls: the TPP x performance-density plane for each rule."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402

from fullstack import Accelerator, ValidationError, accelerator, export_rule  # noqa: E402
from fullstack.plotting import plot_export_controls  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
FAST = 40  # grid points per axis: enough to shade, quick to draw


@pytest.fixture(autouse=True)
def close_figures() -> Iterator[None]:
    yield
    plt.close("all")


def scatter_points(ax: plt.Axes) -> list[tuple[float, float]]:
    points = []
    for c in ax.collections:
        if isinstance(c, PathCollection):
            points += [tuple(p) for p in c.get_offsets()]
    return points


@pytest.mark.parametrize("key", ["2022-10", "2023-10", "2024-12"])
def test_plot_each_rule_saves_a_png(key: str, tmp_path: Path) -> None:
    ax = plot_export_controls(key, resolution=FAST)
    assert isinstance(ax, plt.Axes)
    assert len(ax.collections) >= 1
    assert ax.get_xscale() == "log"
    assert key in ax.get_title()
    out = tmp_path / f"export-{key}.png"
    ax.figure.savefig(out)
    data = out.read_bytes()
    assert len(data) > 1000
    assert data.startswith(PNG_MAGIC)


def test_plot_default_rule_and_resolution(tmp_path: Path) -> None:
    ax = plot_export_controls()
    assert export_rule().key in ax.get_title()
    assert len(ax.collections) >= 1
    out = tmp_path / "default.png"
    ax.figure.savefig(out)
    assert out.stat().st_size > 0


def test_plot_accepts_a_rule_object() -> None:
    ax = plot_export_controls(export_rule("2023-10"), resolution=FAST)
    assert "88 FR 73458" in ax.get_title()


def test_each_paragraph_gets_a_shaded_region() -> None:
    ax = plot_export_controls("2023-10", chips=[], resolution=FAST)
    # one filled contour set per IC paragraph (a.1, a.2, b.1, b.2), no chip markers
    assert len(ax.collections) == len(export_rule("2023-10").ic_paragraphs)
    assert scatter_points(ax) == []
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    for pid in ("3A090.a.1", "3A090.a.2", "3A090.b.1", "3A090.b.2"):
        assert pid in legend


def test_chips_are_placed_at_their_tpp_and_density() -> None:
    h100, h20 = accelerator("H100 SXM"), accelerator("H20")
    ax = plot_export_controls("2023-10", chips=[h100, h20], resolution=FAST)
    points = scatter_points(ax)
    # H100: 1979 x 8 = 15,832 over 814 mm^2; H20: 296 x 8 = 2,368 over 814 mm^2.
    expected = [(15832.0, 15832 / 814), (2368.0, 2368 / 814)]
    assert len(points) == 2
    for (x, y), (ex, ey) in zip(sorted(points), sorted(expected), strict=True):
        assert x == pytest.approx(ex, rel=1e-3)
        assert y == pytest.approx(ey, rel=1e-3)
    labels = {t.get_text() for t in ax.texts}
    assert "H100 SXM" in labels
    assert "H20" in labels


def test_chips_without_density_are_placed_above_the_plane() -> None:
    no_area = Accelerator(name="Mystery part", throughput={"INT8": "700 TOPS"})
    ax = plot_export_controls("2023-10", chips=[no_area], resolution=FAST)
    ((x, y),) = scatter_points(ax)
    assert x == pytest.approx(700 * 8)  # its TPP
    assert y > 25  # above the density axis, in the band
    assert "Mystery part" in {t.get_text() for t in ax.texts}


def test_chips_without_tpp_are_listed_not_placed() -> None:
    no_rate = Accelerator(name="Rateless part", die_area="600 mm^2")
    ax = plot_export_controls("2023-10", chips=[no_rate], resolution=FAST)
    assert scatter_points(ax) == []
    note = ax.figure.get_supxlabel()
    assert "Rateless part" in note
    assert "Epoch AI" in note


def test_labels_can_be_turned_off() -> None:
    ax = plot_export_controls("2023-10", chips=[accelerator("H20")], labels=False, resolution=FAST)
    assert "H20" not in {t.get_text() for t in ax.texts}


def test_plot_on_given_axes() -> None:
    _, ax = plt.subplots()
    out = plot_export_controls("2024-12", ax=ax, resolution=FAST)
    assert out is ax


def test_note_2_line_only_from_2023() -> None:
    def vertical_lines(ax: plt.Axes) -> list[float]:
        return [line.get_xdata()[0] for line in ax.get_lines()]

    assert 4800 in vertical_lines(plot_export_controls("2023-10", chips=[], resolution=FAST))
    assert vertical_lines(plot_export_controls("2022-10", chips=[], resolution=FAST)) == []


def test_low_resolution_is_refused() -> None:
    with pytest.raises(ValidationError):
        plot_export_controls("2023-10", resolution=5)


def test_unknown_rule_is_refused() -> None:
    from fullstack import UnknownNameError

    with pytest.raises(UnknownNameError):
        plot_export_controls("1999-01", resolution=FAST)
