"""Calendar time for constellations: UTC epochs, seconds since an epoch, Julian dates, GMST.

Every time in :mod:`routecore.constellation` is a float ``t_s``: seconds since the
constellation's ``epoch`` (the instant at which its inertial frame and the Earth-fixed frame
coincide). A calendar time enters as a timezone-aware :class:`datetime.datetime` (converted to
UTC) or a :class:`numpy.datetime64` (numpy has no time zones: read as UTC). A naive
``datetime`` is refused, since its zone is a guess.

UTC stands in for UT1 (they differ by under 0.9 s, under 0.4 km of Earth rotation at the
equator) and leap seconds inside a window are not counted, as in the published TLE practice.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import ConstellationError

__all__ = ["gmst_rad", "julian_date", "seconds_since", "utc_datetime"]

FloatArray = npt.NDArray[np.float64]

_J2000 = dt.datetime(2000, 1, 1, 12, tzinfo=dt.UTC)
"""The J2000.0 instant, Julian date 2451545.0 (UTC used as UT1, see the module notes)."""

_SECONDS_PER_DAY = 86_400.0


def utc_datetime(value: Any, name: str = "epoch") -> dt.datetime:
    """``value`` (an aware datetime or a numpy datetime64) as an aware UTC datetime.

    >>> utc_datetime(np.datetime64("2026-03-01T12:00"))
    datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.timezone.utc)
    """
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            raise ConstellationError(f"{name} is NaT (not a time)")
        micro = int(value.astype("datetime64[us]").astype(np.int64))
        return dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=micro)
    if not isinstance(value, dt.datetime):
        raise ConstellationError(f"{name} must be a timezone-aware datetime (UTC), got {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ConstellationError(
            f"{name} = {value!r} is a naive datetime; give its time zone, e.g. "
            "datetime(2026, 3, 1, 12, tzinfo=datetime.timezone.utc)"
        )
    return value.astimezone(dt.UTC)


def _is_calendar(values: Any) -> bool:
    if isinstance(values, dt.datetime | np.datetime64):
        return True
    if isinstance(values, np.ndarray):
        return values.dtype.kind == "M" or (
            values.dtype == object and values.size > 0 and _is_calendar(values.flat[0])
        )
    if isinstance(values, list | tuple) and values:
        return _is_calendar(values[0])
    return False


def seconds_since(epoch: dt.datetime | None, times: Any, name: str = "t_s") -> Any:
    """``times`` as seconds since ``epoch`` when they are calendar times; numbers unchanged.

    Calendar times: aware datetimes, numpy datetime64 values or arrays (see the module notes).
    A scalar stays a scalar (a float), a sequence becomes a float64 array. A constellation
    without an epoch has no calendar, so calendar times are refused for it.

    >>> epoch = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    >>> seconds_since(epoch, [epoch, epoch + dt.timedelta(minutes=1)]).tolist()
    [0.0, 60.0]
    >>> seconds_since(epoch, 30.0)
    30.0
    """
    if not _is_calendar(times):
        return times
    if epoch is None:
        raise ConstellationError(
            f"{name}: calendar times need a constellation with an epoch (Constellation("
            "..., epoch=datetime(..., tzinfo=timezone.utc))); give seconds otherwise"
        )
    if isinstance(times, dt.datetime | np.datetime64):
        return (utc_datetime(times, name) - epoch).total_seconds()
    arr = np.asarray(times)
    if arr.dtype.kind == "M":
        bad = np.flatnonzero(np.isnat(arr.reshape(-1)))
        if bad.size:
            raise ConstellationError(f"{name}[{int(bad[0])}] is NaT (not a time)")
        base = np.datetime64(epoch.replace(tzinfo=None), "us")
        delta = (arr.astype("datetime64[us]") - base).astype(np.int64)
        return np.asarray(delta / 1e6, dtype=np.float64)
    flat = [
        (utc_datetime(v, f"{name}[{i}]") - epoch).total_seconds()
        for i, v in enumerate(arr.reshape(-1))
    ]
    return np.asarray(flat, dtype=np.float64).reshape(arr.shape)


def julian_date(epoch: dt.datetime, t_s: npt.ArrayLike = 0.0) -> tuple[FloatArray, FloatArray]:
    """Julian date of ``epoch + t_s`` as (whole part at 0 h UTC, day fraction) for precision.

    The fraction may leave [0, 1) for ``t_s`` beyond a day; the sum is what counts.

    >>> jd, fr = julian_date(dt.datetime(2000, 1, 1, 12, tzinfo=dt.UTC))
    >>> float(jd + fr)
    2451545.0
    """
    midnight = epoch.replace(hour=0, minute=0, second=0, microsecond=0)
    whole = 2451544.5 + (midnight - _J2000.replace(hour=0)).days
    seconds = (epoch - midnight).total_seconds() + np.asarray(t_s, dtype=np.float64)
    return np.full(np.shape(seconds), whole), np.asarray(seconds / _SECONDS_PER_DAY)


def gmst_rad(jd_whole: npt.ArrayLike, fraction: npt.ArrayLike) -> FloatArray:
    """Greenwich mean sidereal time (rad, in [0, 2 pi)), IAU 1982 model, UTC used as UT1.

    This is the angle between the TEME frame of SGP4 and the Earth-fixed frame (polar motion
    ignored): ``r_ecef = Rz(-gmst) r_teme``.

    >>> round(math.degrees(float(gmst_rad(2451545.0, 0.0))), 6)  # J2000.0
    280.460618
    """
    centuries = (np.asarray(jd_whole) - 2451545.0 + np.asarray(fraction)) / 36525.0
    seconds = (
        67310.54841
        + (876600.0 * 3600.0 + 8640184.812866) * centuries
        + 0.093104 * centuries**2
        - 6.2e-6 * centuries**3
    )
    return np.asarray(np.mod(seconds, _SECONDS_PER_DAY) * (2.0 * math.pi / _SECONDS_PER_DAY))
