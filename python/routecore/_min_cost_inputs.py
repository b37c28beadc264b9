"""The inputs of :func:`~routecore.min_cost.min_cost_flow`, checked and converted: whole-number
capacities and supplies (int64, ``inf`` the uncapacitated marker), and costs as exact int64 or
float64. Errors name the array, the index, the value and the rule."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from . import _core
from ._validation import as_array
from .errors import GraphError
from .graph import Graph

__all__ = ["LIMIT", "UNCAPACITATED", "edge_capacities", "edge_costs", "whole_numbers"]

LIMIT = 2**62
"""The largest magnitude of any integer input (the module notes of ``min_cost`` say why)."""
UNCAPACITATED = int(_core.INFINITE_CAPACITY)
"""The capacity the core reads as unlimited."""


def whole_numbers(values: Any, length: int, name: str, *, allow_inf: bool) -> npt.NDArray[Any]:
    """A 1-D int64 array of whole numbers >= 0 (``inf`` -> the uncapacitated marker)."""
    arr = as_array(values, name)
    if arr.ndim != 1 or arr.shape[0] != length:
        raise GraphError(f"{name}: expected a 1-D array of length {length}, got shape {arr.shape}")
    if arr.dtype.kind == "b":
        arr = arr.astype(np.int64)
    if arr.dtype.kind in "iu":
        if arr.size and (arr.dtype == np.uint64 and int(arr.max()) > LIMIT):
            i = int(np.argmax(arr))
            raise GraphError(f"{name}[{i}] = {arr[i]} exceeds 2**62")
        return np.ascontiguousarray(arr, dtype=np.int64)
    if arr.dtype.kind != "f":
        raise GraphError(f"{name}: expected numbers, got dtype {arr.dtype}")
    f = arr.astype(np.float64)
    inf = np.isposinf(f) if allow_inf else np.zeros(f.shape, dtype=bool)
    finite = np.isfinite(f)
    with np.errstate(invalid="ignore"):
        bad = np.flatnonzero(~inf & (~finite | (f != np.floor(f))))
    if bad.size:
        i = int(bad[0])
        raise GraphError(
            f"{name}[{i}] = {f[i]} is not a whole number; min_cost_flow needs integer {name} "
            "(scale fractional units first, e.g. Gbit/s to Mbit/s)"
        )
    big = np.flatnonzero(~inf & (np.abs(f) > LIMIT))
    if big.size:
        i = int(big[0])
        raise GraphError(f"{name}[{i}] = {f[i]} exceeds 2**62")
    out = np.where(inf, 0.0, f).astype(np.int64)
    out[inf] = UNCAPACITATED
    return out


def edge_capacities(graph: Graph, capacity: Any) -> npt.NDArray[np.int64]:
    """Per-edge capacities as int64 (the call's, else the graph's; none: uncapacitated)."""
    m = graph.num_edges
    values = graph.capacity if capacity is None else capacity
    if values is None:
        return np.full(m, UNCAPACITATED, dtype=np.int64)
    cap = whole_numbers(values, m, "capacity", allow_inf=True)
    neg = np.flatnonzero(cap < 0)
    if neg.size:
        i = int(neg[0])
        raise GraphError(f"capacity[{i}] = {cap[i]} is negative; capacities must be >= 0")
    return cap


def edge_costs(graph: Graph, cost: Any) -> tuple[npt.NDArray[Any], bool]:
    """Per-edge costs and whether they are exact integers (else float64)."""
    m = graph.num_edges
    values = graph.weight if cost is None else cost
    if values is None:
        return np.ones(m, dtype=np.int64), True
    arr = as_array(values, "cost")
    if arr.ndim != 1 or arr.shape[0] != m:
        raise GraphError(f"cost: expected a 1-D array of length {m}, got shape {arr.shape}")
    if arr.dtype.kind == "b":
        arr = arr.astype(np.int64)
    if arr.dtype.kind in "iu":
        c = arr.astype(np.int64)
        if arr.dtype == np.uint64 and arr.size and int(arr.max()) > LIMIT:
            raise GraphError(f"cost[{int(np.argmax(arr))}] exceeds 2**62")
        exact = True
    elif arr.dtype.kind == "f":
        c = arr.astype(np.float64)
        bad = np.flatnonzero(~np.isfinite(c))
        if bad.size:
            i = int(bad[0])
            raise GraphError(f"cost[{i}] = {c[i]} is not finite")
        exact = bool(np.all(c == np.floor(c)) and (c.size == 0 or np.abs(c).max() <= 2.0**53))
        if exact:
            c = c.astype(np.int64)
    else:
        raise GraphError(f"cost: expected numbers, got dtype {arr.dtype}")
    if not graph.directed and c.size and c.min() < 0:
        i = int(np.argmin(c))
        raise GraphError(
            f"cost[{i}] = {c[i]} is negative on an undirected graph; an undirected edge costs "
            "cost * |flow|, so its cost must be >= 0"
        )
    return c, exact
