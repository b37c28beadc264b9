"""The bucket queue of one-source shortest paths (cpp/include/routecore/dijkstra_buckets.h):
chosen by `auto` when every weight is positive and the largest is at most 16384 times the
smallest. Against scipy, and bit for bit equal to the 4-ary heap, with weights that round
(decimal fractions), blocked nodes, early stops, closed edges and weight ranges on both sides
of the rule."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import routecore as rc
from routecore import _core

from .oracles import core_lengths, scipy_lengths, scipy_lengths_within
from .strategies import EdgeList, draw_sources_and_blocked
from .strategies import build_graph as graph_of

AUTO, QUATERNARY, BUCKETS = -1, 1, 3
MAX_RATIO = 16384.0  # bucket_max_ratio in shortest_paths.h


@st.composite
def positive_edge_lists(draw: st.DrawFn, *, max_nodes: int = 40, max_edges: int = 160) -> EdgeList:
    """Graphs whose weights lie in [low, low * ratio]: some ratios just inside the rule, some
    just outside, and decimal fractions whose sums round."""
    n = draw(st.integers(1, max_nodes))
    m = draw(st.integers(0, max_edges))
    ids = st.integers(0, n - 1)
    src = np.array(draw(st.lists(ids, min_size=m, max_size=m)), dtype=np.int64)
    dst = np.array(draw(st.lists(ids, min_size=m, max_size=m)), dtype=np.int64)
    low = draw(st.sampled_from([1e-6, 0.1, 0.3, 1.0, 7.0, 1e4]))
    ratio = draw(st.sampled_from([1.0, 1.5, 10.0, 100.0, MAX_RATIO, MAX_RATIO * 1.01, 1e6]))
    kind = draw(st.sampled_from(["uniform", "decimal", "ends"]))
    if kind == "decimal":  # multiples of 0.1 (not exact in binary) scaled by low
        steps = draw(st.lists(st.integers(1, 30), min_size=m, max_size=m))
        w = low * 0.1 * np.array(steps, dtype=np.float64)
    elif kind == "ends":  # the smallest and the largest weight the range allows, mixed
        picks = draw(st.lists(st.booleans(), min_size=m, max_size=m))
        w = np.where(np.array(picks, dtype=bool), low, low * ratio).astype(np.float64)
    else:
        unit = draw(st.lists(st.floats(0, 1), min_size=m, max_size=m))
        w = low * (1.0 + (ratio - 1.0) * np.array(unit, dtype=np.float64))
    w = np.asarray(w, dtype=np.float64).reshape(m)
    directed = draw(st.booleans())
    return EdgeList(n, src, dst, w, np.zeros(m, dtype=np.int64), directed)


@st.composite
def bucket_queries(
    draw: st.DrawFn,
) -> tuple[EdgeList, np.ndarray, np.ndarray | None, float]:
    el = draw(positive_edge_lists())
    n = el.num_nodes
    sources, blocked = draw_sources_and_blocked(draw, n)
    scale = float(np.max(el.weight)) if el.weight.size else 1.0
    limit = draw(st.sampled_from([np.inf, 0.0, 1.0, 3.0])) * scale
    return el, sources, blocked, limit


@given(bucket_queries(), st.sampled_from([1, 2]))
def test_buckets_equal_scipy_and_heap(
    case: tuple[EdgeList, np.ndarray, np.ndarray | None, float], threads: int
) -> None:
    el, sources, blocked, limit = case
    g = graph_of(el)
    want = scipy_lengths_within(el, sources, blocked, limit)
    heap = core_lengths(g, sources, queue=QUATERNARY, blocked=blocked, max_length=limit)
    np.testing.assert_allclose(heap, want, rtol=1e-12)
    for queue in (BUCKETS, AUTO):
        got = core_lengths(
            g, sources, queue=queue, blocked=blocked, max_length=limit, threads=threads
        )
        np.testing.assert_array_equal(got, heap)


@given(positive_edge_lists(), st.data())
def test_buckets_with_closed_edges(el: EdgeList, data: st.DataObject) -> None:
    # Closed edges reach the core as +inf weights: the range's maximum skips them.
    g = graph_of(el)
    m = el.src.size
    closed = np.array(data.draw(st.lists(st.booleans(), min_size=m, max_size=m)), dtype=bool)
    source = data.draw(st.integers(0, el.num_nodes - 1))
    got = rc.shortest_path_lengths(g, source, forbidden_edges=closed)
    keep = ~closed
    want = scipy_lengths(
        el.num_nodes, el.src[keep], el.dst[keep], el.weight[keep], el.directed, np.array([source])
    )[0]
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_weight_range() -> None:
    w = np.array([3.0, np.inf, 0.5, 7.0, np.inf, 2.0, 1.0])
    assert _core.weight_range(w) == (0.5, 7.0)
    assert _core.weight_range(np.array([np.inf])) == (np.inf, 0.0)
    assert _core.weight_range(np.empty(0)) == (np.inf, 0.0)


@pytest.mark.parametrize("ratio", [100.0, MAX_RATIO, 1e6])
def test_large_random_ids(ratio: float) -> None:
    # 20,000 nodes with random ids and 100,000 arcs: buckets hold many nodes, so the lookahead
    # prefetches run; the largest ratio is outside the rule (auto takes the 4-ary heap).
    rng = np.random.default_rng(11)
    n, m = 20_000, 100_000
    src, dst = rng.integers(0, n, m), rng.integers(0, n, m)
    w = rng.uniform(1.0, ratio, m)
    el = EdgeList(n, src, dst, w, np.zeros(m, dtype=np.int64), True)
    g = graph_of(el)
    sources = np.array([5, 17])
    want = scipy_lengths(n, src, dst, w, True, sources)
    heap = core_lengths(g, sources, queue=QUATERNARY)
    np.testing.assert_allclose(heap, want, rtol=1e-12)
    for queue in (BUCKETS, AUTO):
        np.testing.assert_array_equal(core_lengths(g, sources, queue=queue), heap)
