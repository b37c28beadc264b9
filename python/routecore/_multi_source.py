"""Multi-source searches: every node's nearest source, and the shortest-path forest.

One Dijkstra search from all sources at once (each starts at length 0), so the cost is that of a
single search however many sources there are; with ``reverse=True`` it runs on the reversed
graph (every node *to* its nearest source). Public home: :mod:`routecore.paths`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from . import _core
from ._arc_values import arc_weight, reverse_arc_weight, reverse_order, weights_without
from ._path_results import ShortestPathTree, read_only
from ._validation import (
    check_graph,
    check_not_forbidden,
    edge_mask,
    flag,
    forbidden_node_mask,
    node_ids,
)
from .graph import Graph, csr_view

__all__ = ["nearest_source", "shortest_path_tree"]

Int32Array = npt.NDArray[np.int32]
Float64Array = npt.NDArray[np.float64]


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
    length, root, pred_edge, parent = read_only(length, root, pred_edge, parent)
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
    n = check_graph(graph).num_nodes
    ids, scalar = node_ids(sources, n, "sources")
    mask = forbidden_node_mask(forbidden_nodes, n)
    check_not_forbidden(ids, mask, "sources", scalar)
    closed = edge_mask(forbidden_edges, graph.num_edges, "forbidden_edges")
    if reverse:
        csr = graph.reverse_csr()
        if closed is None:
            w = reverse_arc_weight(graph, weight)
        else:
            w = reverse_order(graph, weights_without(graph, weight, closed))
    else:
        csr = csr_view(graph).adjacency
        if closed is None:
            w = arc_weight(graph, weight)
        else:
            w = graph.arc_values(weights_without(graph, weight, closed))
    found = _core.nearest_source(*csr, w, ids, mask, tree)
    return found.length, found.root, found.pred_edge, found.parent
