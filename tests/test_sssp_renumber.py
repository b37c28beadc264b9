"""The internal node numbering of one-source shortest paths (cpp/include/routecore/renumber.h,
the rule choose_renumbering in shortest_paths.h, routecore._graph_derived.renumbering): with
the numbering forced on and off, `shortest_path_lengths` gives scipy's lengths, bit-equal to
each other, with blocked nodes, length limits, closed edges, per-call weights, hop counts and
several sources; the rule picks kNN graphs of random points and leaves grids, Erdős–Rényi
graphs and small graphs alone; the cached arrays are read-only, counted by ``nbytes``, and not
pickled (an unpickled graph decides again)."""

from __future__ import annotations

import pickle
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import routecore as rc
from routecore import _core
from routecore._graph_derived import renumbering
from routecore.bench import gen_paths

from .oracles import scipy_lengths, scipy_lengths_within
from .strategies import EdgeList, draw_sources_and_blocked, edge_lists
from .strategies import build_graph as graph_of


def both_ways(g: rc.Graph, **query: object) -> np.ndarray:
    """The lengths with the numbering forced off and forced on, checked bit-equal."""
    renumbering(g, force=False)
    off = rc.shortest_path_lengths(g, **query)  # type: ignore[arg-type]
    assert renumbering(g, force=True) is not None
    on = rc.shortest_path_lengths(g, **query)  # type: ignore[arg-type]
    np.testing.assert_array_equal(on, off)
    return on


@st.composite
def queries(draw: st.DrawFn) -> tuple[EdgeList, np.ndarray, np.ndarray | None, float]:
    el = draw(edge_lists(max_nodes=40, max_edges=160))
    sources, blocked = draw_sources_and_blocked(draw, el.num_nodes)
    scale = float(np.max(el.weight, initial=0.0))
    limit = draw(st.sampled_from([np.inf, 0.0, 0.5 * scale, 2.0 * scale]))
    return el, sources, blocked, limit


@given(queries(), st.sampled_from([1, 2]))
def test_renumbered_lengths_equal_scipy(
    case: tuple[EdgeList, np.ndarray, np.ndarray | None, float], threads: int
) -> None:
    el, sources, blocked, limit = case
    got = both_ways(
        graph_of(el),
        sources=sources,
        forbidden_nodes=blocked,
        max_length=limit,
        threads=threads,
    )
    want = scipy_lengths_within(el, sources, blocked, limit)
    np.testing.assert_allclose(got, want, rtol=1e-12)


@given(edge_lists(max_nodes=30, max_edges=120), st.data())
def test_renumbered_with_call_weights_and_closed_edges(el: EdgeList, data: st.DataObject) -> None:
    m = el.src.shape[0]
    source = data.draw(st.integers(0, el.num_nodes - 1))
    weight = np.array(data.draw(st.lists(st.floats(0, 50), min_size=m, max_size=m)))
    closed = np.array(data.draw(st.lists(st.booleans(), min_size=m, max_size=m)), dtype=bool)
    g = graph_of(el)
    got = both_ways(g, sources=[source], weight=weight, forbidden_edges=closed)
    want = scipy_lengths(
        el.num_nodes, el.src[~closed], el.dst[~closed], weight[~closed], el.directed, [source]
    )
    np.testing.assert_allclose(got, want, rtol=1e-12)
    own = both_ways(g, sources=source, forbidden_edges=closed)
    np.testing.assert_allclose(
        own,
        scipy_lengths(
            el.num_nodes,
            el.src[~closed],
            el.dst[~closed],
            el.weight[~closed],
            el.directed,
            [source],
        )[0],
        rtol=1e-12,
    )


@given(edge_lists(max_nodes=30, max_edges=120), st.data())
def test_renumbered_hop_counts(el: EdgeList, data: st.DataObject) -> None:
    source = data.draw(st.integers(0, el.num_nodes - 1))
    got = both_ways(graph_of(el, weighted=False), sources=source)
    ones = np.ones(el.src.shape[0])
    want = scipy_lengths(el.num_nodes, el.src, el.dst, ones, el.directed, [source])[0]
    np.testing.assert_array_equal(got, want)


def knn_graph(n: int, *, seed: int = 3) -> tuple[rc.Graph, np.ndarray, np.ndarray, np.ndarray]:
    """The benchmark's kNN family (random points, ids in random order), with its edges."""
    num_nodes, src, dst, w, directed = gen_paths.geometric_knn(n, 8, seed=seed)
    return rc.Graph(num_nodes, src, dst, weight=w, directed=directed), src, dst, w


def test_rule_picks_knn_and_certificate_holds() -> None:
    g, src, dst, w = knn_graph(30_000)
    inner = renumbering(g)
    assert inner is not None
    # The internal ids of neighbours are close: the statistic the rule reads.
    gap = np.abs(inner.new_id[src].astype(np.int64) - inner.new_id[dst])
    assert np.median(gap) < 4096 < np.median(np.abs(src - dst))
    sources = np.array([0, 12_345, 29_999])
    got = rc.shortest_path_lengths(g, sources, threads=2)
    np.testing.assert_allclose(
        got, scipy_lengths(g.num_nodes, src, dst, w, False, sources), rtol=1e-12
    )
    # Optimality certificate on the user's ids: no edge improves a length (either way), and
    # every reached non-source node has a tight edge into it.
    for row, s in zip(got, sources, strict=True):
        a, b = row[src], row[dst]
        assert np.all(a + w >= b) and np.all(b + w >= a)
        tight = np.zeros(g.num_nodes, dtype=bool)
        tight[dst[a + w == b]] = True
        tight[src[b + w == a]] = True
        tight[s] = True
        assert np.all(tight[np.isfinite(row)])


@pytest.mark.parametrize(
    "edges",
    [
        gen_paths.road_grid(200, integer=False, seed=1),  # ids follow the rows
        gen_paths.erdos_renyi(60_000, 240_000, seed=1),  # no locality to recover
        gen_paths.power_law(50_000, 500_000, seed=1),
        gen_paths.geometric_knn(1_000, 8, seed=1),  # fits in cache
    ],
    ids=["grid", "erdos-renyi", "power-law", "small-knn"],
)
def test_rule_leaves_other_families_alone(edges: gen_paths.Edges) -> None:
    n, src, dst, w, directed = edges
    g = rc.Graph(n, src, dst, weight=w, directed=directed)
    assert renumbering(g) is None
    assert rc.shortest_path_lengths(g, 0)[0] == 0.0


def test_cached_arrays_read_only_counted_and_not_pickled() -> None:
    g, _, _, _ = knn_graph(20_000)
    before = g.nbytes
    pickled = pickle.dumps(g)
    inner = renumbering(g)
    assert inner is not None and renumbering(g) is inner  # built once
    held = inner.arrays()
    assert g.nbytes == before + sum(a.nbytes for a in held)
    for a in held:
        assert not a.flags.writeable
        with pytest.raises(ValueError, match="WRITEABLE"):
            a.flags.writeable = True
        with pytest.raises(ValueError, match="read-only"):
            a[0] = 0
    assert pickle.dumps(g) == pickled  # derived data stays out of the pickle
    copy = pickle.loads(pickle.dumps(g))
    np.testing.assert_array_equal(
        rc.shortest_path_lengths(copy, [5, 7]), rc.shortest_path_lengths(g, [5, 7])
    )
    again = renumbering(copy)
    assert again is not None and again is not inner
    np.testing.assert_array_equal(again.new_id, inner.new_id)  # the order is deterministic


def test_core_refuses_half_a_numbering() -> None:
    g, _, _, _ = knn_graph(2_000)
    inner = renumbering(g, force=True)
    assert inner is not None
    with pytest.raises(ValueError, match="new_id and old_id"):
        _core.shortest_path_lengths(
            *inner.adjacency,
            inner.arc_weight,
            np.array([0], np.int32),
            None,
            np.inf,
            1,
            new_id=inner.new_id,
        )


def test_first_calls_from_threads_agree_with_scipy() -> None:
    g, src, dst, w = knn_graph(20_000, seed=5)
    sources = [[i, 19_999 - i] for i in range(8)]
    with ThreadPoolExecutor(4) as pool:
        rows = list(pool.map(lambda s: rc.shortest_path_lengths(g, s, threads=2), sources))
    inner = renumbering(g)
    assert inner is not None
    for s, got in zip(sources, rows, strict=True):
        np.testing.assert_allclose(
            got, scipy_lengths(g.num_nodes, src, dst, w, False, np.array(s)), rtol=1e-12
        )
    renumbering(g, force=False)
    for s, got in zip(sources, rows, strict=True):
        np.testing.assert_array_equal(got, rc.shortest_path_lengths(g, s))
