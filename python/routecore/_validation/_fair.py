"""Input of the fair-share allocation: one flow source per entry, and a rate cap per source."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import GraphError
from ._arrays import Float64Array, Int32Array, as_array, node_ids
from ._sets import terminal_set


def fair_share_terminals(sources: Any, sinks: Any, num_nodes: int) -> tuple[Int32Array, Int32Array]:
    """The sources of :func:`~routecore.max_min_fair` (order kept, each once, at least one) and
    its sinks (sorted unique, at least one), the two disjoint."""
    src, _ = node_ids(sources, num_nodes, "sources")
    if src.size == 0:
        raise GraphError("sources is empty; give at least one node")
    order = np.argsort(src, kind="stable")
    ranked = src[order]
    repeat = np.flatnonzero(ranked[1:] == ranked[:-1])
    if repeat.size:
        node = int(ranked[repeat[0]])
        first, second = np.flatnonzero(src == node)[:2]
        raise GraphError(
            f"sources[{second}] = {node} repeats sources[{first}]; each source gets one rate, "
            "so list a node once"
        )
    dst = terminal_set(sinks, num_nodes, "sinks")
    both = np.flatnonzero(np.isin(src, dst))
    if both.size:
        i = int(both[0])
        raise GraphError(f"sources[{i}] = {int(src[i])} is also a sink")
    return src, dst


def rate_caps(demand: Any, k: int) -> Float64Array:
    """The ``demand`` of :func:`~routecore.max_min_fair`: a number (for every source) or one
    per source, each >= 0; ``inf`` means no cap."""
    arr = as_array(demand, "demand")
    if arr.dtype.kind not in "biuf":  # not timedelta64, which numpy counts as an integer
        raise GraphError(f"demand: expected real numbers, got dtype {arr.dtype}")
    if arr.ndim == 0:
        arr = np.broadcast_to(arr, (k,))
    elif arr.shape != (k,):
        raise GraphError(
            f"demand: expected a number or one value per source, shape ({k},), got {arr.shape}"
        )
    with np.errstate(over="ignore", invalid="ignore"):  # NaN: reported below
        values = np.array(arr, dtype=np.float64)
    bad = np.flatnonzero(np.isnan(values) | (values < 0))
    if bad.size:
        i = int(bad[0])
        raise GraphError(f"demand[{i}] = {values[i]}; demands must be >= 0 (inf for no cap)")
    return values


def source_weights(weight: Any, k: int) -> Float64Array:
    """The ``weight`` of :func:`~routecore.max_min_fair`: ``None`` (all 1) or one finite value
    ``> 0`` per source."""
    if weight is None:
        return np.ones(k, dtype=np.float64)
    arr = as_array(weight, "weight")
    if arr.dtype.kind not in "biuf":
        raise GraphError(f"weight: expected real numbers, got dtype {arr.dtype}")
    if arr.shape != (k,):
        raise GraphError(f"weight: expected one value per source, shape ({k},), got {arr.shape}")
    with np.errstate(over="ignore", invalid="ignore"):
        values = np.array(arr, dtype=np.float64)
    bad = np.flatnonzero(~(np.isfinite(values) & (values > 0)))
    if bad.size:
        i = int(bad[0])
        raise GraphError(f"weight[{i}] = {values[i]}; weights must be finite and > 0")
    return values
