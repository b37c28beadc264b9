"""Shortest-path benchmarks: routecore against scipy, igraph, NetworKit and rustworkx.

Instances (bench/gen_paths.py): a road-like directed 1000 x 1000 grid with integer weights and a
200k-node geometric k-nearest-neighbour graph with float weights (tiny versions in smoke mode).

* ``single-source <instance>``: distances from one source to every node, as a numpy array.
  Every library's graph is built outside the timed part; the timed call is what a user writes
  to get the array (including the library's conversion to numpy).
* ``batch64 <instance>``: 64 sources with routecore on 1 and on 2 threads (the ratio printed
  for ``routecore-1thread`` is the 2-thread speed-up).
* ``graph build <grid>``: building the weighted directed grid's Graph, whose ``nbytes`` is then
  checked against the issue's budget of 16 bytes per edge + 16 bytes per node (printed; run
  with ``-s`` to see it).

Run: ``python -m pytest bench/bench_paths.py --benchmark-only`` (full) or
``ROUTECORE_BENCH_SCALE=smoke python -m pytest bench/bench_paths.py --benchmark-disable``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
import pytest
from bench.conftest import smoke
from bench.gen_paths import Instance, geometric_knn, road_grid, sources

import routecore as rc

INSTANCES = {"grid": road_grid, "knn": geometric_knn}
PEERS = ["routecore", "scipy", "igraph", "networkit", "rustworkx"]


@cache
def instance(name: str) -> Instance:
    return INSTANCES[name]()


@cache
def routecore_graph(name: str) -> rc.Graph:
    inst = instance(name)
    return rc.Graph(inst.num_nodes, inst.src, inst.dst, weight=inst.weight, directed=inst.directed)


def _arcs(inst: Instance) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if inst.directed:
        return inst.src, inst.dst, inst.weight
    return (
        np.concatenate([inst.src, inst.dst]),
        np.concatenate([inst.dst, inst.src]),
        np.concatenate([inst.weight, inst.weight]),
    )


@cache
def single_source_solver(library: str, name: str) -> Callable[[int], np.ndarray]:
    """Build ``library``'s graph for instance ``name`` (untimed) and return the timed call."""
    inst = instance(name)
    n = inst.num_nodes
    if library == "routecore":
        g = routecore_graph(name)
        # Distances from one source straight into a new numpy array; one thread (the default
        # uses every core only for several sources).
        return lambda s: rc.shortest_path_lengths(g, s)
    if library == "scipy":
        import scipy.sparse as sp
        from scipy.sparse.csgraph import dijkstra

        # CSR matrix with both directions of an undirected edge (no duplicate entries exist in
        # these instances); dijkstra(indices=s) returns the numpy row directly.
        tails, heads, w = _arcs(inst)
        matrix = sp.csr_array((w, (tails, heads)), shape=(n, n))
        return lambda s: dijkstra(matrix, directed=True, indices=s)
    if library == "igraph":
        import igraph

        # Graph.distances(source=[s], weights=...) returns a list of lists; turned into numpy.
        ig = igraph.Graph(n=n, edges=np.column_stack([inst.src, inst.dst]), directed=inst.directed)
        ig.es["weight"] = inst.weight
        return lambda s: np.array(ig.distances(source=[s], weights="weight", mode="out")[0])
    if library == "networkit":
        import networkit as nk

        # Dijkstra(G, s, storePaths=False).run(); getDistances() returns a Python list (max
        # float for unreachable nodes), turned into numpy.
        nkg = nk.Graph(n, weighted=True, directed=inst.directed)
        nkg.addEdges((inst.weight, (inst.src, inst.dst)))

        def networkit(s: int) -> np.ndarray:
            d = nk.distance.Dijkstra(nkg, s, storePaths=False)
            d.run()
            out = np.array(d.getDistances())
            out[out > 1e300] = np.inf
            return out

        return networkit
    if library == "rustworkx":
        import rustworkx as rx

        # dijkstra_shortest_path_lengths needs a Python edge_cost_fn (here the builtin float,
        # called once per arc on the float edge payload) and returns a {node: length} mapping
        # without the source, turned into numpy.
        rg = rx.PyDiGraph() if inst.directed else rx.PyGraph()
        rg.add_nodes_from(range(n))
        rg.add_edges_from(
            list(zip(inst.src.tolist(), inst.dst.tolist(), inst.weight.tolist(), strict=True))
        )
        lengths = (
            rx.digraph_dijkstra_shortest_path_lengths
            if inst.directed
            else rx.graph_dijkstra_shortest_path_lengths
        )

        def rustworkx(s: int) -> np.ndarray:
            found = lengths(rg, s, edge_cost_fn=float)
            out = np.full(n, np.inf)
            out[s] = 0.0
            out[np.fromiter(found.keys(), dtype=np.int64, count=len(found))] = np.fromiter(
                found.values(), dtype=np.float64, count=len(found)
            )
            return out

        return rustworkx
    raise ValueError(library)


@pytest.mark.parametrize("name", list(INSTANCES))
@pytest.mark.parametrize("library", PEERS)
def test_single_source(benchmark: Any, library: str, name: str) -> None:
    if library != "routecore":
        pytest.importorskip(library)
    solve = single_source_solver(library, name)
    source = int(sources(instance(name), 1)[0])
    benchmark.group = f"single-source {instance(name).name}"
    rounds = 2 if library == "rustworkx" and not smoke() else 5
    got = benchmark.pedantic(solve, args=(source,), rounds=rounds, warmup_rounds=1)
    want = single_source_solver("routecore", name)(source)
    np.testing.assert_allclose(got, want, rtol=1e-9)


@pytest.mark.parametrize("name", list(INSTANCES))
@pytest.mark.parametrize("threads", [1, 2], ids=["routecore-1thread", "routecore-2threads"])
def test_batch64(benchmark: Any, threads: int, name: str) -> None:
    g = routecore_graph(name)
    batch = sources(instance(name), 64)
    benchmark.group = f"batch64 {instance(name).name}"
    out = benchmark.pedantic(
        rc.shortest_path_lengths,
        args=(g, batch),
        kwargs={"threads": threads},
        rounds=3,
        warmup_rounds=1,
    )
    assert out.shape == (batch.shape[0], g.num_nodes)


def test_grid_memory(benchmark: Any) -> None:
    # Timed: building the Graph (CSR) of the grid from numpy edge arrays. Checked: its memory.
    inst = instance("grid")
    benchmark.group = f"graph build {inst.name}"
    g = benchmark.pedantic(
        rc.Graph,
        args=(inst.num_nodes, inst.src, inst.dst),
        kwargs={"weight": inst.weight, "directed": True},
        rounds=3,
    )
    n, m = g.num_nodes, g.num_edges
    budget = 16 * m + 16 * n
    print(
        f"\n{inst.name}: Graph.nbytes = {g.nbytes:,} bytes for {n:,} nodes and {m:,} weighted "
        f"directed edges; budget 16*m + 16*n = {budget:,} ({g.nbytes / m:.2f} bytes per edge "
        "all in)"
    )
    assert g.nbytes <= budget
