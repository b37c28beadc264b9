"""The result types of the shortest-path queries: :class:`Path` and :class:`ShortestPathTree`.

Both are frozen dataclasses over read-only numpy arrays; their public home is
:mod:`routecore.paths` (and :mod:`routecore`).

>>> import numpy as np
>>> make_path(np.array([0, 2], np.int32), np.array([5], np.int32), 1.5)
Path(nodes=[0, 2], edges=[5], length=1.5)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _core
from ._validation import as_array, demand_values, node_id, node_id_array, read_only_view
from .errors import GraphError

__all__ = ["Path", "ShortestPathTree", "make_path", "read_only"]

Int32Array = npt.NDArray[np.int32]
Int64Array = npt.NDArray[np.int64]
Float64Array = npt.NDArray[np.float64]


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


def read_only(*arrays: npt.NDArray[Any]) -> tuple[npt.NDArray[Any], ...]:
    """Result arrays as read-only views (results are immutable: numpy refuses to make them
    writeable again; see :func:`routecore._validation.read_only_view`)."""
    return tuple(read_only_view(arr) for arr in arrays)


def make_path(nodes: Int32Array, edges: Int32Array, length: float) -> Path:
    """A :class:`Path` over ``nodes`` and ``edges`` (kept as read-only views)."""
    nodes, edges = read_only(nodes, edges)
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
                make_path(
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
        per_node = np.ones(k) if demand is None else demand_values(demand, k)
        counts = np.diff(offsets)
        return np.bincount(
            edges, weights=np.repeat(per_node, counts), minlength=self.num_edges
        ).astype(np.float64, copy=False)

    def _routes(
        self, nodes: npt.ArrayLike
    ) -> tuple[Int32Array, Int64Array, Int32Array, Int32Array]:
        arr = as_array(nodes, "nodes")
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
