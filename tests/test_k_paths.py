"""k shortest loopless paths: lengths against scipy's yen and networkx's shortest_simple_paths
(on the graph with every edge subdivided, so that parallel edges give distinct paths), and a
certificate for every path (simple, real edges, length = sum of its weights)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import routecore as rc

from .oracles import check_path, left_sum, networkx_k_lengths, node_mask, scipy_k_lengths
from .strategies import build_graph, draw_ids, edge_lists


def check_k_paths(el, weight, s, t, paths, removed=None) -> None:  # type: ignore[no-untyped-def]
    seen = set()
    for p in paths:
        check_path(el, weight, s, t, p, removed)
        assert len(set(p.nodes.tolist())) == len(p.nodes), "a loop"
        assert p.length == left_sum(np.ones(len(p.edges)) if weight is None else weight[p.edges])
        seen.add(tuple(p.edges.tolist()))
    assert len(seen) == len(paths), "a path listed twice"
    lengths = [p.length for p in paths]
    assert lengths == sorted(lengths)


@st.composite
def queries(draw: st.DrawFn):  # type: ignore[no-untyped-def]
    el = draw(edge_lists(max_nodes=9, max_edges=22))
    s = draw(st.integers(0, el.num_nodes - 1))
    t = draw(st.integers(0, el.num_nodes - 1))
    k = draw(st.integers(1, 12))
    weighted = draw(st.booleans())
    forbidden = draw_ids(draw, el.num_nodes, max_size=2)
    forbidden = forbidden[(forbidden != s) & (forbidden != t)]
    return el, s, t, k, weighted, forbidden


@given(queries())
def test_lengths_match_scipy_yen_and_networkx(q) -> None:  # type: ignore[no-untyped-def]
    el, s, t, k, weighted, forbidden = q
    g = build_graph(el, weighted=weighted, capacity=False)
    weight = el.weight if weighted else None
    removed = node_mask(forbidden, el.num_nodes) if forbidden.size else None
    paths = rc.k_shortest_paths(g, s, t, k, forbidden_nodes=forbidden)
    check_k_paths(el, weight, s, t, paths, removed)
    got = np.array([p.length for p in paths])
    want = scipy_k_lengths(el, weight, s, t, k, removed)
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(got, networkx_k_lengths(el, weight, s, t, k, removed), rtol=1e-12)


@given(queries(), st.floats(0, 60))
def test_max_length_keeps_the_prefix_within_it(q, limit: float) -> None:  # type: ignore[no-untyped-def]
    el, s, t, k, weighted, _ = q
    g = build_graph(el, weighted=weighted, capacity=False)
    full = rc.k_shortest_paths(g, s, t, k)
    cut = rc.k_shortest_paths(g, s, t, k, max_length=limit)
    assert [p.length for p in cut] == [p.length for p in full if p.length <= limit]


@given(edge_lists(max_nodes=8, max_edges=20), st.integers(1, 8), st.data())
def test_pairs_in_threads_equal_single_queries(el, k: int, data: st.DataObject) -> None:  # type: ignore[no-untyped-def]
    g = build_graph(el, capacity=False)
    sources = draw_ids(data.draw, el.num_nodes, max_size=5)
    targets = draw_ids(data.draw, el.num_nodes, min_size=sources.size, max_size=sources.size)
    batch = rc.k_shortest_paths(g, sources, targets, k, threads=3)
    assert len(batch) == sources.size
    for (s, t), paths in zip(
        zip(sources.tolist(), targets.tolist(), strict=True), batch, strict=True
    ):
        single = rc.k_shortest_paths(g, s, t, k, threads=1)
        assert paths == single  # deterministic, ties included


def test_ties_parallel_edges_and_zero_weights() -> None:
    # Two parallel 0 -> 1 edges of weight 0 and a diamond of equal lengths: every tie.
    g = rc.Graph(4, [0, 0, 1, 1, 2, 3], [1, 1, 2, 3, 3, 2], weight=[0, 0, 1, 1, 0, 0])
    paths = rc.k_shortest_paths(g, 0, 3, 10)
    assert sorted(p.edges.tolist() for p in paths) == [[0, 2, 4], [0, 3], [1, 2, 4], [1, 3]]
    assert [p.length for p in paths] == [1.0] * 4
    assert rc.k_shortest_paths(g, 0, 3, 10) == paths  # the same order every time


def test_undirected_source_equals_target_and_unreachable() -> None:
    g = rc.Graph(4, [0, 1, 0], [1, 2, 2], weight=[1.0, 1.0, 3.0], directed=False)
    assert [p.nodes.tolist() for p in rc.k_shortest_paths(g, 2, 0, 5)] == [[2, 1, 0], [2, 0]]
    (only,) = rc.k_shortest_paths(g, 1, 1, 3)
    assert only.nodes.tolist() == [1] and only.length == 0.0
    assert rc.k_shortest_paths(g, 0, 3, 3) == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"k": 0}, "k must be >= 1"),
        ({"k": 2.5}, "k must be an integer"),
        ({"k": True}, "k must be an integer"),
        ({"source": 9}, "source = 9 is not a node id"),
        ({"forbidden_nodes": [2]}, "target = 2 is in forbidden_nodes"),
        ({"source": [0, 1], "target": [2]}, "sequences of the same length"),
        ({"source": [0], "target": 2}, "sequences of the same length"),
        ({"weight": [1.0, -1.0]}, r"weight\[1\] = -1.0 is negative"),
        ({"max_length": float("nan")}, "max_length must be >= 0"),
    ],
)
def test_bad_input_names_what_and_where(kwargs, message: str) -> None:  # type: ignore[no-untyped-def]
    g = rc.Graph(3, [0, 1], [1, 2])
    args = {"source": 0, "target": 2, "k": 2} | kwargs
    with pytest.raises(rc.GraphError, match=message):
        rc.k_shortest_paths(g, args.pop("source"), args.pop("target"), args.pop("k"), **args)
