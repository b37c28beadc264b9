"""Real orbits: constellations from TLE files, SGP4 propagation, and Walker shells as TLE text.

SGP4 comes from the ``sgp4`` package (the extra ``routecore[tle]``), through its vectorised
:class:`sgp4.api.SatrecArray`: one call propagates every satellite of a set to every time
asked, in C++, with no Python loop per satellite or step.

Frames. SGP4 gives positions in TEME (true equator, mean equinox of date). They are turned
Earth-fixed with the Greenwich mean sidereal time, ``r_ecef = Rz(-gmst(t)) r_teme`` (polar
motion and UT1 - UTC ignored; see :mod:`routecore.constellation._clock`). The package's inertial
frame is the one that coincides with the Earth-fixed frame at the constellation's epoch and
turns at :data:`EARTH_ROTATION_RAD_S` (``_model``), the same for Walker shells and TLE sets:
``r_eci(t) = Rz(EARTH_ROTATION_RAD_S t) r_ecef(t)``.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import os
import stat
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import ConstellationError
from ._clock import gmst_rad, julian_date, utc_datetime
from ._model import EARTH_ROTATION_RAD_S, Constellation
from ._tle import TleSet, parse_tle

__all__ = ["from_tle", "tle_positions"]

FloatArray = npt.NDArray[np.float64]

MAX_TLE_BYTES = 64 * 1024 * 1024
"""Largest TLE file read (64 MiB, about 400,000 records)."""


def _sgp4_api() -> Any:
    try:
        from sgp4 import api
    except ImportError as exc:
        raise ImportError(
            'TLE constellations need the sgp4 package: pip install "routecore[tle]"'
        ) from exc
    return api


def _read_text(path_or_text: str | os.PathLike[str]) -> tuple[str, str]:
    """(text, label): a str holding a line break is TLE text, anything else a file path."""
    if isinstance(path_or_text, str) and ("\n" in path_or_text or "\r" in path_or_text):
        return path_or_text, "TLE text"
    if not isinstance(path_or_text, str | os.PathLike):
        raise ConstellationError(
            f"from_tle needs a file path or TLE text, got {type(path_or_text).__name__}"
        )
    path = Path(path_or_text)
    try:
        # Checked before opening: opening a FIFO would wait for a writer.
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise ConstellationError(f"{path}: not a regular file")
        with path.open("rb") as fh:
            data = fh.read(MAX_TLE_BYTES + 1)
    except (OSError, ValueError) as exc:
        if isinstance(exc, ConstellationError):
            raise
        if isinstance(exc, ValueError):  # a NUL in the name
            raise ConstellationError(f"{path!r}: not a usable file name ({exc})") from None
        raise ConstellationError(f"{path}: cannot read TLE file ({exc.strerror or exc})") from None
    if len(data) > MAX_TLE_BYTES:
        raise ConstellationError(f"{path}: larger than {MAX_TLE_BYTES} bytes; not a TLE file?")
    try:
        return data.decode("ascii"), str(path)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConstellationError(
            f"{path}, line {line}: not ASCII text (byte {data[exc.start]:#04x}); TLE files are "
            "plain ASCII"
        ) from None


NO_LASERS_NOTE = (
    "No laser links: a TLE set has no plane / slot structure to place +grid links on, so every "
    "route is bent-pipe (terminal - satellite - gateway); declare the shell as Walker shells to "
    "model lasers."
)


def from_tle(
    path_or_text: str | os.PathLike[str],
    *,
    name: str,
    min_elevation_deg: float,
    min_elevation_feeder_deg: float | None = None,
    user_link_capacity_gbps: float | None = None,
    feeder_capacity_gbps: float | None = None,
    epoch: dt.datetime | None = None,
    sources: str = "",
    assumptions: tuple[str, ...] = (),
) -> Constellation:
    """A constellation whose satellites are the records of a TLE file, propagated with SGP4.

    Parameters
    ----------
    path_or_text : str or path-like
        A TLE file, or TLE text itself (a str holding a line break). Records have 2 lines
        (element lines 1 and 2) or 3 (a name line first, optionally ``"0 NAME"``).
    name : str
        The constellation's label.
    min_elevation_deg : float
        Lowest elevation of a user link, in [0, 90); also of a feeder link unless
        ``min_elevation_feeder_deg`` is given.
    min_elevation_feeder_deg : float, optional
    user_link_capacity_gbps, feeder_capacity_gbps : float, optional
        Per-link capacities (Gbit/s) for flow analyses; latency analyses ignore them. Left
        out, they are 0 Gbit/s placeholders, and ``assumptions`` says so.
    epoch : datetime, optional
        The time origin ``t_s = 0`` (timezone-aware). Default: the latest element epoch in the
        file, where SGP4 is most accurate for the freshest records.
    sources, assumptions
        As :class:`Constellation`.

    Returns
    -------
    Constellation
        Its one orbit source is a :class:`TleSet` (``shells[0]``); it has no laser links, and
        its ``assumptions`` say so.

    Raises
    ------
    ConstellationError
        A bad record (wrong length, column layout, checksum, line order, satellite numbers of
        lines 1 and 2 that differ, an orbit SGP4 cannot start); the message names the file,
        the line number and the line. An unreadable file likewise.
    ImportError
        ``sgp4`` is not installed (``pip install "routecore[tle]"``).

    Examples
    --------
    >>> import datetime as dt
    >>> from routecore.constellation import Constellation, Shell, from_tle
    >>> walker = Constellation("demo", (Shell("demo", 550.0, 53.0, 4, 5, phasing=1),), 25.0,
    ...     25.0, 0.2, 20.0, epoch=dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc))
    >>> tle = from_tle(walker.to_tle(), name="demo-tle", min_elevation_deg=25.0)
    >>> tle.num_satellites, tle.epoch == walker.epoch
    (20, True)
    """
    text, label = _read_text(path_or_text)
    names, line1, line2 = parse_tle(text, label)
    tle_set = TleSet(str(name), tuple(names), tuple(line1), tuple(line2))
    api = _sgp4_api()
    for i, (a, b) in enumerate(zip(line1, line2, strict=True)):
        sat = api.Satrec.twoline2rv(a, b, api.WGS72)
        if sat.error:
            raise ConstellationError(
                f"{label}: record {i} (satellite {a[2:7].strip()}): SGP4 cannot start this "
                f"orbit ({api.SGP4_ERRORS.get(sat.error, sat.error)}): {b!r}"
            )
    start = utc_datetime(epoch) if epoch is not None else max(tle_set.epochs)
    feeder = min_elevation_deg if min_elevation_feeder_deg is None else min_elevation_feeder_deg
    missing = [
        key
        for key, value in (
            ("user_link_capacity_gbps", user_link_capacity_gbps),
            ("feeder_capacity_gbps", feeder_capacity_gbps),
        )
        if value is None
    ]
    assumptions = (*assumptions, NO_LASERS_NOTE)
    if missing:
        assumptions = (
            *assumptions,
            f"[PLACEHOLDER] {', '.join(missing)} not given: 0 Gbit/s, so flow results mean "
            "nothing; latency and availability do not depend on them.",
        )
    return Constellation(
        str(name),
        (tle_set,),
        min_elevation_user_deg=min_elevation_deg,
        min_elevation_feeder_deg=feeder,
        user_link_capacity_gbps=user_link_capacity_gbps or 0.0,
        feeder_capacity_gbps=feeder_capacity_gbps or 0.0,
        isl_capacity_gbps=None,
        sources=sources,
        assumptions=assumptions,
        epoch=start,
    )


@functools.lru_cache(maxsize=16)
def _satrecs(tle_set: TleSet) -> Any:
    api = _sgp4_api()
    sats = [
        api.Satrec.twoline2rv(a, b, api.WGS72)
        for a, b in zip(tle_set.line1, tle_set.line2, strict=True)
    ]
    return api.SatrecArray(sats)


def tle_positions(
    tle_set: TleSet, epoch: dt.datetime, t_s: FloatArray, *, earth_fixed: bool
) -> FloatArray:
    """Positions (km) of the set's satellites at ``t_s`` seconds since ``epoch``.

    ``t_s`` is a scalar or 1-D float array; the result has shape (S, 3) or (T, S, 3), in the
    Earth-fixed frame or the package's inertial frame (see the module notes).
    """
    api = _sgp4_api()
    times = np.atleast_1d(t_s)
    jd, fr = julian_date(epoch, times)
    error, r_teme, _ = _satrecs(tle_set).sgp4(jd, fr)  # (S, T), (S, T, 3)
    if error.any():
        s, k = (int(x[0]) for x in np.nonzero(error))
        raise ConstellationError(
            f"{tle_set.name}: SGP4 failed for record {s} (satellite "
            f"{tle_set.line1[s][2:7].strip()}) at t_s = {times[k]:g}: "
            f"{api.SGP4_ERRORS.get(int(error[s, k]), int(error[s, k]))} (is the time far from "
            "the element epoch, or has the satellite decayed?)"
        )
    bad = ~np.isfinite(r_teme).all(axis=2)
    if bad.any():  # SGP4 reports no error, yet a field it misread gives NaN (a blank digit)
        s, k = (int(x[0]) for x in np.nonzero(bad))
        raise ConstellationError(
            f"{tle_set.name}: SGP4 gave no finite position for record {s} (satellite "
            f"{tle_set.line1[s][2:7].strip()}) at t_s = {times[k]:g}; check its element lines: "
            f"{tle_set.line1[s]!r} / {tle_set.line2[s]!r}"
        )
    # Rotate TEME by -gmst about z (Earth-fixed); the inertial frame adds back omega * t.
    angle = -gmst_rad(jd, fr)
    if not earth_fixed:
        angle = angle + EARTH_ROTATION_RAD_S * times
    cos_a, sin_a = np.cos(angle)[:, None], np.sin(angle)[:, None]
    r = np.moveaxis(r_teme, 0, 1)  # (T, S, 3)
    out = np.empty_like(r)
    out[..., 0] = cos_a * r[..., 0] - sin_a * r[..., 1]
    out[..., 1] = sin_a * r[..., 0] + cos_a * r[..., 1]
    out[..., 2] = r[..., 2]
    return np.asarray(out[0] if np.ndim(t_s) == 0 else out, dtype=np.float64)


def walker_tle(constellation: Constellation, *, first_number: int = 1) -> str:
    """TLE text of the Walker shells of ``constellation`` at its epoch (see
    :meth:`Constellation.to_tle`)."""
    from ._geometry import _elements, satellite_layout

    if constellation.epoch is None:
        raise ConstellationError(
            f"Constellation {constellation.name!r} has no epoch; TLE records need one "
            "(dataclasses.replace(c, epoch=datetime(..., tzinfo=timezone.utc)))"
        )
    if any(isinstance(s, TleSet) for s in constellation.shells):
        if len(constellation.shells) == 1:
            tle_set = constellation.shells[0]
            assert isinstance(tle_set, TleSet)
            return tle_set.to_tle()
        raise ConstellationError("to_tle: a constellation mixing TLE sets and Walker shells")
    from ._tle import format_tle_lines

    el = _elements(constellation)
    jd, fr = julian_date(constellation.epoch)
    # The model's inertial frame is Earth-fixed at the epoch; TEME is turned by gmst from it.
    raan = np.degrees(el.raan_rad + float(gmst_rad(jd, fr)))
    anomaly = np.degrees(el.arg_latitude0_rad)
    incl = np.degrees(np.arctan2(el.sin_inclination, el.cos_inclination))
    motion = el.mean_motion_rad_s * 86_400.0 / (2.0 * math.pi)
    count = raan.shape[0]
    if first_number < 0 or first_number + count - 1 > 99_999:
        raise ConstellationError(
            f"to_tle: satellite numbers {first_number}..{first_number + count - 1} do not fit "
            "the five TLE digits"
        )
    shell_of, plane, slot = satellite_layout(constellation)
    records: list[str] = []
    for s in range(count):
        a, b = format_tle_lines(
            first_number + s,
            constellation.epoch,
            float(incl[s]),
            float(raan[s]),
            float(anomaly[s]),
            float(motion[s]),
        )
        label = f"{constellation.shells[shell_of[s]].name} P{plane[s]} S{slot[s]}"
        records.extend((label, a, b))
    return "\n".join(records) + "\n"
