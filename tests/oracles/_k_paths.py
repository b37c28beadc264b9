"""k shortest paths and disjoint paths references (networkx, scipy, brute force)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

if TYPE_CHECKING:
    from ..strategies import EdgeList


def subdivided(
    el: EdgeList, weight: np.ndarray | None, removed: np.ndarray | None = None
) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """A simple graph whose simple s-t paths are the loopless edge sequences of ``el``: edge e
    (u, v) becomes u -> x_e (its weight) and x_e -> v (0), x_e = n + e. Self-loops and edges
    touching a ``removed`` node are dropped. Returns (nodes, tails, heads, weights)."""
    n, m = el.num_nodes, len(el.src)
    w = np.ones(m) if weight is None else np.asarray(weight, dtype=np.float64)
    keep = el.src != el.dst
    if removed is not None:
        keep &= ~(removed[el.src] | removed[el.dst])
    e = np.flatnonzero(keep)
    x = n + e
    tails = np.concatenate([el.src[e], x])
    heads = np.concatenate([x, el.dst[e]])
    weights = np.concatenate([w[e], np.zeros(e.size)])
    return n + m, tails.astype(np.int64), heads.astype(np.int64), weights


def scipy_k_lengths(
    el: EdgeList, weight: np.ndarray | None, s: int, t: int, k: int, removed: Any = None
) -> np.ndarray:
    """scipy.sparse.csgraph.yen lengths on :func:`subdivided` (explicit zeros are edges)."""
    from scipy.sparse.csgraph import yen

    nodes, tails, heads, w = subdivided(el, weight, removed)
    if tails.size == 0:  # scipy 1.17's yen fails on a graph without edges
        return np.zeros(1 if s == t else 0)
    matrix = sp.csr_matrix((w, (tails, heads)), shape=(nodes, nodes))
    matrix.indices = matrix.indices.astype(np.int32)
    matrix.indptr = matrix.indptr.astype(np.int32)
    return np.asarray(yen(matrix, s, t, k, directed=el.directed), dtype=np.float64)


def networkx_k_lengths(
    el: EdgeList, weight: np.ndarray | None, s: int, t: int, k: int, removed: Any = None
) -> np.ndarray:
    """networkx.shortest_simple_paths lengths on :func:`subdivided`."""
    from itertools import islice

    nodes, tails, heads, w = subdivided(el, weight, removed)
    g: nx.Graph = nx.DiGraph() if el.directed else nx.Graph()
    g.add_nodes_from(range(nodes))
    g.add_weighted_edges_from(zip(tails.tolist(), heads.tolist(), w.tolist(), strict=True))
    if removed is not None and removed[s]:
        return np.zeros(0)
    try:
        paths = list(islice(nx.shortest_simple_paths(g, s, t, weight="weight"), k))
    except nx.NetworkXNoPath:
        return np.zeros(0)
    return np.array([nx.path_weight(g, p, "weight") for p in paths], dtype=np.float64)


def networkx_disjoint(
    el: EdgeList, weight: np.ndarray | None, s: int, t: int, k: int, *, node_mode: bool
) -> tuple[int, float]:
    """(number of paths, min total length) of at most k edge- or node-disjoint s-t paths: the
    min-cost max-flow from a super source feeding s with k units, unit capacities (on nodes
    other than s and t by splitting them, in node mode)."""
    w = np.ones(len(el.src)) if weight is None else weight
    g = nx.DiGraph()
    split = (lambda v, side: (v, side)) if node_mode else (lambda v, side: (v, "x"))
    g.add_nodes_from(split(v, side) for v in (s, t) for side in ("in", "out"))
    touched = set(el.src.tolist()) | set(el.dst.tolist()) | {s, t}
    for v in sorted(touched) if node_mode else ():
        g.add_edge(split(v, "in"), split(v, "out"), capacity=(k if v in (s, t) else 1), weight=0)
    for e in range(len(el.src)):
        u, v = int(el.src[e]), int(el.dst[e])
        if u == v:
            continue
        pairs = [(u, v)] if el.directed else [(u, v), (v, u)]
        for a, b in pairs:  # through a node of its own: networkx's flows refuse multigraphs
            g.add_edge(split(a, "out"), ("edge", e, a), capacity=1, weight=float(w[e]))
            g.add_edge(("edge", e, a), split(b, "in"), capacity=1, weight=0)
    g.add_edge("S", split(s, "in"), capacity=k, weight=0)
    flow = nx.max_flow_min_cost(g, "S", split(t, "out"))
    value = flow["S"][split(s, "in")]
    return int(value), float(nx.cost_of_flow(g, flow))


def brute_group_pair(
    el: EdgeList, weight: np.ndarray, groups: np.ndarray, s: int, t: int
) -> float | None:
    """The least total length of two s-t loopless paths sharing no group (each -1 edge its own
    group), by listing every loopless path; None if no such pair exists."""
    adj: dict[int, list[int]] = {}
    for e in range(len(el.src)):
        u, v = int(el.src[e]), int(el.dst[e])
        adj.setdefault(u, []).append(e)
        if not el.directed and u != v:
            adj.setdefault(v, []).append(e)
    gid = [int(g) if g >= 0 else -1 - e for e, g in enumerate(groups.tolist())]
    found: list[tuple[float, frozenset[int]]] = []

    def walk(u: int, seen: set[int], length: float, used: list[int]) -> None:
        if u == t:
            found.append((length, frozenset(gid[e] for e in used)))
            return
        for e in adj.get(u, []):
            a, b = int(el.src[e]), int(el.dst[e])
            v = b if a == u else a
            if v in seen:
                continue
            seen.add(v)
            used.append(e)
            walk(v, seen, length + float(weight[e]), used)
            used.pop()
            seen.discard(v)

    walk(s, {s}, 0.0, [])
    best = None
    for i, (la, ga) in enumerate(found):
        for lb, gb in found[i + 1 :]:
            if not ga & gb and (best is None or la + lb < best):
                best = la + lb
    return best


def path_multicommodity_lp(
    capacity: np.ndarray,
    paths: list[list[np.ndarray]],
    amount: np.ndarray,
    objective: str,
    is_trivial: np.ndarray,
) -> float:
    """The exact optimum of the path-based multi-commodity LP (HiGHS): ``paths[j]`` lists the
    edge ids of each path demand ``j`` may use (an edge at most once per path; both directions of
    an undirected edge share its capacity). One variable per path, capacity rows per edge;
    ``concurrent``: max lambda with each non-trivial demand's paths summing to lambda *
    amount (0 when such a demand has no path); ``total``: max sum of path flows, demand j's at
    most ``amount[j]``, plus the amounts of the demands from a node to itself (``is_trivial``:
    source == target; they need no path). Zero amounts need nothing."""
    import highspy

    amount = np.asarray(amount, np.float64)
    need = ~is_trivial & (amount > 0)
    free = float(amount[is_trivial].sum()) if objective == "total" else 0.0
    if objective == "concurrent" and any(need[j] and not paths[j] for j in range(amount.size)):
        return 0.0
    cols = [(j, e) for j in range(amount.size) if need[j] for e in paths[j]]
    if not cols:
        return free if objective == "total" else math.inf
    ncol = len(cols) + (1 if objective == "concurrent" else 0)
    m = np.asarray(capacity).size
    rows: list[int] = []
    cidx: list[int] = []
    vals: list[float] = []
    for c, (_, edges) in enumerate(cols):
        for e in edges:
            rows.append(int(e))
            cidx.append(c)
            vals.append(1.0)
    # Demand rows, one per non-trivial demand: sum_q f_q (- lambda d_j) in [lo, hi].
    demand_rows = [j for j in range(amount.size) if need[j]]
    lower = [-highspy.kHighsInf] * m
    upper = [float(c) for c in np.asarray(capacity, np.float64)]
    for r, j in enumerate(demand_rows):
        for c, (jj, _) in enumerate(cols):
            if jj == j:
                rows.append(m + r)
                cidx.append(c)
                vals.append(1.0)
        if objective == "concurrent":
            rows.append(m + r)
            cidx.append(len(cols))
            vals.append(-float(amount[j]))
            lower.append(0.0)
            upper.append(0.0)
        else:
            lower.append(-highspy.kHighsInf)
            upper.append(float(amount[j]) if np.isfinite(amount[j]) else highspy.kHighsInf)
    nrow = m + len(demand_rows)
    mat = sp.csc_matrix((vals, (rows, cidx)), shape=(nrow, ncol))
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = ncol, nrow
    obj = np.zeros(ncol)
    if objective == "concurrent":
        obj[-1] = 1.0
    else:
        obj[:] = 1.0
    lp.col_cost_ = obj
    lp.col_lower_ = np.zeros(ncol)
    lp.col_upper_ = np.full(ncol, highspy.kHighsInf)
    lp.row_lower_ = np.array(lower)
    lp.row_upper_ = np.array(upper)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = mat.indptr
    lp.a_matrix_.index_ = mat.indices
    lp.a_matrix_.value_ = mat.data
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(lp)
    h.run()
    status = h.getModelStatus()
    assert status == highspy.HighsModelStatus.kOptimal, h.modelStatusToString(status)
    return float(h.getInfo().objective_function_value) + free
