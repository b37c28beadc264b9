"""Graph construction, properties, conversions and pickling."""

from __future__ import annotations

import pickle
from collections import Counter

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given

import routecore as rc
from routecore.graph import csr_view

from .strategies import EdgeList, edge_lists


@given(edge_lists())
def test_properties_round_trip_in_edge_order(el: EdgeList) -> None:
    g = rc.Graph(
        el.num_nodes, el.src, el.dst, weight=el.weight, capacity=el.capacity, directed=el.directed
    )
    assert g.num_nodes == el.num_nodes
    assert g.num_edges == len(el.src)
    np.testing.assert_array_equal(g.src, el.src)
    np.testing.assert_array_equal(g.dst, el.dst)
    np.testing.assert_array_equal(g.weight, el.weight)
    np.testing.assert_array_equal(g.capacity, el.capacity)
    assert g.capacity is not None and g.capacity.dtype == np.int64


@given(edge_lists())
def test_src_and_dst_are_new_arrays_each_time(el: EdgeList) -> None:
    # The endpoints are kept after the first read (min_cost_flow reads them per call); what
    # src and dst hand out must still be the caller's own, writeable, and leave the graph as is.
    g = rc.Graph(el.num_nodes, el.src, el.dst, directed=el.directed)
    first_src, first_dst = g.src, g.dst
    assert first_src.flags.writeable and first_dst.flags.writeable
    first_src += 1
    first_dst -= 1
    np.testing.assert_array_equal(g.src, el.src)
    np.testing.assert_array_equal(g.dst, el.dst)
    assert not np.shares_memory(g.src, g.src)


@given(edge_lists())
def test_csr_lists_every_arc_once(el: EdgeList) -> None:
    g = rc.Graph(el.num_nodes, el.src, el.dst, directed=el.directed)
    first_out, head, arc_edge = csr_view(g).adjacency
    tails = np.repeat(np.arange(el.num_nodes), np.diff(first_out))
    arcs = sorted(zip(tails.tolist(), head.tolist(), arc_edge.tolist(), strict=True))
    expected = [(int(u), int(v), e) for e, (u, v) in enumerate(zip(el.src, el.dst, strict=True))]
    if not el.directed:
        expected += [
            (int(v), int(u), ~e) for e, (u, v) in enumerate(zip(el.src, el.dst, strict=True))
        ]
    assert arcs == sorted(expected)
    # The reverse CSR holds the same arcs turned around; an undirected graph is its own reverse.
    r_first, r_head, r_edge = g.reverse_csr()
    if not el.directed:
        assert r_head is head
        return
    r_tails = np.repeat(np.arange(el.num_nodes), np.diff(r_first))
    reversed_arcs = sorted(zip(r_head.tolist(), r_tails.tolist(), r_edge.tolist(), strict=True))
    assert reversed_arcs == arcs


@given(edge_lists())
def test_pickle_round_trips(el: EdgeList) -> None:
    g = rc.Graph(
        el.num_nodes, el.src, el.dst, weight=el.weight, capacity=el.capacity, directed=el.directed
    )
    g2 = pickle.loads(pickle.dumps(g))
    assert g2 == g
    assert g2.directed == g.directed
    np.testing.assert_array_equal(g2.src, g.src)
    np.testing.assert_array_equal(g2.weight, g.weight)


def test_memory_per_edge_within_budget() -> None:
    rng = np.random.default_rng(7)
    n, m = 10_000, 80_000
    g = rc.Graph(n, rng.integers(0, n, m), rng.integers(0, n, m), weight=rng.random(m))
    assert g.nbytes <= 16 * m + 16 * n


def test_from_scipy_and_networkx_agree() -> None:
    dense = np.array([[0, 2.0, 0], [0, 0, 3.5], [1.0, 0, 0]])
    g = rc.Graph.from_scipy(sp.csr_array(dense))
    assert sorted(zip(g.src.tolist(), g.dst.tolist(), g.weight.tolist(), strict=True)) == [
        (0, 1, 2.0),
        (1, 2, 3.5),
        (2, 0, 1.0),
    ]
    nxg = nx.DiGraph()
    nxg.add_weighted_edges_from([(0, 1, 2.0), (1, 2, 3.5), (2, 0, 1.0)])
    g2 = rc.Graph.from_networkx(nxg)
    assert sorted(zip(g2.src.tolist(), g2.dst.tolist(), g2.weight.tolist(), strict=True)) == sorted(
        zip(g.src.tolist(), g.dst.tolist(), g.weight.tolist(), strict=True)
    )
    back = g2.to_networkx()
    assert back.number_of_edges() == 3
    assert back[1][2][g2.src.tolist().index(1)]["weight"] == 3.5


def test_from_networkx_maps_labels() -> None:
    nxg = nx.Graph()
    nxg.add_edge("Aktau", "Baku", capacity=6000)
    g = rc.Graph.from_networkx(nxg, weight=None, capacity="capacity")
    assert not g.directed
    assert g.num_nodes == 2
    np.testing.assert_array_equal(g.capacity, [6000])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"src": [0, 1], "dst": [1]}, "src has 2 entries but dst has 1"),
        ({"src": [0, 3], "dst": [1, 1]}, r"src\[1\] = 3 is not a node id"),
        ({"src": [0, -1], "dst": [1, 1]}, r"src\[1\] = -1 is not a node id"),
        ({"src": [0.0, 1.0], "dst": [1, 1]}, "node ids must be integers"),
        ({"weight": [1.0, -2.0]}, r"weight\[1\] = -2.0 is negative"),
        ({"weight": [np.nan, 1.0]}, r"weight\[0\] = nan is NaN"),
        ({"weight": [1.0, np.inf]}, r"weight\[1\] = inf is infinite"),
        ({"weight": [1.0]}, "weight has 1 entries but the graph has 2 edges"),
        ({"weight": ["a", "b"]}, "weights must be real numbers"),
        ({"capacity": [1, -5]}, r"capacity\[1\] = -5 is negative"),
        ({"num_nodes": -1}, "num_nodes must be >= 0"),
        ({"num_nodes": 2**31}, "exceeds the 32-bit limit"),
        ({"num_nodes": 2.5}, "num_nodes must be an integer"),
    ],
)
def test_bad_input_raises_graph_error(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"num_nodes": 3, "src": [0, 1], "dst": [1, 2]}
    args.update(kwargs)
    num_nodes = args.pop("num_nodes")
    src = args.pop("src")
    dst = args.pop("dst")
    with pytest.raises(rc.GraphError, match=message):
        rc.Graph(num_nodes, src, dst, **args)  # type: ignore[arg-type]


def test_out_of_range_is_also_index_error() -> None:
    with pytest.raises(IndexError):
        rc.Graph(2, [0], [2])


def test_inputs_are_not_mutated_and_read_only_inputs_work() -> None:
    src = np.array([0, 1, 2])
    dst = np.array([1, 2, 0])
    w = np.array([1.0, 2.0, 3.0])
    for a in (src, dst, w):
        a.flags.writeable = False
    g = rc.Graph(3, src, dst, weight=w)
    np.testing.assert_array_equal(src, [0, 1, 2])
    assert g.weight is not None and g.weight.flags.writeable


@given(edge_lists())
def test_flow_layout_pairs_every_edge_with_its_reverse(el: EdgeList) -> None:
    """Graph.flow_layout: every edge has exactly one arc at its src towards dst and a sister at
    dst towards src; sisters pair up; the arcs of a node sit in its own range; the self-loops'
    arcs are listed. A directed edge u -> v and an edge v -> u (u != v) share one pair, matched
    one to one, so between two nodes each direction has as many arcs as the commoner direction
    has edges."""
    g = rc.Graph(el.num_nodes, el.src, el.dst, directed=el.directed)
    first_out, head, sister, loop_arcs = g.flow_layout()
    assert g.flow_layout()[2] is sister  # built once, kept
    edges = Counter(zip(el.src.tolist(), el.dst.tolist(), strict=True))
    if el.directed:
        expected_arcs = Counter(
            {(u, v): 2 * k if u == v else max(k, edges[v, u]) for (u, v), k in edges.items()}
        )
        for (u, v), k in edges.items():
            expected_arcs[v, u] = max(expected_arcs[v, u], k)
    else:
        expected_arcs = edges + Counter({(v, u): k for (u, v), k in edges.items()})
    num_arcs = expected_arcs.total()
    assert first_out[0] == 0 and first_out[-1] == num_arcs == head.size == sister.size
    assert np.all(np.diff(first_out) >= 0)
    tail = np.repeat(np.arange(el.num_nodes), np.diff(first_out))
    assert np.array_equal(sister[sister], np.arange(num_arcs))
    assert np.array_equal(head[sister], tail) and np.array_equal(tail[sister], head)
    assert Counter(zip(tail.tolist(), head.tolist(), strict=True)) == expected_arcs
    # loop_arcs: exactly the arcs from a node to itself.
    assert np.array_equal(np.sort(loop_arcs), np.flatnonzero(tail == head))
    assert g.nbytes >= first_out.nbytes * el.directed + sister.nbytes
