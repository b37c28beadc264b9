"""Two-line element sets (TLE) as text: parsing with line-level checks, and formatting.

The format is the fixed-column NORAD one (two 69-character lines per satellite, optionally
preceded by a name line, the "3LE" form; a name line may start with ``"0 "``). Each element
line is checked column by column before any number is read, so a bad file is reported as
"line N: column a-b (field) ..." with the line's text, never propagated with garbage.
Propagation lives in :mod:`routecore.constellation._orbits`; this module needs no ``sgp4``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from ..errors import ConstellationError

__all__ = ["TleSet", "format_tle_lines", "parse_tle", "tle_checksum"]

_LINE_LENGTH = 69

# (first column, last column, 1-based and inclusive; pattern; what the field is)
_ANGLE = r"[ 0-9]{3}\.[0-9 ]{4}"
_EXP = r"[ +-][0-9 ]{5}[+-][0-9]"
_FIELDS: dict[str, tuple[tuple[int, int, str, str], ...]] = {
    "1": (
        (1, 1, r"1", "line number"),
        (2, 2, r" ", "blank"),
        (3, 7, r"[0-9A-Z][0-9 ]{4}", "satellite number"),
        (8, 8, r"[UCS ]", "classification"),
        (9, 9, r" ", "blank"),
        (10, 17, r"[ 0-9A-Z-]{8}", "international designator"),
        (18, 18, r" ", "blank"),
        # Day of year right-justified (leading blanks only), fraction digits then blanks.
        (
            19,
            32,
            r"[0-9]{2}(?: {2}[0-9]| [0-9]{2}|[0-9]{3})\.(?=[0-9 ]{8}$)[0-9]* *",
            "epoch YYDDD.DDDDDDDD",
        ),
        (33, 33, r" ", "blank"),
        (34, 43, r"[ +-]\.[0-9 ]{8}", "first derivative of mean motion"),
        (44, 44, r" ", "blank"),
        (45, 52, _EXP, "second derivative of mean motion"),
        (53, 53, r" ", "blank"),
        (54, 61, _EXP, "BSTAR drag term"),
        (62, 62, r" ", "blank"),
        (63, 63, r"[ 0-9]", "ephemeris type"),
        (64, 64, r" ", "blank"),
        (65, 68, r"[ 0-9]{4}", "element set number"),
        (69, 69, r"[0-9]", "checksum"),
    ),
    "2": (
        (1, 1, r"2", "line number"),
        (2, 2, r" ", "blank"),
        (3, 7, r"[0-9A-Z][0-9 ]{4}", "satellite number"),
        (8, 8, r" ", "blank"),
        (9, 16, _ANGLE, "inclination (deg)"),
        (17, 17, r" ", "blank"),
        (18, 25, _ANGLE, "right ascension of the ascending node (deg)"),
        (26, 26, r" ", "blank"),
        (27, 33, r"[0-9]{7}", "eccentricity (implied leading decimal point)"),
        (34, 34, r" ", "blank"),
        (35, 42, _ANGLE, "argument of perigee (deg)"),
        (43, 43, r" ", "blank"),
        (44, 51, _ANGLE, "mean anomaly (deg)"),
        (52, 52, r" ", "blank"),
        (53, 63, r"[ 0-9]{2}\.[0-9 ]{8}", "mean motion (rev/day)"),
        (64, 68, r"[ 0-9]{5}", "revolution number"),
        (69, 69, r"[0-9]", "checksum"),
    ),
}
_COMPILED = {k: tuple((a, b, re.compile(p), w) for a, b, p, w in v) for k, v in _FIELDS.items()}


def tle_checksum(line: str) -> int:
    """The TLE checksum of the first 68 columns: digits summed, each ``-`` counted as 1, mod 10.

    >>> tle_checksum("1 00001U 26001A   26060.00000000  .00000000  00000-0  00000-0 0    1")
    8
    """
    return sum(int(c) if c.isdigit() else (1 if c == "-" else 0) for c in line[:68]) % 10


@dataclass(frozen=True)
class TleSet:
    """The satellites of one TLE file, as an orbit source of a
    :class:`~routecore.constellation.Constellation` (in place of a Walker
    :class:`~routecore.constellation.Shell`).

    Build it with :func:`~routecore.constellation.from_tle`; its lines have passed the checks
    of :func:`parse_tle`. Satellites keep the file's order. A TLE set carries no plane / slot
    structure, so it has no +grid laser links.

    Attributes
    ----------
    name : str
        Label (``from_tle``'s ``name``).
    satellite_names : tuple of str
        The name line of each record ("" for two-line records).
    line1, line2 : tuple of str
        The element lines, 69 characters each.
    """

    name: str
    satellite_names: tuple[str, ...]
    line1: tuple[str, ...]
    line2: tuple[str, ...]

    @property
    def num_satellites(self) -> int:
        """Number of satellites (records)."""
        return len(self.line1)

    @property
    def mean_motion_rev_day(self) -> tuple[float, ...]:
        """The mean motion of each record (rev/day, columns 53-63 of line 2)."""
        return tuple(float(line[52:63]) for line in self.line2)

    @property
    def period_s(self) -> float:
        """The longest orbital period in the set (s), ``86400 / mean motion``."""
        return 86_400.0 / min(self.mean_motion_rev_day)

    @property
    def epochs(self) -> tuple[dt.datetime, ...]:
        """Each record's element epoch (aware UTC datetimes)."""
        return tuple(_epoch(line) for line in self.line1)

    def to_tle(self) -> str:
        """The records as TLE text (3-line records where a name is known)."""
        out = []
        for name, a, b in zip(self.satellite_names, self.line1, self.line2, strict=True):
            out.extend([name, a, b] if name else [a, b])
        return "\n".join(out) + "\n"


def _epoch(line1: str) -> dt.datetime:
    """Epoch of columns 19-32: two-digit year (57-99: 19xx, 00-56: 20xx) and day of year."""
    yy = int(line1[18:20])
    year = 1900 + yy if yy >= 57 else 2000 + yy
    day = float(line1[20:32])
    start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    return start + dt.timedelta(microseconds=round((day - 1.0) * 86_400e6))


def _check_line(kind: str, line: str, where: str) -> None:
    if len(line) != _LINE_LENGTH:
        raise ConstellationError(
            f"{where}: a TLE line {kind} has {_LINE_LENGTH} columns, this one {len(line)} "
            f"(truncated or re-wrapped?): {line!r}"
        )
    for first, last, pattern, what in _COMPILED[kind]:
        text = line[first - 1 : last]
        if not pattern.fullmatch(text):
            columns = f"column {first}" if first == last else f"columns {first}-{last}"
            raise ConstellationError(
                f"{where}: {columns} ({what}) reads {text!r}, which does not fit the TLE "
                f"layout: {line!r}"
            )
    expected = tle_checksum(line)
    if int(line[68]) != expected:
        raise ConstellationError(
            f"{where}: checksum is {line[68]}, the line's digits give {expected} (a corrupted "
            f"line): {line!r}"
        )

    def number(first: int, last: int, what: str) -> float:
        # The layout check above admits only numbers here; a blank inside one would still
        # make float() raise, so any such text is reported as the layout error it is.
        text = line[first - 1 : last]
        try:
            return float(text)
        except ValueError:
            raise ConstellationError(
                f"{where}: columns {first}-{last} ({what}) read {text!r}, not a number: {line!r}"
            ) from None

    if kind == "1":
        day = number(21, 32, "epoch day")
        if not 1.0 <= day < 367.0:
            raise ConstellationError(f"{where}: epoch day {day} is not in [1, 367): {line!r}")
    else:
        for first, last, what, hi in ((9, 16, "inclination", 180.0), (18, 25, "RAAN", 360.0)):
            value = number(first, last, what)
            if value > hi:
                raise ConstellationError(f"{where}: {what} {value} is above {hi:g}: {line!r}")
        if number(53, 63, "mean motion") <= 0.0:
            raise ConstellationError(f"{where}: mean motion must be > 0 rev/day: {line!r}")


def parse_tle(text: str, source: str = "TLE text") -> tuple[list[str], list[str], list[str]]:
    """Names, line-1s and line-2s of the records of ``text`` (2- or 3-line records, any mix).

    Blank lines are skipped; trailing spaces and ``\\r`` are dropped. Every problem raises
    :class:`ConstellationError` naming ``source``, the line number and the line.

    >>> names, l1, l2 = parse_tle(
    ...     "SAT\\n1 00001U 26001A   26060.00000000  .00000000  00000-0  00000-0 0    18\\n"
    ...     "2 00001  53.0000 100.0000 0000000   0.0000  10.0000 15.05000000    04\\n")
    >>> names, len(l1[0])
    (['SAT'], 69)
    """
    names: list[str] = []
    line1: list[str] = []
    line2: list[str] = []
    rows = [(i, raw.rstrip()) for i, raw in enumerate(text.splitlines(), start=1)]
    rows = [(i, line) for i, line in rows if line]
    k = 0
    while k < len(rows):
        number, line = rows[k]
        name = ""
        if not line.startswith("1 "):
            if line.startswith("2 "):
                raise ConstellationError(
                    f"{source}, line {number}: a line 2 without its line 1 before it: {line!r}"
                )
            name = line[2:].strip() if line.startswith("0 ") else line.strip()
            k += 1
            if k == len(rows):
                raise ConstellationError(
                    f"{source}, line {number}: the file ends after a name line (its two "
                    f"element lines are missing): {line!r}"
                )
            number, line = rows[k]
            if not line.startswith("1"):
                raise ConstellationError(
                    f"{source}, line {number}: expected line 1 of the record named {name!r}, "
                    f"got {line!r}"
                )
        _check_line("1", line, f"{source}, line {number}")
        if k + 1 == len(rows):
            raise ConstellationError(
                f"{source}, line {number}: the file ends after line 1 (its line 2 is missing): "
                f"{line!r}"
            )
        number2, second = rows[k + 1]
        if not second.startswith("2"):
            raise ConstellationError(
                f"{source}, line {number2}: expected line 2 of the record starting on line "
                f"{number}, got {second!r}"
            )
        _check_line("2", second, f"{source}, line {number2}")
        if second[2:7] != line[2:7]:
            raise ConstellationError(
                f"{source}, line {number2}: satellite number {second[2:7].strip()!r} does not "
                f"match {line[2:7].strip()!r} of line {number}: {second!r}"
            )
        names.append(name)
        line1.append(line)
        line2.append(second)
        k += 2
    if not line1:
        raise ConstellationError(f"{source}: no TLE records found")
    return names, line1, line2


def _with_checksum(body: str) -> str:
    return body + str(tle_checksum(body))


def format_tle_lines(
    satnum: int,
    epoch: dt.datetime,
    inclination_deg: float,
    raan_deg: float,
    mean_anomaly_deg: float,
    mean_motion_rev_day: float,
    *,
    designator: str = "",
) -> tuple[str, str]:
    """Line 1 and line 2 of a circular orbit (eccentricity 0, no drag, perigee 0).

    The epoch is written to 1e-8 day (0.86 ms); angles to 1e-4 deg; mean motion to 1e-8
    rev/day.

    >>> a, b = format_tle_lines(1, dt.datetime(2026, 3, 1, tzinfo=dt.UTC), 53.0, 100.0, 10.0,
    ...                         15.05)
    >>> b
    '2 00001  53.0000 100.0000 0000000   0.0000  10.0000 15.05000000    04'
    """
    if not 0 <= satnum <= 99_999:
        raise ConstellationError(f"TLE satellite number must be in [0, 99999], got {satnum}")
    epoch = epoch.astimezone(dt.UTC)
    if not 1957 <= epoch.year <= 2056:
        raise ConstellationError(f"TLE epochs have a two-digit year (1957-2056), got {epoch}")
    start = dt.datetime(epoch.year, 1, 1, tzinfo=dt.UTC)
    day = 1.0 + (epoch - start).total_seconds() / 86_400.0
    if not 0.0 < mean_motion_rev_day < 100.0:
        raise ConstellationError(f"mean motion {mean_motion_rev_day} rev/day does not fit a TLE")
    raan = math.fmod(raan_deg, 360.0) % 360.0
    anomaly = math.fmod(mean_anomaly_deg, 360.0) % 360.0
    # Rounding can give 360.0000; the TLE range is [0, 360).
    raan, anomaly = (0.0 if round(x, 4) >= 360.0 else x for x in (raan, anomaly))
    line1 = _with_checksum(
        f"1 {satnum:05d}U {designator:<8.8} {epoch.year % 100:02d}{day:012.8f} "
        f" .00000000  00000-0  00000-0 0    1"
    )
    line2 = _with_checksum(
        f"2 {satnum:05d} {inclination_deg:8.4f} {raan:8.4f} 0000000 {0.0:8.4f} "
        f"{anomaly:8.4f} {mean_motion_rev_day:11.8f}{0:5d}"
    )
    return line1, line2
