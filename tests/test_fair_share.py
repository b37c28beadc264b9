"""max_min_fair: rates against two oracles (exact brute-force progressive filling over every
subset of sources; a sequence of HiGHS LPs), certificates checked on the raw edge list (the flow
realises the rates; every source below its demand sits in a saturated set where no source has
a higher rate), and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import routecore as rc
from routecore.fair_share import FairShare

from .oracles import (
    capped_flow_value,
    exact_fair_rates,
    flow_value,
    highs_fair_rates,
    residual_closure,
)
from .strategies import FairProblem, FlowProblem, fair_problems


def solve(p: FairProblem) -> FairShare:
    fp = p.flow
    g = rc.Graph(fp.num_nodes, fp.src, fp.dst, capacity=fp.capacity, directed=fp.directed)
    return rc.max_min_fair(g, fp.source_ids, fp.sinks, p.demand)


def tolerance(p: FairProblem) -> float:
    """Float results agree within 1e-9 of the largest flow the sources could send (networkx,
    exact for integer capacities): the scale of every rate and edge flow, however large the
    capacities of edges the flow cannot fill."""
    fp = p.flow
    exact = flow_value(fp, fp.capacity.astype(object), fp.source_ids, fp.sink_ids)
    return 1e-9 * max(1.0, float(exact))


def check_certificate(p: FairProblem, fair: FairShare) -> None:
    """Everything a FairShare claims, checked against the raw edge list."""
    fp, tol = p.flow, tolerance(p)
    ids, demand = fp.source_ids, p.demand_per_source
    rates, f = fair.rates, fair.edge_flow
    cap = fp.capacity.astype(np.float64)
    # Rates within [0, demand], the summaries consistent.
    assert np.all(rates >= 0) and np.all(rates <= demand)
    assert fair.total == pytest.approx(rates.sum(), abs=tol)
    assert fair.guaranteed == rates.min()
    assert np.array_equal(fair.full_demand, fair.level_of == -1)
    assert np.array_equal(rates[fair.full_demand], demand[fair.full_demand])
    assert np.all(np.diff(fair.levels) > 0)
    for j, level in enumerate(fair.levels):
        assert np.all(rates[fair.level_of == j] == level)
        assert (fair.level_of == j).any()
    # The flow: capacities, and each node emits its rate (sources), nothing (others) or
    # absorbs (sinks).
    assert np.all(np.abs(f) <= cap + tol)
    if fp.directed:
        assert np.all(f >= -tol)
    n = fp.num_nodes
    net_out = np.bincount(fp.src, weights=f, minlength=n) - np.bincount(
        fp.dst, weights=f, minlength=n
    )
    expected = np.zeros(n)
    expected[ids] = rates
    inner = np.ones(n, dtype=bool)
    inner[fp.sink_ids] = False
    np.testing.assert_allclose(net_out[inner], expected[inner], atol=tol)
    # Each level's cut is saturated.
    for edges in fair.level_cut_edges:
        np.testing.assert_allclose(np.abs(f[edges]), cap[edges], atol=tol)
    # Optimality: a source below its demand cannot push more to a sink, nor take capacity
    # from a source with a higher rate (the residual set it reaches is a tight set in which
    # it has the highest rate).
    is_sink = ~inner
    for i in np.flatnonzero(~fair.full_demand):
        reach = residual_closure(fp, f, int(ids[i]), tol=tol)
        assert not reach[is_sink].any(), f"source {i} can still reach a sink"
        assert np.all(rates[reach[ids]] <= rates[i] + tol), f"source {i} could take from another"
    # Total at most the maximum flow from the same sources (networkx), and equal to it with
    # each source's supply capped at its demand: a max-min fair allocation is a maximal flow.
    assert fair.total <= flow_value(fp, fp.capacity, ids, fp.sink_ids) + tol
    capped = capped_flow_value(fp, demand)
    assert fair.total == pytest.approx(capped, rel=1e-9, abs=tol)


@given(fair_problems())
def test_matches_exact_progressive_filling(p: FairProblem) -> None:
    fair = solve(p)
    exact = exact_fair_rates(p)
    np.testing.assert_allclose(fair.rates, [float(r) for r in exact], rtol=1e-12, atol=1e-12)
    check_certificate(p, fair)
    # Levels: exactly the distinct rates of the sources frozen below their demand.
    below = [float(r) for r, d in zip(exact, p.demand_per_source, strict=True) if r < d]
    np.testing.assert_allclose(fair.levels, sorted(set(below)), rtol=1e-12)


@settings(max_examples=40)
@given(fair_problems(capacities="float"))
def test_matches_highs_lp_float_capacities(p: FairProblem) -> None:
    fair = solve(p)
    lp = highs_fair_rates(p)
    scale = max(1.0, float(p.flow.capacity.max(initial=0.0)))
    np.testing.assert_allclose(fair.rates, lp, rtol=1e-6, atol=1e-6 * scale)
    check_certificate(p, fair)


@settings(max_examples=30)
@given(fair_problems())
def test_matches_highs_lp_integer_capacities(p: FairProblem) -> None:
    fair = solve(p)
    np.testing.assert_allclose(fair.rates, highs_fair_rates(p), rtol=1e-7, atol=1e-6)


@given(fair_problems(max_sources=6, max_nodes=14))
def test_certificate_more_sources(p: FairProblem) -> None:
    check_certificate(p, solve(p))


@given(fair_problems(capacities="huge"))
def test_certificate_capacities_near_the_int64_limit(p: FairProblem) -> None:
    # Capacities up to 2**63 - 1 beside flows of a few units: the flow stays exact to the
    # scale of the flows (capacities that cannot bind are clamped, see fair_share.py).
    fair = solve(p)
    check_certificate(p, fair)
    exact = [float(r) for r in exact_fair_rates(p)]
    np.testing.assert_allclose(fair.rates, exact, rtol=1e-12, atol=tolerance(p))


@pytest.mark.parametrize("big", [2**31 - 1, 2**59])
def test_small_rate_beside_a_huge_one(big: int) -> None:
    # Source 2 reaches the sink 1 only through source 0's link: it gets 1, source 0 the rest.
    # Found by the test above: a feasibility slack of 1e-9 of the load accepted 2**31 for
    # source 0 (and no flow for source 2), and levels 0 and 1 merged beside a 2**59 link.
    g = rc.Graph(5, [0, 0], [2, 1], capacity=[1, big], directed=False)
    fair = rc.max_min_fair(g, [0, 2, 3], [1, 4])
    assert fair.rates.tolist() == [float(big - 1), 1.0, 0.0]
    assert fair.levels.tolist() == [0.0, 1.0, float(big - 1)]
    if big < 2**53:  # beyond, float64 cannot tell big - 1 + 1 from big - 1 (module notes)
        assert fair.edge_flow.tolist() == [-1.0, float(big)]


@pytest.mark.parametrize(
    ("src", "dst", "capacity", "sources", "sinks"),
    [
        # Sources 0, 1 joined by a 2**59 link share the unit link 0-2 to the sink; a 2**59 link
        # from the sink to a dead end kept the cheap bound on the flow at 2**59.
        ([0, 2, 2], [1, 3, 0], [2**59, 2**59, 1], [0, 1], [2]),
        # Sources 1, 2 joined by a 2**59 link reach the sink 3 through 1-0 (1) and 0-3 (2**59).
        ([1, 0, 1], [2, 3, 0], [2**59, 2**59, 1], [1, 2], [3]),
    ],
    ids=["huge-link-from-sink-to-dead-end", "huge-link-after-the-bottleneck"],
)
def test_half_units_across_huge_links(
    src: list[int], dst: list[int], capacity: list[int], sources: list[int], sinks: list[int]
) -> None:
    # Found by the property test above: the flow realising [0.5, 0.5] moved half a unit over
    # a 2**59 link, lost in float rounding (the flow showed [1, 0]). The exact bound B = 1
    # clamps the huge links to 2 first.
    g = rc.Graph(4, src, dst, capacity=capacity, directed=False)
    fair = rc.max_min_fair(g, sources, sinks)
    assert fair.rates.tolist() == [0.5, 0.5]
    emitted = np.zeros(4)
    np.add.at(emitted, g.src, fair.edge_flow)
    np.add.at(emitted, g.dst, -fair.edge_flow)
    assert emitted[sources].tolist() == [0.5, 0.5]


def star(directed: bool = True) -> rc.Graph:
    # Sources 0, 1, 2 behind links 1, 4, 4 to a hub 3, which has 6 towards the gateway 4.
    return rc.Graph(5, [0, 1, 2, 3], [3, 3, 3, 4], capacity=[1, 4, 4, 6], directed=directed)


@pytest.mark.parametrize("directed", [True, False])
def test_star_levels_and_cuts(directed: bool) -> None:
    fair = rc.max_min_fair(star(directed), [2, 0, 1], [4])
    assert fair.rates.tolist() == [2.5, 1.0, 2.5]
    assert fair.levels.tolist() == [1.0, 2.5]
    assert fair.level_of.tolist() == [1, 0, 1]
    assert [c.tolist() for c in fair.level_cut_edges] == [[0], [3]]
    assert fair.saturated_edges.tolist() == [0, 3]
    assert fair.edge_flow.tolist() == [1.0, 2.5, 2.5, 6.0]
    assert (fair.total, fair.guaranteed) == (6.0, 1.0)


def test_ties_freeze_together_and_demand_caps() -> None:
    # Four sources on one 8-unit link: one level, all four at 2.
    g = rc.Graph(6, [0, 1, 2, 3, 4], [4, 4, 4, 4, 5], capacity=[9, 9, 9, 9, 8])
    fair = rc.max_min_fair(g, [0, 1, 2, 3], 5)
    assert fair.rates.tolist() == [2.0] * 4 and fair.levels.tolist() == [2.0]
    # Demands 1 and 0 are met; the other two split the remaining 7.
    fair = rc.max_min_fair(g, [0, 1, 2, 3], 5, demand=[1, 0, math.inf, 10])
    assert fair.rates.tolist() == [1.0, 0.0, 3.5, 3.5]
    assert fair.full_demand.tolist() == [True, True, False, False]
    # Everyone's demand fits: no level at all.
    fair = rc.max_min_fair(g, [0, 1, 2, 3], 5, demand=2)
    assert fair.levels.size == 0 and fair.level_cut_edges == () and fair.full_demand.all()


def test_unreachable_source_gets_zero_and_rational_levels() -> None:
    # Node 3 has no way to the sink; three sources share 10 over one link: 10/3 each.
    g = rc.Graph(6, [0, 1, 2, 4], [4, 4, 4, 5], capacity=[9, 9, 9, 10])
    fair = rc.max_min_fair(g, [0, 1, 2, 3], [5])
    np.testing.assert_allclose(fair.rates, [10 / 3, 10 / 3, 10 / 3, 0.0], rtol=1e-15)
    assert fair.guaranteed == 0.0 and fair.level_of.tolist() == [1, 1, 1, 0]
    assert fair.level_cut_edges[0].size == 0  # nothing leaves node 3


def test_capacity_override_and_inputs_untouched() -> None:
    g = star()
    cap = np.array([2.0, 4.0, 4.0, 6.0])
    demand = np.array([np.inf, np.inf, np.inf])
    fair = rc.max_min_fair(g, np.array([0, 1, 2]), 4, demand, capacity=cap, threads=1)
    assert fair.rates.tolist() == [2.0, 2.0, 2.0]
    assert cap.tolist() == [2.0, 4.0, 4.0, 6.0] and np.isinf(demand).all()


@pytest.mark.parametrize(
    ("sources", "sinks", "demand", "match"),
    [
        ([0, 1, 0], 4, 1.0, r"sources\[2\] = 0 repeats sources\[0\]"),
        ([0, 7], 4, 1.0, r"sources\[1\] = 7 is not a node id"),
        ([0, -1], 4, 1.0, r"sources\[1\] = -1 is not a node id"),
        ([0, 4], 4, 1.0, r"sources\[1\] = 4 is also a sink"),
        ([], 4, 1.0, "sources is empty"),
        ([0, 1], 4, [1.0, -2.0], r"demand\[1\] = -2.0"),
        ([0, 1], 4, [1.0, math.nan], r"demand\[1\] = nan"),
        ([0, 1], 4, -1.0, r"demand\[0\] = -1.0"),
        ([0, 1], 4, [1.0, 2.0, 3.0], r"demand: expected a number or one value per source"),
        ([0, 1], 4, "fast", "demand: expected real numbers"),
        ([0, 1], [], 1.0, "sinks is empty"),
    ],
)
def test_bad_input(sources: object, sinks: object, demand: object, match: str) -> None:
    with pytest.raises(rc.GraphError, match=match):
        rc.max_min_fair(star(), sources, sinks, demand)


@pytest.mark.parametrize(
    ("weight", "match"),
    [
        ([1.0, 0.0], r"weight\[1\] = 0.0; weights must be finite and > 0"),
        ([1.0, math.inf], r"weight\[1\] = inf"),
        ([math.nan, 1.0], r"weight\[0\] = nan"),
        ([1.0], r"weight: expected one value per source, shape \(2,\)"),
        (["a", "b"], "weight: expected real numbers"),
    ],
)
def test_bad_weight(weight: object, match: str) -> None:
    with pytest.raises(rc.GraphError, match=match):
        rc.max_min_fair(star(), [0, 1], 4, weight=weight)  # type: ignore[arg-type]


def _access(p: FairProblem, copies: list[int], access: list[int]) -> FairProblem:
    """``p`` with each source ``i`` fed by ``copies[i]`` new leaf sources, each over its own
    edge of capacity ``access[i]`` (``copies = 1``: one leaf whose edge has ``weight *
    access``, see the caller)."""
    fp = p.flow
    n = fp.num_nodes
    owner = np.repeat(np.arange(len(copies)), copies)
    leaves = n + np.arange(owner.size)
    flow = FlowProblem(
        n + owner.size,
        np.concatenate([fp.src, leaves]),
        np.concatenate([fp.dst, fp.source_ids[owner]]),
        fp.directed,
        np.concatenate([fp.capacity, np.asarray(access, dtype=np.int64)[owner]]),
        leaves,
        fp.sinks,
    )
    return FairProblem(flow, p.demand_per_source[owner].copy())


@settings(max_examples=60)
@given(fair_problems(max_sources=3, max_nodes=8), st.data())
def test_weight_equals_identical_sources_apart(p: FairProblem, data: st.DataObject) -> None:
    """A source of weight w with links of w x c has, per represented source, the rates of w
    separate sources with links of c each (exact brute-force oracle on the expanded graph)."""
    k = p.flow.source_ids.size
    weight = data.draw(st.lists(st.integers(1, 2), min_size=k, max_size=k))
    access = data.draw(st.lists(st.integers(0, 20), min_size=k, max_size=k))
    apart = _access(p, weight, access)
    merged = _access(p, [1] * k, [w * a for w, a in zip(weight, access, strict=True)])
    fm = merged.flow
    g = rc.Graph(fm.num_nodes, fm.src, fm.dst, capacity=fm.capacity, directed=fm.directed)
    fair = rc.max_min_fair(g, fm.source_ids, fm.sinks, merged.demand, weight=weight)
    exact = [float(r) for r in exact_fair_rates(apart)]
    owner = np.repeat(np.arange(k), weight)
    np.testing.assert_allclose(fair.rates[owner], exact, rtol=1e-12, atol=1e-12)
    assert fair.total == pytest.approx(sum(exact), rel=1e-12, abs=1e-12)
    # The flow: each merged source emits weight x its rate.
    net_out = np.bincount(fm.src, weights=fair.edge_flow, minlength=fm.num_nodes)
    np.testing.assert_allclose(
        net_out[fm.source_ids], np.asarray(weight) * fair.rates, rtol=1e-9, atol=1e-9
    )


def test_bad_capacities_and_threads() -> None:
    g = rc.Graph(3, [0, 1], [1, 2])
    with pytest.raises(rc.GraphError, match="the graph has no capacities"):
        rc.max_min_fair(g, [0], 2)
    with pytest.raises(rc.GraphError, match=r"capacity"):
        rc.max_min_fair(g, [0], 2, capacity=[1.0, -1.0])
    with pytest.raises(ValueError, match="threads"):
        rc.max_min_fair(g, [0], 2, capacity=[1, 1], threads=0)
    with pytest.raises(rc.GraphError, match=r"graph must be a routecore\.Graph"):
        rc.max_min_fair("graph", [0], 2)  # type: ignore[arg-type]


def test_scalar_source_read_only_input_and_threads() -> None:
    g = star()
    one = rc.max_min_fair(g, 1, 4)
    assert one.rates.tolist() == [4.0] and one.level_cut_edges[0].tolist() == [1]
    ids = np.array([0, 1, 2], dtype=np.uint16)
    demand = np.array([3, 3, 1], dtype=np.int64)
    ids.setflags(write=False)
    demand.setflags(write=False)
    a = rc.max_min_fair(g, ids, np.array([4]), demand, threads=1)
    b = rc.max_min_fair(g, ids, np.array([4]), demand, threads=2)
    assert a.rates.tolist() == b.rates.tolist() == [1.0, 3.0, 1.0]
    assert a.full_demand.tolist() == [False, True, True]
