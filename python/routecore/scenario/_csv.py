"""The scenario files on disk: reading regular files only (size-capped) and CSV with line
numbers, writing cells that read back exactly, and saving a scenario all-or-nothing."""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import math
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .._atomic import fsync_directory
from ..errors import ScenarioError
from ._checks import _excerpt, _is_missing, _Where

try:
    import pandas as pd
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        'routecore.scenario needs pandas; install the domain extras: pip install "routecore[geo]"'
    ) from exc


MAX_FILE_BYTES = 64 * 1024 * 1024
"""The largest scenario file (CSV or TOML) the loader reads: 64 MiB (the bundled scenario's
largest file is about 0.15 MiB); a larger one is refused rather than read into memory."""

_NUMERIC_FILE_COLUMNS = frozenset({"lat", "lon", "length_km", "capacity_gbps", "latency_ms"})

# A plain decimal number as a spreadsheet writes it. Python's float() also reads "1_0" (as 10),
# non-ASCII digits and surrounding blanks; the file format does not.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)

_TEXT_PREFIX = "'"
# A text cell starting with one of these is a formula to a spreadsheet (or, for the quote, the
# spreadsheet's own "this is text" mark); see _protect_cell.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", _TEXT_PREFIX)


def _read_file_text(path: Path, *, encoding: str = "utf-8") -> str:
    """The text of the regular file ``path`` (symlinks to one allowed), at most
    :data:`MAX_FILE_BYTES`; anything else is a :class:`ScenarioError` naming the file.

    The file is opened non-blocking and checked with ``fstat`` on the open descriptor, so a
    FIFO, a device (``/dev/zero``) or a directory is refused before a byte is read and cannot
    be swapped in between the check and the read.
    """
    label = str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise ScenarioError(f"{label}: file not found", file=label) from None
    except OSError as exc:
        raise ScenarioError(f"{label}: cannot open: {exc.strerror}", file=label) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ScenarioError(f"{label}: not a regular file", file=label)
        if info.st_size > MAX_FILE_BYTES:
            raise ScenarioError(
                f"{label}: {info.st_size} bytes; scenario files are limited to "
                f"{MAX_FILE_BYTES} bytes",
                file=label,
            )
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(fd, 1 << 20):
            size += len(chunk)
            if size > MAX_FILE_BYTES:  # the file grew while being read
                raise ScenarioError(
                    f"{label}: more than {MAX_FILE_BYTES} bytes; scenario files are limited "
                    f"to {MAX_FILE_BYTES} bytes",
                    file=label,
                )
            chunks.append(chunk)
    except OSError as exc:
        raise ScenarioError(f"{label}: cannot read: {exc.strerror}", file=label) from None
    finally:
        os.close(fd)
    try:
        return b"".join(chunks).decode(encoding)
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"{label}: not UTF-8 text (byte {exc.start}: {exc.reason})", file=label
        ) from None


def _read_csv(path: Path) -> tuple[pd.DataFrame, _Where]:
    """Parse a CSV file into a table of strings, remembering each row's line number.

    A leading ``'`` is taken off every cell (see :func:`_protect_cell`), and the cells of the
    numeric columns must be plain decimal numbers (``1_0`` is refused, not read as 10).
    """
    label = str(path)
    text = _read_file_text(path, encoding="utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    start = 1
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = [_unprotect_cell(cell.strip()) for cell in record]
                continue
            if len(record) != len(header):
                raise ScenarioError(
                    f"{label}: row {len(rows) + 1} (line {line}): {len(record)} fields, but "
                    f"the header has {len(header)} columns",
                    file=label,
                    row=len(rows) + 1,
                    line=line,
                )
            rows.append([_unprotect_cell(cell) for cell in record])
            lines.append(line)
    except csv.Error as exc:
        raise ScenarioError(f"{label}: line {reader.line_num}: {exc}", file=label) from None
    if header is None:
        raise ScenarioError(f"{label}: the file is empty; it needs a header row", file=label)
    for i, column in enumerate(header):
        if not column:
            raise ScenarioError(f"{label}: header column {i + 1} has no name", file=label, line=1)
        if column in header[:i]:
            raise ScenarioError(
                f"{label}: column {column!r}: appears twice in the header",
                file=label,
                column=column,
            )
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(header)
    for name, col in zip(header, columns, strict=True):
        if name in _NUMERIC_FILE_COLUMNS:
            _check_plain_numbers(col, name, _Where(label, lines))
    df = pd.DataFrame(
        {name: np.asarray(col, dtype=object) for name, col in zip(header, columns, strict=True)}
    )
    return df, _Where(label, lines)


def _check_plain_numbers(cells: Sequence[str], column: str, where: _Where) -> None:
    for i, cell in enumerate(cells):
        text = cell.strip()
        if text and not _PLAIN_NUMBER.fullmatch(text) and _finite_float(text):
            raise where.error(
                i,
                column,
                f"{_excerpt(text)} is not a plain decimal number (write digits, '.', an "
                "optional exponent; no '_' and no other digit sets)",
            )


def _finite_float(text: str) -> bool:
    # Cells float() refuses ("abc") or reads as inf / nan are left to the column checks, which
    # name the rule broken.
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def _protect_cell(text: str) -> str:
    """A text cell as written to a scenario CSV: one ``'`` in front when it starts with
    ``= + - @``, a tab, a carriage return or ``'``, so a spreadsheet shows it as text instead
    of running it as a formula; :func:`_unprotect_cell` takes the quote off again on reading.

    >>> _protect_cell("=HYPERLINK(x)"), _protect_cell("'quoted"), _protect_cell("plain")
    ("'=HYPERLINK(x)", "''quoted", 'plain')
    """
    return _TEXT_PREFIX + text if text.startswith(_FORMULA_START) else text


def _unprotect_cell(cell: str) -> str:
    stripped = cell.lstrip()
    return stripped[1:] if stripped.startswith(_TEXT_PREFIX) else cell


def _format_cell(value: Any) -> str:
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, float | np.floating):
        x = float(value)
        if math.isnan(x):
            return ""
        if x.is_integer() and abs(x) < 1e15:
            return str(int(x))
        return repr(x)  # the shortest text that float() reads back exactly
    return "" if _is_missing(value) else _protect_cell(str(value))


def _links_for_file(links: pd.DataFrame) -> pd.DataFrame:
    out = links.drop(columns=["latency_given"])
    out["latency_ms"] = np.where(links["latency_given"], links["latency_ms"], np.nan)
    return out


def _csv_text(df: pd.DataFrame, known: Sequence[str]) -> str:
    columns = [c for c in known if c in df.columns] + [c for c in df.columns if c not in known]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([_protect_cell(str(c)) for c in columns])
    data = [df[c].to_numpy(dtype=object) for c in columns]
    for i in range(len(df)):
        writer.writerow([_format_cell(col[i]) for col in data])
    return buf.getvalue()


# Saving a scenario all-or-nothing.
#
# save writes the new files into a staging directory inside the target, backs up (hard-links)
# the files they replace, marks the staging directory committed, and only then moves the new
# files into place. An exception before the mark leaves the old scenario untouched; one while
# moving puts the backups back. A process killed at any point leaves a staging directory that
# the next save or load of that directory finishes (committed: move the rest into place) or
# discards (not committed). A lock on the directory keeps a concurrent save's staging
# directory from being taken for a stale one.
_STAGE_PREFIX = ".routecore-save-"
_COMMITTED = "COMMITTED"
_BACKUP_SUFFIX = ".old"
_SCENARIO_FILES = ("nodes.csv", "links.csv", "scenario.toml")
# Temporary files of the per-file writes of earlier versions (".nodes.csv.abc123.tmp").
_OLD_TEMP = re.compile(r"\.(?:nodes\.csv|links\.csv|scenario\.toml)\.[A-Za-z0-9_]+\.tmp")


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """An exclusive advisory lock on ``directory`` (where the platform has ``flock``)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no lock, the staging still applies
        yield
        return
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _write_new(path: Path, content: str | bytes, mode_from: Path) -> None:
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "wb") as fh:
        try:
            mode = mode_from.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = 0o644
        os.chmod(fh.fileno(), mode)
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _backup(current: Path, backup: Path) -> bool:
    """Keep ``current``'s content at ``backup`` (a hard link, or a copy); False if absent."""
    try:
        os.link(current, backup)
    except FileNotFoundError:
        return False
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EMLINK, errno.EXDEV):
            raise
        shutil.copy2(current, backup)
    return True


def _finish_stale(target: Path) -> None:
    """Finish or discard what an interrupted save left in ``target`` (call under the lock)."""
    for entry in target.iterdir():
        if entry.name.startswith(_STAGE_PREFIX) and entry.is_dir() and not entry.is_symlink():
            if (entry / _COMMITTED).is_file():
                for name in _committed_names(entry / _COMMITTED):
                    if (entry / name).is_file():
                        (target / name).parent.mkdir(parents=True, exist_ok=True)
                        os.replace(entry / name, target / name)
                fsync_directory(target)
            shutil.rmtree(entry)
        elif _OLD_TEMP.fullmatch(entry.name) and entry.is_file():
            entry.unlink()


def _committed_names(marker: Path) -> list[str]:
    """The files a committed save moves into place: listed in its marker (one relative path a
    line), or the three scenario files for a marker of an earlier version (empty)."""
    names = [n for n in marker.read_text(encoding="utf-8").splitlines() if n]
    # Only plain relative paths below the directory (the marker is ours, but a damaged one must
    # not move files elsewhere).
    return [n for n in names if _inside(n)] or list(_SCENARIO_FILES)


def _inside(name: str) -> bool:
    """Whether ``name`` is a relative path that stays below its directory (no ``..``)."""
    parts = Path(name).parts
    return (
        bool(parts) and not Path(name).is_absolute() and not Path(name).drive and ".." not in parts
    )


def _recover_interrupted_save(target: Path) -> None:
    """Before loading ``target``: finish a save that was killed after it committed.

    Raises :class:`ScenarioError` when that cannot be done (e.g. a read-only directory), since
    the directory may then hold a mix of old and new files.
    """
    try:
        stale = any(e.name.startswith(_STAGE_PREFIX) for e in target.iterdir())
    except OSError:
        return  # the loader reports an unreadable directory itself
    if not stale:
        return
    try:
        with _locked(target):
            _finish_stale(target)
    except OSError as exc:
        raise ScenarioError(
            f"{target}: an interrupted save left files in {_STAGE_PREFIX}* that cannot be "
            f"finished ({exc.strerror}); save the scenario again",
            file=str(target),
        ) from None


def _save_scenario_files(target: Path, texts: Mapping[str, str | bytes]) -> Path:
    """Replace the files ``{name: content}`` in ``target`` (created if needed) all together or
    not at all; returns ``target``. A name is a relative path below ``target`` (a TLE file in
    ``orbits/``, say); its directories are created."""
    if not all(_inside(name) for name in texts):
        raise ValueError(f"file names must stay inside the directory: {list(texts)}")
    target.mkdir(parents=True, exist_ok=True)
    with _locked(target):
        _finish_stale(target)
        stage = Path(tempfile.mkdtemp(prefix=_STAGE_PREFIX, dir=target))
        try:
            had_old: dict[str, bool] = {}
            for name, text in texts.items():
                (stage / name).parent.mkdir(parents=True, exist_ok=True)
                (target / name).parent.mkdir(parents=True, exist_ok=True)
                _write_new(stage / name, text, target / name)
                had_old[name] = _backup(target / name, stage / (name + _BACKUP_SUFFIX))
            _write_new(stage / _COMMITTED, "".join(f"{n}\n" for n in texts), stage / _COMMITTED)
            fsync_directory(stage)
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
        moved: list[str] = []
        try:
            for name in texts:
                os.replace(stage / name, target / name)
                moved.append(name)
        except BaseException:
            _roll_back(target, stage, moved, had_old)
            raise
        fsync_directory(target)
        shutil.rmtree(stage, ignore_errors=True)
    return target


def _roll_back(target: Path, stage: Path, moved: list[str], had_old: Mapping[str, bool]) -> None:
    # Undo the moves before the one that failed. Each new file is first linked back into the
    # staging directory, so that while it is still marked committed it always holds every new
    # file not in place: if the roll-back itself fails, the next save or load rolls forward.
    for name in moved:
        _backup(target / name, stage / name)
        if had_old[name]:
            os.replace(stage / (name + _BACKUP_SUFFIX), target / name)
        else:
            os.unlink(target / name)
    fsync_directory(target)
    os.unlink(stage / _COMMITTED)
    shutil.rmtree(stage, ignore_errors=True)
