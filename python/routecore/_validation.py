"""Coerce and check user input once, at the boundary, before any C++ code runs.

The C++ core assumes what these functions guarantee: int32 node ids in range, C-contiguous arrays
of the exact dtype, finite non-negative weights and capacities, and sizes that fit 32-bit ids.
Every failure raises :class:`~routecore.errors.GraphError` naming the argument and the first
offending position and value.
"""

from __future__ import annotations

import functools
import operator
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from .errors import GraphError, NodeIndexError

MAX_ID_COUNT = 2**31 - 1
"""Largest node or arc count with 32-bit ids (undirected graphs use two arcs per edge)."""

Int32Array = npt.NDArray[np.int32]
Float64Array = npt.NDArray[np.float64]


def _as_array(values: Any, name: str) -> np.ndarray[Any, Any]:
    try:
        arr = np.asarray(values)
    except Exception as exc:  # numpy raises many types for ragged or odd input
        raise GraphError(f"{name}: cannot convert to an array ({exc})") from exc
    if arr.dtype == object:
        raise GraphError(f"{name}: expected numbers, got an array of Python objects")
    return arr


def check_count(value: Any, name: str) -> int:
    """A non-negative integer count (e.g. ``num_nodes``) that fits 32-bit ids."""
    if isinstance(value, bool | np.bool_):
        raise GraphError(f"{name} must be an integer, got {value!r}")
    try:
        count = operator.index(value)
    except TypeError:
        raise GraphError(f"{name} must be an integer, got {value!r}") from None
    if count < 0:
        raise GraphError(f"{name} must be >= 0, got {count}")
    if count > MAX_ID_COUNT:
        raise GraphError(
            f"{name} = {count} exceeds the 32-bit limit of {MAX_ID_COUNT}; "
            "routecore stores node and arc ids as int32"
        )
    return count


def node_id_array(values: Any, num_nodes: int, name: str) -> Int32Array:
    """Integer node ids as a 1-D C-contiguous int32 array, each in ``[0, num_nodes)``."""
    arr = _as_array(values, name)
    if arr.ndim != 1:
        raise GraphError(f"{name}: expected a 1-D array of node ids, got shape {arr.shape}")
    if arr.size == 0:
        return np.zeros(0, dtype=np.int32)
    # dtype kinds: "i" signed and "u" unsigned integers. Not bool ("b"), and not timedelta64
    # ("m"), which numpy counts as an integer type but which carries a unit.
    if arr.dtype.kind not in "iu":
        raise GraphError(f"{name}: node ids must be integers, got dtype {arr.dtype}")
    bad = np.flatnonzero((arr < 0) | (arr >= num_nodes))
    if bad.size:
        i = int(bad[0])
        raise NodeIndexError(
            f"{name}[{i}] = {arr[i]} is not a node id; valid ids are 0..{num_nodes - 1}"
            if num_nodes
            else f"{name}[{i}] = {arr[i]} is not a node id; the graph has no nodes"
        )
    return np.ascontiguousarray(arr, dtype=np.int32)


def node_id(value: Any, num_nodes: int, name: str) -> int:
    """One node id in ``[0, num_nodes)``."""
    if isinstance(value, bool | np.bool_):
        raise GraphError(f"{name} must be a node id (integer), got {value!r}")
    try:
        node = operator.index(value)
    except TypeError:
        raise GraphError(f"{name} must be a node id (integer), got {value!r}") from None
    if not 0 <= node < num_nodes:
        raise NodeIndexError(
            f"{name} = {node} is not a node id; valid ids are 0..{num_nodes - 1}"
            if num_nodes
            else f"{name} = {node} is not a node id; the graph has no nodes"
        )
    return node


def node_ids(values: Any, num_nodes: int, name: str) -> tuple[Int32Array, bool]:
    """A scalar node id or a sequence of them; returns (ids, was_scalar)."""
    if isinstance(values, int | np.integer):  # the common case, without an array round trip
        return np.array([node_id(values, num_nodes, name)], dtype=np.int32), True
    arr = _as_array(values, name) if not isinstance(values, str | bytes) else None
    if arr is None or arr.ndim == 0:
        return np.array([node_id(values, num_nodes, name)], dtype=np.int32), True
    return node_id_array(arr, num_nodes, name), False


def edge_values(
    values: Any,
    num_edges: int,
    name: str,
    *,
    kind: Literal["weight", "capacity"],
) -> npt.NDArray[np.float64] | npt.NDArray[np.int64]:
    """Per-edge weights or capacities: 1-D, length ``num_edges``, finite and >= 0.

    Weights become float64. Capacities stay exact: integer (and bool) input becomes int64,
    float input float64.
    """
    plural = "weights" if kind == "weight" else "capacities"
    arr = _as_array(values, name)
    if arr.ndim != 1:
        raise GraphError(f"{name}: expected a 1-D array with one {kind} per edge, got {arr.shape}")
    if arr.shape[0] != num_edges:
        raise GraphError(f"{name} has {arr.shape[0]} entries but the graph has {num_edges} edges")
    if arr.dtype.kind == "b":
        arr = arr.astype(np.int64)
    if arr.dtype.kind in "iu":
        if arr.dtype == np.uint64 and arr.size and int(arr.max()) > np.iinfo(np.int64).max:
            i = int(np.argmax(arr))
            raise GraphError(f"{name}[{i}] = {arr[i]} does not fit in int64")
        ints = arr.astype(np.int64)
        bad = np.flatnonzero(ints < 0)
        if bad.size:
            i = int(bad[0])
            raise GraphError(f"{name}[{i}] = {ints[i]} is negative; {plural} must be >= 0")
        if kind == "weight":
            return np.ascontiguousarray(ints, dtype=np.float64)
        return np.ascontiguousarray(ints)
    if arr.dtype.kind != "f":
        raise GraphError(f"{name}: {plural} must be real numbers, got dtype {arr.dtype}")
    with np.errstate(over="ignore", invalid="ignore"):  # inf, NaN: reported below
        floats = np.ascontiguousarray(arr, dtype=np.float64)
    bad = np.flatnonzero(~np.isfinite(floats) | (floats < 0))
    if bad.size:
        i = int(bad[0])
        v = floats[i]
        what = "NaN" if np.isnan(v) else ("infinite" if np.isinf(v) else "negative")
        raise GraphError(f"{name}[{i}] = {v} is {what}; {plural} must be finite and >= 0")
    if kind == "weight":
        # Every path length is a sum of distinct edges' weights (shortest paths are simple), so a
        # finite total rules out lengths that overflow to inf and would read as "unreachable".
        with np.errstate(over="ignore"):
            total = floats.sum()
        if not np.isfinite(total):
            raise GraphError(
                f"{name}: the weights add up to more than the float64 maximum (about 1.8e308), "
                "so path lengths could overflow; scale them down"
            )
    return floats


def node_mask(values: Any, num_nodes: int, name: str) -> npt.NDArray[np.uint8] | None:
    """A boolean mask of length ``num_nodes`` or an array of node ids, as a uint8 mask."""
    if values is None:
        return None
    arr = _as_array(values, name)
    if arr.dtype == np.bool_:
        if arr.shape != (num_nodes,):
            raise GraphError(f"{name}: a boolean mask needs shape ({num_nodes},), got {arr.shape}")
        return np.ascontiguousarray(arr, dtype=np.uint8)
    ids = node_id_array(arr.reshape(-1) if arr.ndim == 0 else arr, num_nodes, name)
    mask = np.zeros(num_nodes, dtype=np.uint8)
    mask[ids] = 1
    return mask


@functools.cache
def _available_threads() -> int:
    """The hardware threads (asked once: the query is a system call, and calls on small
    graphs take tens of microseconds)."""
    from . import _core

    return int(_core.available_threads())


def thread_count(threads: int | None) -> int:
    """``None`` means every available core; otherwise a positive integer.

    Counts above the number of hardware threads are reduced to it: more threads cannot speed up
    CPU-bound work, and each one holds an O(num_nodes) workspace (and a huge count would make
    thread creation fail).
    """
    available = _available_threads()
    if threads is None:
        return available
    if isinstance(threads, bool | np.bool_):
        raise GraphError(f"threads must be a positive integer or None, got {threads!r}")
    try:
        n = operator.index(threads)
    except TypeError:
        raise GraphError(f"threads must be a positive integer or None, got {threads!r}") from None
    if n < 1:
        raise GraphError(f"threads must be >= 1, got {n}")
    return min(n, available)


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


def flag(value: Any, name: str) -> bool:
    """A yes/no option; only ``True``/``False`` (or numpy bools), so that e.g. the string
    ``"no"`` is not silently taken as true."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    raise GraphError(f"{name} must be True or False, got {value!r}")
