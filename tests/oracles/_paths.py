"""Shortest paths, geometry and path certificates: scipy, networkx and plain-Python references."""

from __future__ import annotations

import math
from collections import deque
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

import routecore as rc
from routecore import _core
from routecore.geo import EARTH_RADIUS_KM
from routecore.graph import csr_view

if TYPE_CHECKING:
    from ..strategies import EdgeList


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


def geo_bound(el: EdgeList, lat: np.ndarray, lon: np.ndarray) -> float:
    """The largest cost per km that every edge of ``el`` respects (a valid A* bound), from the
    haversine distances."""
    km = haversine_km(lat[el.src], lon[el.src], lat[el.dst], lon[el.dst])
    positive = km > 1e-6
    if not positive.any():
        return 1.0
    bound = float(np.min(el.weight[positive] / km[positive])) * (1 - 1e-9)
    # Below the smallest normal float the products cost * km lose their relative precision
    # (hypothesis found weights of 2.2e-313), so the 1e-9 margin no longer covers rounding;
    # a cost of 0 is always a valid bound.
    return bound if bound >= np.finfo(np.float64).tiny else 0.0


def unit_vector(lat_deg: float, lon_deg: float) -> np.ndarray:
    """The unit vector (x, y, z) of a point on the sphere, Earth-centred, z through the pole."""
    la, lo = math.radians(lat_deg), math.radians(lon_deg)
    return np.array([math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la)])


def elevation_deg(ground: np.ndarray, sat: np.ndarray) -> Any:
    """Elevation of ``sat`` seen from ``ground`` (Earth-centred xyz, broadcast): 90 deg minus the
    angle between the line of sight and the local vertical."""
    los = sat - ground
    up = ground / np.linalg.norm(ground, axis=-1, keepdims=True)
    sin_el = np.sum(los * up, axis=-1) / np.linalg.norm(los, axis=-1)
    return np.degrees(np.arcsin(np.clip(sin_el, -1.0, 1.0)))


def left_sum(values: np.ndarray) -> float:
    """Sum from the first element to the last, one addition at a time."""
    total = 0.0
    for x in values.tolist():
        total += x
    return total


def same_result(a: Any, b: Any) -> bool:
    """Exactly equal results: arrays of the same dtype and values, containers item by item,
    FlowResult / MinCut / ShortestPathTree field by field, anything else by type and ==."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (
            isinstance(a, np.ndarray)
            and isinstance(b, np.ndarray)
            and a.dtype == b.dtype
            and np.array_equal(a, b)
        )
    if isinstance(a, tuple | list):
        return type(a) is type(b) and len(a) == len(b) and all(map(same_result, a, b))
    if isinstance(a, rc.FlowResult | rc.MinCut | rc.ShortestPathTree):
        return type(a) is type(b) and all(
            same_result(getattr(a, f), getattr(b, f)) for f in a.__dataclass_fields__
        )
    return bool(type(a) is type(b) and a == b)


def lengths_of(
    el: EdgeList,
    weight: np.ndarray | None,
    sources: np.ndarray,
    removed: np.ndarray | None = None,
    *,
    reverse: bool = False,
    closed: np.ndarray | None = None,
) -> np.ndarray:
    """scipy distances on an :class:`EdgeList` (``weight`` None: unit weights); ``removed``:
    node mask, ``closed``: edge mask of deleted edges, ``reverse``: every edge turned round."""
    w = np.ones(len(el.src)) if weight is None else np.asarray(weight, dtype=np.float64)
    src, dst = (el.dst, el.src) if reverse else (el.src, el.dst)
    if closed is not None:
        src, dst, w = src[~closed], dst[~closed], w[~closed]
    if len(sources) == 0:
        return np.zeros((0, el.num_nodes))
    return scipy_lengths(el.num_nodes, src, dst, w, el.directed, sources, removed)


def node_mask(forbidden: Any, n: int) -> np.ndarray | None:
    """A set of ids or a boolean mask as a boolean mask of length ``n`` (None stays None)."""
    if forbidden is None:
        return None
    arr = np.asarray(forbidden)
    if arr.dtype == bool:
        return arr.copy()
    mask = np.zeros(n, dtype=bool)
    mask[arr.reshape(-1).astype(np.int64)] = True
    return mask


def check_path(
    el: EdgeList, weight: np.ndarray | None, s: int, t: int, p: rc.Path, removed: Any
) -> None:
    """A path from s to t along real edges, avoiding removed nodes, its length the sum of its
    edges' weights."""
    assert p.nodes[0] == s and p.nodes[-1] == t
    assert len(p.edges) == len(p.nodes) - 1
    w = np.ones(len(el.src)) if weight is None else weight
    for i, e in enumerate(p.edges.tolist()):
        u, v = int(p.nodes[i]), int(p.nodes[i + 1])
        ends = (int(el.src[e]), int(el.dst[e]))
        assert ends == (u, v) or (not el.directed and ends == (v, u))
    if removed is not None:
        assert not removed[p.nodes].any()
    assert p.length == sum(float(w[e]) for e in p.edges.tolist())


def core_lengths(
    g: rc.Graph,
    sources: np.ndarray,
    *,
    queue: int,
    blocked: np.ndarray | None = None,
    max_length: float = np.inf,
    threads: int = 1,
) -> np.ndarray:
    """The core's one-source search with the priority queue forced (``queue``: -1 auto, 0
    radix heap, 1 4-ary heap, 2 4-ary heap without prefetches, 3 bucket queue; see
    shortest_paths.h): the subject the oracles above are compared with, queue by queue."""
    view = csr_view(g)
    mask = None if blocked is None else blocked.astype(np.uint8)
    return _core.shortest_path_lengths(
        *view.adjacency,
        view.arc_weight,
        sources.astype(np.int32),
        mask,
        max_length,
        threads,
        queue,
    )


def scipy_lengths_within(
    el: EdgeList, sources: np.ndarray, blocked: np.ndarray | None, limit: float
) -> np.ndarray:
    """:func:`scipy_lengths` on an edge list, with every length beyond ``limit`` unreached
    (``inf``), as a search stopped at ``max_length`` reports it."""
    want = scipy_lengths(el.num_nodes, el.src, el.dst, el.weight, el.directed, sources, blocked)
    want[want > limit] = np.inf
    return want
