"""The graph argument, terminal sets and edge-id sets (closed edges, failure cases)."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ..errors import GraphError

if TYPE_CHECKING:
    from ..graph import Graph

from ._arrays import (
    MAX_FLOW_EDGES,
    Int32Array,
    as_array,
    node_ids,
    refuse_bool_ids,
)


# ---------------------------------------------------------------------------- graph, terminals
@functools.cache
def _graph_class() -> type[Graph]:
    # Imported on first use, once: graph.py imports this module (an import statement in
    # check_graph itself cost microseconds on every query).
    from ..graph import Graph

    return Graph


def check_graph(graph: Any) -> Graph:
    """The ``graph`` argument of every query: a :class:`~routecore.Graph`."""
    if not isinstance(graph, _graph_class()):
        raise GraphError(f"graph must be a routecore.Graph, got {type(graph).__name__}")
    return graph


def terminal_set(values: Any, num_nodes: int, name: str) -> Int32Array:
    """One node or a non-empty set of nodes, as sorted unique int32 ids."""
    ids, scalar = node_ids(values, num_nodes, name)
    if scalar:
        return ids
    if ids.size == 0:
        raise GraphError(f"{name} is empty; give at least one node")
    return np.unique(ids)


_SMALL_SET = 64
"""Terminal sets up to this size are checked and deduplicated with Python sets, which on a few
ids cost a fraction of numpy's per-call overhead (``np.unique``, ``np.intersect1d``)."""

_INT_TYPES = frozenset({int, np.int64, np.int32, np.intp, np.uint32, np.uint64})
"""Exact types of node ids the fast path takes (``bool``, a subclass of ``int``, is not one)."""


def _small_id_set(values: Any, num_nodes: int) -> list[int] | None:
    """``values`` as sorted unique ids when it is a valid node id or a small valid set of them
    (a list, tuple or 1-D integer array); ``None`` otherwise, and the general path (which
    raises the documented errors) decides."""
    if type(values) in _INT_TYPES:
        ids = [int(values)]
    elif isinstance(values, np.ndarray):
        if values.ndim != 1 or not 0 < values.size <= _SMALL_SET or values.dtype.kind not in "iu":
            return None
        ids = sorted(set(values.tolist()))
    elif type(values) is list or type(values) is tuple:
        if not 0 < len(values) <= _SMALL_SET or not set(map(type, values)) <= _INT_TYPES:
            return None
        ids = sorted(set(map(int, values)))
    else:
        return None
    return ids if ids[0] >= 0 and ids[-1] < num_nodes else None


@functools.lru_cache(maxsize=4096)
def _single_node(node: int) -> Int32Array:
    """``[node]`` as a read-only int32 array, made once per node id: the terminal set of the
    commonest call (one source, one sink), which the core only reads. Two new arrays cost about
    a tenth of a max-flow call on a small graph."""
    ids = np.array([node], dtype=np.int32)
    ids.flags.writeable = False
    return ids


def terminal_sets(sources: Any, sinks: Any, num_nodes: int) -> tuple[Int32Array, Int32Array]:
    """The sources and sinks of a flow problem: each non-empty, the two disjoint."""
    # The commonest call, one int node each, checked at once (bools are not of type int).
    if (
        type(sources) is int
        and type(sinks) is int
        and 0 <= sources < num_nodes
        and 0 <= sinks < num_nodes
        and sources != sinks
    ):
        return _single_node(sources), _single_node(sinks)
    src_ids = _small_id_set(sources, num_nodes)
    dst_ids = _small_id_set(sinks, num_nodes) if src_ids is not None else None
    if src_ids is not None and dst_ids is not None and set(src_ids).isdisjoint(dst_ids):
        return np.array(src_ids, dtype=np.int32), np.array(dst_ids, dtype=np.int32)
    src = terminal_set(sources, num_nodes, "sources")
    dst = terminal_set(sinks, num_nodes, "sinks")
    if src.size == 1 and dst.size == 1:  # the common case, without a set intersection
        both = src if src[0] == dst[0] else src[:0]
    else:
        both = np.intersect1d(src, dst, assume_unique=True)
    if both.size:
        raise GraphError(f"node {int(both[0])} is both a source and a sink")
    return src, dst


def check_flow_size(num_edges: int) -> None:
    """Refuse max-flow on graphs whose residual network (two arcs per edge) would overflow int32
    arc ids. Every entry point that builds a residual arc layout calls this first, before any
    O(num_edges) work."""
    if num_edges > MAX_FLOW_EDGES:
        raise GraphError(
            f"max-flow needs two residual arcs per edge; {num_edges} edges exceed the 32-bit "
            f"limit of {MAX_FLOW_EDGES} edges"
        )


# ------------------------------------------------------------------------------ edge-id sets
def _bad_edge(where: str, value: int, num_edges: int) -> str:
    valid = f"valid ids are 0..{num_edges - 1}" if num_edges else "the graph has no edges"
    return f"{where} = {value} is not an edge id; {valid}"


def edge_mask(values: Any, num_edges: int, name: str) -> npt.NDArray[np.bool_] | None:
    """A set of edges (a boolean mask over the edges, or edge ids) as a boolean mask, or
    ``None`` when the set is empty."""
    if values is None:
        return None
    refuse_bool_ids(values, name, "an edge id")
    arr = as_array(values, name)
    if arr.dtype == np.bool_:
        if arr.shape != (num_edges,):
            raise GraphError(
                f"{name}: a boolean mask needs one entry per edge, shape ({num_edges},), "
                f"got {arr.shape}"
            )
        mask = arr
    else:
        ids = arr.reshape(-1) if arr.ndim == 0 else arr
        if ids.ndim != 1:
            raise GraphError(f"{name}: expected a 1-D array of edge ids, got shape {arr.shape}")
        if ids.size == 0:
            return None
        if ids.dtype.kind not in "iu":  # not bool, not timedelta64
            raise GraphError(f"{name}: edge ids must be integers, got dtype {ids.dtype}")
        bad = np.flatnonzero((ids < 0) | (ids >= num_edges))
        if bad.size:
            i = int(bad[0])
            raise GraphError(_bad_edge(f"{name}[{i}]", int(ids[i]), num_edges))
        mask = np.zeros(num_edges, dtype=bool)
        mask[ids.astype(np.int64)] = True
    return mask if mask.any() else None


def failure_cases(
    failed: Any, num_edges: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """``failed`` as (offsets, flat edge ids): a 2-D int array (rows padded with -1) or a
    sequence of sequences of edge ids; case ``i`` is ``flat[offsets[i]:offsets[i + 1]]``."""
    if isinstance(failed, np.ndarray) and failed.ndim == 2:
        arr = failed
        if arr.size == 0:  # cases without failed edges, whatever the dtype
            return np.zeros(arr.shape[0] + 1, dtype=np.int64), np.zeros(0, dtype=np.int64)
        if arr.dtype.kind not in "iu":  # not bool, not timedelta64
            raise GraphError(f"failed: edge ids must be integers, got dtype {arr.dtype}")
        where = np.argwhere((arr >= num_edges) | (arr < -1))
        if where.size:
            i, j = (int(x) for x in where[0])
            raise GraphError(_bad_edge(f"failed[{i}][{j}]", int(arr[i, j]), num_edges))
        keep = arr >= 0
        offsets = np.zeros(arr.shape[0] + 1, dtype=np.int64)
        np.cumsum(keep.sum(axis=1), out=offsets[1:])
        return offsets, arr[keep].astype(np.int64)
    try:
        cases = list(failed)
    except TypeError:
        raise GraphError(
            "failed must be a 2-D array of edge ids (one row per case, -1 for padding) or a "
            f"sequence of sequences of edge ids, got {type(failed).__name__}"
        ) from None
    for i, row in enumerate(cases):
        refuse_bool_ids(row, f"failed[{i}]", "an edge id")
    rows = [as_array(row, f"failed[{i}]") for i, row in enumerate(cases)]
    offsets = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([r.size for r in rows], out=offsets[1:])
    for i, row in enumerate(rows):
        if row.ndim > 1 or (row.size and row.dtype.kind not in "iu"):
            raise GraphError(
                f"failed[{i}]: expected a flat list of integer edge ids, got {row.tolist()!r}"
            )
        bad = np.flatnonzero((row < 0) | (row >= num_edges))
        if bad.size:
            j = int(bad[0])
            raise GraphError(_bad_edge(f"failed[{i}][{j}]", int(row.reshape(-1)[j]), num_edges))
    if not rows:
        return offsets, np.zeros(0, dtype=np.int64)
    return offsets, np.concatenate([r.reshape(-1) for r in rows]).astype(np.int64)
