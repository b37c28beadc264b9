"""min_cost_flow_warm (the network simplex started from a proposed flow,
network_simplex.h "Warm start") gives the status and optimal cost of a cold start and of
OR-Tools, whatever the proposal: random edges, edges not at the node, self-loops, cycles,
saturated arcs that overfill a node. And school_capacity, whose latency under load starts from
the shortest-path routing, gives the tables of a cold start on generated scenarios where that
routing does not fit (tight satellites, per-school demands) and where it does."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import routecore as rc
from routecore import analyses
from routecore import constellation as cs
from routecore.analyses import _capacity_solve
from routecore.errors import GraphError
from routecore.min_cost import min_cost_flow_warm
from routecore.scenario import Network

from .oracles import ortools_min_cost_max_flow
from .strategies import McfProblem, mcf_problems

POLICIES = ("home", "any", "abroad")


def _directed(p: McfProblem) -> rc.Graph:
    return rc.Graph(p.num_nodes, p.src, p.dst, weight=p.cost, capacity=p.capacity, directed=True)


def _check_flow(g: rc.Graph, flow: np.ndarray, source: int, sinks: np.ndarray, value: int) -> None:
    """Bounds and conservation: ``value`` leaves the source, the sinks absorb it."""
    cap = np.asarray(g.capacity)
    assert ((flow >= 0) & (flow <= cap)).all()
    net = np.zeros(g.num_nodes, dtype=np.int64)
    np.add.at(net, g.src, flow)
    np.add.at(net, g.dst, -flow)
    inner = np.ones(g.num_nodes, dtype=bool)
    inner[source] = False
    inner[sinks] = False
    assert (net[inner] == 0).all()
    assert net[source] == value and net[sinks].sum() == -value


@given(
    p=mcf_problems(max_nodes=9, max_edges=28, negative_costs=False),
    data=st.data(),
    cap_demand=st.booleans(),
)
def test_warm_equals_cold_and_ortools(p: McfProblem, data: st.DataObject, cap_demand: bool) -> None:
    pytest.importorskip("ortools")
    n, m = p.num_nodes, p.src.size
    assume(n >= 2 and m >= 1)
    g = _directed(p)
    source = data.draw(st.integers(0, n - 1))
    others = [v for v in range(n) if v != source]
    sinks = np.array(data.draw(st.lists(st.sampled_from(others), min_size=1, unique=True)))
    value, best = ortools_min_cost_max_flow(p.src, p.dst, p.capacity, p.cost, source, sinks)
    demand = data.draw(st.integers(0, value + 2)) if cap_demand else None
    # Adversarial proposals: any edge id (not at the node, self-loops, cycles) or -1, and any
    # edges saturated.
    start = np.array(data.draw(st.lists(st.integers(-1, m - 1), min_size=n, max_size=n)))
    saturated = np.array(data.draw(st.lists(st.booleans(), min_size=m, max_size=m)), dtype=bool)
    cold = rc.min_cost_flow(g, sources=source, sinks=sinks, demand=demand, method="network_simplex")
    warm = min_cost_flow_warm(g, start, saturated, sources=source, sinks=sinks, demand=demand)
    assert warm.status == cold.status
    if demand is None:
        assert warm.status == "optimal" and warm.value == value and warm.cost == best
    elif demand > value:
        assert warm.status == "infeasible"
    if warm.status == "optimal":
        assert warm.cost == cold.cost and warm.value == cold.value
        _check_flow(g, warm.edge_flow, source, sinks, warm.value)
        assert int(warm.edge_flow @ p.cost) == warm.cost
        # Reduced costs under the potentials on the graph's edges (complementary slackness).
        rc_ = p.cost + warm.potentials[p.src] - warm.potentials[p.dst]
        assert (rc_[warm.edge_flow < p.capacity] >= 0).all()
        assert (rc_[warm.edge_flow > 0] <= 0).all()


def test_warm_start_from_a_good_routing_saves_pivots(monkeypatch: pytest.MonkeyPatch) -> None:
    # A grid where every unit wants the same cheap column: the shortest-path routing overfills
    # it; started from that routing the simplex needs fewer pivots than from the big-M star.
    side = 12
    ids = np.arange(side * side).reshape(side, side)
    src = np.concatenate([ids[:, :-1].ravel(), ids[:-1, :].ravel()])
    dst = np.concatenate([ids[:, 1:].ravel(), ids[1:, :].ravel()])
    rng = np.random.default_rng(7)
    cost = rng.integers(1, 50, src.size)
    g = rc.Graph(side * side, src, dst, weight=cost, capacity=np.full(src.size, 20))
    sources, sinks = ids[0, 0], ids[-1, :]
    tree = rc.shortest_path_tree(g, sinks, reverse=True)
    start = np.asarray(tree.pred_edge)
    pivots: list[int] = []
    real = rc._core.network_simplex

    def counted(**kwargs: Any) -> Any:
        out = real(**kwargs)
        pivots.append(out.pivots)
        return out

    monkeypatch.setitem(rc.min_cost._SOLVERS, "network_simplex", counted)
    cold = rc.min_cost_flow(g, sources=sources, sinks=sinks, demand=35, method="network_simplex")
    warm = min_cost_flow_warm(
        g, start, np.zeros(src.size, bool), sources=sources, sinks=sinks, demand=35
    )
    assert warm.status == cold.status == "optimal" and warm.cost == cold.cost
    assert pivots[-1] < pivots[-2]


def test_warm_start_arguments_are_checked() -> None:
    g = rc.Graph(3, [0, 1], [1, 2], weight=[1, 1], capacity=[4, 4])
    none = np.zeros(2, bool)
    with pytest.raises(GraphError, match=r"start_edge\[1\] = 7"):
        min_cost_flow_warm(g, [-1, 7, -1], none, sources=0, sinks=2)
    with pytest.raises(GraphError, match="start_edge"):
        min_cost_flow_warm(g, [-1, 0], none, sources=0, sinks=2)
    with pytest.raises(GraphError, match="saturated"):
        min_cost_flow_warm(g, [0, 1, -1], [1, 0], sources=0, sinks=2)
    with pytest.raises(GraphError, match="directed"):
        min_cost_flow_warm(
            rc.Graph(2, [0], [1], directed=False), [0, -1], [False], sources=0, sinks=1
        )


# ------------------------------------------------------------------ the capacity analysis


def _cold(graph: rc.Graph, start: Any, saturated: Any, **kwargs: Any) -> rc.MinCostFlowResult:
    """The plain path: min_cost_flow without the start (what school_capacity ran before)."""
    del start, saturated
    return rc.min_cost_flow(graph, **kwargs)


def _tables(run: Any) -> list[pd.DataFrame]:
    return [run.steps, run.schools, run.summary]


def _generated(base: Network, seed: int) -> Network:
    """``base`` with per-school demands drawn from three values."""
    rng = np.random.default_rng(seed)
    nodes = base.nodes.copy()
    school = (nodes["kind"] == "terminal").to_numpy()
    nodes["demand_mbps"] = np.where(school, rng.choice([10.0, 40.0, 90.0], len(nodes)), np.nan)
    return Network(nodes, base.links, base.meta)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_capacity_latency_warm_equals_cold(
    thin_schools: Callable[[int], Network], monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    scenario = _generated(thin_schools(8), seed)
    tight = dataclasses.replace(
        cs.STARLINK_SHELL1, name="tight", satellite_capacity_gbps=0.4, isl_capacity_gbps=0.6
    )
    systems = {"tight": tight, "oneweb": cs.ONEWEB}
    times = np.array([120.0 * seed, 1500.0])
    calls: list[int] = []
    real = _capacity_solve.min_cost_flow_warm

    def counted(*args: Any, **kwargs: Any) -> rc.MinCostFlowResult:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(_capacity_solve, "min_cost_flow_warm", counted)
    fast = analyses.school_capacity(scenario, systems, times, policies=POLICIES, threads=1)
    # The shortest paths did not fit somewhere (else no min-cost flow ran: the shortcut).
    assert calls
    monkeypatch.setattr(_capacity_solve, "min_cost_flow_warm", _cold)
    plain = analyses.school_capacity(scenario, systems, times, policies=POLICIES, threads=1)
    for a, b in zip(_tables(plain), _tables(fast), strict=True):
        # Equal optimal costs; in these scenarios also the same flows, so equal per-school
        # latencies (the float objective is summed exactly, so only ulps could differ).
        numbers = a.select_dtypes("number").columns
        np.testing.assert_allclose(
            b[numbers].to_numpy(float), a[numbers].to_numpy(float), rtol=1e-12, atol=0
        )
        pd.testing.assert_frame_equal(a.drop(columns=numbers), b.drop(columns=numbers))
    assert fast.steps["routed_gbps"].notna().any()


def test_capacity_latency_shortcut_still_skips_the_solver(
    thin_schools: Callable[[int], Network], monkeypatch: pytest.MonkeyPatch
) -> None:
    # 1 Mbit/s per school fits every shortest path: no min-cost flow at all.
    def refuse(*args: Any, **kwargs: Any) -> rc.MinCostFlowResult:
        raise AssertionError("min-cost flow ran although the shortest paths fit")

    monkeypatch.setattr(_capacity_solve, "min_cost_flow_warm", refuse)
    res = analyses.school_capacity(
        thin_schools(20), [cs.ONEWEB], [0.0], policies=("any",), demand_mbps=1.0, threads=1
    )
    np.testing.assert_allclose(res.steps["carried_share"], 1.0, rtol=1e-12)
