"""Disjoint paths of minimum total length (route diversity, part 2).

``mode="edge"`` and ``mode="node"`` are solved exactly in C++ (``disjoint_paths.h``: successive
shortest paths with potentials, i.e. a min-cost flow of ``k`` units; Suurballe's algorithm for
``k = 2``; node-disjointness by node splitting). ``mode="group"`` (no two paths share a
shared-risk group: a duct, a landing station, a country) is NP-hard in general (it contains
the edge-disjoint paths problem with arbitrary conflicts, shown NP-complete for two paths by
Hu, Proc. IEEE Globecom 2003, "Diverse routing in optical mesh networks"); it is solved here by a
branch and bound over the k shortest paths, exact unless it hits ``max_paths``, with a lower
bound reported either way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import numpy.typing as npt

from . import _core
from ._arc_values import reverse_order
from ._path_results import Path
from ._validation import as_array, check_graph, choice, edge_values, node_id
from .errors import GraphError
from .graph import Graph, csr_view
from .k_paths import k_paths_arcs, path_count, unflatten

__all__ = ["DisjointMode", "DisjointPaths", "disjoint_paths"]

DisjointMode = Literal["edge", "node", "group"]
"""What the paths of :func:`disjoint_paths` may not share."""

DISJOINT_MODES: tuple[str, ...] = get_args(DisjointMode)

Float64Array = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class DisjointPaths:
    """The outcome of :func:`disjoint_paths`.

    Attributes
    ----------
    paths : tuple of Path
        The paths found, shortest first; ``len(paths) < k`` when fewer disjoint paths exist.
    total_length : float
        Sum of their lengths (0.0 for no path).
    mode : str
        ``"edge"``, ``"node"`` or ``"group"``.
    k : int
        The number of paths asked for.
    lower_bound : float
        No ``len(paths)`` paths disjoint in this mode are shorter in total. Equal to
        ``total_length`` for ``"edge"`` and ``"node"`` and for a proven group optimum; else the
        edge-disjoint optimum of as many paths (group-disjoint paths are edge-disjoint).
    optimal : bool
        Whether ``total_length`` is proven minimal (always for ``"edge"`` and ``"node"``).
    """

    paths: tuple[Path, ...]
    total_length: float
    mode: str
    k: int
    lower_bound: float
    optimal: bool

    @property
    def gap(self) -> float:
        """``total_length - lower_bound`` (0.0 when proven optimal)."""
        return self.total_length - self.lower_bound


def disjoint_paths(
    graph: Graph,
    source: int,
    target: int,
    k: int = 2,
    *,
    weight: npt.ArrayLike | None = None,
    mode: DisjointMode = "edge",
    groups: npt.ArrayLike | None = None,
    max_paths: int = 2000,
) -> DisjointPaths:
    """``k`` paths from ``source`` to ``target`` that share no edge, node or risk group, of
    minimum total length.

    Parameters
    ----------
    graph : Graph
        Directed or undirected (an undirected edge is used by at most one path, in either
        direction); parallel edges and zero weights are fine.
    source, target : int
        Distinct nodes.
    k : int, default 2
        How many paths (>= 1).
    weight : array_like of float, shape (num_edges,), optional
        Edge weights for this call, overriding the graph's own; without either, hop counts.
    mode : {"edge", "node", "group"}
        ``"edge"``: no edge in two paths. ``"node"``: no node other than ``source`` and
        ``target`` in two paths. ``"group"``: no risk group in two paths.
    groups : array_like of int, shape (num_edges,)
        ``mode="group"`` only: the shared-risk group of each edge (e.g. its duct, landing station
        or country, as integers); ``-1`` means the edge shares risk with no other edge.
    max_paths : int, default 2000
        ``mode="group"`` only: how many candidate paths the exact search may enumerate; beyond
        that it returns the best paths found with ``optimal=False`` and a lower bound.

    Returns
    -------
    DisjointPaths
        ``k`` paths if that many disjoint paths exist; otherwise as many as exist (for
        ``"group"``: as many as the search could find), again of minimum total length. Asking
        for more than exist is not an error: compare ``len(result.paths)`` with ``k``.

    Raises
    ------
    GraphError
        Ids out of range, ``source == target``, ``k < 1``, a bad weight array, ``groups`` missing
        for ``mode="group"`` (or given for another mode), of the wrong length or not integers
        >= -1, ``max_paths < 1``.
    ValueError, TypeError
        An unknown ``mode``.

    Notes
    -----
    Edge and node modes: a min-cost flow of ``k`` units by successive shortest paths with
    potentials, O(k (n + m) log n); the paths are a decomposition of that flow (cycles of zero
    weight dropped), so the total equals the min-cost-flow optimum. Group mode: the
    edge-disjoint optimum is computed first; if its paths already share no group it is optimal.
    Otherwise a branch and bound enumerates candidate first paths in order of length (k
    shortest paths), closes their groups and recurses for the remaining paths, pruning when
    ``r`` more paths cannot beat the best total; it stops early after ``max_paths`` candidates.
    Exponential in the worst case: meant for small instances such as a country-level network.

    Examples
    --------
    >>> import routecore as rc
    >>> g = rc.Graph(4, [0, 0, 1, 2, 1], [1, 2, 3, 3, 2], weight=[1.0, 2.0, 1.0, 1.0, 0.5])
    >>> r = rc.disjoint_paths(g, 0, 3)
    >>> [p.nodes.tolist() for p in r.paths], r.total_length, r.optimal
    ([[0, 1, 3], [0, 2, 3]], 5.0, True)
    >>> r = rc.disjoint_paths(g, 0, 3, mode="group", groups=[0, 1, 2, 2, -1])
    >>> len(r.paths), r.optimal
    (1, True)
    """
    n = check_graph(graph).num_nodes
    s = node_id(source, n, "source")
    t = node_id(target, n, "target")
    if s == t:
        raise GraphError(f"source and target must differ, got {s} for both")
    count = path_count(k)
    choice(mode, DISJOINT_MODES, "mode")
    per_edge = _edge_weights(graph, weight)
    if mode != "group":
        if groups is not None:
            raise GraphError(f"groups is only used with mode='group', not mode={mode!r}")
        paths = sorted(_flow_paths(graph, per_edge, s, t, count, mode == "node"), key=_length)
        total = math.fsum(p.length for p in paths)
        return DisjointPaths(tuple(paths), total, mode, count, total, True)
    group_of = _group_ids(groups, graph.num_edges)
    budget = path_count(max_paths, "max_paths")
    return _GroupSearch(graph, per_edge, group_of, s, t, budget).solve(count)


def _length(path: Path) -> float:
    return path.length


def _edge_weights(graph: Graph, weight: npt.ArrayLike | None) -> Float64Array:
    if weight is not None:
        return np.asarray(edge_values(weight, graph.num_edges, "weight", kind="weight"))
    own = graph.weight
    return np.ones(graph.num_edges) if own is None else own.astype(np.float64, copy=False)


def _flow_paths(
    graph: Graph, per_edge: Float64Array, s: int, t: int, k: int, node_mode: bool
) -> list[Path]:
    w = graph.arc_values(per_edge)
    return unflatten(_core.disjoint_paths(*csr_view(graph).adjacency, w, s, t, k, node_mode))


def _group_ids(groups: npt.ArrayLike | None, num_edges: int) -> npt.NDArray[np.int64]:
    """One group id per edge; each ``-1`` edge becomes a group of its own."""
    if groups is None:
        raise GraphError("mode='group' needs groups= (one shared-risk group id per edge)")
    arr = as_array(groups, "groups")
    if arr.ndim != 1 or arr.shape[0] != num_edges:
        raise GraphError(
            f"groups must have one entry per edge, shape ({num_edges},); got shape {arr.shape}"
        )
    if arr.size and arr.dtype.kind not in "iu":
        raise GraphError(f"groups: group ids must be integers, got dtype {arr.dtype}")
    ids = arr.astype(np.int64)
    bad = np.flatnonzero(ids < -1)
    if bad.size:
        i = int(bad[0])
        raise GraphError(f"groups[{i}] = {ids[i]} is not a group id (integers >= 0, or -1)")
    alone = np.flatnonzero(ids == -1)
    ids[alone] = (int(ids.max()) + 1 if ids.size else 0) + np.arange(alone.size)
    return ids


class _GroupSearch:
    """Branch and bound for group-disjoint paths (see :func:`disjoint_paths`)."""

    def __init__(
        self,
        graph: Graph,
        per_edge: Float64Array,
        group_of: npt.NDArray[np.int64],
        s: int,
        t: int,
        max_paths: int,
    ) -> None:
        self.graph, self.per_edge, self.group_of = graph, per_edge, group_of
        self.s, self.t, self.max_paths = s, t, max_paths
        self.enumerated = 0
        self.capped = False
        self.best: list[Path] | None = None
        self.best_total = math.inf

    def solve(self, k: int) -> DisjointPaths:
        edge_paths = _flow_paths(self.graph, self.per_edge, self.s, self.t, k, False)
        unsure = False  # a search for more paths stopped at max_paths without finding them
        for r in range(len(edge_paths), 0, -1):
            lower = edge_paths
            if r < len(edge_paths):
                lower = _flow_paths(self.graph, self.per_edge, self.s, self.t, r, False)
            bound = math.fsum(p.length for p in lower)
            if self._disjoint(lower):
                return DisjointPaths(
                    tuple(sorted(lower, key=_length)), bound, "group", k, bound, not unsure
                )
            self.best, self.best_total, self.capped = None, math.inf, False
            self.enumerated = 0
            self._search(r, np.zeros(self.graph.num_edges, dtype=bool), [], 0.0)
            if self.best is not None:
                paths = tuple(sorted(self.best, key=_length))
                proven = not self.capped and not unsure
                total = math.fsum(p.length for p in paths)
                return DisjointPaths(paths, total, "group", k, total if proven else bound, proven)
            unsure = unsure or self.capped
        return DisjointPaths((), 0.0, "group", k, 0.0, not unsure)

    def _disjoint(self, paths: list[Path]) -> bool:
        seen: set[int] = set()
        for p in paths:
            own = set(self.group_of[p.edges].tolist())
            if own & seen:
                return False
            seen |= own
        return True

    def _search(
        self, r: int, closed: npt.NDArray[np.bool_], chosen: list[Path], base: float
    ) -> None:
        per_edge = np.where(closed, np.inf, self.per_edge)
        w = self.graph.arc_values(per_edge)
        r_w = reverse_order(self.graph, per_edge)
        fetched: list[Path] = []
        exhausted = False
        want = 1 if r == 1 else 8
        i = 0
        while True:
            if i == len(fetched):
                if exhausted:
                    return  # every path of this subgraph was tried
                if self.enumerated >= self.max_paths:
                    self.capped = True
                    return
                fetched = k_paths_arcs(self.graph, self.s, self.t, want, w, r_w)
                exhausted = len(fetched) < want
                self.enumerated += len(fetched) - i
                want *= 2
                continue
            p = fetched[i]
            i += 1
            if base + r * p.length >= self.best_total:
                return  # every later path is at least as long
            if r == 1:
                self.best, self.best_total = [*chosen, p], base + p.length
                return
            shut = closed | np.isin(self.group_of, self.group_of[p.edges])
            self._search(r - 1, shut, [*chosen, p], base + p.length)
