"""Batched what-if queries: one question for many variants of one graph, in one C++ call.

:func:`max_flow_under_failures` and :func:`lengths_under_failures` answer one question for many
variants of one graph, each with a few edges failed, in a single C++ call that runs the cases on
a thread pool with the GIL released and honours Ctrl-C
(``cpp/include/routecore/failure_cases.h``). They are the building blocks of the sweeps of
:mod:`routecore.analyses`; :mod:`routecore.executor` runs such sweeps in chunks, here or on an
executor. :func:`node_failure_edges` turns node-failure cases into the edge-failure cases
they take. :func:`max_flow_values` answers many (source, sink) pairs of one graph the same way:
on a small graph one :func:`routecore.max_flow` call from Python costs more than the max-flow.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _arc_values, _core
from ._validation import (
    as_array,
    check_flow_size,
    check_graph,
    check_not_forbidden,
    choice,
    failure_cases,
    forbidden_node_mask,
    node_id_array,
    node_ids,
    refuse_bool_ids,
    terminal_sets,
    thread_count,
)
from .errors import GraphError
from .flow import FLOW_METHODS, FlowMethod
from .graph import Graph, csr_view

__all__ = [
    "lengths_under_failures",
    "max_flow_under_failures",
    "max_flow_values",
    "node_failure_edges",
]


def _case_arcs(
    graph: Graph, offsets: npt.NDArray[np.int64], edges: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]:
    """Edge-id cases turned into arc-id cases: one arc per directed edge, two per undirected."""
    arc_edge = csr_view(graph).arc_edge
    m = graph.num_edges
    forward = np.empty(m, dtype=np.int32)
    fwd = np.flatnonzero(arc_edge >= 0)
    forward[arc_edge[fwd]] = fwd
    if graph.directed:
        return offsets, np.ascontiguousarray(forward[edges])
    backward = np.empty(m, dtype=np.int32)
    bwd = np.flatnonzero(arc_edge < 0)
    backward[~arc_edge[bwd]] = bwd
    arcs = np.empty(2 * edges.shape[0], dtype=np.int32)
    arcs[0::2] = forward[edges]
    arcs[1::2] = backward[edges]
    return offsets * 2, arcs


def max_flow_under_failures(
    graph: Graph,
    sources: Any,
    sinks: Any,
    failed: Any,
    *,
    capacity: npt.ArrayLike | None = None,
    method: FlowMethod = "auto",
    threads: int | None = None,
) -> npt.NDArray[np.int64] | npt.NDArray[np.float64]:
    """The maximum flow value for many failure cases at once.

    Case ``i`` is the graph with the edges ``failed[i]`` given capacity 0. All cases run in one
    C++ call on ``threads`` threads (GIL released, Ctrl-C honoured); each case is one max-flow
    computation that stops once the value is known (no per-edge flows).

    Parameters
    ----------
    graph : Graph
    sources, sinks : int or array_like of int
        As in :func:`routecore.max_flow`: non-empty, disjoint.
    failed : array_like of int, shape (k, r), or sequence of k sequences of int
        The failed edge ids of each case; in a 2-D array, ``-1`` entries are padding; a flat
        sequence of ints fails one edge per case. A case with no edge is the intact graph.
    capacity : array_like, optional
        Base capacities (edge-id order) overriding the graph's; int or float as in
        :func:`routecore.max_flow`.
    method : {"auto", "push_relabel", "boykov_kolmogorov", "dinic", "ibfs"}
        As in :func:`routecore.max_flow`.
    threads : int, optional
        Worker threads (default: every core). The result does not depend on it.

    Returns
    -------
    ndarray of int64 or float64, shape (k,)
        The maximum flow value of each case (int64 for integer capacities).

    Raises
    ------
    GraphError
        Bad terminals or capacities, a graph too large for max-flow's 32-bit residual arc ids;
        a failed edge id out of range names its case and position.
    ValueError, TypeError
        An unknown ``method`` or a bad ``threads``.

    Examples
    --------
    >>> import routecore as rc
    >>> from routecore.batch import max_flow_under_failures
    >>> g = rc.Graph(4, [0, 0, 1, 2], [1, 2, 3, 3], capacity=[3, 2, 2, 5])
    >>> max_flow_under_failures(g, 0, 3, [[], [0], [1, 2]]).tolist()
    [4, 2, 0]
    """
    graph = check_graph(graph)
    choice(method, FLOW_METHODS, "method")
    m = graph.num_edges
    check_flow_size(m)  # before the O(num_edges) work below
    src, dst = terminal_sets(sources, sinks, graph.num_nodes)
    cap = _arc_values.arc_capacity(graph, capacity)
    offsets, edges = failure_cases(failed, m)
    case_offsets, case_arcs = _case_arcs(graph, offsets, edges)
    workers = thread_count(threads)
    kernels = (_core.failure_max_flows_int64, _core.failure_max_flows_float64)
    rest = (graph.directed, m, src, dst, method, case_offsets, case_arcs, workers)
    return _flow_values(kernels, graph, cap, "case", *rest, *graph.flow_layout())


def _flow_values(
    kernels: tuple[Callable[..., Any], Callable[..., Any]],
    graph: Graph,
    cap: npt.NDArray[Any],
    what: str,
    *rest: Any,
) -> npt.NDArray[np.int64] | npt.NDArray[np.float64]:
    """One batched max-flow call: the int64 or the float64 kernel by ``cap``'s dtype, with the
    graph's CSR arrays and ``cap`` first, then the first overflowed case refused, named as
    ``what`` ("case", "pair")."""
    csr = csr_view(graph).adjacency
    if cap.dtype == np.int64:
        values, status = kernels[0](*csr, cap.astype(np.int64, copy=False), *rest)
    else:
        values, status = kernels[1](*csr, cap.astype(np.float64, copy=False), *rest)
    _refuse_overflow(status, cap.dtype.kind == "f", what)
    return values  # type: ignore[no-any-return]


def _refuse_overflow(status: npt.NDArray[np.uint8], floats: bool, what: str) -> None:
    """Raise for the first case whose totals overflowed (status 1, max_flow.h)."""
    overflow = np.flatnonzero(status == 1)
    if overflow.size and floats:
        raise GraphError(
            f"{what} {int(overflow[0])}: float capacities too large: the total leaving the "
            "sources or entering the sinks overflows float64; scale the capacities down"
        )
    if overflow.size:
        raise GraphError(
            f"{what} {int(overflow[0])}: integer capacities too large for an int64 flow value "
            "(the total leaving the sources and entering the sinks exceeds 2**61); scale the "
            "capacities down or use floats"
        )


def max_flow_values(
    graph: Graph,
    sources: Any,
    sinks: Any,
    *,
    capacity: npt.ArrayLike | None = None,
    method: FlowMethod = "auto",
    threads: int | None = None,
) -> npt.NDArray[np.int64] | npt.NDArray[np.float64]:
    """The maximum flow value between many (source, sink) pairs of one graph, in one call.

    Pair ``i`` asks for the maximum flow from node ``sources[i]`` to node ``sinks[i]``. All
    pairs run in one C++ call on ``threads`` threads (GIL released, Ctrl-C honoured), each one
    max-flow that stops once the value is known (no per-edge flows), so a sweep over many pairs
    of a small graph is not dominated by the cost of calling from Python. For the flows or the
    cut of a pair, call :func:`routecore.max_flow` on it.

    Parameters
    ----------
    graph : Graph
    sources, sinks : array_like of int, shape (k,)
        One source and one sink node per pair; ``sources[i] != sinks[i]``. Pairs may repeat.
    capacity : array_like, optional
        Capacities (edge-id order) overriding the graph's; int or float as in
        :func:`routecore.max_flow`.
    method : {"auto", "push_relabel", "boykov_kolmogorov", "dinic", "ibfs"}
        As in :func:`routecore.max_flow` (``"auto"`` chooses per pair).
    threads : int, optional
        Worker threads (default: every core). The result does not depend on it.

    Returns
    -------
    ndarray of int64 or float64, shape (k,)
        The maximum flow value of each pair (int64 for integer capacities); equal to
        ``max_flow(graph, sources[i], sinks[i]).value``.

    Raises
    ------
    GraphError
        ``sources`` and ``sinks`` of different lengths or not 1-D, a node id out of range
        (:class:`NodeIndexError`, naming the position), a pair whose source is its sink, bad
        capacities, a graph too large for max-flow's 32-bit residual arc ids, or totals too
        large for int64 (naming the pair).
    ValueError, TypeError
        An unknown ``method`` or a bad ``threads``.

    Examples
    --------
    >>> import routecore as rc
    >>> from routecore.batch import max_flow_values
    >>> g = rc.Graph(4, [0, 0, 1, 2], [1, 2, 3, 3], capacity=[3, 2, 2, 5])
    >>> max_flow_values(g, [0, 0, 1], [3, 1, 3]).tolist()
    [4, 3, 2]
    """
    graph = check_graph(graph)
    choice(method, FLOW_METHODS, "method")
    m = graph.num_edges
    check_flow_size(m)
    n = graph.num_nodes
    src = node_id_array(sources, n, "sources")
    dst = node_id_array(sinks, n, "sinks")
    if src.size != dst.size:
        raise GraphError(f"sources and sinks must pair up: {src.size} sources, {dst.size} sinks")
    same = np.flatnonzero(src == dst)
    if same.size:
        i = int(same[0])
        raise GraphError(f"pair {i}: node {int(src[i])} is both its source and its sink")
    cap = _arc_values.arc_capacity(graph, capacity)
    workers = thread_count(threads)
    kernels = (_core.pair_max_flows_int64, _core.pair_max_flows_float64)
    rest = (graph.directed, m, src, dst, method, workers)
    return _flow_values(kernels, graph, cap, "pair", *rest, *graph.flow_layout())


def lengths_under_failures(
    graph: Graph,
    sources: Any,
    targets: Any,
    failed: Any,
    *,
    weight: npt.ArrayLike | None = None,
    forbidden_nodes: npt.ArrayLike | None = None,
    threads: int | None = None,
) -> npt.NDArray[np.float64]:
    """Shortest-path lengths from the nearest source to each target, for many failure cases.

    Case ``i`` is the graph with the edges ``failed[i]`` deleted (as
    ``nearest_source(..., forbidden_edges=failed[i])``). One C++ call runs every case, one
    multi-source Dijkstra search each, on ``threads`` threads.

    Parameters
    ----------
    graph : Graph
    sources : int or array_like of int
        Where routes start; none may be forbidden.
    targets : array_like of int
        The nodes whose lengths are reported.
    failed : array_like of int, shape (k, r), or sequence of k sequences of int
        As in :func:`max_flow_under_failures`.
    weight : array_like of float, optional
        Base weights (edge-id order) overriding the graph's; without either, hop counts.
    forbidden_nodes : array_like of bool or int, optional
        Nodes no route may enter, in every case.
    threads : int, optional
        Worker threads (default: every core). The result does not depend on it.

    Returns
    -------
    ndarray of float64, shape (k, len(targets))
        ``inf`` where a target cannot be reached in that case.

    Examples
    --------
    >>> import routecore as rc
    >>> from routecore.batch import lengths_under_failures
    >>> g = rc.Graph(3, [0, 1, 0], [1, 2, 2], weight=[1.0, 1.0, 5.0], directed=False)
    >>> lengths_under_failures(g, [0], [2], [[], [1], [1, 2]]).ravel().tolist()
    [2.0, 5.0, inf]
    """
    graph = check_graph(graph)
    n, m = graph.num_nodes, graph.num_edges
    src, scalar = node_ids(sources, n, "sources")
    arr = as_array(targets, "targets")
    dst, _ = node_ids(arr.reshape(-1) if arr.ndim == 0 else arr, n, "targets")
    mask = forbidden_node_mask(forbidden_nodes, n)
    check_not_forbidden(src, mask, "sources", scalar)
    view = csr_view(graph)
    w = _arc_values.arc_weight(graph, weight)
    if w is None:
        w = np.ones(view.head.shape[0], dtype=np.float64)
    offsets, edges = failure_cases(failed, m)
    case_offsets, case_arcs = _case_arcs(graph, offsets, edges)
    out: npt.NDArray[np.float64] = _core.failure_lengths(
        view.first_out,
        view.head,
        view.arc_edge,
        w,
        src,
        dst,
        mask,
        case_offsets,
        case_arcs,
        thread_count(threads),
    )
    return out


def node_failure_edges(graph: Graph, failed_nodes: Any) -> npt.NDArray[np.int64]:
    """The edge-failure cases of node failures: every edge incident to a failed node.

    A failed node keeps its id but loses every edge (self-loops and parallel edges included),
    so :func:`max_flow_under_failures` and :func:`lengths_under_failures` on the result answer
    "what if these nodes fail". A failed source or sink then sends or receives nothing: it
    drops out of the terminal set (and if every source or every sink fails, the flow is 0
    and every length ``inf``).

    Parameters
    ----------
    graph : Graph
    failed_nodes : sequence of sequences of int, or sequence of int
        The failed node ids of each case; a flat sequence of ints fails one node per case.

    Returns
    -------
    ndarray of int64, shape (k, r)
        Row ``i``: the edge ids incident to case ``i``'s nodes, ascending, padded with ``-1``
        (the ``failed=`` layout of the batched calls).

    Raises
    ------
    GraphError
        A node id out of range or not an integer, naming the case.

    Examples
    --------
    >>> import routecore as rc
    >>> from routecore.batch import max_flow_under_failures, node_failure_edges
    >>> g = rc.Graph(4, [0, 0, 1, 2], [1, 2, 3, 3], capacity=[3, 2, 2, 5])
    >>> cases = node_failure_edges(g, [[], [1], [1, 2]])
    >>> cases.tolist()
    [[-1, -1, -1, -1], [0, 2, -1, -1], [0, 1, 2, 3]]
    >>> max_flow_under_failures(g, 0, 3, cases).tolist()
    [4, 2, 0]
    """
    graph = check_graph(graph)
    n = graph.num_nodes
    try:
        rows = list(failed_nodes)
    except TypeError:
        raise GraphError(
            "failed_nodes must be a sequence of sequences of node ids, got "
            f"{type(failed_nodes).__name__}"
        ) from None
    refuse_bool_ids(rows, "failed_nodes", "a node id")
    if all(isinstance(r, int | np.integer) for r in rows):
        rows = [[r] for r in rows]
    cases = []
    for i, row in enumerate(rows):
        name = f"failed_nodes[{i}]"
        refuse_bool_ids(row, name, "a node id")
        ids = as_array(row, name).reshape(-1)
        cases.append(node_id_array(ids if ids.size else ids.astype(np.int64), n, name))
    # Incident edges of every node, grouped by node (a CSR over both ends of every edge).
    src, dst = graph.src, graph.dst
    m = graph.num_edges
    ends = np.concatenate([src, dst]).astype(np.int64)
    order = np.argsort(ends, kind="stable")
    edge_of = (order % m).astype(np.int64) if m else order.astype(np.int64)
    first = np.searchsorted(ends[order], np.arange(n + 1))
    incident = [
        np.unique(np.concatenate([edge_of[first[v] : first[v + 1]] for v in case]))
        if case.size
        else np.zeros(0, dtype=np.int64)
        for case in cases
    ]
    width = max((e.size for e in incident), default=0)
    out = np.full((len(incident), width), -1, dtype=np.int64)
    for i, e in enumerate(incident):
        out[i, : e.size] = e
    return out
