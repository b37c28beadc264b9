"""Max-min fair share references: exact progressive filling, a HiGHS LP, capped flows (issue 12)."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order

from ._flow import networkx_flow_value

if TYPE_CHECKING:
    from ..strategies import FairProblem, FlowProblem


def _water_level(demand: list[float], budget: Fraction) -> Fraction | float:
    """The largest ``lam`` with ``sum(min(lam, d)) <= budget`` (exact; ``inf`` if unbounded)."""
    if budget <= 0:
        return Fraction(0)
    ranked = sorted(demand)
    below = Fraction(0)
    for j, d in enumerate(ranked):
        left = len(ranked) - j
        if d == math.inf or below + left * Fraction(d) >= budget:
            return (budget - below) / left
        below += Fraction(d)
    return math.inf


def exact_fair_rates(p: FairProblem) -> list[Fraction]:
    """Max-min fair rates by brute-force progressive filling over every subset of sources, in
    exact rationals (integer capacities): the feasible rates are ``r(Y) <= rank(Y)`` (the
    networkx max-flow from the sources ``Y``) for every subset ``Y``, and ``r <= demand``.
    Each round raises the active rates together to the lowest level a subset allows and
    freezes the sources capped by demand or in a subset tight at that level."""
    fp = p.flow
    ids = fp.source_ids.tolist()
    k = len(ids)
    demand = p.demand_per_source.tolist()
    edges = list(zip(fp.src.tolist(), fp.dst.tolist(), fp.capacity.tolist(), strict=True))
    sinks = fp.sink_ids.tolist()
    subsets = [frozenset(i for i in range(k) if mask >> i & 1) for mask in range(1, 1 << k)]
    rank = {
        y: Fraction(networkx_flow_value(edges, [ids[i] for i in y], sinks, directed=fp.directed))
        for y in subsets
    }
    rates: list[Fraction | None] = [None] * k
    while any(r is None for r in rates):
        active = {i for i in range(k) if rates[i] is None}
        roots: dict[frozenset[int], Fraction | float] = {}
        for y in subsets:
            if y & active:
                fixed = sum((rates[i] for i in y - active), Fraction(0))  # type: ignore[misc]
                roots[y] = _water_level([demand[i] for i in y & active], rank[y] - fixed)
        lam = min(min(roots.values()), max(demand[i] for i in active))
        for i in active:
            if demand[i] <= lam:
                rates[i] = Fraction(demand[i])
        for y, root in roots.items():
            if root == lam:
                for i in y & active:
                    if rates[i] is None:
                        rates[i] = Fraction(lam)
    return [r for r in rates if r is not None]


def highs_fair_rates(p: FairProblem) -> np.ndarray:
    """Max-min fair rates by the standard sequence of HiGHS LPs: maximise the smallest active
    rate ``t``; freeze the active sources that reached their demand, and those that cannot
    exceed ``t`` while every other active source keeps at least ``t`` (one LP per source,
    maximising its rate); repeat with the frozen rates fixed.

    Variables: a flow per edge (``0..c``, or ``-c..c`` undirected), a rate per source
    (``0..demand``) and ``t``; rows: conservation at each non-sink node (outflow - inflow - the
    node's rate = 0) and ``rate_i - t >= 0`` for the active sources."""
    import highspy

    fp = p.flow
    n, m = fp.num_nodes, fp.src.size
    ids = fp.source_ids
    k = ids.size
    demand = p.demand_per_source
    cap = fp.capacity.astype(np.float64)
    num_col = m + k + 1
    t_col = m + k
    base_lower = np.r_[np.zeros(m) if fp.directed else -cap, np.zeros(k), 0.0]
    base_upper = np.r_[cap, demand, math.inf]
    not_sink = np.ones(n, dtype=bool)
    not_sink[fp.sink_ids] = False
    rows = np.r_[fp.src, fp.dst, ids]
    cols = np.r_[np.arange(m), np.arange(m), m + np.arange(k)]
    vals = np.r_[np.ones(m), -np.ones(m), -np.ones(k)]
    flow_rows = sp.csr_array((vals, (rows, cols)), shape=(n, num_col))[not_sink]
    pairs = np.arange(k)
    rate_rows = sp.csr_array(
        (
            np.r_[np.ones(k), -np.ones(k)],
            (np.r_[pairs, pairs], np.r_[m + pairs, np.full(k, t_col)]),
        ),
        shape=(k, num_col),
    )
    tol = 1e-7 * max(1.0, float(cap.max(initial=0.0)))

    def solve(column: int, fixed: np.ndarray, ties: np.ndarray, floor: float) -> float:
        """Maximise one column with the frozen rates fixed, ``rate_i >= t`` rows for
        ``ties`` and every unfrozen rate at least ``min(floor, demand)``."""
        lower, upper = base_lower.copy(), base_upper.copy()
        frozen = ~np.isnan(fixed)
        lower[m:t_col][frozen] = upper[m:t_col][frozen] = fixed[frozen]
        # The floor, an earlier LP's optimum, is loosened by ``tol``: that optimum is feasible
        # only to HiGHS's tolerance, so an exact floor can make this LP infeasible (found by
        # hypothesis: a rate of 6e-8 beside capacities up to 1e3). Only freezing decisions
        # read this LP's optimum, and they allow ``tol`` anyway.
        lower[m:t_col][~frozen] = np.minimum(max(floor - tol, 0.0), demand[~frozen])
        matrix = sp.vstack([flow_rows, rate_rows[ties]]).tocsc()
        num_row = matrix.shape[0]
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = num_col, num_row
        lp.col_cost_ = (np.arange(num_col) == column).astype(np.float64)
        lp.col_lower_, lp.col_upper_ = lower, upper
        lp.row_lower_ = np.zeros(num_row)
        lp.row_upper_ = np.r_[np.zeros(flow_rows.shape[0]), np.full(int(ties.sum()), math.inf)]
        lp.sense_ = highspy.ObjSense.kMaximize
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = matrix.indptr
        lp.a_matrix_.index_ = matrix.indices
        lp.a_matrix_.value_ = matrix.data
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.passModel(lp)
        h.run()
        status = h.getModelStatus()
        assert status == highspy.HighsModelStatus.kOptimal, h.modelStatusToString(status)
        return float(h.getInfo().objective_function_value)

    fixed = np.full(k, np.nan)
    while np.isnan(fixed).any():
        active = np.isnan(fixed)
        t = solve(t_col, fixed, active, 0.0)
        capped = active & (demand <= t + tol)
        fixed[capped] = demand[capped]
        top = {
            int(i): solve(m + int(i), fixed, np.zeros(k, bool), t)
            for i in np.flatnonzero(active & ~capped)
        }
        stuck = [i for i, v in top.items() if v <= t + tol]
        if not stuck and not capped.any():  # rounding: the lowest ceiling freezes
            stuck = [min(top, key=top.__getitem__)]
        fixed[stuck] = t
    return fixed


def capped_flow_value(p: FlowProblem, demand: np.ndarray) -> Any:
    """:func:`networkx_flow_value` with each source fed by its own edge of capacity
    ``demand[i]`` (``inf``: more than every capacity together) from one super source.

    Exact arithmetic throughout (ints, floats as Fractions): networkx's preflow-push mixing
    2**62-sized ints with floats never terminated (its excesses never reached exactly 0)."""
    caps = [Fraction(c) if isinstance(c, float) else c for c in p.capacity.tolist()]
    big = sum(caps) + 1
    arcs = list(zip(p.src.tolist(), p.dst.tolist(), caps, strict=True))
    if not p.directed:
        arcs += [(v, u, c) for u, v, c in arcs]
    feed = ("oracle", "demand")
    arcs += [
        (feed, s, big if math.isinf(d) else min(Fraction(d), big))
        for s, d in zip(p.source_ids.tolist(), demand.tolist(), strict=True)
    ]
    return networkx_flow_value(arcs, [feed], p.sink_ids.tolist(), directed=True)


def residual_closure(
    p: FlowProblem, edge_flow: np.ndarray, start: int, *, tol: float
) -> np.ndarray:
    """The nodes reachable from ``start`` along graph edges with spare capacity (more than
    ``tol``) under ``edge_flow``: the set a source could push more flow into."""
    n = p.num_nodes
    src, dst, c, f = p.src, p.dst, p.capacity.astype(np.float64), edge_flow
    lower = np.zeros_like(c) if p.directed else -c
    forward, backward = f < c - tol, f > lower + tol
    tails = np.r_[src[forward], dst[backward]]
    heads = np.r_[dst[forward], src[backward]]
    adj = sp.csr_array((np.ones(len(tails)), (tails, heads)), shape=(n, n))
    reached = breadth_first_order(adj, start, directed=True, return_predecessors=False)
    mask = np.zeros(n, dtype=bool)
    mask[reached] = True
    return mask
