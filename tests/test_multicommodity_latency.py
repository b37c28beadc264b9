"""multicommodity_flow with latency budgets (max_latency): the certified bounds against the exact
path-based LP (HiGHS) on the same candidate paths (computed here with the public
k_shortest_paths on the positive-capacity subgraph), and, where every demand's candidate set is
complete, against the LP over ALL simple paths within the budget (networkx enumeration); the flow
checked for feasibility from the raw edge lists, every used path within its budget, unreachable
budgets, and bad input."""

from __future__ import annotations

import math
import subprocess
import sys

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import routecore as rc

from .oracles import check_multicommodity_flow, path_multicommodity_lp
from .strategies import MultiCommodityProblem, edge_lists

TOL = 1e-7


@st.composite
def budget_problems(
    draw: st.DrawFn, *, uncapped: bool = False
) -> tuple[MultiCommodityProblem, np.ndarray, int]:
    """Small graphs with integer weights (sums are exact at the budget boundary), a few demands
    with integer or infinite budgets, and a candidate-path limit from 1 to 6."""
    el = draw(edge_lists(max_nodes=6, max_edges=12, integer_weights=True, max_capacity=20))
    k = draw(st.integers(1, 4))
    ids = st.integers(0, el.num_nodes - 1)
    source = np.array(draw(st.lists(ids, min_size=k, max_size=k)), dtype=np.int64)
    target = np.array(draw(st.lists(ids, min_size=k, max_size=k)), dtype=np.int64)
    amounts = st.integers(0, 15).map(float)
    if uncapped:
        amounts = amounts | st.just(math.inf)
    amount = np.array(draw(st.lists(amounts, min_size=k, max_size=k)), dtype=np.float64)
    amount[(source == target) & np.isinf(amount)] = 1.0
    budgets = st.integers(0, 40).map(float) | st.just(math.inf)
    budget = np.array(draw(st.lists(budgets, min_size=k, max_size=k)), dtype=np.float64)
    per_demand = draw(st.integers(1, 6))
    return MultiCommodityProblem(el, source, target, amount), budget, per_demand


def solve(
    p: MultiCommodityProblem, budget: np.ndarray, per_demand: int, objective: str, eps: float
) -> rc.MulticommodityFlow:
    el = p.el
    g = rc.Graph(el.num_nodes, el.src, el.dst, capacity=el.capacity, directed=el.directed)
    return rc.multicommodity_flow(
        g,
        (p.source, p.target, p.amount),
        weight=el.weight,
        objective=objective,  # type: ignore[arg-type]
        max_latency=budget,
        paths_per_demand=per_demand,
        epsilon=eps,
    )


def reference_candidates(
    p: MultiCommodityProblem, budget: np.ndarray, per_demand: int
) -> tuple[list[list[np.ndarray]], list[bool]]:
    """Per demand: the edge ids of its first ``per_demand`` loopless paths within the budget over
    the positive-capacity edges, and whether that is all of them."""
    el = p.el
    keep = np.flatnonzero(el.capacity > 0)
    g = rc.Graph(
        el.num_nodes, el.src[keep], el.dst[keep], weight=el.weight[keep], directed=el.directed
    )
    paths: list[list[np.ndarray]] = []
    complete: list[bool] = []
    for s, t, b in zip(p.source.tolist(), p.target.tolist(), budget.tolist(), strict=True):
        if s == t:
            paths.append([])
            complete.append(True)
            continue
        found = rc.k_shortest_paths(g, s, t, per_demand + 1, max_length=b)
        paths.append([keep[q.edges] for q in found[:per_demand]])
        complete.append(len(found) <= per_demand)
    return paths, complete


def all_paths_within(p: MultiCommodityProblem, budget: np.ndarray) -> list[list[np.ndarray]]:
    """Every simple path within each demand's budget over the positive-capacity edges
    (networkx enumeration; parallel edges give distinct paths)."""
    el = p.el
    graph: nx.MultiGraph = nx.MultiDiGraph() if el.directed else nx.MultiGraph()
    graph.add_nodes_from(range(el.num_nodes))
    for e in np.flatnonzero(el.capacity > 0).tolist():
        graph.add_edge(int(el.src[e]), int(el.dst[e]), key=e)
    out: list[list[np.ndarray]] = []
    for s, t, b in zip(p.source.tolist(), p.target.tolist(), budget.tolist(), strict=True):
        if s == t:
            out.append([])
            continue
        within = []
        for path in nx.all_simple_edge_paths(graph, s, t):
            edges = np.array([key for _, _, key in path], dtype=np.int64)
            if float(el.weight[edges].sum()) <= b:
                within.append(edges)
        out.append(within)
    return out


def lp(p: MultiCommodityProblem, paths: list[list[np.ndarray]], objective: str) -> float:
    return path_multicommodity_lp(
        p.el.capacity, paths, p.amount, objective, np.asarray(p.source == p.target)
    )


def check(p: MultiCommodityProblem, budget: np.ndarray, per_demand: int, objective: str) -> None:
    eps = 0.05
    if objective == "concurrent" and not np.any((p.source != p.target) & (p.amount > 0)):
        with pytest.raises(rc.GraphError, match="at least one demand"):
            solve(p, budget, per_demand, objective, eps)
        return
    r = solve(p, budget, per_demand, objective, eps)
    el = p.el
    check_multicommodity_flow(
        el.num_nodes,
        el.src,
        el.dst,
        el.capacity.astype(np.float64),
        el.directed,
        p.source,
        p.target,
        p.amount,
        r,
    )
    # Every used path is within its demand's budget (lengths recomputed from the edge list).
    for i in range(r.path_flow.size):
        j = int(r.path_commodity[i])
        length = float(el.weight[r.path(i).edges].sum())
        assert length <= budget[j], (i, j, length, budget[j])
        assert r.path_length[i] == pytest.approx(length)
    paths, complete = reference_candidates(p, budget, per_demand)
    assert r.paths_complete is not None
    assert r.paths_complete.tolist() == complete
    opt = lp(p, paths, objective)
    slack = TOL * max(1.0, abs(opt))
    assert r.upper_bound >= opt - slack, (r.upper_bound, opt)
    assert r.value <= opt + slack, (r.value, opt)
    assert r.status in {"converged", "unreachable"}
    assert r.value >= (1 - eps) * opt - slack
    assert 0.0 <= r.gap <= eps + TOL
    if objective == "concurrent":
        no_path = [
            j
            for j in range(p.amount.size)
            if p.source[j] != p.target[j] and p.amount[j] > 0 and not paths[j]
        ]
        assert (r.status == "unreachable") == bool(no_path)
        assert set(no_path) <= set(r.unreachable.tolist())
    if all(complete):
        full = lp(p, all_paths_within(p, budget), objective)
        assert full == pytest.approx(opt, rel=1e-7, abs=1e-7)


@settings(max_examples=60, deadline=None)
@given(budget_problems())
def test_concurrent_bounds_bracket_the_path_lp(
    case: tuple[MultiCommodityProblem, np.ndarray, int],
) -> None:
    check(*case, "concurrent")


@settings(max_examples=60, deadline=None)
@given(budget_problems(uncapped=True))
def test_total_bounds_bracket_the_path_lp(
    case: tuple[MultiCommodityProblem, np.ndarray, int],
) -> None:
    check(*case, "total")


def diamond() -> rc.Graph:
    # 0-1-3 has latency 2, 0-2-3 latency 5; capacities 5 and 4 along them.
    return rc.Graph(
        4, [0, 1, 0, 2], [1, 3, 2, 3], weight=[1, 1, 2, 3], capacity=[5, 5, 4, 4], directed=False
    )


def test_a_budget_closes_the_slow_route() -> None:
    free = rc.multicommodity_flow(diamond(), ([0], [3], [1.0]), epsilon=1e-3)
    fast = rc.multicommodity_flow(diamond(), ([0], [3], [1.0]), max_latency=2.5, epsilon=1e-3)
    assert free.value == pytest.approx(9.0, rel=2e-3) and free.paths_complete is None
    assert fast.value == pytest.approx(5.0, rel=1e-3) and fast.upper_bound >= 5.0 - 1e-9
    assert fast.path_length.max() <= 2.5


def test_no_path_within_budget() -> None:
    demands = ([0, 1], [3, 3], [1.0, 1.0])
    r = rc.multicommodity_flow(diamond(), demands, max_latency=[1.5, 1.0])
    assert (r.status, r.value, r.upper_bound) == ("unreachable", 0.0, 0.0)
    assert r.unreachable.tolist() == [0]
    t = rc.multicommodity_flow(diamond(), demands, max_latency=[1.5, 1.0], objective="total")
    assert t.commodity_flow[0] == 0.0 and t.unreachable.tolist() == [0]
    assert t.value == pytest.approx(1.0, rel=0.02)


def test_zero_capacity_edges_are_no_candidate_paths_even_without_a_budget() -> None:
    # Found by the property test above: with an infinite budget a parallel edge of capacity 0
    # (closed: weight inf) gave a second candidate path of length inf, so the one open path
    # was reported as an incomplete candidate set.
    g = rc.Graph(
        3, [0, 1, 0], [1, 2, 1], weight=[0.0, 0.0, 0.0], capacity=[1, 1, 0], directed=False
    )
    r = rc.multicommodity_flow(g, ([1], [0], [1.0]), max_latency=np.inf, paths_per_demand=1)
    assert r.paths_complete is not None and r.paths_complete.tolist() == [True]
    assert r.path_flow.size == 1 and r.path(0).edges.tolist() == [0]


def test_path_limit_marks_incomplete_candidate_sets() -> None:
    r = rc.multicommodity_flow(diamond(), ([0], [3], [1.0]), max_latency=10, paths_per_demand=1)
    assert r.paths_complete is not None and r.paths_complete.tolist() == [False]
    assert r.value == pytest.approx(5.0, rel=0.01)  # certified for the one candidate only
    r2 = rc.multicommodity_flow(diamond(), ([0], [3], [1.0]), max_latency=10, paths_per_demand=2)
    assert r2.paths_complete is not None and r2.paths_complete.tolist() == [True]
    assert not r2.paths_complete.flags.writeable


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"max_latency": -1}, rc.GraphError, r"max_latency = -1"),
        ({"max_latency": [1.0, -2.0]}, rc.GraphError, r"max_latency\[1\] = -2"),
        ({"max_latency": [np.nan, 1.0]}, rc.GraphError, r"max_latency\[0\] = nan"),
        ({"max_latency": [1.0, 2.0, 3.0]}, rc.GraphError, r"shape \(2,\)"),
        ({"max_latency": 5, "paths_per_demand": 0}, rc.GraphError, "paths_per_demand"),
        ({"max_latency": 5, "paths_per_demand": 1.5}, rc.GraphError, "paths_per_demand"),
    ],
)
def test_bad_input_names_what_and_where(
    kwargs: dict[str, object], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        rc.multicommodity_flow(diamond(), ([0, 1], [3, 2], [1, 1]), **kwargs)  # type: ignore[arg-type]


CTRL_C = """
import os, signal, threading, time
import numpy as np
import routecore as rc
n = 40  # total flow on a 40 x 40 grid, 200 demands, 20 paths each, epsilon 1e-6: still 5% from
idx = np.arange(n * n).reshape(n, n)  # converged after 300 phases (0.75 s), so it runs for long
src = np.concatenate([idx[:, :-1].ravel(), idx[:-1, :].ravel()])
dst = np.concatenate([idx[:, 1:].ravel(), idx[1:, :].ravel()])
rng = np.random.default_rng(0)
g = rc.Graph(n * n, src, dst, weight=rng.uniform(1, 2, src.size),
             capacity=rng.integers(1, 100, src.size), directed=False)
s, t = rng.integers(0, n * n, 200), rng.integers(0, n * n, 200)
ok = s != t
threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT)).start()
start = time.perf_counter()
try:
    rc.multicommodity_flow(g, (s[ok], t[ok], np.ones(ok.sum())), objective="total",
                           epsilon=1e-6, max_phases=10**9, max_latency=np.inf)
    print("finished")
except KeyboardInterrupt:
    print("interrupted", time.perf_counter() - start < 6)
"""


def test_ctrl_c_interrupts_the_path_solver() -> None:
    """SIGINT during a long path-restricted run raises KeyboardInterrupt promptly (the solver
    polls the Cancel flag at every step, as the tree method does)."""
    out = subprocess.run(
        [sys.executable, "-c", CTRL_C], capture_output=True, text=True, timeout=60, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["interrupted", "True"], out.stdout
