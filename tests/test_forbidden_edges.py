"""``forbidden_edges=``: every search equals the same search on the graph with those edges
deleted (scipy and BFS oracles on the reduced edge list), for every method, weighted and
unweighted, forward and reverse, given as a mask or as edge ids."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import routecore as rc

from .oracles import bfs_hops, geo_bound, lengths_of
from .strategies import EdgeList, edge_lists
from .strategies import build_graph as graph_of


@st.composite
def closed_cases(
    draw: st.DrawFn, count: int = 3, **kwargs: Any
) -> tuple[EdgeList, np.ndarray, np.ndarray]:
    """A graph, some query nodes and a boolean mask of closed edges (often most of them)."""
    el = draw(edge_lists(**kwargs))
    nodes = draw(st.lists(st.integers(0, el.num_nodes - 1), min_size=count, max_size=count))
    m = len(el.src)
    share = draw(st.sampled_from([0.1, 0.5, 0.9]))
    picks = draw(st.lists(st.floats(0, 1), min_size=m, max_size=m))
    closed = np.array(picks, dtype=np.float64) < share
    return el, np.array(nodes, dtype=np.int64), closed.astype(bool)


def reversed_edges(el: EdgeList) -> EdgeList:
    return EdgeList(el.num_nodes, el.dst, el.src, el.weight, el.capacity, el.directed)


def as_ids(closed: np.ndarray) -> np.ndarray:
    return np.flatnonzero(closed)


@given(closed_cases(), st.sampled_from([1, 2]))
def test_lengths_equal_the_graph_without_those_edges(
    case: tuple[EdgeList, np.ndarray, np.ndarray], threads: int
) -> None:
    el, sources, closed = case
    got = rc.shortest_path_lengths(graph_of(el), sources, forbidden_edges=closed, threads=threads)
    np.testing.assert_allclose(
        got, lengths_of(el, el.weight, sources, closed=closed), rtol=1e-12, atol=1e-12
    )
    # The same search on the reduced graph gives bit-identical lengths, and ids == mask.
    reduced = rc.shortest_path_lengths(graph_of(el, keep=~closed), sources, threads=threads)
    np.testing.assert_array_equal(got, reduced)
    by_ids = rc.shortest_path_lengths(graph_of(el), sources, forbidden_edges=as_ids(closed))
    np.testing.assert_array_equal(by_ids, got)


@given(closed_cases(count=1))
def test_hop_counts_without_weights(case: tuple[EdgeList, np.ndarray, np.ndarray]) -> None:
    el, (s,), closed = case
    got = rc.shortest_path_lengths(graph_of(el, weighted=False), int(s), forbidden_edges=closed)
    keep = ~closed
    want = bfs_hops(el.num_nodes, el.src[keep], el.dst[keep], el.directed, int(s))
    np.testing.assert_array_equal(got, want)


@given(closed_cases(count=2), st.data())
def test_every_method_finds_a_path_avoiding_the_closed_edges(
    case: tuple[EdgeList, np.ndarray, np.ndarray], data: st.DataObject
) -> None:
    el, (s, t), closed = case
    s, t = int(s), int(t)
    n = el.num_nodes
    lat = np.array(data.draw(st.lists(st.floats(-90, 90), min_size=n, max_size=n)))
    lon = np.array(data.draw(st.lists(st.floats(-180, 180), min_size=n, max_size=n)))
    want = lengths_of(el, el.weight, np.array([s]), closed=closed)[0, t]
    g = graph_of(el)
    for method in ("dijkstra", "bidirectional", "astar"):
        geo: dict[str, Any] = {}
        if method == "astar":
            geo = {"coordinates": (lat, lon), "min_cost_per_km": geo_bound(el, lat, lon)}
        p = rc.shortest_path(g, s, t, forbidden_edges=closed, method=method, **geo)  # type: ignore[arg-type]
        if want == np.inf:
            assert p is None, method
            continue
        assert p is not None, method
        assert not closed[p.edges].any(), method
        assert p.nodes[0] == s and p.nodes[-1] == t
        assert p.length == pytest.approx(want, rel=1e-12, abs=1e-12), method
    # Unweighted: the hop count of the reduced graph.
    hops = bfs_hops(n, el.src[~closed], el.dst[~closed], el.directed, s)[t]
    for method in ("dijkstra", "bidirectional"):
        p = rc.shortest_path(
            graph_of(el, weighted=False),
            s,
            t,
            forbidden_edges=as_ids(closed),
            method=method,  # type: ignore[arg-type]
        )
        assert (p is None) if hops == np.inf else (p is not None and p.length == hops), method


@given(closed_cases(count=3), st.booleans())
def test_nearest_source_and_tree_on_the_reduced_graph(
    case: tuple[EdgeList, np.ndarray, np.ndarray], reverse: bool
) -> None:
    el, sources, closed = case
    g = graph_of(el)
    lengths, nearest = rc.nearest_source(g, sources, forbidden_edges=closed, reverse=reverse)
    base = reversed_edges(el) if reverse else el
    per_source = lengths_of(base, base.weight, sources, closed=closed)
    np.testing.assert_allclose(lengths, per_source.min(axis=0), rtol=1e-12, atol=1e-12)
    reached = np.isfinite(lengths)
    np.testing.assert_array_equal(nearest >= 0, reached)
    for v in np.flatnonzero(reached):  # the nearest source named is one at that length
        row = int(np.flatnonzero(sources == nearest[v])[0])
        assert per_source[row, v] == pytest.approx(lengths[v], rel=1e-12, abs=1e-12)
    tree = rc.shortest_path_tree(g, sources, forbidden_edges=as_ids(closed), reverse=reverse)
    np.testing.assert_array_equal(tree.length, lengths)
    np.testing.assert_array_equal(tree.root, nearest)
    assert (tree.pred_edge[~reached] == -1).all() and (tree.parent[~reached] == -1).all()
    offsets, edges = tree.route_edges(np.arange(el.num_nodes))
    assert not closed[edges].any()
    for v in np.flatnonzero(reached):
        route = edges[offsets[v] : offsets[v + 1]]
        assert el.weight[route].sum() == pytest.approx(lengths[v], rel=1e-9, abs=1e-9)


def test_closed_edges_never_leak_into_results() -> None:
    # 0 - 1 - 2 with a long bypass 0 - 2; closing 1 - 2 forces the bypass, closing both cuts 2.
    g = rc.Graph(3, [0, 1, 0], [1, 2, 2], weight=[1.0, 1.0, 5.0], directed=False)
    assert rc.shortest_path_lengths(g, 0, forbidden_edges=[1]).tolist() == [0.0, 1.0, 5.0]
    assert rc.shortest_path_lengths(g, 0, forbidden_edges=[1, 2]).tolist() == [0.0, 1.0, np.inf]
    for method in ("dijkstra", "bidirectional"):
        assert rc.shortest_path(g, 0, 2, forbidden_edges=[1, 2], method=method) is None
        p = rc.shortest_path(g, 2, 0, forbidden_edges=[1], method=method)
        assert p is not None and p.edges.tolist() == [2]
    lengths, nearest = rc.nearest_source(g, [0], forbidden_edges=[1, 2])
    assert nearest.tolist() == [0, 0, -1] and lengths[2] == np.inf
    # An empty selection changes nothing; inputs are not modified.
    w = np.array([1.0, 1.0, 5.0])
    ids = np.array([1, 2])
    rc.shortest_path_lengths(g, 0, weight=w, forbidden_edges=ids)
    assert w.tolist() == [1.0, 1.0, 5.0] and ids.tolist() == [1, 2]
    assert rc.shortest_path_lengths(g, 0, forbidden_edges=[]).tolist() == [0.0, 1.0, 2.0]


@pytest.mark.parametrize(
    ("closed", "message"),
    [
        ([3], r"forbidden_edges\[0\] = 3 is not an edge id; valid ids are 0\.\.2"),
        ([0, -1], r"forbidden_edges\[1\] = -1 is not an edge id"),
        ([True, False], r"boolean mask needs one entry per edge, shape \(3,\), got \(2,\)"),
        ([0.5], r"edge ids must be integers, got dtype float64"),
        ([[0, 1]], r"expected a 1-D array of edge ids, got shape \(1, 2\)"),
    ],
)
def test_bad_forbidden_edges_raise_graph_error(closed: Any, message: str) -> None:
    g = rc.Graph(3, [0, 1, 0], [1, 2, 2], weight=[1.0, 1.0, 5.0])
    calls = [
        lambda: rc.shortest_path_lengths(g, 0, forbidden_edges=closed),
        lambda: rc.shortest_path(g, 0, 2, forbidden_edges=closed),
        lambda: rc.nearest_source(g, [0], forbidden_edges=closed),
        lambda: rc.shortest_path_tree(g, [0], forbidden_edges=closed),
    ]
    for call in calls:
        with pytest.raises(rc.GraphError, match=message):
            call()
