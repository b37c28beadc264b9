"""Shortest paths on a :class:`~routecore.Graph` (non-negative weights).

Every function validates its input here, once, and then runs one C++ call with the GIL released
(Ctrl-C interrupts it). Lengths are float64 with ``inf`` for "unreachable"; node and edge ids
are int32 and edge ids are the graph's input order.

Which function for which question
---------------------------------
* distances from one or many sources to every node: :func:`shortest_path_lengths`
  (many sources run in parallel threads);
* one route between two nodes: :func:`shortest_path` (Dijkstra, bidirectional Dijkstra or A*);
* every node to (or from) the nearest of several nodes, e.g. each terminal to its nearest
  gateway: :func:`nearest_source`, or :func:`shortest_path_tree` when the routes themselves are
  needed too (one search, then routes for any number of nodes in one vectorised call).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal, NoReturn

import numpy as np
import numpy.typing as npt

from . import _core
from ._validation import (
    _as_array,
    edge_values,
    flag,
    node_id,
    node_id_array,
    node_ids,
    node_mask,
    real_number,
    thread_count,
)
from .errors import GraphError
from .graph import Graph

__all__ = [
    "EARTH_RADIUS_KM",
    "Path",
    "ShortestPathTree",
    "nearest_source",
    "shortest_path",
    "shortest_path_lengths",
    "shortest_path_tree",
]

Int32Array = npt.NDArray[np.int32]
Int64Array = npt.NDArray[np.int64]
Float64Array = npt.NDArray[np.float64]
Method = Literal["auto", "dijkstra", "bidirectional", "astar"]

EARTH_RADIUS_KM = 6371.0088
"""Radius of the sphere on which A* measures great-circle distances (IUGG mean Earth radius)."""

_METHODS = ("auto", "dijkstra", "bidirectional", "astar")


# ------------------------------------------------------------------------------------ results
@dataclass(frozen=True, eq=False)
class Path:
    """A shortest path.

    Attributes
    ----------
    nodes : ndarray of int32, shape (k + 1,)
        The nodes visited, source first, target last.
    edges : ndarray of int32, shape (k,)
        The edge id (input order) of each hop; ``edges[i]`` joins ``nodes[i]`` to
        ``nodes[i + 1]``. An undirected edge used against its input direction still reports its
        own id.
    length : float
        The sum of the weights of ``edges`` (hop count ``k`` on an unweighted graph), added up
        from the source. ``0.0`` for the one-node path from a node to itself.

    The arrays are read-only.
    """

    nodes: Int32Array
    edges: Int32Array
    length: float

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Path):
            return NotImplemented
        return (
            self.length == other.length
            and np.array_equal(self.nodes, other.nodes)
            and np.array_equal(self.edges, other.edges)
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"Path(nodes={self.nodes.tolist()}, edges={self.edges.tolist()}, length={self.length})"
        )


def _read_only(*arrays: npt.NDArray[Any]) -> None:
    for arr in arrays:
        arr.flags.writeable = False


def _make_path(nodes: Int32Array, edges: Int32Array, length: float) -> Path:
    _read_only(nodes, edges)
    return Path(nodes, edges, float(length))


@dataclass(frozen=True, eq=False)
class ShortestPathTree:
    """The result of one multi-source search: every node's nearest source and its route.

    Produced by :func:`shortest_path_tree`; the arrays are read-only.

    Attributes
    ----------
    length : ndarray of float64, shape (n,)
        ``length[v]``: length of the shortest route between ``v`` and its nearest source
        (``inf`` if none is reachable).
    root : ndarray of int32, shape (n,)
        ``root[v]``: node id of that nearest source, ``-1`` if none is reachable. A source is its
        own root.
    pred_edge : ndarray of int32, shape (n,)
        The edge id of the tree edge at ``v``: with ``reverse=False`` the last edge of the route
        root -> v, with ``reverse=True`` the first edge of the route v -> root (the next hop).
        ``-1`` at roots and unreachable nodes.
    parent : ndarray of int32, shape (n,)
        The other end of ``pred_edge[v]``: the node before ``v`` (``reverse=False``) or after it
        (``reverse=True``) on its route; ``-1`` where ``pred_edge`` is ``-1``.
    reverse : bool
        ``False``: routes lead from the sources to every node; ``True``: from every node to
        the sources.
    num_edges : int
        Edge count of the graph searched (the size of :meth:`edge_load`'s result).
    """

    length: Float64Array
    root: Int32Array
    pred_edge: Int32Array
    parent: Int32Array
    reverse: bool
    num_edges: int

    def route_edges(self, nodes: npt.ArrayLike) -> tuple[Int64Array, Int32Array]:
        """The routes of many nodes as flat arrays, in one C++ pass.

        Parameters
        ----------
        nodes : array_like of int
            The nodes whose routes are wanted (e.g. 2,000 terminals).

        Returns
        -------
        offsets : ndarray of int64, shape (k + 1,)
        edges : ndarray of int32
            The route of ``nodes[i]`` is ``edges[offsets[i]:offsets[i + 1]]``, in the order of
            travel (root to node, or with ``reverse=True`` node to root). Roots and
            unreachable nodes have empty routes; tell them apart with ``length[nodes]``.

        Examples
        --------
        >>> import routecore as rc
        >>> g = rc.Graph(4, [0, 1, 2], [1, 2, 3], weight=[1.0, 1.0, 1.0], directed=False)
        >>> tree = rc.shortest_path_tree(g, [0, 3], reverse=True)
        >>> offsets, edges = tree.route_edges([1, 2])
        >>> offsets.tolist(), edges.tolist()
        ([0, 1, 2], [0, 2])
        """
        _, offsets, edges, _ = self._routes(nodes)
        return offsets, edges

    def path(self, node: int) -> Path | None:
        """The route between ``node`` and its nearest source as a :class:`Path`, in the order of
        travel (source to node, or node to source with ``reverse=True``); ``None`` if no source
        is reachable. Its ``length`` is ``self.length[node]``; for a reverse tree that sum was
        accumulated from the root end, so it may differ from a left-to-right sum in the last
        bits."""
        return self.paths([node_id(node, self.length.shape[0], "node")])[0]

    def paths(self, nodes: npt.ArrayLike) -> list[Path | None]:
        """:meth:`path` for many nodes at once (one C++ pass, then one small object per node).

        Examples
        --------
        >>> import routecore as rc
        >>> g = rc.Graph(3, [0, 1], [1, 2], weight=[1.0, 2.0])
        >>> [p.nodes.tolist() if p else None for p in rc.shortest_path_tree(g, 1).paths([2, 0])]
        [[1, 2], None]
        """
        ids, offsets, edges, flat_nodes = self._routes(nodes)
        result: list[Path | None] = []
        for i, v in enumerate(ids.tolist()):
            if self.root[v] < 0:
                result.append(None)
                continue
            lo, hi = int(offsets[i]), int(offsets[i + 1])
            result.append(
                _make_path(
                    flat_nodes[lo + i : hi + i + 1].copy(), edges[lo:hi].copy(), self.length[v]
                )
            )
        return result

    def edge_load(self, nodes: npt.ArrayLike, demand: npt.ArrayLike | None = None) -> Float64Array:
        """Total demand each edge carries when every node in ``nodes`` follows its route.

        Parameters
        ----------
        nodes : array_like of int, shape (k,)
        demand : array_like of float, shape (k,), optional
            Demand of each node (default 1 each, i.e. route counts). Unreachable nodes carry
            nothing.

        Returns
        -------
        ndarray of float64, shape (num_edges,)

        Examples
        --------
        >>> import routecore as rc
        >>> g = rc.Graph(3, [0, 1], [1, 2], weight=[1.0, 1.0])
        >>> rc.shortest_path_tree(g, [0]).edge_load([1, 2]).tolist()
        [2.0, 1.0]
        """
        _, offsets, edges, _ = self._routes(nodes)
        k = offsets.shape[0] - 1
        per_node = np.ones(k) if demand is None else _demand(demand, k)
        counts = np.diff(offsets)
        return np.bincount(
            edges, weights=np.repeat(per_node, counts), minlength=self.num_edges
        ).astype(np.float64, copy=False)

    def _routes(
        self, nodes: npt.ArrayLike
    ) -> tuple[Int32Array, Int64Array, Int32Array, Int32Array]:
        arr = _as_array(nodes, "nodes")
        ids = node_id_array(
            arr.reshape(-1) if arr.ndim == 0 else arr, self.length.shape[0], "nodes"
        )
        routes = _core.tree_routes(self.parent, self.pred_edge, ids, self.reverse)
        if routes is None:
            raise GraphError("this ShortestPathTree's parent array is not a forest")
        offsets, edges, flat_nodes = routes
        return ids, offsets, edges, flat_nodes

    def __post_init__(self) -> None:
        # The fields feed C++ (tree_routes) directly, so a hand-made tree is checked here.
        if not isinstance(self.length, np.ndarray) or self.length.ndim != 1:
            raise GraphError("length must be a 1-D float64 array")
        n = self.length.shape[0]
        for name in ("root", "pred_edge", "parent"):
            arr = getattr(self, name)
            if not isinstance(arr, np.ndarray) or arr.shape != (n,) or arr.dtype != np.int32:
                raise GraphError(f"{name} must be an int32 array of shape ({n},)")
        bad = np.flatnonzero((self.parent < -1) | (self.parent >= n))
        if bad.size:
            i = int(bad[0])
            raise GraphError(f"parent[{i}] = {self.parent[i]} is not a node id or -1")
        bad = np.flatnonzero((self.pred_edge < -1) | (self.pred_edge >= self.num_edges))
        if bad.size:
            i = int(bad[0])
            raise GraphError(f"pred_edge[{i}] = {self.pred_edge[i]} is not an edge id or -1")


# --------------------------------------------------------------------------------- validation
def _demand(demand: npt.ArrayLike, k: int) -> Float64Array:
    arr = _as_array(demand, "demand")
    if arr.shape != (k,):
        raise GraphError(f"demand: expected one value per node, shape ({k},), got {arr.shape}")
    if arr.dtype.kind not in "biuf":  # not timedelta64, which numpy counts as an integer
        raise GraphError(f"demand: expected real numbers, got dtype {arr.dtype}")
    with np.errstate(over="ignore", invalid="ignore"):  # inf, NaN: reported below
        values = arr.astype(np.float64)
    bad = np.flatnonzero(~np.isfinite(values) | (values < 0))
    if bad.size:
        i = int(bad[0])
        raise GraphError(f"demand[{i}] = {values[i]}; demands must be finite and >= 0")
    return values


def _arc_weight(graph: Graph, weight: npt.ArrayLike | None) -> Float64Array | None:
    """Weights in CSR arc order, or ``None`` for hop counts."""
    if weight is None:
        return graph._arc_weight
    w = edge_values(weight, graph.num_edges, "weight", kind="weight")
    return graph.arc_values(w)


def _reverse_arc_weight(graph: Graph, weight: npt.ArrayLike | None) -> Float64Array | None:
    """Weights in the arc order of ``graph.reverse_csr()``, or ``None`` for hop counts."""
    if weight is None:
        return graph.reverse_arc_weight()  # built once with the reverse CSR
    if not graph.directed:
        return _arc_weight(graph, weight)  # an undirected graph is its own reverse
    r_arc_edge = graph.reverse_csr()[2]
    w = edge_values(weight, graph.num_edges, "weight", kind="weight")
    return np.ascontiguousarray(w[np.where(r_arc_edge < 0, ~r_arc_edge, r_arc_edge)])


def _blocked(graph: Graph, forbidden_nodes: npt.ArrayLike | None) -> npt.NDArray[np.uint8] | None:
    mask = node_mask(forbidden_nodes, graph.num_nodes, "forbidden_nodes")
    if mask is None or not mask.any():
        return None
    return mask


def _closed_edges(
    graph: Graph, forbidden_edges: npt.ArrayLike | None
) -> npt.NDArray[np.bool_] | None:
    """``forbidden_edges`` (a boolean mask over the edges or edge ids) as a boolean mask, or
    ``None`` when no edge is closed."""
    if forbidden_edges is None:
        return None
    m = graph.num_edges
    arr = _as_array(forbidden_edges, "forbidden_edges")
    if arr.dtype == np.bool_:
        if arr.shape != (m,):
            raise GraphError(
                f"forbidden_edges: a boolean mask needs one entry per edge, shape ({m},), "
                f"got {arr.shape}"
            )
        mask = arr
    else:
        ids = arr.reshape(-1) if arr.ndim == 0 else arr
        if ids.ndim != 1:
            raise GraphError(
                f"forbidden_edges: expected a 1-D array of edge ids, got shape {arr.shape}"
            )
        if ids.size == 0:
            return None
        if ids.dtype.kind not in "iu":  # not bool, not timedelta64
            raise GraphError(f"forbidden_edges: edge ids must be integers, got dtype {ids.dtype}")
        bad = np.flatnonzero((ids < 0) | (ids >= m))
        if bad.size:
            i = int(bad[0])
            valid = f"valid ids are 0..{m - 1}" if m else "the graph has no edges"
            raise GraphError(f"forbidden_edges[{i}] = {ids[i]} is not an edge id; {valid}")
        mask = np.zeros(m, dtype=bool)
        mask[ids.astype(np.int64)] = True
    return mask if mask.any() else None


def _weights_without(
    graph: Graph, weight: npt.ArrayLike | None, closed: npt.NDArray[np.bool_]
) -> Float64Array:
    """Per-edge weights (the call's, the graph's, or 1 for hop counts) with ``inf`` on the
    closed edges. No search relaxes an arc to a finite length through an ``inf`` weight, so
    this is the graph with those edges deleted; nodes reached only through them come back
    with length ``inf``, which the callers turn into "unreachable"."""
    if weight is not None:
        per_edge = np.array(edge_values(weight, graph.num_edges, "weight", kind="weight"))
    elif graph._arc_weight is not None:
        per_edge = graph._edge_order(graph._arc_weight)
    else:
        per_edge = np.ones(graph.num_edges, dtype=np.float64)
    per_edge[closed] = np.inf
    return per_edge.astype(np.float64, copy=False)


def _reverse_order(graph: Graph, per_edge: Float64Array) -> Float64Array:
    """Per-edge values in the arc order of ``graph.reverse_csr()`` (no validation)."""
    r_arc_edge = graph.reverse_csr()[2]
    return np.ascontiguousarray(per_edge[np.where(r_arc_edge < 0, ~r_arc_edge, r_arc_edge)])


def _check_not_blocked(
    ids: Int32Array, mask: npt.NDArray[np.uint8] | None, name: str, scalar: bool
) -> None:
    if mask is None:
        return
    bad = np.flatnonzero(mask[ids])
    if bad.size:
        i = int(bad[0])
        where = name if scalar else f"{name}[{i}]"
        raise GraphError(
            f"{where} = {ids[i]} is in forbidden_nodes; a path cannot start or end there"
        )


def _check_graph(graph: Any) -> Graph:
    if not isinstance(graph, Graph):
        raise GraphError(f"graph must be a routecore.Graph, got {type(graph).__name__}")
    return graph


def _check_max_length(max_length: Any) -> float:
    value = real_number(max_length, "max_length")
    if math.isnan(value) or value < 0:
        raise GraphError(f"max_length must be >= 0 (inf for no limit), got {value}")
    return value


def _check_coordinates(
    coordinates: Any, min_cost_per_km: Any, num_nodes: int
) -> tuple[Float64Array, Float64Array, float]:
    if coordinates is None:
        raise GraphError("method='astar' needs coordinates=(lat_deg, lon_deg), one pair per node")
    if min_cost_per_km is None:
        raise GraphError(
            "coordinates were given without min_cost_per_km (the smallest weight per km of "
            "great-circle distance any edge can have)"
        )
    arr = _as_array(coordinates, "coordinates")
    if arr.shape != (2, num_nodes):
        raise GraphError(
            "coordinates: expected (lat_deg, lon_deg), two arrays of length "
            f"{num_nodes} (one entry per node), got shape {arr.shape}"
        )
    if arr.dtype.kind not in "iuf":
        raise GraphError(f"coordinates: expected real numbers, got dtype {arr.dtype}")
    with np.errstate(over="ignore", invalid="ignore"):  # inf, NaN: reported below
        lat = np.ascontiguousarray(arr[0], dtype=np.float64)
        lon = np.ascontiguousarray(arr[1], dtype=np.float64)
    for name, values, limit in (("lat_deg", lat, 90.0), ("lon_deg", lon, math.inf)):
        bad = np.flatnonzero(~np.isfinite(values) | (np.abs(values) > limit))
        if bad.size:
            i = int(bad[0])
            rule = "finite, in [-90, 90]" if limit == 90.0 else "finite"
            raise GraphError(f"coordinates {name}[{i}] = {values[i]}; must be {rule}")
    cost = real_number(min_cost_per_km, "min_cost_per_km")
    if not math.isfinite(cost) or cost < 0:
        raise GraphError(f"min_cost_per_km must be finite and >= 0, got {cost}")
    return lat, lon, cost


def _great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    y = math.hypot(
        math.cos(p2) * math.sin(dl),
        math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl),
    )
    x = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return EARTH_RADIUS_KM * math.atan2(y, x)


# ------------------------------------------------------------------------------ public API
def shortest_path_lengths(
    graph: Graph,
    sources: int | npt.ArrayLike,
    *,
    weight: npt.ArrayLike | None = None,
    forbidden_nodes: npt.ArrayLike | None = None,
    forbidden_edges: npt.ArrayLike | None = None,
    max_length: float = math.inf,
    threads: int | None = None,
) -> Float64Array:
    """Shortest-path lengths from one or many sources to every node.

    Parameters
    ----------
    graph : Graph
    sources : int or array_like of int
        One source node, or a sequence of ``k`` source nodes (repeats allowed).
    weight : array_like of float, shape (num_edges,), optional
        Edge weights for this call (edge-id order), overriding the graph's own. Without either,
        every edge counts 1 and the lengths are hop counts (breadth-first search).
    forbidden_nodes : array_like of bool (shape (n,)) or of int (node ids), optional
        Nodes no path may enter; their lengths are ``inf``. The sources must not be among them.
    forbidden_edges : array_like of bool (shape (num_edges,)) or of int (edge ids), optional
        Edges no path may use (e.g. failed links): the result is that of the graph with these
        edges deleted. An undirected edge is closed in both directions.
    max_length : float, default inf
        Lengths above this are reported as ``inf`` (and the search stops there, so small values
        are fast).
    threads : int, optional
        Worker threads for several sources (default: every core). Each row is computed by one
        thread; the result does not depend on the thread count.

    Returns
    -------
    ndarray of float64
        Shape ``(n,)`` for a scalar source, ``(k, n)`` for ``k`` sources: ``out[i, v]`` is the
        length of a shortest path ``sources[i] -> v``, ``inf`` if there is none (or it is longer
        than ``max_length``).

    Raises
    ------
    GraphError
        A source out of range or forbidden, a bad weight array or mask (an edge id out of range
        in ``forbidden_edges`` names its position), ``max_length`` negative or NaN,
        ``threads < 1``.

    Notes
    -----
    Each row is one Dijkstra search, O(m log n). The priority queue is a radix heap when the
    weights are whole numbers (many distances tie) and a 4-ary heap otherwise; without weights a
    breadth-first search, O(n + m). Threads share the read-only graph and each keeps one O(n)
    workspace, so memory is O(k n) for the result plus O(threads n).

    Examples
    --------
    >>> import routecore as rc
    >>> g = rc.Graph(3, [0, 1], [1, 2], weight=[2.0, 0.5])
    >>> rc.shortest_path_lengths(g, 0).tolist()
    [0.0, 2.0, 2.5]
    >>> rc.shortest_path_lengths(g, [2, 1]).tolist()
    [[inf, inf, 0.0], [inf, 0.0, 0.5]]
    """
    n = _check_graph(graph).num_nodes
    ids, scalar = node_ids(sources, n, "sources")
    w = _arc_weight(graph, weight)
    closed = _closed_edges(graph, forbidden_edges)
    if closed is not None:
        w = graph.arc_values(_weights_without(graph, weight, closed))
    mask = _blocked(graph, forbidden_nodes)
    _check_not_blocked(ids, mask, "sources", scalar)
    limit = _check_max_length(max_length)
    workers = thread_count(threads)
    out = _core.shortest_path_lengths(
        graph._first_out, graph._head, graph._arc_edge, w, ids, mask, limit, workers
    )
    return out[0] if scalar else out


def shortest_path(
    graph: Graph,
    source: int,
    target: int,
    *,
    weight: npt.ArrayLike | None = None,
    forbidden_nodes: npt.ArrayLike | None = None,
    forbidden_edges: npt.ArrayLike | None = None,
    method: Method = "auto",
    coordinates: npt.ArrayLike | None = None,
    min_cost_per_km: float | None = None,
) -> Path | None:
    """A shortest path from ``source`` to ``target``.

    Parameters
    ----------
    graph : Graph
    source, target : int
    weight : array_like of float, shape (num_edges,), optional
        Edge weights for this call, overriding the graph's own; without either, hop counts.
    forbidden_nodes : array_like of bool or int, optional
        Nodes the path may not enter; ``source`` and ``target`` must not be among them.
    forbidden_edges : array_like of bool (shape (num_edges,)) or of int (edge ids), optional
        Edges the path may not use, in either direction; as if they were deleted.
    method : {"auto", "dijkstra", "bidirectional", "astar"}
        ``"dijkstra"``: one search from the source, stopping when the target is settled.
        ``"bidirectional"``: a forward search from the source and a backward one from the target
        (on the reversed graph), stopping when the smallest keys on both sides add up to the
        best path found. ``"astar"``: Dijkstra guided by the great-circle lower bound
        ``min_cost_per_km * great_circle_km(v, target)``; needs ``coordinates`` and
        ``min_cost_per_km``. ``"auto"``: ``"astar"`` when ``coordinates`` are given, else
        ``"bidirectional"``. All methods return a path of the same (shortest) length; with ties
        they may return different paths.
    coordinates : (lat_deg, lon_deg), optional
        Two arrays of length ``n``: each node's latitude (in [-90, 90]) and longitude in degrees.
        Used by A* only (still validated otherwise).
    min_cost_per_km : float, optional
        The smallest weight per km of great-circle distance any edge can have, e.g.
        ``1 / 299.792458`` ms/km for latency at the speed of light. The caller guarantees it:
        every edge ``u - v`` weighs at least ``min_cost_per_km * great_circle_km(u, v)``, on a
        sphere of radius :data:`EARTH_RADIUS_KM`. An edge found to break the bound during the
        search raises :class:`GraphError` (not every wrong bound is detected).

    Returns
    -------
    Path or None
        ``None`` if ``target`` is unreachable. ``source == target`` gives the one-node path of
        length 0.

    Raises
    ------
    GraphError
        Ids out of range, ``source`` or ``target`` forbidden, a bad weight array or mask, an
        unknown method, A* without coordinates, bad coordinates or ``min_cost_per_km``
        (negative, NaN, infinite), or a detected violation of the bound.

    Examples
    --------
    >>> import routecore as rc
    >>> g = rc.Graph(3, [0, 1, 0], [1, 2, 2], weight=[1.0, 1.0, 5.0])
    >>> p = rc.shortest_path(g, 0, 2)
    >>> p.nodes.tolist(), p.edges.tolist(), p.length
    ([0, 1, 2], [0, 1], 2.0)
    """
    n = _check_graph(graph).num_nodes
    s = node_id(source, n, "source")
    t = node_id(target, n, "target")
    if not isinstance(method, str) or method not in _METHODS:
        raise GraphError(f"method must be one of {', '.join(map(repr, _METHODS))}; got {method!r}")
    geo = None
    if coordinates is not None or min_cost_per_km is not None or method == "astar":
        geo = _check_coordinates(coordinates, min_cost_per_km, n)
    if method == "auto":
        method = "astar" if geo is not None else "bidirectional"
    mask = _blocked(graph, forbidden_nodes)
    _check_not_blocked(np.array([s], dtype=np.int32), mask, "source", True)
    _check_not_blocked(np.array([t], dtype=np.int32), mask, "target", True)
    w = _arc_weight(graph, weight)
    closed = _closed_edges(graph, forbidden_edges)
    per_edge = None
    if closed is not None:
        per_edge = _weights_without(graph, weight, closed)
        w = graph.arc_values(per_edge)
    csr = (graph._first_out, graph._head, graph._arc_edge)
    result: tuple[Int32Array, Int32Array, float] | None
    if method == "dijkstra":
        result = _core.dijkstra_path(*csr, w, s, t, mask)
    elif method == "bidirectional":
        r_w = (
            _reverse_arc_weight(graph, weight)
            if per_edge is None
            else _reverse_order(graph, per_edge)
        )
        result = _core.bidirectional_path(*csr, w, *graph.reverse_csr(), r_w, s, t, mask)
    else:
        assert geo is not None
        lat, lon, cost = geo
        found = _core.astar_path(*csr, w, lat, lon, cost, EARTH_RADIUS_KM, s, t, mask)
        if isinstance(found, int):
            _raise_bound_violation(graph, w, found, lat, lon, cost)
        result = found
    if result is None:
        return None
    nodes, edges, length = result
    return _make_path(nodes, edges, length)


def _raise_bound_violation(
    graph: Graph,
    arc_weight: Float64Array | None,
    edge: int,
    lat: Float64Array,
    lon: Float64Array,
    cost: float,
) -> NoReturn:
    u, v = int(graph.src[edge]), int(graph.dst[edge])
    weight = 1.0 if arc_weight is None else float(arc_weight[graph.edge_index() == edge][0])
    km = _great_circle_km(lat[u], lon[u], lat[v], lon[v])
    raise GraphError(
        f"min_cost_per_km = {cost} is not a lower bound: edge {edge} ({u} - {v}) has weight "
        f"{weight} but its endpoints are {km:.6g} km apart, which needs a weight >= "
        f"{cost * km:.6g}"
    )


def nearest_source(
    graph: Graph,
    sources: int | npt.ArrayLike,
    *,
    weight: npt.ArrayLike | None = None,
    forbidden_nodes: npt.ArrayLike | None = None,
    forbidden_edges: npt.ArrayLike | None = None,
    reverse: bool = False,
) -> tuple[Float64Array, Int32Array]:
    """For every node, the length from (or to) the nearest of several sources, and which.

    One multi-source Dijkstra search (all sources start at length 0), so the cost is that of a
    single search however many sources there are.

    Parameters
    ----------
    graph : Graph
    sources : int or array_like of int
        The candidate nodes, e.g. gateways. Repeats are fine; none may be forbidden.
    weight : array_like of float, shape (num_edges,), optional
        Edge weights overriding the graph's own; without either, hop counts.
    forbidden_nodes : array_like of bool or int, optional
        Nodes no route may enter.
    forbidden_edges : array_like of bool (shape (num_edges,)) or of int (edge ids), optional
        Edges no route may use, in either direction; as if they were deleted.
    reverse : bool, default False
        ``False``: lengths of routes from the sources to each node. ``True``: from each node to
        the sources (e.g. each terminal to its nearest gateway in a directed graph); the search
        then runs on the reversed graph.

    Returns
    -------
    lengths : ndarray of float64, shape (n,)
        ``inf`` where no source is reachable.
    nearest : ndarray of int32, shape (n,)
        The node id of the nearest source, ``-1`` where no source is reachable. Each source is
        its own nearest. Between equally near sources the choice is deterministic but not
        specified.

    See Also
    --------
    shortest_path_tree : the same search, also returning each node's route.

    Examples
    --------
    >>> import routecore as rc
    >>> g = rc.Graph(4, [0, 1, 2], [1, 2, 3], weight=[1.0, 5.0, 1.0], directed=False)
    >>> lengths, nearest = rc.nearest_source(g, [0, 3])
    >>> lengths.tolist(), nearest.tolist()
    ([0.0, 1.0, 1.0, 0.0], [0, 0, 3, 3])
    """
    length, root, _, _ = _multi_source(
        graph, sources, weight, forbidden_nodes, forbidden_edges, flag(reverse, "reverse"), False
    )
    return length, root


def shortest_path_tree(
    graph: Graph,
    sources: int | npt.ArrayLike,
    *,
    weight: npt.ArrayLike | None = None,
    forbidden_nodes: npt.ArrayLike | None = None,
    forbidden_edges: npt.ArrayLike | None = None,
    reverse: bool = False,
) -> ShortestPathTree:
    """:func:`nearest_source` plus the route of every node, as a shortest-path forest.

    The routes of any set of nodes then come from :meth:`ShortestPathTree.route_edges`,
    :meth:`ShortestPathTree.paths` or :meth:`ShortestPathTree.edge_load` without another
    search: e.g. "which gateway and which route" for 2,000 terminals is one search plus one
    vectorised call.

    Parameters are those of :func:`nearest_source`.

    Returns
    -------
    ShortestPathTree

    Examples
    --------
    >>> import routecore as rc
    >>> g = rc.Graph(4, [0, 1, 2], [1, 2, 3], weight=[1.0, 5.0, 1.0], directed=False)
    >>> tree = rc.shortest_path_tree(g, [0, 3], reverse=True)
    >>> tree.root.tolist(), tree.pred_edge.tolist()
    ([0, 0, 3, 3], [-1, 0, 2, -1])
    >>> tree.path(2)
    Path(nodes=[2, 3], edges=[2], length=1.0)
    """
    reverse = flag(reverse, "reverse")
    length, root, pred_edge, parent = _multi_source(
        graph, sources, weight, forbidden_nodes, forbidden_edges, reverse, True
    )
    _read_only(length, root, pred_edge, parent)
    return ShortestPathTree(length, root, pred_edge, parent, reverse, graph.num_edges)


def _multi_source(
    graph: Graph,
    sources: int | npt.ArrayLike,
    weight: npt.ArrayLike | None,
    forbidden_nodes: npt.ArrayLike | None,
    forbidden_edges: npt.ArrayLike | None,
    reverse: bool,
    tree: bool,
) -> tuple[Float64Array, Int32Array, Any, Any]:
    n = _check_graph(graph).num_nodes
    ids, scalar = node_ids(sources, n, "sources")
    mask = _blocked(graph, forbidden_nodes)
    _check_not_blocked(ids, mask, "sources", scalar)
    closed = _closed_edges(graph, forbidden_edges)
    if reverse:
        csr = graph.reverse_csr()
        if closed is None:
            w = _reverse_arc_weight(graph, weight)
        else:
            w = _reverse_order(graph, _weights_without(graph, weight, closed))
    else:
        csr = (graph._first_out, graph._head, graph._arc_edge)
        if closed is None:
            w = _arc_weight(graph, weight)
        else:
            w = graph.arc_values(_weights_without(graph, weight, closed))
    nearest = _core.nearest_source(*csr, w, ids, mask, tree)
    return nearest.length, nearest.root, nearest.pred_edge, nearest.parent
