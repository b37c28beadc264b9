"""Shortest paths: lengths against scipy / networkx / BFS oracles, optimality certificates, path
validity, agreement of all methods, forbidden nodes, multi-source search, threads, errors."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import routecore as rc

from .oracles import (
    arcs,
    bfs_hops,
    geo_bound,
    haversine_km,
    left_sum,
    networkx_graph,
    networkx_lengths,
    scipy_lengths,
)
from .strategies import EdgeList, edge_lists
from .strategies import build_graph as graph_of

METHODS = ("dijkstra", "bidirectional", "astar", "auto")


@st.composite
def graphs_with_nodes(
    draw: st.DrawFn, count: int = 3, **kwargs: Any
) -> tuple[EdgeList, np.ndarray]:
    el = draw(edge_lists(**kwargs))
    nodes = draw(st.lists(st.integers(0, el.num_nodes - 1), min_size=count, max_size=count))
    return el, np.array(nodes, dtype=np.int64)


@st.composite
def forbidden_masks(draw: st.DrawFn, num_nodes: int, keep: np.ndarray) -> np.ndarray:
    mask = np.array(draw(st.lists(st.booleans(), min_size=num_nodes, max_size=num_nodes)))
    mask[keep] = False
    return mask


def assert_valid_path(
    p: rc.Path, el: EdgeList, source: int, target: int, *, exact: bool = True
) -> None:
    assert p.nodes[0] == source
    assert p.nodes[-1] == target
    assert p.edges.shape[0] == p.nodes.shape[0] - 1
    u, v = p.nodes[:-1], p.nodes[1:]
    s, d = el.src[p.edges], el.dst[p.edges]
    forward = (s == u) & (d == v)
    if el.directed:
        assert forward.all()
    else:
        assert (forward | ((s == v) & (d == u))).all()
    if exact:
        assert p.length == left_sum(el.weight[p.edges])
    else:
        assert p.length == pytest.approx(left_sum(el.weight[p.edges]), rel=1e-12, abs=1e-12)


# ------------------------------------------------------------------------ lengths vs oracles
@given(graphs_with_nodes(), st.sampled_from([1, 2]))
def test_lengths_equal_scipy(case: tuple[EdgeList, np.ndarray], threads: int) -> None:
    el, sources = case
    got = rc.shortest_path_lengths(graph_of(el), sources, threads=threads)
    want = scipy_lengths(el.num_nodes, el.src, el.dst, el.weight, el.directed, sources)
    np.testing.assert_allclose(got, want, rtol=1e-12)
    single = rc.shortest_path_lengths(graph_of(el), int(sources[0]))
    assert single.shape == (el.num_nodes,)
    np.testing.assert_array_equal(single, got[0])


@given(graphs_with_nodes(count=1, max_nodes=15, max_edges=40))
def test_lengths_equal_networkx(case: tuple[EdgeList, np.ndarray]) -> None:
    el, (source,) = case
    got = rc.shortest_path_lengths(graph_of(el), int(source))
    nxg = networkx_graph(el.num_nodes, el.src, el.dst, el.weight, el.directed)
    np.testing.assert_allclose(got, networkx_lengths(nxg, int(source)), rtol=1e-12)


@given(graphs_with_nodes(count=2))
def test_optimality_certificate(case: tuple[EdgeList, np.ndarray]) -> None:
    # RoutingKit's certificate: no arc can shorten a distance, and every reached non-source node
    # has a tight arc (its distance is exactly the sum computed along that arc).
    el, sources = case
    dist = rc.shortest_path_lengths(graph_of(el), sources)
    tails, heads, w = arcs(el.num_nodes, el.src, el.dst, el.weight, el.directed)
    for row, s in zip(dist, sources.tolist(), strict=True):
        assert row[s] == 0.0
        assert np.all(row[tails] + w >= row[heads])
        tight = np.zeros(el.num_nodes, dtype=bool)
        reached_tail = np.isfinite(row[tails])
        tight[heads[reached_tail & (row[tails] + w == row[heads])]] = True
        reached = np.isfinite(row)
        reached[s] = False
        assert tight[reached].all()


@given(graphs_with_nodes(count=2))
def test_hop_counts_without_weights_equal_bfs(case: tuple[EdgeList, np.ndarray]) -> None:
    el, sources = case
    got = rc.shortest_path_lengths(graph_of(el, weighted=False), sources)
    for row, s in zip(got, sources.tolist(), strict=True):
        np.testing.assert_array_equal(row, bfs_hops(el.num_nodes, el.src, el.dst, el.directed, s))


@given(graphs_with_nodes(count=2), st.booleans())
def test_weight_argument_overrides_graph_weights(
    case: tuple[EdgeList, np.ndarray], graph_weighted: bool
) -> None:
    el, sources = case
    g = rc.Graph(
        el.num_nodes,
        el.src,
        el.dst,
        weight=np.ones(len(el.src)) if graph_weighted else None,
        directed=el.directed,
    )
    want = rc.shortest_path_lengths(graph_of(el), sources)
    np.testing.assert_array_equal(rc.shortest_path_lengths(g, sources, weight=el.weight), want)
    t = int(sources[1])
    for method in ("dijkstra", "bidirectional"):
        p = rc.shortest_path(g, int(sources[0]), t, weight=el.weight, method=method)
        assert (p is None) == (want[0, t] == np.inf)
        if p is not None:
            assert p.length == pytest.approx(want[0, t], rel=1e-12)


@given(graphs_with_nodes(count=2), st.floats(0, 60))
def test_max_length_cuts_off(case: tuple[EdgeList, np.ndarray], limit: float) -> None:
    el, sources = case
    full = rc.shortest_path_lengths(graph_of(el), sources)
    cut = rc.shortest_path_lengths(graph_of(el), sources, max_length=limit)
    np.testing.assert_array_equal(cut, np.where(full <= limit, full, np.inf))
    hops = rc.shortest_path_lengths(graph_of(el, weighted=False), sources)
    hops_cut = rc.shortest_path_lengths(graph_of(el, weighted=False), sources, max_length=limit)
    np.testing.assert_array_equal(hops_cut, np.where(hops <= limit, hops, np.inf))


@given(
    edge_lists(max_nodes=60, max_edges=300),
    st.lists(st.integers(0, 10**6), min_size=1, max_size=12),
)
def test_thread_count_does_not_change_results(el: EdgeList, picks: list[int]) -> None:
    sources = np.array(picks) % el.num_nodes
    g = graph_of(el)
    one = rc.shortest_path_lengths(g, sources, threads=1)
    np.testing.assert_array_equal(rc.shortest_path_lengths(g, sources, threads=2), one)
    np.testing.assert_array_equal(rc.shortest_path_lengths(g, sources, threads=5), one)
    np.testing.assert_array_equal(rc.shortest_path_lengths(g, sources), one)


# --------------------------------------------------------------------------------- paths


@st.composite
def coordinates(draw: st.DrawFn, num_nodes: int) -> tuple[np.ndarray, np.ndarray]:
    lat = draw(st.lists(st.floats(-90, 90), min_size=num_nodes, max_size=num_nodes))
    lon = draw(st.lists(st.floats(-180, 540), min_size=num_nodes, max_size=num_nodes))
    return np.array(lat), np.array(lon)


@given(st.data())
def test_all_methods_return_valid_paths_of_the_oracle_length(data: st.DataObject) -> None:
    el, (s, t) = data.draw(graphs_with_nodes(count=2))
    s, t = int(s), int(t)
    lat, lon = data.draw(coordinates(el.num_nodes))
    g = graph_of(el)
    want = scipy_lengths(el.num_nodes, el.src, el.dst, el.weight, el.directed, [s])[0, t]
    for method in METHODS:
        geo: dict[str, Any] = {}
        if method in ("astar", "auto"):
            geo = {"coordinates": (lat, lon), "min_cost_per_km": geo_bound(el, lat, lon)}
        p = rc.shortest_path(g, s, t, method=method, **geo)  # type: ignore[arg-type]
        if want == np.inf:
            assert p is None, method
            continue
        assert p is not None, method
        assert_valid_path(p, el, s, t)
        assert p.length == pytest.approx(want, rel=1e-12, abs=1e-12), method
        if s == t:
            assert p.nodes.tolist() == [s] and p.edges.size == 0 and p.length == 0.0


@given(graphs_with_nodes(count=2), st.sampled_from(["dijkstra", "bidirectional"]))
def test_hop_count_paths(case: tuple[EdgeList, np.ndarray], method: str) -> None:
    el, (s, t) = case
    p = rc.shortest_path(graph_of(el, weighted=False), int(s), int(t), method=method)  # type: ignore[arg-type]
    want = bfs_hops(el.num_nodes, el.src, el.dst, el.directed, int(s))[t]
    if want == np.inf:
        assert p is None
        return
    assert p is not None
    assert p.length == want == p.edges.shape[0]


@st.composite
def geometric_graphs(draw: st.DrawFn) -> tuple[rc.Graph, np.ndarray, np.ndarray, float, EdgeList]:
    """Nodes on the globe; every edge weighs cost * great-circle km * (1 + slack), slack >= 0
    and often exactly 0, so the A* bound is tight on many edges."""
    el = draw(edge_lists(max_nodes=40, max_edges=160))
    lat, lon = draw(coordinates(el.num_nodes))
    cost = draw(st.sampled_from([1 / 299.792458, 1.0, 7.5]))
    slack = np.array(
        draw(
            st.lists(
                st.sampled_from([0.0, 0.0, 0.01, 0.5, 3.0]),
                min_size=len(el.src),
                max_size=len(el.src),
            )
        )
    )
    km = haversine_km(lat[el.src], lon[el.src], lat[el.dst], lon[el.dst])
    weight = cost * km * (1 + slack)
    el = EdgeList(el.num_nodes, el.src, el.dst, weight, el.capacity, el.directed)
    return graph_of(el), lat, lon, cost, el


@given(geometric_graphs(), st.data())
def test_astar_with_tight_geographic_bound(
    case: tuple[rc.Graph, np.ndarray, np.ndarray, float, EdgeList], data: st.DataObject
) -> None:
    g, lat, lon, cost, el = case
    s = data.draw(st.integers(0, el.num_nodes - 1))
    t = data.draw(st.integers(0, el.num_nodes - 1))
    want = rc.shortest_path(g, s, t, method="dijkstra")
    # routecore's great-circle formula differs from the haversine used to build the weights in
    # the last bits, so shave the bound by a relative 1e-9 to stay a true lower bound.
    p = rc.shortest_path(
        g, s, t, method="astar", coordinates=(lat, lon), min_cost_per_km=cost * (1 - 1e-9)
    )
    if want is None:
        assert p is None
        return
    assert p is not None
    assert_valid_path(p, el, s, t)
    assert p.length == pytest.approx(want.length, rel=1e-9)


def test_astar_reports_a_violated_bound() -> None:
    # Two nodes 111 km apart joined by an edge of weight 1: 1 per km is not a lower bound.
    g = rc.Graph(3, [0, 1], [1, 2], weight=[1.0, 1.0])
    coords = ([0.0, 1.0, 2.0], [0.0, 0.0, 0.0])
    with pytest.raises(rc.GraphError, match=r"min_cost_per_km = 1.0 is not a lower bound: edge 0"):
        rc.shortest_path(g, 0, 2, coordinates=coords, min_cost_per_km=1.0)
    p = rc.shortest_path(g, 0, 2, coordinates=coords, min_cost_per_km=0.001)
    assert p is not None and p.length == 2.0


def test_path_uses_edge_ids_of_undirected_edges_traversed_backwards() -> None:
    g = rc.Graph(3, [1, 2], [0, 1], weight=[1.0, 1.0], directed=False)
    for method in ("dijkstra", "bidirectional"):
        p = rc.shortest_path(g, 0, 2, method=method)  # type: ignore[arg-type]
        assert p is not None
        assert p.nodes.tolist() == [0, 1, 2] and p.edges.tolist() == [0, 1]


# ------------------------------------------------------------------------- forbidden nodes
@given(st.data())
def test_forbidden_nodes_are_avoided(data: st.DataObject) -> None:
    el, (s, t) = data.draw(graphs_with_nodes(count=2))
    mask = data.draw(forbidden_masks(el.num_nodes, np.array([s, t])))
    g = graph_of(el)
    want = scipy_lengths(el.num_nodes, el.src, el.dst, el.weight, el.directed, [s], mask)[0]
    as_ids = data.draw(st.booleans())
    forbidden = np.flatnonzero(mask) if as_ids else mask
    np.testing.assert_allclose(
        rc.shortest_path_lengths(g, int(s), forbidden_nodes=forbidden), want, rtol=1e-12
    )
    hops = rc.shortest_path_lengths(graph_of(el, weighted=False), int(s), forbidden_nodes=forbidden)
    removed = ~mask[el.src] & ~mask[el.dst]
    bfs = bfs_hops(el.num_nodes, el.src[removed], el.dst[removed], el.directed, int(s))
    np.testing.assert_array_equal(hops, bfs)
    for method in ("dijkstra", "bidirectional", "astar"):
        geo: dict[str, Any] = {}
        if method == "astar":
            geo = {"coordinates": (np.zeros(el.num_nodes),) * 2, "min_cost_per_km": 0.0}
        p = rc.shortest_path(g, int(s), int(t), forbidden_nodes=forbidden, method=method, **geo)  # type: ignore[arg-type]
        if want[t] == np.inf:
            assert p is None
            continue
        assert p is not None
        assert not mask[p.nodes].any()
        assert_valid_path(p, el, int(s), int(t))
        assert p.length == pytest.approx(want[t], rel=1e-12)
    lengths, nearest = rc.nearest_source(g, [s], forbidden_nodes=forbidden)
    np.testing.assert_allclose(lengths, want, rtol=1e-12)
    np.testing.assert_array_equal(nearest, np.where(np.isfinite(want), s, -1))


def test_forbidden_source_or_target_raises() -> None:
    g = rc.Graph(3, [0, 1], [1, 2], weight=[1.0, 1.0])
    with pytest.raises(rc.GraphError, match=r"source = 0 is in forbidden_nodes"):
        rc.shortest_path(g, 0, 2, forbidden_nodes=[0])
    with pytest.raises(rc.GraphError, match=r"target = 2 is in forbidden_nodes"):
        rc.shortest_path(g, 0, 2, forbidden_nodes=np.array([False, False, True]))
    with pytest.raises(rc.GraphError, match=r"sources\[1\] = 1 is in forbidden_nodes"):
        rc.shortest_path_lengths(g, [0, 1], forbidden_nodes=[1])
    with pytest.raises(rc.GraphError, match=r"sources\[0\] = 2 is in forbidden_nodes"):
        rc.nearest_source(g, [2], forbidden_nodes=[2])
    # Forbidding the middle node cuts the path but is no error.
    assert rc.shortest_path(g, 0, 2, forbidden_nodes=[1]) is None


# ---------------------------------------------------------------------- multi-source search
@given(graphs_with_nodes(count=3), st.booleans())
def test_nearest_source_is_min_over_single_sources(
    case: tuple[EdgeList, np.ndarray], reverse: bool
) -> None:
    el, sources = case
    g = graph_of(el)
    lengths, nearest = rc.nearest_source(g, sources, reverse=reverse)
    if reverse:  # distances *to* the sources are distances from them in the reversed graph
        single = scipy_lengths(el.num_nodes, el.dst, el.src, el.weight, el.directed, sources)
    else:
        single = scipy_lengths(el.num_nodes, el.src, el.dst, el.weight, el.directed, sources)
    np.testing.assert_allclose(lengths, single.min(axis=0), rtol=1e-12)
    reached = np.isfinite(lengths)
    np.testing.assert_array_equal(nearest[~reached], -1)
    assert np.isin(nearest[reached], sources).all()
    row = {int(s): i for i, s in enumerate(sources.tolist())}
    achieved = np.array([single[row[int(nearest[v])], v] for v in np.flatnonzero(reached)])
    np.testing.assert_allclose(achieved, lengths[reached], rtol=1e-12)
    assert (nearest[sources] == sources).all()


@given(graphs_with_nodes(count=2), st.booleans())
def test_reverse_equals_search_on_reversed_graph(
    case: tuple[EdgeList, np.ndarray], weighted: bool
) -> None:
    el, sources = case
    g = graph_of(el, weighted=weighted)
    reversed_g = rc.Graph(
        el.num_nodes,
        el.dst,
        el.src,
        weight=el.weight if weighted else None,
        directed=el.directed,
    )
    lengths, nearest = rc.nearest_source(g, sources, reverse=True)
    want_lengths, want_nearest = rc.nearest_source(reversed_g, sources)
    # Arc order differs between the two graphs, so equally short paths may be summed in a
    # different order: equal up to rounding.
    np.testing.assert_allclose(lengths, want_lengths, rtol=1e-12)
    # Ties may be broken differently (arc order differs); the chosen source must be as near.
    np.testing.assert_array_equal(nearest == -1, want_nearest == -1)


@given(graphs_with_nodes(count=2), st.booleans(), st.data())
def test_shortest_path_tree_routes(
    case: tuple[EdgeList, np.ndarray], reverse: bool, data: st.DataObject
) -> None:
    el, sources = case
    g = graph_of(el)
    tree = rc.shortest_path_tree(g, sources, reverse=reverse)
    lengths, nearest = rc.nearest_source(g, sources, reverse=reverse)
    np.testing.assert_array_equal(tree.length, lengths)
    np.testing.assert_array_equal(tree.root, nearest)
    nodes = np.arange(el.num_nodes)
    paths = tree.paths(nodes)
    offsets, edges = tree.route_edges(nodes)
    load = np.zeros(len(el.src))
    for v, p in zip(nodes.tolist(), paths, strict=True):
        if tree.root[v] < 0:
            assert p is None
            assert offsets[v + 1] == offsets[v]
            continue
        assert p is not None
        start, end = (v, int(tree.root[v])) if reverse else (int(tree.root[v]), v)
        assert_valid_path(p, el, start, end, exact=not reverse)
        assert p.length == tree.length[v]
        np.testing.assert_array_equal(edges[offsets[v] : offsets[v + 1]], p.edges)
        assert p == tree.path(v)
        np.add.at(load, p.edges, 1.0)
    np.testing.assert_array_equal(tree.edge_load(nodes), load)
    demand = np.array(
        data.draw(st.lists(st.integers(0, 9), min_size=el.num_nodes, max_size=el.num_nodes)),
        dtype=float,
    )
    weighted_load = np.zeros(len(el.src))
    for v, p in zip(nodes.tolist(), paths, strict=True):
        if p is not None:
            np.add.at(weighted_load, p.edges, demand[v])
    np.testing.assert_allclose(tree.edge_load(nodes, demand), weighted_load)


# ------------------------------------------------------------------- inputs and bad inputs
def test_inputs_are_not_mutated_and_read_only_inputs_work() -> None:
    w = np.array([1.0, 2.0, 3.0])
    src, dst = np.array([0, 1, 0]), np.array([1, 2, 2])
    g = rc.Graph(3, src, dst, weight=w)
    sources = np.array([0, 1])
    mask = np.array([False, False, False])
    for arr in (w, sources, mask):
        arr.flags.writeable = False
    out = rc.shortest_path_lengths(g, sources, weight=w, forbidden_nodes=mask)
    assert out.flags.writeable
    np.testing.assert_array_equal(out, [[0.0, 1.0, 3.0], [np.inf, 0.0, 2.0]])
    np.testing.assert_array_equal(w, [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(sources, [0, 1])
    p = rc.shortest_path(g, 0, 2)
    assert p is not None and not p.nodes.flags.writeable


def test_empty_source_list_and_empty_graph() -> None:
    g = rc.Graph(3, [0], [1], weight=[1.0])
    assert rc.shortest_path_lengths(g, []).shape == (0, 3)
    lengths, nearest = rc.nearest_source(g, [])
    assert np.isinf(lengths).all() and (nearest == -1).all()
    empty = rc.Graph(0, [], [])
    with pytest.raises(rc.GraphError, match="the graph has no nodes"):
        rc.shortest_path_lengths(empty, 0)
    assert rc.shortest_path_lengths(empty, []).shape == (0, 0)


_G = rc.Graph(3, [0, 1], [1, 2], weight=[1.0, 2.0])
_COORDS = (np.zeros(3), np.zeros(3))
_Z, _I = np.zeros(2), np.zeros(2, dtype=np.int32)

BAD_CALLS: list[tuple[Callable[[], object], str]] = [
    (lambda: rc.shortest_path_lengths(_G, 3), r"sources = 3 is not a node id; valid ids are 0..2"),
    (lambda: rc.shortest_path_lengths(_G, [0, -1]), r"sources\[1\] = -1 is not a node id"),
    (lambda: rc.shortest_path_lengths(_G, [0.5]), r"sources: node ids must be integers"),
    (lambda: rc.shortest_path_lengths(_G, True), r"sources must be a node id"),
    (
        lambda: rc.shortest_path_lengths(_G, 0, weight=[1.0]),
        r"weight has 1 entries but the graph has 2",
    ),
    (
        lambda: rc.shortest_path_lengths(_G, 0, weight=[1.0, -2.0]),
        r"weight\[1\] = -2.0 is negative",
    ),
    (lambda: rc.shortest_path_lengths(_G, 0, weight=[np.nan, 1.0]), r"weight\[0\] = nan is NaN"),
    (
        lambda: rc.shortest_path_lengths(_G, 0, weight=[1.0, np.inf]),
        r"weight\[1\] = inf is infinite",
    ),
    (lambda: rc.shortest_path_lengths(_G, 0, weight=["a", "b"]), r"weights must be real numbers"),
    (
        lambda: rc.shortest_path_lengths(_G, 0, forbidden_nodes=[5]),
        r"forbidden_nodes\[0\] = 5 is not a node id",
    ),
    (
        lambda: rc.shortest_path_lengths(_G, 0, forbidden_nodes=[True, False]),
        r"forbidden_nodes: a boolean mask needs shape \(3,\)",
    ),
    (
        lambda: rc.shortest_path_lengths(_G, 0, max_length=-1),
        r"max_length must be >= 0 .* got -1.0",
    ),
    (
        lambda: rc.shortest_path_lengths(_G, 0, max_length=np.nan),
        r"max_length must be >= 0 .* got nan",
    ),
    (
        lambda: rc.shortest_path_lengths(_G, 0, max_length="x"),
        r"max_length must be a number, got 'x'",
    ),
    (lambda: rc.shortest_path(_G, 0, 7), r"target = 7 is not a node id"),
    (lambda: rc.shortest_path(_G, -1, 0), r"source = -1 is not a node id"),
    (lambda: rc.shortest_path(_G, 0, 2, method="astar"), r"method='astar' needs coordinates"),
    (
        lambda: rc.shortest_path(_G, 0, 2, coordinates=_COORDS),
        r"coordinates were given without min_cost_per_km",
    ),
    (
        lambda: rc.shortest_path(_G, 0, 2, coordinates=_COORDS, min_cost_per_km=-1.0),
        r"min_cost_per_km must be finite and >= 0, got -1.0",
    ),
    (
        lambda: rc.shortest_path(_G, 0, 2, coordinates=_COORDS, min_cost_per_km=np.nan),
        r"min_cost_per_km must be finite and >= 0, got nan",
    ),
    (
        lambda: rc.shortest_path(_G, 0, 2, coordinates=_COORDS, min_cost_per_km="fast"),
        r"min_cost_per_km must be a number, got 'fast'",
    ),
    (
        lambda: rc.shortest_path(
            _G, 0, 2, coordinates=(np.zeros(2), np.zeros(2)), min_cost_per_km=1.0
        ),
        r"coordinates: expected \(lat_deg, lon_deg\), two arrays of length 3 .* got shape \(2, 2\)",
    ),
    (
        lambda: rc.shortest_path(
            _G, 0, 2, coordinates=([0.0, 91.0, 0.0], [0.0] * 3), min_cost_per_km=1.0
        ),
        r"coordinates lat_deg\[1\] = 91.0; must be finite, in \[-90, 90\]",
    ),
    (
        lambda: rc.shortest_path(
            _G, 0, 2, coordinates=([0.0] * 3, [0.0, 0.0, np.inf]), min_cost_per_km=1.0
        ),
        r"coordinates lon_deg\[2\] = inf; must be finite",
    ),
    (lambda: rc.shortest_path(_G, 0, 2, min_cost_per_km=1.0), r"method='astar' needs coordinates"),
    (lambda: rc.nearest_source(_G, [0, 9]), r"sources\[1\] = 9 is not a node id"),
    (lambda: rc.shortest_path_tree(_G, [0]).paths([4]), r"nodes\[0\] = 4 is not a node id"),
    (
        lambda: rc.shortest_path_tree(_G, [0]).edge_load([1], [-1.0]),
        r"demand\[0\] = -1.0; demands must be finite and >= 0",
    ),
    (
        lambda: rc.shortest_path_tree(_G, [0]).edge_load([1], [1.0, 2.0]),
        r"demand: expected one value per node, shape \(1,\), got \(2,\)",
    ),
    (
        lambda: rc.ShortestPathTree(_Z, _I, _I, np.array([0, 7], np.int32), False, 1),
        r"parent\[1\] = 7 is not a node id or -1",
    ),
    (
        lambda: rc.ShortestPathTree(_Z, _I, _I, np.array([1, 0], np.int32), False, 1).paths([0]),
        r"parent array is not a forest",
    ),
]


@pytest.mark.parametrize(("call", "message"), BAD_CALLS)
def test_bad_input_raises_graph_error(call: Callable[[], object], message: str) -> None:
    with pytest.raises(rc.GraphError, match=message):
        call()


OPTION_CALLS: list[tuple[Callable[[], object], type[Exception], str]] = [
    (
        lambda: rc.shortest_path_lengths(_G, 0, threads=0),
        ValueError,
        r"threads must be >= 1, got 0",
    ),
    (
        lambda: rc.shortest_path_lengths(_G, 0, threads="2"),
        TypeError,
        r"threads must be a positive integer or None, got '2'",
    ),
    (
        lambda: rc.shortest_path(_G, 0, 2, method="fastest"),
        ValueError,
        r"method must be one of 'auto', 'dijkstra', 'bidirectional', 'astar'; got 'fastest'",
    ),
    (lambda: rc.shortest_path(_G, 0, 2, method=None), TypeError, r"method must be one of"),
    (lambda: rc.nearest_source(_G, 0, reverse="no"), TypeError, r"reverse must be True or False"),
]


@pytest.mark.parametrize(("call", "error", "message"), OPTION_CALLS)
def test_bad_option_raises_value_or_type_error(
    call: Callable[[], object], error: type[Exception], message: str
) -> None:
    """A bad option value is a plain ValueError / TypeError naming the option, not a
    GraphError (which is for bad graph and query data)."""
    with pytest.raises(error, match=message) as info:
        call()
    assert not isinstance(info.value, rc.GraphError)


def test_out_of_range_source_is_also_index_error() -> None:
    with pytest.raises(IndexError, match=re.escape("source = 5 is not a node id")):
        rc.shortest_path(_G, 5, 0)


def test_reverse_weight_cache_follows_the_graph() -> None:
    # Two graphs with the same topology and different weights must not share cached reverse
    # weights, also after the first one is garbage-collected.
    for scale in (1.0, 10.0, 100.0):
        g = rc.Graph(3, [0, 1], [1, 2], weight=[scale, 2 * scale])
        p = rc.shortest_path(g, 0, 2, method="bidirectional")
        assert p is not None and p.length == 3 * scale
        del g
