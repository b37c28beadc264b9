"""One-source shortest-path lengths through every priority queue of shortest_paths.h (radix heap,
4-ary heap with and without prefetches, bucket queue, chosen by graph size and weights) and
through the per-thread workspace that small unblocked calls reuse: all against scipy, and all
equal to each other exactly (Dijkstra's distances do not depend on the order of equal keys)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import routecore as rc

from .oracles import core_lengths, scipy_lengths_within
from .strategies import EdgeList, draw_sources_and_blocked, edge_lists
from .strategies import build_graph as graph_of

AUTO, RADIX, QUATERNARY, IN_CACHE, BUCKETS = -1, 0, 1, 2, 3


@st.composite
def queries(
    draw: st.DrawFn,
) -> tuple[EdgeList, np.ndarray, np.ndarray | None, float]:
    el = draw(edge_lists(max_nodes=40, max_edges=160))
    n = el.num_nodes
    sources, blocked = draw_sources_and_blocked(draw, n)
    limit = draw(st.sampled_from([np.inf, 0.0, 5.0, 40.0]))
    return el, sources, blocked, limit


@given(queries(), st.sampled_from([1, 2]))
def test_every_queue_equals_scipy(
    case: tuple[EdgeList, np.ndarray, np.ndarray | None, float], threads: int
) -> None:
    el, sources, blocked, limit = case
    g = graph_of(el)
    want = scipy_lengths_within(el, sources, blocked, limit)
    results = [
        core_lengths(g, sources, queue=q, blocked=blocked, max_length=limit, threads=threads)
        for q in (AUTO, RADIX, QUATERNARY, IN_CACHE, BUCKETS)
    ]
    np.testing.assert_allclose(results[0], want, rtol=1e-12)
    for got in results[1:]:
        np.testing.assert_array_equal(got, results[0])


@given(st.lists(queries(), min_size=2, max_size=4))
def test_reused_workspace_across_graphs_and_masks(
    cases: list[tuple[EdgeList, np.ndarray, np.ndarray | None, float]],
) -> None:
    # Calls on graphs of different sizes, with and without blocked nodes and with early stops
    # (max_length), in a row and then again in reverse: the per-thread workspace that unblocked
    # calls share must come back clean every time.
    for el, sources, blocked, limit in cases + cases[::-1]:
        got = rc.shortest_path_lengths(
            graph_of(el), sources, forbidden_nodes=blocked, max_length=limit, threads=1
        )
        np.testing.assert_allclose(
            got, scipy_lengths_within(el, sources, blocked, limit), rtol=1e-12
        )


def test_reused_workspace_per_thread() -> None:
    # Python threads calling at once each get their own cached workspace.
    rng = np.random.default_rng(7)
    cases = []
    for i in range(24):
        n = 50 + 37 * (i % 5)
        m = 4 * n
        src, dst = rng.integers(0, n, m), rng.integers(0, n, m)
        w = rng.integers(0, 9, m).astype(np.float64) if i % 2 else rng.uniform(0, 10, m)
        el = EdgeList(n, src, dst, w, np.zeros(m, dtype=np.int64), bool(i % 3))
        s = np.array([i % n])
        cases.append((graph_of(el), s, scipy_lengths_within(el, s, None, np.inf)[0]))

    def run(case: tuple[rc.Graph, np.ndarray, np.ndarray]) -> bool:
        g, s, want = case
        return all(
            np.array_equal(rc.shortest_path_lengths(g, int(s[0]), threads=1), want)
            for _ in range(20)
        )

    with ThreadPoolExecutor(4) as pool:
        assert all(pool.map(run, cases * 3))


@pytest.mark.parametrize("integer", [True, False])
def test_large_graph_queues(integer: bool) -> None:
    # 300 x 300 grid: 358,800 arcs, over radix_min_arcs (2**18), and too large for the
    # no-prefetch queue; weights in [1, 100], so auto takes the bucket queue; every queue agrees
    # with scipy.
    side = 300
    rng = np.random.default_rng(3)
    ids = np.arange(side * side).reshape(side, side)
    a = np.r_[ids[:, :-1].ravel(), ids[:-1, :].ravel()]
    b = np.r_[ids[:, 1:].ravel(), ids[1:, :].ravel()]
    src, dst = np.r_[a, b], np.r_[b, a]
    m = src.size
    w = rng.integers(1, 101, m).astype(np.float64) if integer else rng.uniform(1, 100, m)
    el = EdgeList(side * side, src, dst, w, np.zeros(m, dtype=np.int64), True)
    g = graph_of(el)
    assert g.num_edges >= 2**18
    sources = np.array([side * side // 2 + 17])
    want = scipy_lengths_within(el, sources, None, np.inf)
    auto = core_lengths(g, sources, queue=AUTO)
    np.testing.assert_allclose(auto, want, rtol=1e-12)
    for q in (RADIX, QUATERNARY, BUCKETS):
        np.testing.assert_array_equal(core_lengths(g, sources, queue=q), auto)


def test_queue_out_of_range() -> None:
    g = rc.Graph(2, [0], [1], weight=[1.0])
    with pytest.raises(ValueError, match="queue"):
        core_lengths(g, np.array([0]), queue=4)
