"""min_cost_flow: optimal cost against networkx, OR-Tools and LEMON (pylmcf), the optimality
certificate checked here from the raw edge lists, statuses for infeasible and unbounded
problems, float costs against an LP (HiGHS), and NETGEN instances (pynetgen)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import routecore as rc
from routecore.min_cost import MinCostFlowMethod

from .oracles import (
    check_min_cost_certificate,
    lemon_min_cost,
    mcf_arcs,
    networkx_min_cost,
    ortools_min_cost,
)
from .strategies import McfProblem, mcf_problems

ALTERNATIVE = {"infeasible", "unbounded"}
METHODS: list[MinCostFlowMethod] = ["network_simplex", "cost_scaling"]


def solve(p: McfProblem, method: MinCostFlowMethod = "auto") -> rc.MinCostFlowResult:
    return rc.min_cost_flow(
        p.graph(),
        p.supply,
        cost=p.cost,
        capacity=p.capacity_arg(),
        method=method,
    )


def check(p: McfProblem, r: rc.MinCostFlowResult, status: str, cost: int | None) -> None:
    if {r.status, status} == ALTERNATIVE:
        return  # infeasible and unbounded at once: either answer is documented
    assert r.status == status
    if status == "optimal":
        assert r.cost == cost
        assert check_min_cost_certificate(p, r.edge_flow, r.potentials) == cost
        assert r.value == int(p.supply[p.supply > 0].sum())


@pytest.mark.parametrize("method", METHODS)
@given(p=mcf_problems(uncapacitated=True))
def test_matches_networkx_network_simplex(method: MinCostFlowMethod, p: McfProblem) -> None:
    check(p, solve(p, method), *networkx_min_cost(p))


@pytest.mark.parametrize("method", METHODS)
@given(p=mcf_problems())
def test_matches_ortools(method: MinCostFlowMethod, p: McfProblem) -> None:
    pytest.importorskip("ortools")
    check(p, solve(p, method), *ortools_min_cost(p))


@pytest.mark.parametrize("method", METHODS)
@given(p=mcf_problems(negative_costs=False))
def test_matches_lemon_network_simplex(method: MinCostFlowMethod, p: McfProblem) -> None:
    pytest.importorskip("pylmcf")
    check(p, solve(p, method), *lemon_min_cost(p))


def _with_terminals(p: McfProblem, sources: list[int], sinks: list[int], demand: int) -> McfProblem:
    """The sources/sinks problem as a supplies problem on two extra nodes (for the oracle)."""
    n = p.num_nodes
    k = len(sources) + len(sinks)
    tail, head, cap, cost = mcf_arcs(p)
    return McfProblem(
        n + 2,
        np.concatenate([tail, np.full(len(sources), n), sinks]).astype(np.int64),
        np.concatenate([head, sources, np.full(len(sinks), n + 1)]).astype(np.int64),
        np.concatenate([cap, np.full(k, -1)]).astype(np.int64),
        np.concatenate([cost, np.zeros(k)]).astype(np.int64),
        np.concatenate([np.zeros(n), [demand, -demand]]).astype(np.int64),
        True,
    )


def _networkx_max_flow(p: McfProblem, sources: list[int], sinks: list[int]) -> int:
    g = nx.DiGraph()
    g.add_nodes_from(["s", "t"])
    tail, head = p.src, p.dst
    for i in range(tail.size):
        g.add_edge(int(tail[i]), ("arc", i), capacity=int(p.capacity[i]))
        g.add_edge(("arc", i), int(head[i]))
        if not p.directed:
            g.add_edge(int(head[i]), ("rev", i), capacity=int(p.capacity[i]))
            g.add_edge(("rev", i), int(tail[i]))
    for s in sources:
        g.add_edge("s", s)
    for t in sinks:
        g.add_edge(t, "t")
    return int(nx.maximum_flow_value(g, "s", "t"))


@pytest.mark.parametrize("method", METHODS)
@given(p=mcf_problems(negative_costs=False, max_nodes=8), data=st.data())
def test_min_cost_max_flow_and_demand_match_networkx(
    method: MinCostFlowMethod, p: McfProblem, data: st.DataObject
) -> None:
    n = p.num_nodes
    if n < 2:
        return
    nodes = data.draw(st.permutations(range(n)))
    k = data.draw(st.integers(1, n - 1))
    sources, sinks = sorted(nodes[:k]), sorted(nodes[k : k + data.draw(st.integers(1, n - k))])
    g, cap = p.graph(), p.capacity_arg()
    r = rc.min_cost_flow(g, sources=sources, sinks=sinks, cost=p.cost, capacity=cap, method=method)
    value = _networkx_max_flow(p, sources, sinks)
    assert r.status == "optimal" and r.value == value
    full = _with_terminals(p, sources, sinks, value)
    status, cost = networkx_min_cost(full)
    assert status == "optimal" and r.cost == cost
    demand = data.draw(st.integers(0, value + 2))
    r2 = rc.min_cost_flow(
        g, sources=sources, sinks=sinks, demand=demand, cost=p.cost, capacity=cap, method=method
    )
    status, cost = networkx_min_cost(_with_terminals(p, sources, sinks, demand))
    assert r2.status == status
    if status == "optimal":
        assert r2.cost == cost and r2.value == demand


@pytest.mark.parametrize("method", METHODS)
@settings(max_examples=40)
@given(p=mcf_problems(negative_costs=True, balanced=True), seed=st.integers(0, 2**32))
def test_float_costs_within_tolerance_of_highs_lp(
    method: MinCostFlowMethod, p: McfProblem, seed: int
) -> None:
    from scipy.optimize import linprog

    if p.src.size == 0:
        return
    rng = np.random.default_rng(seed)
    low = -5.0 if p.directed else 0.0
    cost = rng.uniform(low, 50.0, p.src.size).round(3) + 1e-4  # not integral
    r = rc.min_cost_flow(
        p.graph(),
        p.supply,
        cost=cost,
        capacity=p.capacity_arg(),
        method=method,
    )
    tail = np.concatenate([p.src, p.dst]) if not p.directed else p.src
    head = np.concatenate([p.dst, p.src]) if not p.directed else p.dst
    c = np.concatenate([cost, cost]) if not p.directed else cost
    cap = np.concatenate([p.capacity, p.capacity]) if not p.directed else p.capacity
    a = np.zeros((p.num_nodes, tail.size))
    np.add.at(a, (tail, np.arange(tail.size)), 1.0)
    np.add.at(a, (head, np.arange(tail.size)), -1.0)
    lp = linprog(c, A_eq=a, b_eq=p.supply, bounds=[(0, u) for u in cap], method="highs")
    if lp.status == 2:
        assert r.status == "infeasible"
        return
    assert lp.status == 0 and r.status == "optimal"
    bound = float(p.capacity.sum()) * (2 if not p.directed else 1) / r.cost_scale + 1e-6
    assert abs(r.cost - lp.fun) <= bound
    tol = 1.0 / r.cost_scale + 1e-9
    q = McfProblem(p.num_nodes, p.src, p.dst, p.capacity, cost, p.supply, p.directed)
    check_min_cost_certificate(q, r.edge_flow, r.potentials, tol=tol)


@pytest.mark.parametrize("method", METHODS)
def test_unbounded_negative_cycle_of_uncapacitated_edges(method: MinCostFlowMethod) -> None:
    g = rc.Graph(3, [0, 1, 2, 0], [1, 2, 0, 2])
    r = rc.min_cost_flow(g, [1, 0, -1], cost=[1, -3, 1, 5], method=method)
    assert r.status == "unbounded" and r.cost is None
    cap = [4, 4, 4, 4]
    capped = rc.min_cost_flow(g, [1, 0, -1], cost=[1, -3, 1, 5], capacity=cap, method=method)
    assert capped.status == "optimal" and capped.cost == 1 * 4 + -3 * 4 + 1 * 3


def test_min_cost_max_flow_along_an_uncapacitated_path_is_unbounded() -> None:
    g = rc.Graph(3, [0, 1], [1, 2])
    assert rc.min_cost_flow(g, sources=0, sinks=2).status == "unbounded"
    assert rc.min_cost_flow(g, sources=0, sinks=2, demand=5).cost == 10


def test_unbalanced_supplies_are_infeasible_not_an_error() -> None:
    g = rc.Graph(2, [0], [1], capacity=[5])
    assert rc.min_cost_flow(g, [3, -2]).status == "infeasible"
    assert rc.min_cost_flow(g, [6, -6]).status == "infeasible"


def test_undirected_flow_is_signed() -> None:
    g = rc.Graph(3, [1, 2], [0, 1], weight=[2.0, 3.0], capacity=[4, 4], directed=False)
    r = rc.min_cost_flow(g, [3, 0, -3])
    assert r.edge_flow.tolist() == [-3, -3] and r.cost == 15


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"supplies": [1, -1], "sources": 0}, "either supplies"),
        ({}, "give supplies"),
        ({"supplies": [1.5, -1.5]}, "not a whole number"),
        ({"supplies": [1, -1], "capacity": [0.5]}, "not a whole number"),
        ({"supplies": [1, -1], "cost": [np.nan]}, "not finite"),
        ({"supplies": [1, -1, 0]}, "length 2"),
        ({"sources": 0, "sinks": 1, "demand": -1}, "negative"),
    ],
)
def test_bad_input_is_a_graph_error(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(rc.GraphError, match=match):
        rc.min_cost_flow(rc.Graph(2, [0], [1]), **kwargs)  # type: ignore[arg-type]


def test_negative_cost_on_an_undirected_graph_is_refused() -> None:
    g = rc.Graph(2, [0], [1], directed=False)
    with pytest.raises(rc.GraphError, match="undirected"):
        rc.min_cost_flow(g, [1, -1], cost=[-1])


def test_method_and_threads_are_checked() -> None:
    g = rc.Graph(2, [0], [1])
    with pytest.raises(ValueError, match="method"):
        rc.min_cost_flow(g, [1, -1], method="simplex")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="threads"):
        rc.min_cost_flow(g, [1, -1], threads=0)
    for method in METHODS:
        r = rc.min_cost_flow(g, [1, -1], method=method, threads=2)
        assert r.method == method


def test_overflow_is_refused_up_front() -> None:
    n = 1000
    g = rc.Graph(n, np.arange(n - 1), np.arange(1, n))
    supply = np.zeros(n, np.int64)
    supply[0], supply[-1] = 1, -1
    with pytest.raises(rc.GraphError, match="2\\*\\*62"):
        rc.min_cost_flow(g, supply, cost=np.full(n - 1, 2**50))
    exact = rc.min_cost_flow(g, supply, cost=np.full(n - 1, 2**20))
    assert exact.cost == (n - 1) * 2**20


def test_costs_beyond_int64_sum_exactly() -> None:
    # The objective is summed in 128 bits: 4 edges x 2**40 flow x 2**30 cost > 2**63 in total.
    g = rc.Graph(5, [0, 1, 2, 3], [1, 2, 3, 4])
    r = rc.min_cost_flow(g, [2**40, 0, 0, 0, -(2**40)], cost=[2**30] * 4)
    assert r.cost == 4 * 2**70 and isinstance(r.cost, int)


# ----------------------------------------------------------------------------- NETGEN (pynetgen)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("num_nodes", [64, 256, 1024])
def test_netgen_instances_match_ortools_and_lemon(
    num_nodes: int, method: MinCostFlowMethod
) -> None:
    pytest.importorskip("pynetgen")
    from bench.gen_min_cost_flow import netgen8

    inst = netgen8(num_nodes, seed=num_nodes + 7)
    p = McfProblem(
        inst.num_nodes, inst.tail.astype(np.int64), inst.head.astype(np.int64),
        inst.capacity, inst.cost, inst.supply, True,
    )  # fmt: skip
    r = solve(p, method)
    assert r.method == method
    for oracle in (ortools_min_cost, lemon_min_cost):
        status, cost = oracle(p)
        assert r.status == status == "optimal" and r.cost == cost
    check_min_cost_certificate(p, r.edge_flow, r.potentials)


def test_float_cost_resolution_meets_the_documented_tolerance() -> None:
    from routecore.min_cost import FLOAT_COST_TOLERANCE

    n = 100_000
    g = rc.Graph(n, [0, 1], [1, 2])
    supply = np.zeros(n, np.int64)
    supply[0], supply[2] = 3, -3
    r = rc.min_cost_flow(g, supply, cost=[0.1, 123.456], capacity=[5, 5])
    assert r.status == "optimal" and 1.0 / r.cost_scale <= FLOAT_COST_TOLERANCE * 123.456
    assert r.cost == pytest.approx(3 * (0.1 + 123.456), rel=1e-12)


# ----------------------------------------------------------------------------- auto and limits
def test_auto_follows_the_documented_rule() -> None:
    from routecore.min_cost import AUTO_COST_SCALING_MIN_NODES, choose_min_cost_method

    big = AUTO_COST_SCALING_MIN_NODES
    assert choose_min_cost_method(big - 1, 8 * big) == "network_simplex"
    assert choose_min_cost_method(big, 4 * big) == "cost_scaling"
    g = rc.Graph(big, [0, 1], [1, 2])
    supply = np.zeros(big, np.int64)
    supply[0], supply[2] = 2, -2
    r = rc.min_cost_flow(g, supply, cost=[3, 4])
    assert r.method == "cost_scaling" and r.cost == 14
    # Costs beyond cost scaling's stricter overflow rule: auto takes the network simplex.
    wide = rc.min_cost_flow(g, supply, cost=[2**24, 1])
    assert wide.method == "network_simplex" and wide.cost == 2 * (2**24 + 1)


def test_cost_scaling_overflow_rule_is_refused_up_front() -> None:
    n = 1000
    g = rc.Graph(n, np.arange(n - 1), np.arange(1, n))
    supply = np.zeros(n, np.int64)
    supply[0], supply[-1] = 1, -1
    cost = np.full(n - 1, 2**40)  # within the network simplex's rule, not cost scaling's
    with pytest.raises(rc.GraphError, match=r"cost_scaling.*8 \* \(n \+ 2\)"):
        rc.min_cost_flow(g, supply, cost=cost, method="cost_scaling")
    assert rc.min_cost_flow(g, supply, cost=cost, method="network_simplex").cost == (n - 1) * 2**40


CTRL_C = """
import os, signal, sys, threading, time
import numpy as np
import routecore as rc

rows = cols = 400  # 160,000 nodes: either method needs tens of seconds on one core
rng = np.random.default_rng(1)
ids = np.arange(rows * cols).reshape(rows, cols)
tail = np.concatenate([ids[:, :-1].ravel(), ids[:, 1:].ravel(), ids[:-1].ravel(), ids[1:].ravel()])
head = np.concatenate([ids[:, 1:].ravel(), ids[:, :-1].ravel(), ids[1:].ravel(), ids[:-1].ravel()])
g = rc.Graph(rows * cols, tail, head)
supply = np.zeros(rows * cols, np.int64)
supply[ids[:, 0]], supply[ids[:, -1]] = 1000, -1000
cost = rng.integers(1, 10001, tail.size)
capacity = rng.integers(1, 1001, tail.size)
vertical = tail % cols == head % cols
capacity[vertical & ((tail % cols == 0) | (tail % cols == cols - 1))] = 1000 * rows
capacity[~vertical & (tail < cols) & (head < cols)] = 1000 * rows
threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT)).start()
start = time.monotonic()
try:
    rc.min_cost_flow(g, supply, cost=cost, capacity=capacity, method=sys.argv[1])
    print("finished")
except KeyboardInterrupt:
    print("interrupted", time.monotonic() - start < 30)
"""


@pytest.mark.parametrize("method", METHODS)
def test_ctrl_c_interrupts_a_long_run(method: MinCostFlowMethod) -> None:
    """SIGINT 0.5 s into a run of tens of seconds raises KeyboardInterrupt (both solvers poll
    the Cancel flag; run_interruptible asks Python for signals)."""
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", CTRL_C, method],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["interrupted", "True"], out.stdout
