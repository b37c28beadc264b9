"""Numbers, coordinates and option values (``threads=``, ``method=``, flags)."""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import GraphError

if TYPE_CHECKING:
    pass

from ._arrays import (
    Float64Array,
    as_array,
)


# ---------------------------------------------------------------------- numbers, coordinates
def real_number(value: Any, name: str) -> float:
    """One real number as a float (NaN and infinities are left to the caller to judge).

    Accepts Python and numpy ints and floats (and anything with ``__float__`` that is not text or
    a bool); an integer too large for a float is an error, not an OverflowError.
    """
    if isinstance(value, str | bytes | bool | np.bool_):
        raise GraphError(f"{name} must be a number, got {value!r}")
    try:
        return float(value)
    except OverflowError:
        raise GraphError(f"{name} = {value} is too large for a float64") from None
    except (TypeError, ValueError):
        raise GraphError(f"{name} must be a number, got {value!r}") from None


def length_limit(value: Any) -> float:
    """The ``max_length`` of a search: a number >= 0, ``inf`` for no limit."""
    if type(value) is float and value >= 0:  # the default (inf) and most calls; NaN fails >=
        return value
    limit = real_number(value, "max_length")
    if math.isnan(limit) or limit < 0:
        raise GraphError(f"max_length must be >= 0 (inf for no limit), got {limit}")
    return limit


def demand_values(demand: Any, k: int) -> Float64Array:
    """One finite demand >= 0 per node, as float64."""
    arr = as_array(demand, "demand")
    if arr.shape != (k,):
        raise GraphError(f"demand: expected one value per node, shape ({k},), got {arr.shape}")
    if arr.dtype.kind not in "biuf":  # not timedelta64, which numpy counts as an integer
        raise GraphError(f"demand: expected real numbers, got dtype {arr.dtype}")
    with np.errstate(over="ignore", invalid="ignore"):  # inf, NaN: reported below
        values = arr.astype(np.float64)
    bad = np.flatnonzero(~np.isfinite(values) | (values < 0))
    if bad.size:
        i = int(bad[0])
        raise GraphError(f"demand[{i}] = {values[i]}; demands must be finite and >= 0")
    return values


def astar_coordinates(
    coords: Any, min_cost_per_km: Any, num_nodes: int
) -> tuple[Float64Array, Float64Array, float]:
    """A* input: ``(lat_deg, lon_deg)`` per node and the cost lower bound per km."""
    if coords is None:
        raise GraphError("method='astar' needs coordinates=(lat_deg, lon_deg), one pair per node")
    if min_cost_per_km is None:
        raise GraphError(
            "coordinates were given without min_cost_per_km (the smallest weight per km of "
            "great-circle distance any edge can have)"
        )
    arr = as_array(coords, "coordinates")
    if arr.shape != (2, num_nodes):
        raise GraphError(
            "coordinates: expected (lat_deg, lon_deg), two arrays of length "
            f"{num_nodes} (one entry per node), got shape {arr.shape}"
        )
    if arr.dtype.kind not in "iuf":
        raise GraphError(f"coordinates: expected real numbers, got dtype {arr.dtype}")
    with np.errstate(over="ignore", invalid="ignore"):  # inf, NaN: reported below
        lat = np.ascontiguousarray(arr[0], dtype=np.float64)
        lon = np.ascontiguousarray(arr[1], dtype=np.float64)
    for name, values, limit in (("lat_deg", lat, 90.0), ("lon_deg", lon, math.inf)):
        bad = np.flatnonzero(~np.isfinite(values) | (np.abs(values) > limit))
        if bad.size:
            i = int(bad[0])
            rule = "finite, in [-90, 90]" if limit == 90.0 else "finite"
            raise GraphError(f"coordinates {name}[{i}] = {values[i]}; must be {rule}")
    cost = real_number(min_cost_per_km, "min_cost_per_km")
    if not math.isfinite(cost) or cost < 0:
        raise GraphError(f"min_cost_per_km must be finite and >= 0, got {cost}")
    return lat, lon, cost


# ----------------------------------------------------------------------------------- options
@functools.cache
def _available_threads() -> int:
    """The hardware threads (asked once: the query is a system call, and calls on small
    graphs take tens of microseconds)."""
    from .. import _core

    return int(_core.available_threads())


def thread_count(threads: int | None) -> int:
    """``None`` means every available core; otherwise a positive integer.

    Counts above the number of hardware threads are reduced to it: more threads cannot speed up
    CPU-bound work, and each one holds an O(num_nodes) workspace (and a huge count would make
    thread creation fail). A non-integer is a :class:`TypeError`, a count below 1 a
    :class:`ValueError`.
    """
    available = _available_threads()
    if threads is None:
        return available
    if isinstance(threads, bool | np.bool_):
        raise TypeError(f"threads must be a positive integer or None, got {threads!r}")
    try:
        n = operator.index(threads)
    except TypeError:
        raise TypeError(f"threads must be a positive integer or None, got {threads!r}") from None
    if n < 1:
        raise ValueError(f"threads must be >= 1, got {n}")
    return min(n, available)


def flag(value: Any, name: str) -> bool:
    """A yes/no option; only ``True``/``False`` (or numpy bools), so that e.g. the string
    ``"no"`` is not silently taken as true (a :class:`TypeError`)."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    raise TypeError(f"{name} must be True or False, got {value!r}")


def choice(value: Any, choices: Sequence[str], name: str) -> str:
    """One of a few option strings (``method=``, ``values=``): anything but a string is a
    :class:`TypeError`, an unknown string a :class:`ValueError`; both list the choices."""
    if isinstance(value, str) and value in choices:  # the common case: no message to build
        return value
    listed = ", ".join(map(repr, choices))
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {listed}; got {value!r}")
    raise ValueError(f"{name} must be one of {listed}; got {value!r}")
