"""Multi-commodity flow references: HiGHS LPs and the flow certificate (issue 13)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

if TYPE_CHECKING:
    pass


def multicommodity_lp(
    num_nodes: int,
    src: np.ndarray,
    dst: np.ndarray,
    capacity: np.ndarray,
    directed: bool,
    source: np.ndarray,
    target: np.ndarray,
    amount: np.ndarray,
    objective: str,
    *,
    by_source: bool = False,
) -> float:
    """The exact optimum of a multi-commodity flow LP, solved with HiGHS (highspy).

    See :func:`multicommodity_lp_model` for the formulation.
    """
    import highspy

    h, offset = multicommodity_lp_model(
        num_nodes,
        src,
        dst,
        capacity,
        directed,
        source,
        target,
        amount,
        objective,
        by_source=by_source,
    )
    if h is None:
        return offset
    h.run()
    status = h.getModelStatus()
    assert status == highspy.HighsModelStatus.kOptimal, h.modelStatusToString(status)
    return float(h.getInfo().objective_function_value) + offset


def multicommodity_lp_model(
    num_nodes: int,
    src: np.ndarray,
    dst: np.ndarray,
    capacity: np.ndarray,
    directed: bool,
    source: np.ndarray,
    target: np.ndarray,
    amount: np.ndarray,
    objective: str,
    *,
    by_source: bool = False,
) -> tuple[Any, float]:
    """A HiGHS model (not yet run) of a multi-commodity flow LP and the constant to add to its
    optimum; ``(None, value)`` when no demand needs an edge.

    Edge-flow formulation: one flow variable per (commodity, arc), an undirected edge giving two
    arcs that share its capacity; conservation per commodity and node; capacity per edge.
    ``concurrent`` maximises lambda with every commodity sending lambda * amount; ``total``
    maximises the sum of per-commodity flows f_j <= amount_j. With ``by_source`` the
    commodities of one source share one flow (the same optimum, fewer variables: a flow from
    one source to several sinks decomposes into per-sink paths). Demands from a node to
    itself or of amount 0 are left out (they need no edge); the total adds the former back.
    """
    import highspy

    src, dst = np.asarray(src, np.int64), np.asarray(dst, np.int64)
    cap = np.asarray(capacity, np.float64)
    keep = (np.asarray(source) != np.asarray(target)) & (np.asarray(amount) > 0)
    free = float(np.asarray(amount)[np.asarray(source) == np.asarray(target)].sum())
    s, t, d = np.asarray(source)[keep], np.asarray(target)[keep], np.asarray(amount)[keep]
    tail = src if directed else np.concatenate([src, dst])
    head = dst if directed else np.concatenate([dst, src])
    arc_edge = np.arange(src.size) if directed else np.concatenate([np.arange(src.size)] * 2)
    k = s.size
    if k == 0:
        return None, (free if objective == "total" else math.inf)
    groups = np.unique(s) if by_source else np.arange(k)
    group_of = np.searchsorted(groups, s) if by_source else np.arange(k)
    g, a = groups.size, tail.size
    # Columns: flow (g * a), then lambda (concurrent) or f_j (total).
    extra = 1 if objective == "concurrent" else k
    ncol = g * a + extra
    rows, cols, vals = [], [], []
    # Conservation: row (group, node): out - in - (commodity terms) = 0.
    flow_col = np.arange(g * a).reshape(g, a)
    for gi in range(g):
        rows += [gi * num_nodes + tail, gi * num_nodes + head]
        cols += [flow_col[gi], flow_col[gi]]
        vals += [np.ones(a), -np.ones(a)]
    for j in range(k):
        col = g * a + (0 if objective == "concurrent" else j)
        coef = d[j] if objective == "concurrent" else 1.0
        rows += [np.array([group_of[j] * num_nodes + s[j], group_of[j] * num_nodes + t[j]])]
        cols += [np.array([col, col])]
        vals += [np.array([-coef, coef])]
    n_cons = g * num_nodes
    # Capacity: row per edge.
    for gi in range(g):
        rows += [n_cons + arc_edge]
        cols += [flow_col[gi]]
        vals += [np.ones(a)]
    nrow = n_cons + src.size
    mat = sp.csc_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(nrow, ncol)
    )
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = ncol, nrow
    obj = np.zeros(ncol)
    obj[g * a :] = 1.0
    upper = np.full(ncol, highspy.kHighsInf)
    if objective == "total":
        upper[g * a :] = d
    lp.col_cost_ = obj
    lp.col_lower_ = np.zeros(ncol)
    lp.col_upper_ = upper
    lp.row_lower_ = np.concatenate([np.zeros(n_cons), np.full(src.size, -highspy.kHighsInf)])
    lp.row_upper_ = np.concatenate([np.zeros(n_cons), cap])
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = mat.indptr
    lp.a_matrix_.index_ = mat.indices
    lp.a_matrix_.value_ = mat.data
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(lp)
    return h, (free if objective == "total" else 0.0)


def check_multicommodity_flow(
    num_nodes: int,
    src: np.ndarray,
    dst: np.ndarray,
    capacity: np.ndarray,
    directed: bool,
    source: np.ndarray,
    target: np.ndarray,
    amount: np.ndarray,
    result: Any,
    *,
    rel: float = 1e-9,
) -> None:
    """Asserts that a MulticommodityFlow is a feasible flow: per-commodity conservation (the
    sparse table's net flow leaves the source and enters the target at the reported rate),
    edge loads within capacity, every path a valid walk of its commodity, and (concurrent)
    every commodity delivering value * amount."""
    k = np.asarray(source).size
    scale = max(1.0, float(np.max(amount[np.isfinite(amount)], initial=0.0)))
    tol = rel * scale * max(1, len(src))
    net = np.zeros((k, num_nodes))
    fc, fe, f = result.flow_commodity, result.flow_edge, result.flow
    if directed:
        assert (f >= -tol).all(), "negative flow on a directed edge"
    np.add.at(net, (fc, src[fe]), f)
    np.add.at(net, (fc, dst[fe]), -f)
    for j in range(k):
        want = np.zeros(num_nodes)
        if source[j] != target[j]:
            want[source[j]] += result.commodity_flow[j]
            want[target[j]] -= result.commodity_flow[j]
        assert np.allclose(net[j], want, atol=tol), f"conservation of commodity {j}"
    load = np.zeros(len(src))
    np.add.at(load, fe, np.abs(f))
    assert (load <= capacity * (1 + rel) + tol).all(), "over capacity"
    assert (result.edge_load <= capacity * (1 + rel) + tol).all(), "edge_load over capacity"
    for i in range(result.path_flow.size):
        p = result.path(i)
        j = result.path_commodity[i]
        assert p.nodes[0] == source[j] and p.nodes[-1] == target[j]
        for h, e in enumerate(p.edges):
            a, b = p.nodes[h], p.nodes[h + 1]
            assert (src[e], dst[e]) == (a, b) or (not directed and (src[e], dst[e]) == (b, a))
    if result.objective == "concurrent" and result.status != "unreachable":
        expect = result.value * np.asarray(amount)
        assert np.allclose(result.commodity_flow, expect, rtol=1e-9, atol=tol)
    else:
        assert (result.commodity_flow <= np.asarray(amount) * (1 + rel) + tol).all()
