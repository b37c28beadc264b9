"""Both canonical minimum cuts and the critical edges (in every minimum cut), against brute
force: re-solving with networkx after raising one edge's capacity, and enumerating every cut."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

import routecore as rc

from .oracles import problem_flow_value
from .strategies import FlowProblem, flow_problems

METHODS = ("push_relabel", "boykov_kolmogorov", "dinic", "ibfs")


def _graph(p: FlowProblem) -> rc.Graph:
    return rc.Graph(p.num_nodes, p.src, p.dst, capacity=p.capacity, directed=p.directed)


def _crossing(p: FlowProblem, side: np.ndarray) -> np.ndarray:
    crossing = side[p.src] & ~side[p.dst]
    if not p.directed:
        crossing |= side[p.dst] & ~side[p.src]
    return crossing


def _check_cut(p: FlowProblem, side: np.ndarray, cut: np.ndarray, value: int) -> None:
    assert side[p.source_ids].all() and not side[p.sink_ids].any()
    np.testing.assert_array_equal(cut, np.flatnonzero(_crossing(p, side)))
    assert int(p.capacity[cut].sum()) == value


def _brute_critical(p: FlowProblem, value: int) -> np.ndarray:
    """Edges whose capacity + 1 raises the max flow (networkx re-solves every one)."""
    out = []
    for e in range(p.src.size):
        cap = p.capacity.copy()
        cap[e] += 1
        if problem_flow_value(p, cap) > value:
            out.append(e)
    return np.asarray(out, dtype=np.int64)


@settings(max_examples=60)
@given(flow_problems(max_nodes=9, max_edges=20))
def test_critical_edges_are_exactly_the_edges_whose_upgrade_raises_the_flow(
    p: FlowProblem,
) -> None:
    g = _graph(p)
    expected = None
    for method in METHODS:
        r = rc.max_flow(g, p.sources, p.sinks, method=method, both_cuts=True)
        mc = rc.min_cut(g, p.sources, p.sinks, method=method, both_cuts=True)
        if expected is None:
            expected = _brute_critical(p, int(r.value))
        np.testing.assert_array_equal(r.critical_edges, expected)
        np.testing.assert_array_equal(mc.critical_edges, expected)
        assert r.critical_edges.dtype == np.int32
        # Both canonical cuts are minimum cuts, nested, and the same from either call.
        _check_cut(p, r.smallest_source_side, r.cut_edges_closest_to_sources, int(r.value))
        _check_cut(p, r.largest_source_side, r.cut_edges_closest_to_sinks, int(r.value))
        _check_cut(p, mc.smallest_source_side, mc.cut_edges_closest_to_sources, int(mc.value))
        _check_cut(p, mc.largest_source_side, mc.cut_edges_closest_to_sinks, int(mc.value))
        assert not np.any(r.smallest_source_side & ~r.largest_source_side)
        np.testing.assert_array_equal(r.smallest_source_side, mc.smallest_source_side)
        np.testing.assert_array_equal(r.largest_source_side, mc.largest_source_side)
        assert r.cut_is_unique == mc.cut_is_unique


@settings(max_examples=60)
@given(flow_problems(max_nodes=8, max_edges=16))
def test_uniqueness_and_critical_edges_against_every_cut(p: FlowProblem) -> None:
    """Enumerate every source side: the critical edges are those crossing every minimum cut,
    and a cut reported unique means every minimum cut crosses the same positive-capacity
    edges."""
    free = np.setdiff1d(np.arange(p.num_nodes), np.concatenate([p.source_ids, p.sink_ids]))
    best, crossings = None, []
    for bits in range(2**free.size):
        side = np.zeros(p.num_nodes, dtype=bool)
        side[p.source_ids] = True
        side[free] = (bits >> np.arange(free.size)) & 1 == 1
        crossing = _crossing(p, side)
        value = int(p.capacity[crossing].sum())
        if best is None or value < best:
            best, crossings = value, [crossing]
        elif value == best:
            crossings.append(crossing)
    in_every = np.logical_and.reduce(crossings)
    positive = [tuple(np.flatnonzero(c & (p.capacity > 0))) for c in crossings]
    r = rc.max_flow(_graph(p), p.sources, p.sinks, both_cuts=True)
    assert r.value == best
    np.testing.assert_array_equal(r.critical_edges, np.flatnonzero(in_every))
    if r.cut_is_unique:
        assert len(set(positive)) == 1
    else:
        assert len({tuple(np.flatnonzero(c)) for c in crossings}) > 1


@pytest.mark.parametrize("method", METHODS)
def test_two_equally_tight_cuts_have_no_critical_edge(method: str) -> None:
    # Two bottlenecks in series (0 -1- 1 -1- 2 -5- 3): doubling either alone changes nothing.
    g = rc.Graph(4, [0, 1, 2], [1, 2, 3], capacity=[1, 1, 5], directed=False)
    r = rc.max_flow(g, 0, 3, method=method, both_cuts=True)
    assert r.cut_edges.tolist() == [0]
    assert r.cut_edges_closest_to_sinks.tolist() == [1]
    assert r.critical_edges.tolist() == []
    assert not r.cut_is_unique
    # One bottleneck: it is critical and the cut is unique.
    g1 = rc.Graph(3, [0, 1], [1, 2], capacity=[1, 5], directed=False)
    r1 = rc.max_flow(g1, 0, 2, method=method, both_cuts=True)
    assert r1.critical_edges.tolist() == [0] and r1.cut_is_unique
    mc = rc.min_cut(g1, 0, 2, method=method, both_cuts=True)
    value, _side, cut = mc
    assert (value, cut.tolist(), mc[2].tolist(), len(mc)) == (1, [0], [0], 3)


def test_transit_critical_links_are_the_upgrades_that_raise_the_flow() -> None:
    """On the shipped scenario, per case: upgrading a link (capacity x 2) raises the transit
    max flow exactly when the report lists it as critical; both reported cuts are minimum."""
    from routecore.analyses import flow_between
    from routecore.scenario import load_scenario

    base = load_scenario("central-asia")
    for variant in ("tcfo-4tbps", "tcfo-6tbps"):
        net = base.variant(variant)
        cap = net.column("links", "capacity_gbps").astype(np.float64)
        ids = list(net.column("links", "id"))
        for avoid in ((), ("RU",)):
            report = flow_between(net, avoid_countries=avoid)
            links = report.links
            for col in ("in_cut", "in_sink_cut"):
                assert links.loc[links[col], "capacity_gbps"].sum() == report.value_gbps
            raises = []
            for e, link in enumerate(ids):
                up = cap.copy()
                up[e] *= 2
                if flow_between(net, avoid_countries=avoid, capacity=up).value_gbps > (
                    report.value_gbps + 1e-6
                ):
                    raises.append(link)
            assert sorted(report.critical_links) == sorted(raises), (variant, avoid)
            assert report.cut_is_unique == (
                set(report.cut_links) == set(report.cut_links_closest_to_sinks)
            )
    # The case from issue 11: with Russia and the 4 Tbit/s cable no single upgrade helps.
    with_ru = flow_between(base.variant("tcfo-4tbps"))
    assert not with_ru.cut_is_unique and with_ru.critical_links == ()


@pytest.mark.parametrize("method", ["push_relabel", "ibfs", "boykov_kolmogorov", "dinic"])
def test_both_cuts_only_when_asked_and_the_rest_unchanged(method: str) -> None:
    """Without ``both_cuts`` the other cut and the critical edges are not computed (None), and
    everything else is what the full call reports."""
    g = rc.Graph(3, [0, 1], [1, 2], capacity=[1, 1])
    full, lean = rc.max_flow(g, 0, 2, method=method, both_cuts=True), rc.max_flow(g, 0, 2)
    assert lean.largest_source_side is None and lean.critical_edges is None
    assert lean.cut_edges_closest_to_sinks is None and lean.cut_is_unique is None
    assert full.cut_is_unique is False and lean.value == full.value
    np.testing.assert_array_equal(lean.edge_flow, full.edge_flow)
    np.testing.assert_array_equal(lean.cut_edges, full.cut_edges)
    cut = rc.min_cut(g, 0, 2, method=method)
    assert cut.smallest_source_side is None and cut.cut_is_unique is None
    np.testing.assert_array_equal(cut.source_side, full.largest_source_side)
