"""How long a sampled time window is, compared with the orbital periods of the systems.

Availability and latency statistics sampled over less than one orbit of a system describe one
part of its ground track, not the system: over 96 x 60 s (1.6 h), OneWeb looked "always online"
for 95 % of the schools in Kazakhstan; over 24 h it is 82 %. :func:`warn_short_window` raises a
:class:`ShortWindowWarning` for such windows; the analyses call it.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from ._model import Constellation

__all__ = [
    "ShortWindowWarning",
    "slowest_period_s",
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
