"""Disjoint paths: total length against the min-cost flow of k units (routecore.min_cost_flow
and networkx, node-split for node mode), the paths' disjointness and validity as certificates,
and group mode against brute force on tiny graphs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import routecore as rc

from .oracles import brute_group_pair, check_path, left_sum, networkx_disjoint
from .strategies import build_graph, edge_lists


def check_disjoint(el, weight, s, t, result, mode, groups=None) -> None:  # type: ignore[no-untyped-def]
    w = np.ones(len(el.src)) if weight is None else weight
    used_edges: set[int] = set()
    used_nodes: set[int] = set()
    used_groups: set[int] = set()
    for p in result.paths:
        check_path(el, weight, s, t, p, None)
        assert len(set(p.nodes.tolist())) == len(p.nodes), "a loop"
        edges = set(p.edges.tolist())
        assert not edges & used_edges
        used_edges |= edges
        inner = set(p.nodes[1:-1].tolist())
        if mode == "node":
            assert not inner & used_nodes
        used_nodes |= inner
        if mode == "group":
            own = {int(groups[e]) if groups[e] >= 0 else -1 - e for e in edges}
            assert not own & used_groups
            used_groups |= own
    assert result.total_length == pytest.approx(sum(left_sum(w[p.edges]) for p in result.paths))
    assert result.lower_bound <= result.total_length + 1e-9


@st.composite
def queries(draw: st.DrawFn):  # type: ignore[no-untyped-def]
    el = draw(edge_lists(max_nodes=9, max_edges=25, integer_weights=True))
    if el.num_nodes < 2:
        el = type(el)(2, el.src, el.dst, el.weight, el.capacity, el.directed)
    s = draw(st.integers(0, el.num_nodes - 1))
    t = draw(st.integers(0, el.num_nodes - 2))
    t = t + 1 if t >= s else t
    return el, s, t, draw(st.integers(1, 4)), draw(st.sampled_from(["edge", "node"]))


@given(queries())
def test_total_equals_min_cost_flow_of_k_units(q) -> None:  # type: ignore[no-untyped-def]
    el, s, t, k, mode = q
    g = build_graph(el, capacity=False)
    r = rc.disjoint_paths(g, s, t, k, mode=mode)
    check_disjoint(el, el.weight, s, t, r, mode)
    assert r.optimal and r.lower_bound == r.total_length and r.k == k and r.mode == mode
    count, cost = networkx_disjoint(el, el.weight, s, t, k, node_mode=mode == "node")
    assert len(r.paths) == count
    assert r.total_length == pytest.approx(cost, abs=1e-9)
    if mode == "edge" and count:
        unit = build_graph(el, capacity=False)
        flow = rc.min_cost_flow(
            unit, sources=[s], sinks=[t], demand=count, capacity=np.ones(len(el.src), np.int64)
        )
        assert flow.status == "optimal" and flow.cost == pytest.approx(r.total_length)


@given(queries(), st.data())
def test_group_mode_against_brute_force(q, data: st.DataObject) -> None:  # type: ignore[no-untyped-def]
    el, s, t, _, _ = q
    m = len(el.src)
    groups = np.array(data.draw(st.lists(st.integers(-1, 3), min_size=m, max_size=m)), np.int64)
    g = build_graph(el, capacity=False)
    r = rc.disjoint_paths(g, s, t, 2, mode="group", groups=groups)
    check_disjoint(el, el.weight, s, t, r, "group", groups)
    assert r.optimal
    best = brute_group_pair(el, el.weight, groups, s, t)
    if best is None:
        assert len(r.paths) < 2
    else:
        assert len(r.paths) == 2 and r.total_length == pytest.approx(best)
        edge = rc.disjoint_paths(g, s, t, 2)
        assert edge.total_length <= r.total_length + 1e-9


def test_group_mode_reports_a_lower_bound_when_capped() -> None:
    # A ladder whose two rails share groups rung by rung: the edge-disjoint pair is not
    # group-disjoint, and max_paths=5 stops the search after it found the optimum (7) but
    # before it could prove it.
    g = rc.Graph(4, [0, 0, 1, 2, 1, 0], [1, 2, 3, 3, 2, 3], weight=[1, 1, 1, 1, 1, 5])
    groups = [0, 0, 1, 2, 3, 4]
    exact = rc.disjoint_paths(g, 0, 3, mode="group", groups=groups)
    assert exact.optimal and exact.total_length == 7.0 and exact.gap == 0.0
    capped = rc.disjoint_paths(g, 0, 3, mode="group", groups=groups, max_paths=5)
    assert not capped.optimal
    assert capped.lower_bound == 4.0  # the edge-disjoint optimum
    assert capped.gap == capped.total_length - 4.0


def test_fewer_paths_than_asked_is_a_result() -> None:
    g = rc.Graph(3, [0, 1, 0], [1, 2, 1], weight=[1.0, 1.0, 2.0], directed=False)
    r = rc.disjoint_paths(g, 0, 2, k=2)
    assert len(r.paths) == 1 and r.k == 2 and r.total_length == 2.0
    node = rc.disjoint_paths(g, 0, 2, k=2, mode="node")
    assert len(node.paths) == 1


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"target": 0}, rc.GraphError, "source and target must differ"),
        ({"k": 0}, rc.GraphError, "k must be >= 1"),
        ({"mode": "duct"}, ValueError, "mode must be one of"),
        ({"mode": "group"}, rc.GraphError, "needs groups="),
        ({"mode": "group", "groups": [0]}, rc.GraphError, r"groups must have one entry per edge"),
        ({"mode": "group", "groups": [0, -2]}, rc.GraphError, r"groups\[1\] = -2"),
        ({"mode": "group", "groups": [0.5, 1]}, rc.GraphError, "must be integers"),
        ({"groups": [0, 1]}, rc.GraphError, "only used with mode='group'"),
        ({"mode": "group", "groups": [0, 1], "max_paths": 0}, rc.GraphError, "max_paths"),
        ({"target": 5}, rc.NodeIndexError, "target = 5 is not a node id"),
    ],
)
def test_bad_input_names_what_and_where(kwargs, error, message: str) -> None:  # type: ignore[no-untyped-def]
    g = rc.Graph(3, [0, 1], [1, 2])
    args = {"source": 0, "target": 2} | kwargs
    with pytest.raises(error, match=message):
        rc.disjoint_paths(g, args.pop("source"), args.pop("target"), **args)
