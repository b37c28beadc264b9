"""Independent reference answers for the shortest-path tests (scipy, networkx, plain Python).

Nothing here calls routecore's algorithms: the oracles start from the raw edge lists.
``same_result`` compares two routecore results exactly (for the determinism tests).
"""

from __future__ import annotations

from collections import deque
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

import routecore as rc

EARTH_RADIUS_KM = 6371.0088


def arcs(
    num_nodes: int,
    src: np.ndarray,
    dst: np.ndarray,
    weight: np.ndarray,
    directed: bool,
    removed: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The arcs (tail, head, weight) of an edge list; undirected edges give both directions.
    Arcs touching a node in ``removed`` (boolean mask) are dropped."""
    tails, heads, w = src, dst, weight
    if not directed:
        tails = np.concatenate([src, dst])
        heads = np.concatenate([dst, src])
        w = np.concatenate([weight, weight])
    if removed is not None:
        keep = ~(removed[tails] | removed[heads])
        tails, heads, w = tails[keep], heads[keep], w[keep]
    return tails.astype(np.int64), heads.astype(np.int64), w.astype(np.float64)


def scipy_lengths(
    num_nodes: int,
    src: np.ndarray,
    dst: np.ndarray,
    weight: np.ndarray,
    directed: bool,
    sources: np.ndarray,
    removed: np.ndarray | None = None,
) -> np.ndarray:
    """scipy.sparse.csgraph.dijkstra distances, shape (len(sources), n).

    A sparse matrix sums duplicate entries, so parallel arcs are first reduced to their minimum
    weight. Self-loops never shorten a path and are dropped (a zero entry on the diagonal is
    harmless but scipy keeps explicit zeros only if we ask). Zero weights are kept as explicit
    zeros, which csgraph treats as edges for sparse input.
    """
    t, h, w = arcs(num_nodes, src, dst, weight, directed, removed)
    loop = t == h
    t, h, w = t[~loop], h[~loop], w[~loop]
    order = np.lexsort((w, h, t))
    t, h, w = t[order], h[order], w[order]
    first = np.ones(t.shape[0], dtype=bool)
    first[1:] = (t[1:] != t[:-1]) | (h[1:] != h[:-1])
    matrix = sp.csr_array((w[first], (t[first], h[first])), shape=(num_nodes, num_nodes))
    out = dijkstra(matrix, directed=True, indices=np.asarray(sources, dtype=np.int64))
    out = np.atleast_2d(out)
    if removed is not None:
        out[:, removed] = np.inf
    return out


def networkx_graph(
    num_nodes: int,
    src: np.ndarray,
    dst: np.ndarray,
    weight: np.ndarray,
    directed: bool,
    removed: np.ndarray | None = None,
) -> nx.MultiDiGraph | nx.MultiGraph:
    g: nx.MultiDiGraph | nx.MultiGraph = nx.MultiDiGraph() if directed else nx.MultiGraph()
    g.add_nodes_from(range(num_nodes))
    for u, v, w in zip(src.tolist(), dst.tolist(), weight.tolist(), strict=True):
        if removed is not None and (removed[u] or removed[v]):
            continue
        g.add_edge(u, v, weight=w)
    return g


def networkx_lengths(g: nx.Graph, source: int, *, weighted: bool = True) -> np.ndarray:
    n = g.number_of_nodes()
    out = np.full(n, np.inf)
    if weighted:
        found = nx.single_source_dijkstra_path_length(g, source, weight="weight")
    else:
        found = nx.single_source_shortest_path_length(g, source)
    for v, d in found.items():
        out[v] = d
    return out


def bfs_hops(
    num_nodes: int, src: np.ndarray, dst: np.ndarray, directed: bool, source: int
) -> np.ndarray:
    """Hop counts by a textbook breadth-first search over adjacency lists."""
    adj: list[list[int]] = [[] for _ in range(num_nodes)]
    for u, v in zip(src.tolist(), dst.tolist(), strict=True):
        adj[u].append(v)
        if not directed:
            adj[v].append(u)
    out = np.full(num_nodes, np.inf)
    out[source] = 0
    queue = deque([source])
    while queue:
        u = queue.popleft()
        for v in adj[u]:
            if out[v] == np.inf:
                out[v] = out[u] + 1
                queue.append(v)
    return out


def haversine_km(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    """Great-circle distance by the haversine formula (a different formula from routecore's)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def left_sum(values: np.ndarray) -> float:
    """Sum from the first element to the last, one addition at a time."""
    total = 0.0
    for x in values.tolist():
        total += x
    return total


__all__ = [
    "arcs",
    "bfs_hops",
    "haversine_km",
    "left_sum",
    "networkx_graph",
    "networkx_lengths",
    "scipy_lengths",
]


def same_result(a: Any, b: Any) -> bool:
    """Exactly equal results: arrays of the same dtype and values, containers item by item,
    FlowResult / ShortestPathTree field by field, anything else by type and ==."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (
            isinstance(a, np.ndarray)
            and isinstance(b, np.ndarray)
            and a.dtype == b.dtype
            and np.array_equal(a, b)
        )
    if isinstance(a, tuple | list):
        return type(a) is type(b) and len(a) == len(b) and all(map(same_result, a, b))
    if isinstance(a, rc.FlowResult | rc.ShortestPathTree):
        return type(a) is type(b) and all(
            same_result(getattr(a, f), getattr(b, f)) for f in a.__dataclass_fields__
        )
    return bool(type(a) is type(b) and a == b)
