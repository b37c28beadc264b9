"""The scenario CSV format: reading with line numbers, writing cells that read back exactly,
and replacing files atomically."""

from __future__ import annotations

import csv
import io
import math
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ScenarioError
from ._checks import _is_missing, _Where

try:
    import pandas as pd
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        'routecore.scenario needs pandas; install the domain extras: pip install "routecore[geo]"'
    ) from exc


def _read_csv(path: Path) -> tuple[pd.DataFrame, _Where]:
    """Parse a CSV file into a table of strings, remembering each row's line number."""
    label = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ScenarioError(f"{label}: file not found", file=label) from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{label}: not UTF-8 text ({exc})", file=label) from None
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
                header = [cell.strip() for cell in record]
                continue
            if len(record) != len(header):
                raise ScenarioError(
                    f"{label}: row {len(rows) + 1} (line {line}): {len(record)} fields, but "
                    f"the header has {len(header)} columns",
                    file=label,
                    row=len(rows) + 1,
                    line=line,
                )
            rows.append(record)
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
    df = pd.DataFrame(
        {name: np.asarray(col, dtype=object) for name, col in zip(header, columns, strict=True)}
    )
    return df, _Where(label, lines)


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
    return "" if _is_missing(value) else str(value)


def _links_for_file(links: pd.DataFrame) -> pd.DataFrame:
    out = links.drop(columns=["latency_given"])
    out["latency_ms"] = np.where(links["latency_given"], links["latency_ms"], np.nan)
    return out


def _csv_text(df: pd.DataFrame, known: Sequence[str]) -> str:
    columns = [c for c in known if c in df.columns] + [c for c in df.columns if c not in known]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    data = [df[c].to_numpy(dtype=object) for c in columns]
    for i in range(len(df)):
        writer.writerow([_format_cell(col[i]) for col in data])
    return buf.getvalue()


def _write_atomically(target: Path, texts: Mapping[str, str]) -> Path:
    """Write each ``{file name: text}`` into ``target`` (created if needed); returns ``target``.

    Each file goes to a temporary file in ``target`` first and is then moved into place with
    :func:`os.replace`, so readers never see a partly written file.
    """
    target.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[str, Path]] = []
    try:
        for name, text in texts.items():
            fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=target)
            staged.append((name, Path(tmp_name)))
            # mkstemp makes the file private (0600); give it the mode of the file it
            # replaces, or an ordinary 0644.
            old = target / name
            os.chmod(fd, old.stat().st_mode & 0o777 if old.exists() else 0o644)
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
        for name, tmp in staged:
            os.replace(tmp, target / name)
    finally:
        for _, tmp in staged:
            tmp.unlink(missing_ok=True)
    return target
