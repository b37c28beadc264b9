"""Antiparallel directed edges (u -> v and v -> u listed separately) share one residual arc
pair (``cpp/include/routecore/flow_layout.h``): the layout's size, and max-flow on such graphs
against networkx and scipy with per-edge certificates in input order."""

from __future__ import annotations

import numpy as np
from hypothesis import given

import routecore as rc
import routecore.flow

from .oracles import problem_flow_value, residual_reach, scipy_flow_value
from .strategies import FlowProblem, flow_problems

METHODS = ("push_relabel", "boykov_kolmogorov", "dinic", "ibfs")


def check_flow(p: FlowProblem, r: rc.FlowResult, tol: float) -> None:
    """Capacity bounds and conservation of the per-edge flows, and the cut they certify."""
    f, cap = r.edge_flow, p.capacity
    assert f.dtype == cap.dtype and f.shape == cap.shape
    assert np.all(f >= 0) and np.all(f <= cap)
    net_in = np.zeros(p.num_nodes, dtype=f.dtype)
    np.add.at(net_in, p.dst, f)
    np.subtract.at(net_in, p.src, f)
    inner = np.ones(p.num_nodes, dtype=bool)
    inner[p.source_ids] = False
    inner[p.sink_ids] = False
    assert np.all(np.abs(net_in[inner]) <= tol)
    assert abs(net_in[p.sink_ids].sum() - r.value) <= tol
    side = r.source_side
    out_edges, in_edges = side[p.src] & ~side[p.dst], ~side[p.src] & side[p.dst]
    assert np.all(f[out_edges] == cap[out_edges])  # exactly, floats too
    assert np.all(f[in_edges] == 0)
    np.testing.assert_array_equal(r.cut_edges, np.flatnonzero(out_edges))


def test_an_antiparallel_pair_is_one_arc_pair() -> None:
    g = rc.Graph(3, [0, 1, 1, 2, 1], [1, 0, 2, 1, 2], capacity=[4, 3, 5, 2, 1], directed=True)
    first_out, head, sister, _ = g.flow_layout()
    # 0 <-> 1 and 1 <-> 2 are pairs; the second 1 -> 2 edge keeps a pair of its own.
    assert first_out[-1] == head.size == sister.size == 6
    r = rc.max_flow(g, 0, 2)
    assert r.value == 4
    f = r.edge_flow.tolist()
    assert f[0] == 4 and f[1] == 0 and f[3] == 0 and f[2] + f[4] == 4


@given(flow_problems(antiparallel=True))
def test_integer_flows_on_antiparallel_edges(p: FlowProblem) -> None:
    g = rc.Graph(p.num_nodes, p.src, p.dst, capacity=p.capacity, directed=True)
    expected = problem_flow_value(p)
    assert scipy_flow_value(p) == expected
    smallest = residual_reach(
        p, rc.max_flow(g, p.sources, p.sinks, method="dinic").edge_flow, towards_sinks=False
    )
    for method in (*METHODS, "auto"):
        r = rc.max_flow(g, p.sources, p.sinks, method=method)
        assert r.value == expected
        check_flow(p, r, 0)
        np.testing.assert_array_equal(
            r.source_side, residual_reach(p, r.edge_flow, towards_sinks=False)
        )
        np.testing.assert_array_equal(r.source_side, smallest)
        cut = rc.min_cut(g, p.sources, p.sinks, method=method)
        assert cut.value == expected
        np.testing.assert_array_equal(
            cut.source_side, ~residual_reach(p, r.edge_flow, towards_sinks=True)
        )


@given(flow_problems(antiparallel=True, capacities="float"))
def test_float_flows_on_antiparallel_edges(p: FlowProblem) -> None:
    g = rc.Graph(p.num_nodes, p.src, p.dst, capacity=p.capacity, directed=True)
    expected = problem_flow_value(p)
    s_total = float(p.capacity[np.isin(p.src, p.source_ids)].sum())
    tol = routecore.flow.FLOAT_TOLERANCE * max(1.0, s_total)
    for method in METHODS:
        r = rc.max_flow(g, p.sources, p.sinks, method=method)
        assert abs(r.value - expected) <= tol
        check_flow(p, r, tol)
