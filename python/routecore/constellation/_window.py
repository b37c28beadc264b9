"""Time windows: grids of time steps, and how long a window is against the orbital periods.

Availability and latency statistics sampled over less than one orbit of a system describe one
part of its ground track, not the system: over 96 x 60 s (1.6 h), OneWeb looked "always online"
for 95 % of the schools in Kazakhstan; over 24 h it is 82 %. :func:`warn_short_window` raises a
:class:`ShortWindowWarning` for such windows; the analyses call it.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterable, Mapping

import numpy as np
import numpy.typing as npt

from ._clock import seconds_since, utc_datetime
from ._geometry import FloatArray, _float_array, _optional_count
from ._model import Constellation, ConstellationError

__all__ = [
    "ShortWindowWarning",
    "seconds_since_epoch",
    "slowest_period_s",
    "time_grid",
    "warn_short_window",
    "window_note",
    "window_s",
]


class ShortWindowWarning(UserWarning):
    """A time window shorter than the orbital period of the slowest system analysed."""


def window_s(times_s: npt.ArrayLike) -> float:
    """Time the samples stand for: last - first plus one (median) step; 0 for one sample.

    >>> window_s([0.0, 60.0, 120.0])
    180.0
    """
    t = np.sort(np.asarray(times_s, dtype=np.float64).ravel())
    if t.size < 2:
        return 0.0
    return float(t[-1] - t[0] + np.median(np.diff(t)))


def slowest_period_s(constellations: Iterable[Constellation]) -> float:
    """The longest orbital period of any shell of the given systems (0 if none).

    >>> from routecore.constellation import ONEWEB, STARLINK_SHELL1
    >>> round(slowest_period_s([STARLINK_SHELL1, ONEWEB]))
    6556
    """
    return max((s.period_s for c in constellations for s in c.shells), default=0.0)


def _systems(
    constellations: Mapping[str, Constellation] | Iterable[Constellation],
) -> list[Constellation]:
    if isinstance(constellations, Mapping):
        return list(constellations.values())
    return list(constellations)


def window_note(
    constellations: Mapping[str, Constellation] | Iterable[Constellation],
    times_s: npt.ArrayLike,
) -> str | None:
    """A sentence saying the window is shorter than the slowest system's orbit, or ``None``.

    >>> from routecore.constellation import ONEWEB
    >>> window_note([ONEWEB], [0.0, 60.0]) is not None, window_note([ONEWEB], [0.0, 86_400.0])
    (True, None)
    """
    systems = _systems(constellations)
    period = slowest_period_s(systems)
    span = window_s(times_s)
    if span >= period:
        return None
    slow = max(systems, key=lambda c: max(s.period_s for s in c.shells))
    return (
        f"the time window ({span / 60:.0f} min) is shorter than one orbit of {slow.name} "
        f"({period / 60:.0f} min): availability and latency describe part of its ground track "
        "only; sample at least one orbit of every system (a day is safe)"
    )


def warn_short_window(
    constellations: Mapping[str, Constellation] | Iterable[Constellation],
    times_s: npt.ArrayLike,
    *,
    stacklevel: int = 2,
) -> None:
    """Warn (:class:`ShortWindowWarning`) when :func:`window_note` has something to say.

    >>> import warnings
    >>> from routecore.constellation import ONEWEB
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_short_window([ONEWEB], [0.0, 60.0])
    >>> caught[0].category.__name__
    'ShortWindowWarning'
    """
    note = window_note(constellations, times_s)
    if note is not None:
        warnings.warn(note[0].upper() + note[1:], ShortWindowWarning, stacklevel=stacklevel + 1)


def time_grid(
    duration_s: float | dt.timedelta,
    num_steps: int = 96,
    *,
    start_s: float | dt.datetime = 0.0,
    epoch: Constellation | dt.datetime | None = None,
) -> FloatArray:
    """``num_steps`` evenly spaced times covering ``[start, start + duration)``, in seconds.

    The end point is left out, so a grid over one orbital period does not repeat its first
    state: ``time_grid(shell.period_s)`` gives 96 steps of about 60 s for Starlink shell 1, and
    ``time_grid(86_400.0)`` 96 steps of 15 min over a day.

    Calendar grids: give ``start_s`` as a timezone-aware datetime (a naive one is refused) and
    ``epoch`` (a constellation with an epoch, or the datetime itself); the times come back as
    seconds since that epoch, which is what every function here takes. ``duration_s`` may be a
    :class:`datetime.timedelta`.

    Examples
    --------
    >>> time_grid(60.0, 4).tolist()
    [0.0, 15.0, 30.0, 45.0]
    >>> import datetime as dt
    >>> epoch = dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)
    >>> time_grid(dt.timedelta(minutes=2), 2, start_s=epoch + dt.timedelta(hours=1),
    ...           epoch=epoch).tolist()
    [3600.0, 3660.0]
    """
    if isinstance(duration_s, dt.timedelta):
        duration_s = duration_s.total_seconds()
    if isinstance(start_s, dt.datetime | np.datetime64):
        if epoch is None:
            raise ConstellationError(
                "time_grid: a calendar start_s needs epoch= (a constellation with an epoch, or "
                "a datetime) to count seconds from"
            )
        origin = epoch.epoch if isinstance(epoch, Constellation) else utc_datetime(epoch)
        if origin is None:
            raise ConstellationError(
                f"time_grid: constellation {epoch.name!r} has no epoch"  # type: ignore[union-attr]
            )
        start_s = float(seconds_since(origin, start_s, "start_s"))
    duration = _float_array(duration_s, "duration_s")
    start = _float_array(start_s, "start_s")
    if duration.ndim or start.ndim or float(duration) <= 0.0:
        raise ConstellationError(f"duration_s must be a number > 0, got {duration_s!r}")
    steps = _optional_count(num_steps, "num_steps")
    if steps is None:
        raise ConstellationError("num_steps must be a positive integer, got None")
    return np.asarray(float(start) + float(duration) * (np.arange(steps) / steps))


def seconds_since_epoch(constellation: Constellation, times: object) -> FloatArray:
    """Calendar times (aware datetimes or numpy datetime64) as seconds since the
    constellation's epoch; numbers are returned as they are (already seconds).

    Raises
    ------
    ConstellationError
        A naive datetime, or a constellation without an ``epoch``.

    Examples
    --------
    >>> import datetime as dt
    >>> from routecore.constellation import STARLINK_SHELL1
    >>> import dataclasses
    >>> c = dataclasses.replace(STARLINK_SHELL1, epoch=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    >>> seconds_since_epoch(c, [dt.datetime(2026, 3, 1, 0, 1, tzinfo=dt.UTC)]).tolist()
    [60.0]
    """
    return np.asarray(
        _float_array(seconds_since(constellation.epoch, times, "times"), "times"), dtype=np.float64
    )
