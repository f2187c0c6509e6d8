"""Atomic writes: a crash mid-write leaves the old file intact and no temporary files behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fullstack._files import write_bytes_atomic, write_text_atomic


@given(data=st.binary(max_size=2000))
def test_written_bytes_read_back(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    folder = tmp_path_factory.mktemp("w")
    target = write_bytes_atomic(folder / "f.bin", data)
    assert target.read_bytes() == data
    assert [p.name for p in folder.iterdir()] == ["f.bin"]


def test_text_is_utf8(tmp_path: Path) -> None:
    write_text_atomic(tmp_path / "a.md", "Ascend 910B — 昇腾\n")
    assert (tmp_path / "a.md").read_bytes() == "Ascend 910B — 昇腾\n".encode()


def test_crash_during_write_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.md"
    target.write_text("old contents")

    def crash(fd: int) -> None:
        raise KeyboardInterrupt  # the process is interrupted before the rename

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(KeyboardInterrupt):
        write_text_atomic(target, "new contents that never land")
    assert target.read_text() == "old contents"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_new_files_get_the_usual_permissions(tmp_path: Path) -> None:
    umask = os.umask(0)
    os.umask(umask)
    target = write_text_atomic(tmp_path / "new.txt", "x")
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_existing_permissions_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "kept.txt"
    target.write_text("x")
    target.chmod(0o640)
    write_text_atomic(target, "y")
    assert target.stat().st_mode & 0o777 == 0o640
