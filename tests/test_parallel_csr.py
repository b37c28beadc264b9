"""The threaded CSR build (routecore/csr.h) gives exactly the arrays of the serial
``build_csr`` and of ``Graph(...)``, whatever the thread count; and the snapshot and access
graphs built with it equal the graphs ``Graph(...)`` builds from their edge arrays."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import routecore as rc
from routecore import _core
from routecore import constellation as cs
from routecore.constellation import access_graph
from routecore.constellation._snapshot import _graph_from_edges

from .strategies import EdgeList, edge_lists


def assert_same_csr(el: EdgeList, threads: int) -> None:
    src = el.src.astype(np.int32)
    dst = el.dst.astype(np.int32)
    weight = el.weight.astype(np.float64)
    capacity = el.capacity.astype(np.float64)
    ref = _core.build_csr(el.num_nodes, src, dst, el.directed)
    got = _core.build_csr_parallel(el.num_nodes, src, dst, el.directed, weight, capacity, threads)
    for want, have in zip(ref, got[:3], strict=True):
        assert have.dtype == np.int32
        np.testing.assert_array_equal(have, want)
    arc_edge = ref[2]
    edge = np.where(arc_edge < 0, ~arc_edge, arc_edge)
    np.testing.assert_array_equal(got[3], weight[edge])
    np.testing.assert_array_equal(got[4], capacity[edge])
    none = _core.build_csr_parallel(el.num_nodes, src, dst, el.directed, None, None, threads)
    assert none[3] is None and none[4] is None


@given(edge_lists(), st.integers(1, 4))
def test_small_graphs_match_build_csr(el: EdgeList, threads: int) -> None:
    assert_same_csr(el, threads)


@pytest.mark.parametrize("directed", [True, False])
@pytest.mark.parametrize("threads", [1, 2, 3, 4])
def test_graphs_cut_into_several_blocks_match_build_csr(directed: bool, threads: int) -> None:
    # Blocks hold at least 2**16 edges, so this graph is cut into up to 4 blocks. Hubs, isolated
    # nodes, self-loops and parallel edges are all there; every block writes into most nodes.
    rng = np.random.default_rng(threads)
    n, m = 5_000, 4 * 2**16 + 777
    src = np.where(rng.random(m) < 0.2, 7, rng.integers(0, n - 100, m))
    dst = np.where(rng.random(m) < 0.05, src, rng.integers(0, n - 100, m))
    dst[:50] = src[:50] = 3  # parallel self-loops
    el = EdgeList(n, src, dst, rng.random(m), rng.integers(0, 100, m), directed)
    assert_same_csr(el, threads)


@given(edge_lists(), st.integers(1, 2))
def test_trusted_graph_equals_the_validated_graph(el: EdgeList, threads: int) -> None:
    src, dst = el.src.astype(np.int32), el.dst.astype(np.int32)
    capacity = el.capacity.astype(np.float64)
    want = rc.Graph(
        el.num_nodes, src, dst, weight=el.weight, capacity=capacity, directed=el.directed
    )
    got = _graph_from_edges(
        el.num_nodes,
        src,
        dst,
        el.weight,
        capacity,
        directed=el.directed,
        threads=threads,
    )
    assert got == want


def test_snapshot_and_access_graphs_equal_validated_graphs_on_any_threads() -> None:
    rng = np.random.default_rng(17)
    n = 400
    lat, lon = rng.uniform(38.0, 56.0, n), rng.uniform(46.0, 88.0, n)
    role = np.where(np.arange(n) < 6, cs.GroundRole.GATEWAY, cs.GroundRole.TERMINAL)
    links = (rng.integers(0, n, 30), rng.integers(0, n, 30), rng.random(30), rng.random(30))
    snaps = [
        cs.snapshot(
            cs.STARLINK_SHELL1, 900.0, lat, lon, role, links, max_user_links=4, threads=threads
        )
        for threads in (1, 2)
    ]
    one, two = snaps
    for name in ("src", "dst", "medium", "length_km", "elevation_deg", "latency_ms"):
        np.testing.assert_array_equal(getattr(two, name), getattr(one, name))
    want = rc.Graph(
        one.graph.num_nodes,
        one.src,
        one.dst,
        weight=one.latency_ms,
        capacity=one.graph.capacity,
        directed=False,
    )
    assert one.graph == want and two.graph == want
    # The access graph: user links reversed, feeders kept, laser links both ways.
    user = one.edges_of(cs.Medium.USER_LINK)
    feeder = one.edges_of(cs.Medium.FEEDER)
    isl = one.edges_of(cs.Medium.ISL)
    tails = np.concatenate([one.dst[user], one.src[feeder], one.src[isl], one.dst[isl]])
    heads = np.concatenate([one.src[user], one.dst[feeder], one.dst[isl], one.src[isl]])
    lat_ms = one.latency_ms
    weight = np.concatenate([lat_ms[user], lat_ms[feeder], lat_ms[isl], lat_ms[isl]])
    access = rc.Graph(one.graph.num_nodes, tails, heads, weight=weight)
    for snap in snaps:
        for threads in (1, 2):
            built = access_graph(snap, threads=threads)
            graph, medium = built.graph, built.medium
            assert graph == access
            np.testing.assert_array_equal(
                medium, one.medium[np.concatenate([user, feeder, isl, isl])]
            )
