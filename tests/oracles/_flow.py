"""Max-flow references (networkx, scipy) and the cut certificate."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order, maximum_flow

if TYPE_CHECKING:
    from ..strategies import EdgeList, FlowProblem


_SUPER_SOURCE = ("oracle", "super source")
_SUPER_SINK = ("oracle", "super sink")


def networkx_flow_value(
    edges: Iterable[tuple[Hashable, Hashable, Any]],
    sources: Iterable[Hashable],
    sinks: Iterable[Hashable],
    *,
    directed: bool,
) -> Any:
    """THE networkx max-flow reference (preflow-push; exact for Python ints).

    ``edges`` are (u, v, capacity) with any hashable node labels. Parallel edges are merged by
    summing, undirected edges count in both directions, self-loops are dropped, and a super
    source / super sink joins the terminals by uncapacitated (infinite) edges.
    """
    g = nx.DiGraph()

    def add(u: Hashable, v: Hashable, c: Any) -> None:
        if g.has_edge(u, v):
            g[u][v]["capacity"] += c
        else:
            g.add_edge(u, v, capacity=c)

    for u, v, c in edges:
        if u == v:
            continue
        add(u, v, c)
        if not directed:
            add(v, u, c)
    for s in sources:
        g.add_edge(_SUPER_SOURCE, s)
    for t in sinks:
        g.add_edge(t, _SUPER_SINK)
    return nx.maximum_flow_value(g, _SUPER_SOURCE, _SUPER_SINK)


def flow_value(
    el: EdgeList | FlowProblem,
    capacity: np.ndarray,
    sources: np.ndarray,
    sinks: np.ndarray,
) -> Any:
    """:func:`networkx_flow_value` of an edge list with the given per-edge capacities (pass an
    object array of Python ints for an exact value beyond float precision)."""
    edges = zip(el.src.tolist(), el.dst.tolist(), capacity.tolist(), strict=True)
    return networkx_flow_value(edges, sources.tolist(), sinks.tolist(), directed=el.directed)


def problem_flow_value(p: FlowProblem, capacity: np.ndarray | None = None) -> Any:
    """:func:`networkx_flow_value` of a :class:`FlowProblem` (its own capacities by default)."""
    cap = p.capacity if capacity is None else capacity
    return flow_value(p, cap, p.source_ids, p.sink_ids)


def scipy_flow_value(p: FlowProblem) -> int:
    """Max-flow value by scipy (Dinic, int32 only), with super terminals added here."""
    n = p.num_nodes
    src, dst, cap = p.src, p.dst, p.capacity
    if not p.directed:
        src, dst, cap = np.r_[src, dst], np.r_[dst, src], np.r_[cap, cap]
    big = int(min(cap.sum() + 1, 2**31 - 1))
    s_ids, t_ids = p.source_ids, p.sink_ids
    rows = np.r_[src, np.full(len(s_ids), n), t_ids]
    cols = np.r_[dst, s_ids, np.full(len(t_ids), n + 1)]
    data = np.r_[cap, np.full(len(s_ids) + len(t_ids), big)]
    keep = rows != cols
    matrix = sp.csr_array(
        (data[keep].astype(np.int32), (rows[keep], cols[keep])), shape=(n + 2, n + 2)
    )
    return int(maximum_flow(matrix, n, n + 1).flow_value)


def residual_reach(p: FlowProblem, edge_flow: np.ndarray, *, towards_sinks: bool) -> np.ndarray:
    """Nodes reachable from a source (or, with towards_sinks, that reach a sink) along arcs with
    positive residual, computed independently from the edge flows."""
    n = p.num_nodes
    src, dst, c, f = p.src, p.dst, p.capacity, edge_flow
    lower = np.zeros_like(c) if p.directed else -c
    tails = np.r_[src[f < c], dst[f > lower]]
    heads = np.r_[dst[f < c], src[f > lower]]
    if towards_sinks:
        tails, heads = heads, tails
        starts = p.sink_ids
    else:
        starts = p.source_ids
    tails = np.r_[tails, np.full(len(starts), n)]
    heads = np.r_[heads, starts]
    adj = sp.csr_array((np.ones(len(tails)), (tails, heads)), shape=(n + 1, n + 1))
    reached = breadth_first_order(adj, n, directed=True, return_predecessors=False)
    mask = np.zeros(n + 1, dtype=bool)
    mask[reached] = True
    return mask[:n]


def check_cut(
    el: EdgeList, cap: np.ndarray, side: np.ndarray, cut: np.ndarray, value: Any, sources: Any
) -> None:
    """``cut`` is exactly the edges leaving ``side`` (either way if undirected), its capacity is
    ``value`` and every source is on ``side``."""
    s_side, d_side = side[el.src], side[el.dst]
    crossing = (s_side & ~d_side) if el.directed else (s_side != d_side)
    assert np.array_equal(cut, np.flatnonzero(crossing))
    assert cap[cut].sum() == value
    assert side[np.asarray(sources)].all()
