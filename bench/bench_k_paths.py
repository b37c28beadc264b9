"""k = 20 shortest loopless paths: routecore against scipy ``yen``, networkx
``shortest_simple_paths`` and igraph ``get_k_shortest_paths`` (issue 13, section 1).

Instances
---------
* ``starlink``: one snapshot (t = 0) of Starlink shell 1 (``STARLINK_SHELL1``: 72 x 22 = 1,584
  satellites, +grid laser links) with 100 ground stations [ASSUMED: seeded points uniform by
  area between 50 S and 50 N, all with user links to every visible satellite; LEOCraft's
  TOP_100 city list is not available offline]. Undirected, weight = one-way propagation latency
  in ms. Smoke: a 6 x 8 shell and 20 stations.
* ``grid``: the road-like directed grid of ``bench/gen_paths.py`` (integer weights 1..100),
  60 x 60 here (30 x 30 in smoke mode), pairs among 12 seeded nodes. The issue's 1M-node
  grid is out of reach for the peers: scipy ``yen`` runs a whole-graph Dijkstra per spur node,
  hours per pair at that size.

Each library answers the same station pairs (:func:`num_pairs`: 6, 3 in smoke mode), k = 20, and the
lengths are checked equal to scipy's (``check``). routecore is timed on one thread (the
``routecore`` row) and on all cores for the batch (``routecore-threads``).

Run: ``python -m pytest bench/bench_k_paths.py --benchmark-only`` (full) or
``ROUTECORE_BENCH_SCALE=smoke python -m pytest bench/bench_k_paths.py --benchmark-disable``;
``python -m bench.bench_k_paths`` prints the min-of-3 ratio table, the libraries alternated.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cache
from itertools import islice
from typing import Any

import numpy as np
import pytest
from bench.conftest import smoke
from bench.gen_paths import Instance, road_grid

import routecore as rc
from routecore import constellation as cs

K = 20
PEERS = ["routecore", "routecore-threads", "scipy", "networkx", "igraph"]
Solver = Callable[[], list[np.ndarray]]


def num_pairs() -> int:
    return 3 if smoke() else 6


@cache
def starlink() -> tuple[Instance, np.ndarray]:
    """The snapshot as an Instance, and the station node ids."""
    stations = 20 if smoke() else 100
    rng = np.random.default_rng(13)
    lat = np.degrees(
        np.arcsin(rng.uniform(np.sin(np.radians(-50)), np.sin(np.radians(50)), stations))
    )
    lon = rng.uniform(-180.0, 180.0, stations)
    shell = cs.STARLINK_SHELL1
    if smoke():
        from dataclasses import replace

        shell = replace(shell, shells=(cs.Shell("smoke", 550.0, 53.0, 6, 8, phasing=1),))
    roles = np.full(stations, cs.GroundRole.TERMINAL)
    snap = cs.snapshot(shell, 0.0, lat, lon, roles)
    inst = Instance(
        "starlink",
        snap.graph.num_nodes,
        snap.src.astype(np.int64),
        snap.dst.astype(np.int64),
        np.asarray(snap.latency_ms, dtype=np.float64),
        directed=False,
    )
    return inst, np.arange(stations)


@cache
def instance(name: str) -> tuple[Instance, np.ndarray]:
    if name == "starlink":
        return starlink()
    inst = road_grid(30 if smoke() else 60)
    return inst, np.random.default_rng(3).choice(inst.num_nodes, 12, replace=False)


@cache
def pairs(name: str) -> np.ndarray:
    """``num_pairs()`` distinct connected (source, target) pairs of stations (grid: of nodes),
    seeded (networkx and igraph raise on unreachable pairs)."""
    inst, nodes = instance(name)
    g = rc.Graph(inst.num_nodes, inst.src, inst.dst, weight=inst.weight, directed=inst.directed)
    reach = np.isfinite(rc.shortest_path_lengths(g, nodes))
    candidates = [
        (int(s), int(t)) for i, s in enumerate(nodes) for t in nodes if s != t and reach[i, t]
    ]
    assert candidates, f"{name}: no connected pair"
    rng = np.random.default_rng(7)
    picks = rng.choice(len(candidates), min(num_pairs(), len(candidates)), replace=False)
    out = [candidates[i] for i in sorted(picks)]
    return np.array(out)


def _arcs(inst: Instance) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Arc arrays (both directions for undirected), no parallel arcs (checked)."""
    t, h, w = inst.src, inst.dst, inst.weight
    if not inst.directed:
        t, h, w = np.concatenate([t, h]), np.concatenate([h, t]), np.concatenate([w, w])
    key = t * inst.num_nodes + h
    assert np.unique(key).size == key.size, "parallel arcs: peers would merge them"
    return t, h, w


@cache
def solver(library: str, name: str) -> Solver:
    """Build ``library``'s graph (untimed); the returned call answers every pair."""
    inst, _ = instance(name)
    todo = pairs(name)
    if library.startswith("routecore"):
        g = rc.Graph(inst.num_nodes, inst.src, inst.dst, weight=inst.weight, directed=inst.directed)
        threads = None if library == "routecore-threads" else 1

        def run_rc() -> list[np.ndarray]:
            found = rc.k_shortest_paths(g, todo[:, 0], todo[:, 1], K, threads=threads)
            return [np.array([p.length for p in paths]) for paths in found]

        return run_rc
    if library == "scipy":
        import scipy.sparse as sp
        from scipy.sparse.csgraph import yen

        t, h, w = _arcs(inst)
        m = sp.csr_matrix((w, (t, h)), shape=(inst.num_nodes, inst.num_nodes))
        m.indices = m.indices.astype(np.int32)
        m.indptr = m.indptr.astype(np.int32)
        return lambda: [np.asarray(yen(m, int(s), int(d), K)) for s, d in todo]
    if library == "networkx":
        import networkx as nx

        t, h, w = _arcs(inst)
        gx = nx.DiGraph()
        gx.add_weighted_edges_from(zip(t.tolist(), h.tolist(), w.tolist(), strict=True))

        def run_nx() -> list[np.ndarray]:
            out = []
            for s, d in todo:
                paths = islice(nx.shortest_simple_paths(gx, int(s), int(d), weight="weight"), K)
                out.append(np.array([nx.path_weight(gx, p, "weight") for p in paths]))
            return out

        return run_nx
    import igraph

    t, h, w = _arcs(inst)
    gi = igraph.Graph(n=inst.num_nodes, edges=np.column_stack([t, h]).tolist(), directed=True)
    weights = w.tolist()

    def run_ig() -> list[np.ndarray]:
        out = []
        for s, d in todo:
            paths = gi.get_k_shortest_paths(int(s), int(d), k=K, weights=weights, output="epath")
            out.append(np.array([sum(w[e] for e in p) for p in paths]))
        return out

    return run_ig


def check(name: str, got: list[np.ndarray]) -> None:
    """Every library's lengths equal scipy's, pair by pair (to rounding)."""
    want = solver("scipy", name)() if not hasattr(check, name) else getattr(check, name)
    setattr(check, name, want)
    assert len(got) == len(want)
    for a, b in zip(got, want, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9)


@pytest.mark.parametrize("library", PEERS)
@pytest.mark.parametrize("name", ["starlink", "grid"])
def test_k_paths(benchmark: Any, name: str, library: str) -> None:
    benchmark.group = f"k{K} paths {name} ({num_pairs()} pairs)"
    if library == "routecore":
        benchmark.extra_info["reference"] = True
    run = solver(library, name)
    result = benchmark.pedantic(run, rounds=1 if library == "networkx" else 3, iterations=1)
    check(name, result)


def main() -> None:
    """Min of 3 alternated runs per library and instance, as a ratio table."""
    for name in ("starlink", "grid"):
        inst, _ = instance(name)
        best = dict.fromkeys(PEERS, np.inf)
        for _ in range(3):
            for library in PEERS:
                run = solver(library, name)
                start = time.perf_counter()
                got = run()
                best[library] = min(best[library], time.perf_counter() - start)
                check(name, got)
        print(f"{name}: {inst.num_nodes} nodes, {inst.src.size} edges, k={K}, {num_pairs()} pairs")
        for library in PEERS:
            ratio = best[library] / best["routecore"]
            print(f"  {library:<18} {best[library] * 1e3:10.2f} ms   x{ratio:8.1f}")


if __name__ == "__main__":
    main()
