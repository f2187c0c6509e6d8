"""Atomic file writes: a crash never leaves half a file.

Every file fullstack writes goes through :func:`write_text_atomic` or :func:`write_bytes_atomic`:
the content goes to a temporary file in the same folder, is flushed to disk, and then replaces the
target in one ``os.replace`` (atomic on POSIX and Windows). If anything fails before the rename,
the old file is untouched and the temporary file is removed.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = ["write_bytes_atomic", "write_text_atomic"]


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically and return the path.

    Example:
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> write_bytes_atomic(folder / "a.bin", b"abc").read_bytes()
        b'abc'
    """
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        # mkstemp makes the file private (0600); give it the mode a plain open() would.
        os.chmod(tmp, _mode_for(target))  # noqa: PTH101
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise
    return target


def _mode_for(target: Path) -> int:
    """The existing file's permissions, or the default for a new file under the umask."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_text_atomic(path: str | os.PathLike[str], text: str) -> Path:
    r"""Write ``text`` (UTF-8, ``\n`` line endings) to ``path`` atomically and return the path.

    Example:
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> write_text_atomic(folder / "a.md", "# Title\n").read_text()
        '# Title\n'
    """
    return write_bytes_atomic(path, text.encode("utf-8"))
