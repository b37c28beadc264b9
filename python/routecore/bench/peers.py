"""The peer libraries the suite compares routecore with: which are installed, and how each one
solves a suite instance.

Every peer is an optional import. A solver is built in two steps, so that only the solve is
timed: :func:`flow_solver` / :func:`path_solver` build the peer's graph (untimed) and return a
:class:`Solver` whose ``call`` is timed; ``setup`` (untimed, before every timed call) is for
peers whose solve consumes its input (PyMaxflow). A solver returns what the suite compares:
the tuple of flow values, or an array of distances (``inf`` for unreachable).
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .instances import FlowInstance, IntArray, PathInstance

# name in the report -> (import name, distribution name, tasks it takes part in)
PEERS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "scipy": ("scipy", "scipy", ("flow", "paths")),
    "igraph": ("igraph", "igraph", ("flow", "paths")),
    "networkit": ("networkit", "networkit", ("paths",)),
    "ortools": ("ortools", "ortools", ("flow",)),
    "pymaxflow": ("maxflow", "PyMaxflow", ("flow",)),
    "rustworkx": ("rustworkx", "rustworkx", ("paths",)),
    "networkx": ("networkx", "networkx", ("flow", "paths")),
    # Min-cost flow only: listed with its version, no family of this suite uses it.
    "pylmcf": ("pylmcf", "pylmcf", ()),
}

NETWORKX_MAX_EDGES = 50_000
"""networkx (pure Python) runs only on instances up to this many edges."""
RUSTWORKX_MAX_EDGES = 2_000_000
"""rustworkx calls a Python cost function per arc; larger instances are left out."""


def _module(name: str) -> Any:
    """Import a peer (untyped to mypy: the peers' stubs, where they exist, vary by version)."""
    return importlib.import_module(name)


def installed() -> dict[str, str]:
    """``{peer: version}`` of the peers that can be imported (none is imported here)."""
    found = {}
    for name, (module, dist, _) in PEERS.items():
        if importlib.util.find_spec(module) is None:
            continue
        try:
            found[name] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "unknown"
    return found


@dataclass(frozen=True)
class Solver:
    """A prepared solve: ``call(setup())`` is timed without ``setup``."""

    call: Callable[[Any], Any]
    setup: Callable[[], Any] | None = None


def _no_loops(tails: IntArray, heads: IntArray, values: np.ndarray) -> tuple[Any, Any, Any]:
    keep = tails != heads
    return tails[keep], heads[keep], values[keep]


# ----------------------------------------------------------------------------- max-flow
def flow_solver(peer: str, inst: FlowInstance) -> Solver:
    """The peer's solve of every ``(source, sink)`` pair of ``inst``; returns the values."""
    pairs = inst.pairs()
    if peer == "ortools":
        ortools_flow = _module("ortools.graph.python.max_flow")

        smf = ortools_flow.SimpleMaxFlow()
        smf.add_arcs_with_capacity(*inst.directed_arcs())

        def ortools(_: Any) -> tuple[int, ...]:
            out = []
            for s, t in pairs:
                if smf.solve(s, t) != smf.OPTIMAL:
                    raise RuntimeError(f"OR-Tools status {smf.solve(s, t)}")
                out.append(int(smf.optimal_flow()))
            return tuple(out)

        return Solver(ortools)
    if peer == "scipy":
        sp = _module("scipy.sparse")
        maximum_flow = _module("scipy.sparse.csgraph").maximum_flow

        tails, heads, caps = _no_loops(*inst.directed_arcs())
        n = inst.num_nodes
        # Parallel arcs are summed by the sparse constructor, which keeps the max-flow value.
        csr = sp.csr_array((caps.astype(np.int32), (tails, heads)), shape=(n, n))
        return Solver(
            lambda _: tuple(
                int(maximum_flow(csr, s, t, method="dinic").flow_value) for s, t in pairs
            )
        )
    if peer == "igraph":
        igraph = _module("igraph")

        g = igraph.Graph(n=inst.num_nodes, edges=np.c_[inst.src, inst.dst], directed=inst.directed)
        g.es["capacity"] = inst.capacity.tolist()
        return Solver(
            lambda _: tuple(int(g.maxflow_value(s, t, capacity="capacity")) for s, t in pairs)
        )
    if peer == "pymaxflow":
        return _pymaxflow(inst)
    if peer == "networkx":
        nx = _module("networkx")

        gx = nx.DiGraph()
        gx.add_nodes_from(range(inst.num_nodes))
        for u, v, c in zip(*(a.tolist() for a in _no_loops(*inst.directed_arcs())), strict=True):
            if gx.has_edge(u, v):
                gx[u][v]["capacity"] += c
            else:
                gx.add_edge(u, v, capacity=c)
        return Solver(lambda _: tuple(int(nx.maximum_flow_value(gx, s, t)) for s, t in pairs))
    raise ValueError(f"{peer} has no max-flow solver in the suite")


def _pymaxflow(inst: FlowInstance) -> Solver:
    """PyMaxflow's Boykov–Kolmogorov: terminal edges become terminal capacities (t-links),
    the other edges ``add_edges`` with both directions' capacities; rebuilt (untimed) before
    every solve, because ``maxflow()`` consumes the graph."""
    maxflow = _module("maxflow")

    if inst.queries:
        raise ValueError("PyMaxflow solves one source and sink per graph build")
    s, t = inst.source, inst.sink
    src, dst, cap = _no_loops(inst.src, inst.dst, inst.capacity)
    n = inst.num_nodes
    source_cap = np.zeros(n, dtype=np.int64)
    sink_cap = np.zeros(n, dtype=np.int64)
    direct = 0
    ends = [(src, dst)] if inst.directed else [(src, dst), (dst, src)]
    for a, b in ends:
        from_s, to_t = (a == s) & (b != t), (b == t) & (a != s)
        np.add.at(source_cap, b[from_s], cap[from_s])
        np.add.at(sink_cap, a[to_t], cap[to_t])
        direct += int(cap[(a == s) & (b == t)].sum())
    inner = (src != s) & (src != t) & (dst != s) & (dst != t)
    back = cap[inner] if not inst.directed else np.zeros(int(inner.sum()), dtype=np.int64)
    nodes = np.arange(n)

    def build() -> Any:
        g = maxflow.Graph[int]()
        g.add_nodes(n)
        g.add_edges(src[inner], dst[inner], cap[inner], back)
        g.add_grid_tedges(nodes, source_cap, sink_cap)
        return g

    return Solver(lambda g: (int(g.maxflow()) + direct,), build)


# ----------------------------------------------------------------------------- paths
def _inf(out: np.ndarray) -> np.ndarray:
    out = np.asarray(out, dtype=np.float64)
    out[out > 1e300] = np.inf
    return out


def path_solver(peer: str, inst: PathInstance) -> Solver:
    """The peer's distances: ``(k, n)`` for a batch, ``(n,)`` for one source, ``(q,)`` for
    point-to-point queries."""
    n = inst.num_nodes
    sources = inst.sources.tolist()
    targets = inst.targets.tolist()
    weighted = inst.weight is not None
    if peer == "scipy":
        sp = _module("scipy.sparse")
        dijkstra = _module("scipy.sparse.csgraph").dijkstra

        tails, heads, w = _no_loops(*inst.directed_arcs())
        # The sparse constructor would sum parallel arcs: keep the lightest of each.
        order = np.lexsort((w, heads, tails))
        tails, heads, w = tails[order], heads[order], w[order]
        first = np.r_[True, (tails[1:] != tails[:-1]) | (heads[1:] != heads[:-1])]
        csr = sp.csr_array((w[first], (tails[first], heads[first])), shape=(n, n))
        if inst.point_to_point:
            return Solver(
                lambda _: np.array(
                    [
                        dijkstra(csr, indices=s, unweighted=not weighted)[t]
                        for s, t in zip(sources, targets, strict=True)
                    ]
                )
            )
        one = inst.sources.size == 1
        idx = sources[0] if one else inst.sources
        return Solver(lambda _: dijkstra(csr, indices=idx, unweighted=not weighted))
    if peer == "igraph":
        igraph = _module("igraph")

        g = igraph.Graph(n=n, edges=np.c_[inst.src, inst.dst], directed=inst.directed)
        w_attr = None
        if weighted:
            g.es["weight"] = inst.weight
            w_attr = "weight"
        if inst.point_to_point:
            return Solver(
                lambda _: np.array(
                    [
                        g.distances(source=s, target=t, weights=w_attr, mode="out")[0][0]
                        for s, t in zip(sources, targets, strict=True)
                    ],
                    dtype=np.float64,
                )
            )
        one = inst.sources.size == 1

        def igraph_sssp(_: Any) -> np.ndarray:
            out = np.array(
                g.distances(source=sources, weights=w_attr, mode="out"), dtype=np.float64
            )
            return out[0] if one else out

        return Solver(igraph_sssp)
    if peer == "networkit":
        nk = _module("networkit")

        g = nk.Graph(n, weighted=weighted, directed=inst.directed)
        if weighted:
            g.addEdges((inst.weight, (inst.src, inst.dst)))
        else:
            g.addEdges((np.ones(inst.src.size), (inst.src, inst.dst)))
        if inst.point_to_point:

            def networkit_p2p(_: Any) -> np.ndarray:
                out = []
                for s, t in zip(sources, targets, strict=True):
                    # storePred=False crashes networkit 11.3 (segfault): default kept.
                    algo = nk.distance.BidirectionalDijkstra(g, s, t)
                    algo.run()
                    out.append(algo.getDistance())
                return _inf(np.array(out))

            return Solver(networkit_p2p)
        if inst.sources.size > 1:

            def networkit_batch(_: Any) -> np.ndarray:
                nk.setNumberOfThreads(inst.threads)
                algo = nk.distance.SPSP(g, sources)
                algo.run()
                return _inf(np.array(algo.getDistances()))

            return Solver(networkit_batch)
        single = nk.distance.Dijkstra if weighted else nk.distance.BFS

        def networkit_sssp(_: Any) -> np.ndarray:
            algo = single(g, sources[0], storePaths=False)
            algo.run()
            return _inf(np.array(algo.getDistances()))

        return Solver(networkit_sssp)
    if peer == "rustworkx":
        rx = _module("rustworkx")

        if inst.point_to_point or inst.sources.size > 1:
            raise ValueError("rustworkx runs single-source queries only in the suite")
        rg = rx.PyDiGraph() if inst.directed else rx.PyGraph()
        rg.add_nodes_from(range(n))
        w = np.ones(inst.src.size) if inst.weight is None else inst.weight
        rg.add_edges_from(list(zip(inst.src.tolist(), inst.dst.tolist(), w.tolist(), strict=True)))
        lengths = (
            rx.digraph_dijkstra_shortest_path_lengths
            if inst.directed
            else rx.graph_dijkstra_shortest_path_lengths
        )
        s0 = sources[0]

        def rustworkx(_: Any) -> np.ndarray:
            found = lengths(rg, s0, edge_cost_fn=float)
            out = np.full(n, np.inf)
            out[s0] = 0.0
            out[np.fromiter(found.keys(), dtype=np.int64, count=len(found))] = np.fromiter(
                found.values(), dtype=np.float64, count=len(found)
            )
            return out

        return Solver(rustworkx)
    if peer == "networkx":
        nx = _module("networkx")

        gx = nx.DiGraph() if inst.directed else nx.Graph()
        gx.add_nodes_from(range(n))
        w = np.ones(inst.src.size) if inst.weight is None else inst.weight
        for u, v, c in zip(inst.src.tolist(), inst.dst.tolist(), w.tolist(), strict=True):
            if not gx.has_edge(u, v) or gx[u][v]["weight"] > c:
                gx.add_edge(u, v, weight=c)

        def networkx_rows(_: Any) -> np.ndarray:
            if inst.point_to_point:
                return np.array(
                    [_nx_length(nx, gx, s, t) for s, t in zip(sources, targets, strict=True)]
                )
            rows = []
            for s in sources:
                out = np.full(n, np.inf)
                found = nx.single_source_dijkstra_path_length(gx, s)
                out[list(found)] = list(found.values())
                rows.append(out)
            return rows[0] if len(rows) == 1 else np.array(rows)

        return Solver(networkx_rows)
    raise ValueError(f"{peer} has no shortest-path solver in the suite")


def _nx_length(nx: Any, gx: Any, s: int, t: int) -> float:
    try:
        return float(nx.dijkstra_path_length(gx, s, t))
    except nx.NetworkXNoPath:
        return float("inf")
