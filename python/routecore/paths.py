"""Shortest paths on a :class:`~routecore.Graph` (non-negative weights).

Every function validates its input once (``_validation.py``) and then runs one C++ call with the
GIL released (Ctrl-C interrupts it). Lengths are float64 with ``inf`` for "unreachable"; node
and edge ids are int32 and edge ids are the graph's input order.

Which function for which question
---------------------------------
* distances from one or many sources to every node: :func:`shortest_path_lengths`
  (many sources run in parallel threads);
* one route between two nodes: :func:`shortest_path` (Dijkstra, bidirectional Dijkstra or A*);
* every node to (or from) the nearest of several nodes, e.g. each terminal to its nearest
  gateway: :func:`nearest_source`, or :func:`shortest_path_tree` when the routes themselves are
  needed too (one search, then routes for any number of nodes in one vectorised call).

The single-pair and one-to-all searches are defined here; the multi-source searches live in
``_multi_source.py``, the result types in ``_path_results.py`` and the checks of every argument
in ``_validation.py``; this module is the public home of all of them.
"""

from __future__ import annotations

import math
from typing import Literal, NoReturn, get_args

import numpy as np
import numpy.typing as npt

from . import _core
from ._arc_values import arc_weight, reverse_arc_weight, reverse_order, weights_without
from ._graph_derived import renumbering, weight_range
from ._multi_source import nearest_source, shortest_path_tree
from ._path_results import Path, ShortestPathTree, make_path
from ._validation import (
    astar_coordinates,
    check_graph,
    check_not_forbidden,
    choice,
    edge_mask,
    forbidden_node_mask,
    length_limit,
    node_id,
    node_ids,
    thread_count,
)
from .errors import GraphError
from .geo import EARTH_RADIUS_KM, great_circle_km
from .graph import Graph, csr_view

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
Float64Array = npt.NDArray[np.float64]
Method = Literal["auto", "dijkstra", "bidirectional", "astar"]

PATH_METHODS: tuple[str, ...] = get_args(Method)
"""The values ``method=`` of :func:`shortest_path` accepts."""


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
        in ``forbidden_edges`` names its position), ``max_length`` negative or NaN.
    ValueError, TypeError
        A bad ``threads`` (:class:`ValueError` for ``threads < 1``).

    Notes
    -----
    Each row is one Dijkstra search, O(m log n). The priority queue is a bucket queue of width
    the smallest weight when every weight is positive and the largest is at most 16384 times
    the smallest (every node of the lowest bucket is final, so no keys are compared), else a
    radix heap when the weights are whole numbers on a graph of at least 2**18 arcs (many
    distances tie), else a 4-ary heap; without weights a breadth-first search, O(n + m). All
    give the same lengths. On large graphs whose node ids carry no locality but whose
    structure has some (e.g. random points joined to their nearest neighbours), the searches
    run on an internal breadth-first numbering of the nodes, built once per graph by the first
    call (O(n + m)); the lengths are the same, bit for bit. Small single-threaded
    calls reuse one search workspace per thread, so they allocate only the result. Threads
    share the read-only graph and each keeps one O(n) workspace, so memory is O(k n) for the
    result plus O(threads n).

    Examples
    --------
    >>> import routecore as rc
    >>> g = rc.Graph(3, [0, 1], [1, 2], weight=[2.0, 0.5])
    >>> rc.shortest_path_lengths(g, 0).tolist()
    [0.0, 2.0, 2.5]
    >>> rc.shortest_path_lengths(g, [2, 1]).tolist()
    [[inf, inf, 0.0], [inf, 0.0, 0.5]]
    """
    n = check_graph(graph).num_nodes
    ids, scalar = node_ids(sources, n, "sources")
    w = arc_weight(graph, weight)
    closed = edge_mask(forbidden_edges, graph.num_edges, "forbidden_edges")
    if closed is not None:
        w = graph.arc_values(weights_without(graph, weight, closed))
    mask = forbidden_node_mask(forbidden_nodes, n)
    check_not_forbidden(ids, mask, "sources", scalar)
    limit = length_limit(max_length)
    workers = thread_count(threads)
    own = weight is None and closed is None
    # The graph's own weights: their range is known (else the core reads the call's weights).
    known = weight_range(graph) if own else None
    inner = renumbering(graph)
    if inner is None:
        csr = csr_view(graph).adjacency
        out = _core.shortest_path_lengths(*csr, w, ids, mask, limit, workers, weight_range=known)
    else:  # searched in the internal ids, sources and result in the user's (shortest_paths.h)
        if w is not None:
            w = inner.arc_weight if own else np.ascontiguousarray(w[inner.old_arc])
        out = _core.shortest_path_lengths(
            *inner.adjacency,
            w,
            ids,
            mask,
            limit,
            workers,
            weight_range=known,
            new_id=inner.new_id,
            old_id=inner.old_id,
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
        Ids out of range, ``source`` or ``target`` forbidden, a bad weight array or mask, A*
        without coordinates, bad coordinates or ``min_cost_per_km`` (negative, NaN,
        infinite), or a detected violation of the bound.
    ValueError, TypeError
        An unknown ``method`` (:class:`TypeError` if it is not a string).

    Examples
    --------
    >>> import routecore as rc
    >>> g = rc.Graph(3, [0, 1, 0], [1, 2, 2], weight=[1.0, 1.0, 5.0])
    >>> p = rc.shortest_path(g, 0, 2)
    >>> p.nodes.tolist(), p.edges.tolist(), p.length
    ([0, 1, 2], [0, 1], 2.0)
    """
    n = check_graph(graph).num_nodes
    s = node_id(source, n, "source")
    t = node_id(target, n, "target")
    choice(method, PATH_METHODS, "method")
    geo = None
    if coordinates is not None or min_cost_per_km is not None or method == "astar":
        geo = astar_coordinates(coordinates, min_cost_per_km, n)
    if method == "auto":
        method = "astar" if geo is not None else "bidirectional"
    mask = forbidden_node_mask(forbidden_nodes, n)
    check_not_forbidden(np.array([s], dtype=np.int32), mask, "source", True)
    check_not_forbidden(np.array([t], dtype=np.int32), mask, "target", True)
    w = arc_weight(graph, weight)
    closed = edge_mask(forbidden_edges, graph.num_edges, "forbidden_edges")
    per_edge = None
    if closed is not None:
        per_edge = weights_without(graph, weight, closed)
        w = graph.arc_values(per_edge)
    csr = csr_view(graph).adjacency
    result: tuple[Int32Array, Int32Array, float] | None
    if method == "dijkstra":
        result = _core.dijkstra_path(*csr, w, s, t, mask)
    elif method == "bidirectional":
        r_w = (
            reverse_arc_weight(graph, weight)
            if per_edge is None
            else reverse_order(graph, per_edge)
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
    return make_path(nodes, edges, length)


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
    km = float(great_circle_km(lat[u], lon[u], lat[v], lon[v]))
    raise GraphError(
        f"min_cost_per_km = {cost} is not a lower bound: edge {edge} ({u} - {v}) has weight "
        f"{weight} but its endpoints are {km:.6g} km apart, which needs a weight >= "
        f"{cost * km:.6g}"
    )
