"""Writing files so that a reader, a crash or Ctrl-C never leaves a partly written one.

Every file routecore writes (the command line's outputs, the map, saved scenarios) goes through
:func:`write_atomic` or :func:`atomic_path`: the content goes to a temporary file in the target's
own directory (so the final rename never crosses file systems), is flushed to disk with
``fsync``, and then replaces the target with :func:`os.replace`, which is atomic on POSIX and
Windows. The directory is fsynced afterwards so that the rename itself survives a power cut.
On any failure (including :class:`KeyboardInterrupt`) the temporary file is removed and the
target keeps its old content. Temporary names start with ``.`` and end with ``.tmp``.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_path", "fsync_directory", "write_atomic"]


def fsync_directory(directory: str | os.PathLike[str]) -> None:
    """Flush ``directory``'s entries (a rename in it) to disk; a no-op where unsupported."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # pragma: no cover - e.g. Windows cannot open directories
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse fsync on directories
        pass
    finally:
        os.close(fd)


def _mode_for(target: Path) -> int:
    # mkstemp makes the file private (0600); give it the mode of the file it replaces, or the
    # mode an ordinary open() would give (0666 less the umask).
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path beside ``target`` to write to; on a clean exit it replaces ``target``.

    For writers that want a file name (``savefig``, ``to_csv``). The temporary file keeps
    ``target``'s suffix so that writers choosing a format by suffix choose the right one.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     with atomic_path(Path(tmp) / "a.txt") as part:
    ...         _ = part.write_text("hello")
    ...     print((Path(tmp) / "a.txt").read_text(), sorted(p.name for p in Path(tmp).iterdir()))
    hello ['a.txt']
    """
    target = Path(target)
    try:
        fd, name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=f".tmp{target.suffix}", dir=target.parent
        )
    except OSError as exc:
        raise _about(exc, target) from exc
    tmp = Path(name)
    try:
        os.close(fd)
        yield tmp
        os.chmod(tmp, _mode_for(target))
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        raise _about(exc, target) from exc
    finally:
        tmp.unlink(missing_ok=True)
    fsync_directory(target.parent)


def _about(exc: OSError, target: Path) -> OSError:
    # Name the file the caller asked for, not the temporary one.
    return OSError(exc.errno, exc.strerror or str(exc), str(target))


def write_atomic(target: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write ``data`` (text is UTF-8 encoded, newlines kept as given) to ``target`` atomically;
    returns ``target`` as a :class:`~pathlib.Path`.

    Raises
    ------
    OSError
        The directory is missing or not writable, the disk is full, ... (``filename`` is
        ``target``); ``target`` is then unchanged and no temporary file is left behind.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = write_atomic(Path(tmp) / "b.txt", "one\\n")
    ...     _ = write_atomic(path, "two\\n")
    ...     print(path.read_text(), end="")
    two
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    target = Path(target)
    with atomic_path(target) as tmp, open(tmp, "wb") as fh:
        fh.write(payload)
    return target
