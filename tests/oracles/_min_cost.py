"""Min-cost flow references (networkx, OR-Tools, LEMON via pylmcf) and the reduced-cost
certificate (issue 12)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx
import numpy as np

if TYPE_CHECKING:
    from ..strategies import McfProblem


def mcf_arcs(p: McfProblem) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The problem as directed arcs (tail, head, capacity with -1 = none, cost): an undirected
    edge becomes two opposite arcs (its cost is >= 0, so the optimum is the same)."""
    if p.directed:
        return p.src, p.dst, p.capacity, p.cost
    return (
        np.concatenate([p.src, p.dst]),
        np.concatenate([p.dst, p.src]),
        np.concatenate([p.capacity, p.capacity]),
        np.concatenate([p.cost, p.cost]),
    )


def networkx_min_cost(p: McfProblem) -> tuple[str, int | None]:
    """(status, optimal cost) by networkx.network_simplex; every arc goes through a middle node
    of its own so that parallel arcs and self-loops survive a DiGraph."""
    tail, head, cap, cost = mcf_arcs(p)
    g = nx.DiGraph()
    for v in range(p.num_nodes):
        g.add_node(v, demand=-int(p.supply[v]))
    for i in range(tail.size):
        mid = ("arc", i)
        g.add_node(mid, demand=0)
        attrs = {} if cap[i] < 0 else {"capacity": int(cap[i])}
        g.add_edge(int(tail[i]), mid, weight=int(cost[i]), **attrs)
        g.add_edge(mid, int(head[i]), weight=0)
    try:
        value, _ = nx.network_simplex(g)
    except nx.NetworkXUnfeasible:
        return "infeasible", None
    except nx.NetworkXUnbounded:
        return "unbounded", None
    return "optimal", int(value)


def ortools_min_cost(p: McfProblem) -> tuple[str, int | None]:
    """(status, optimal cost) by OR-Tools SimpleMinCostFlow (finite capacities only)."""
    from ortools.graph.python import min_cost_flow

    tail, head, cap, cost = mcf_arcs(p)
    assert (cap >= 0).all(), "OR-Tools has no uncapacitated arcs"
    s = min_cost_flow.SimpleMinCostFlow()
    if tail.size:
        s.add_arcs_with_capacity_and_unit_cost(tail, head, cap, cost)
    for v in range(p.num_nodes):
        s.set_node_supply(v, int(p.supply[v]))
    status = s.solve()
    if status == s.OPTIMAL:
        return "optimal", int(s.optimal_cost())
    if status in (s.INFEASIBLE, s.UNBALANCED):
        return "infeasible", None
    return f"ortools status {status}", None


def lemon_min_cost(p: McfProblem) -> tuple[str, int | None]:
    """(status, optimal cost) by pylmcf (LEMON's network simplex; costs >= 0, finite caps)."""
    from pylmcf import pylmcf_cpp

    tail, head, cap, cost = mcf_arcs(p)
    assert (cap >= 0).all() and (cost >= 0).all()
    if int(p.supply.sum()) != 0:
        return "infeasible", None
    i64 = lambda a: np.ascontiguousarray(a, dtype=np.int64)  # noqa: E731
    try:
        flow = pylmcf_cpp.lmcf(i64(p.supply), i64(tail), i64(head), i64(cap), i64(cost))
    except RuntimeError as e:
        if "INFEASIBLE" in str(e):
            return "infeasible", None
        raise
    return "optimal", int((np.asarray(flow, dtype=object) * cost.astype(object)).sum())


def check_min_cost_certificate(
    p: McfProblem, edge_flow: np.ndarray, potentials: np.ndarray, *, tol: float = 0.0
) -> int:
    """Asserts that (edge_flow, potentials) is an optimal flow and its dual: conservation
    against the supplies, 0 <= flow <= capacity per direction, and complementary slackness of
    the reduced cost rc = cost + pi[tail] - pi[head] of each arc (>= -tol where the arc can
    take more, <= tol where it carries flow). Returns the flow's cost, computed here."""
    f = np.asarray(edge_flow).astype(object)
    net = np.zeros(p.num_nodes, dtype=object)
    np.add.at(net, p.src, f)
    np.add.at(net, p.dst, -f)
    assert (net == p.supply.astype(object)).all(), "flow conservation violated"
    if p.directed:
        forward, backward = f, None
        assert (f >= 0).all()
    else:
        forward, backward = np.maximum(f, 0), np.maximum(-f, 0)
    pi = np.asarray(potentials)
    for arc_flow, tail, head in ((forward, p.src, p.dst), (backward, p.dst, p.src)):
        if arc_flow is None:
            continue
        capped = p.capacity >= 0
        assert (arc_flow[capped] <= p.capacity[capped].astype(object)).all(), "over capacity"
        rc_ = p.cost.astype(object) + pi[tail].astype(object) - pi[head].astype(object)
        room = ~capped | (arc_flow < p.capacity.astype(object))
        assert (rc_[room] >= -tol).all(), "an arc with spare capacity has negative reduced cost"
        assert (rc_[arc_flow > 0] <= tol).all(), "an arc with flow has positive reduced cost"
    return int((np.abs(f) * p.cost.astype(object)).sum())


def networkx_multi_sink_max_flow(
    src: np.ndarray, dst: np.ndarray, capacity: np.ndarray, source: int, sinks: np.ndarray
) -> float:
    """Maximum flow value of a directed multigraph (parallel arcs summed) from ``source`` to
    the set ``sinks``, by networkx (preflow push) with a super sink."""
    g = nx.DiGraph()
    for a, b, c in zip(src.tolist(), dst.tolist(), capacity.tolist(), strict=True):
        if g.has_edge(a, b):
            g[a][b]["capacity"] += c
        else:
            g.add_edge(a, b, capacity=c)
    for t in sinks.tolist():
        g.add_edge(t, "super-sink")  # no capacity attribute: unlimited
    g.add_node(source)
    return float(nx.maximum_flow_value(g, source, "super-sink"))


def ortools_min_cost_max_flow(
    src: np.ndarray,
    dst: np.ndarray,
    capacity: np.ndarray,
    cost: np.ndarray,
    source: int,
    sinks: np.ndarray,
) -> tuple[int, int]:
    """(max-flow value, its minimum cost) by OR-Tools: the value from SimpleMaxFlow, then
    SimpleMinCostFlow with that supply (integer capacities and costs, a super sink)."""
    from ortools.graph.python import max_flow, min_cost_flow

    n = int(max(src.max(), dst.max(), source, sinks.max())) + 1
    sink = n
    tail = np.concatenate([src, sinks]).astype(np.int64)
    head = np.concatenate([dst, np.full(sinks.size, sink)]).astype(np.int64)
    big = int(capacity.sum()) + 1
    cap = np.concatenate([capacity, np.full(sinks.size, big)]).astype(np.int64)
    arc_cost = np.concatenate([cost, np.zeros(sinks.size)]).astype(np.int64)
    mf = max_flow.SimpleMaxFlow()
    mf.add_arcs_with_capacity(tail, head, cap)
    assert mf.solve(source, sink) == mf.OPTIMAL
    value = int(mf.optimal_flow())
    mc = min_cost_flow.SimpleMinCostFlow()
    mc.add_arcs_with_capacity_and_unit_cost(tail, head, cap, arc_cost)
    mc.set_node_supply(source, value)
    mc.set_node_supply(sink, -value)
    assert mc.solve() == mc.OPTIMAL
    return value, int(mc.optimal_cost())
