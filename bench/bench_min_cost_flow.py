"""Min-cost flow benchmarks: routecore against LEMON (pylmcf), OR-Tools and networkx.

Run:    python -m pytest bench/bench_min_cost_flow.py --benchmark-only
Smoke:  ROUTECORE_BENCH_SCALE=smoke pytest bench/bench_min_cost_flow.py --benchmark-disable
One size: add ``-k 4096`` (the instance name is in the test id).

Instances (bench/gen_min_cost_flow.py): NETGEN-8-style instances from pynetgen with 4,096,
16,384 and 65,536 nodes and 8 arcs per node (``netgen8_<n>``), and a GRIDGEN-style grid of our
own (``grid_128x128``: 16,384 nodes, about 4 arcs per node). Smoke mode uses 256 nodes and an
16 x 16 grid. Every library solves the same problem and must report the same optimal cost.

Group ``mcf-<instance>``: one entry per library, its input built outside the timed part:

``routecore``
    ``Graph`` built once; timed: ``min_cost_flow(g, supply, cost=..., capacity=...)`` —
    validation, the solver ``method="auto"`` picks, per-edge flows and potentials (the
    reference of the ratio table).
``routecore-network_simplex``, ``routecore-cost_scaling``
    The same call with the method named, so that the table shows both beside ``auto``.
``lemon``
    pylmcf 1.3 (LEMON's ``NetworkSimplex``, block search); int64 arrays built once; timed:
    ``pylmcf_cpp.lmcf(supply, tail, head, capacity, cost)`` — per-edge flows.
``ortools``
    ``SimpleMinCostFlow`` filled once with ``add_arcs_with_capacity_and_unit_cost`` and the
    supplies; timed: ``solve()`` (cost-scaling push-relabel).
``networkx``
    ``DiGraph`` built once; timed: ``network_simplex(G)``; the smallest instances only (it
    needs minutes on 4,096 nodes).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
import pytest
from bench.conftest import smoke
from bench.gen_min_cost_flow import McfInstance, gridgen, netgen8

import routecore as rc
from routecore.min_cost import MinCostFlowMethod

LIBRARIES = (
    "routecore",
    "routecore-network_simplex",
    "routecore-cost_scaling",
    "lemon",
    "ortools",
    "networkx",
)


def instance_names() -> list[str]:
    if smoke():
        return ["netgen8_256", "grid_16x16"]
    return ["netgen8_4096", "netgen8_16384", "netgen8_65536", "grid_128x128"]


@cache
def instance(name: str) -> McfInstance:
    kind, size = name.split("_")
    if kind == "grid":
        rows, columns = map(int, size.split("x"))
        return gridgen(rows, columns)
    return netgen8(int(size))


@cache
def _graph(name: str) -> rc.Graph:
    inst = instance(name)
    return rc.Graph(inst.num_nodes, inst.tail, inst.head)


def _solver(library: str, inst: McfInstance, name: str) -> Callable[[], int]:
    if library.startswith("routecore"):
        g = _graph(name)
        method: MinCostFlowMethod = "auto"
        if library != "routecore":
            method = "cost_scaling" if library.endswith("cost_scaling") else "network_simplex"
        return lambda: int(
            rc.min_cost_flow(
                g, inst.supply, cost=inst.cost, capacity=inst.capacity, method=method
            ).cost
        )
    if library == "lemon":
        from pylmcf import pylmcf_cpp

        arrays = [
            np.ascontiguousarray(a, dtype=np.int64)
            for a in (inst.supply, inst.tail, inst.head, inst.capacity)
        ]
        cost = np.ascontiguousarray(inst.cost, dtype=np.int64)

        def solve_lemon() -> int:
            flow = pylmcf_cpp.lmcf(*arrays, cost)
            return int(np.dot(np.asarray(flow, dtype=np.int64), cost))

        return solve_lemon
    if library == "ortools":
        from ortools.graph.python import min_cost_flow

        s = min_cost_flow.SimpleMinCostFlow()
        s.add_arcs_with_capacity_and_unit_cost(inst.tail, inst.head, inst.capacity, inst.cost)
        s.set_nodes_supplies(np.arange(inst.num_nodes), inst.supply)

        def solve_ortools() -> int:
            assert s.solve() == s.OPTIMAL
            return int(s.optimal_cost())

        return solve_ortools
    if library == "networkx":
        import networkx as nx

        g_nx = nx.DiGraph()
        for v in range(inst.num_nodes):
            g_nx.add_node(v, demand=-int(inst.supply[v]))
        for i in range(inst.tail.size):  # a middle node per arc keeps parallel arcs apart
            mid = ("arc", i)
            u, v = int(inst.tail[i]), int(inst.head[i])
            g_nx.add_edge(u, mid, capacity=int(inst.capacity[i]), weight=int(inst.cost[i]))
            g_nx.add_edge(mid, v, weight=0)
        return lambda: int(nx.network_simplex(g_nx)[0])
    raise ValueError(library)


@cache
def _expected(name: str) -> int:
    return _solver("lemon", instance(name), name)()


def _rounds(name: str, library: str) -> int:
    if smoke():
        return 1
    if library == "ortools" and name.startswith("grid"):
        return 1  # OR-Tools needs 15-25 s per solve on the grid (measured once)
    slow = "65536" in name or library in ("ortools", "routecore-cost_scaling")
    return 3 if slow else 10


# The library is the first part of each test id, as bench/conftest.py's ratio table expects.
@pytest.mark.parametrize("name", instance_names())
@pytest.mark.parametrize("library", LIBRARIES)
def test_min_cost_flow(benchmark: Any, name: str, library: str) -> None:
    if library == "networkx" and not smoke():
        pytest.skip("networkx's network simplex needs minutes from 4,096 nodes up")
    if library == "ortools":
        pytest.importorskip("ortools")
    pytest.importorskip("pynetgen")  # the NETGEN instances
    pytest.importorskip("pylmcf")  # the expected optimal cost
    inst = instance(name)
    call = _solver(library, inst, name)
    benchmark.group = f"mcf-{name}"
    benchmark.extra_info["instance"] = f"{inst.num_nodes} nodes, {inst.tail.size} arcs"
    benchmark.extra_info["reference"] = library == "routecore"  # auto
    cost = benchmark.pedantic(call, rounds=_rounds(name, library), iterations=1, warmup_rounds=1)
    assert cost == _expected(name)
