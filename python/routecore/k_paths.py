"""The k shortest loopless paths between two nodes (route diversity, part 1).

:func:`k_shortest_paths` runs Yen's algorithm with Lawler's improvement in C++
(``cpp/include/routecore/k_shortest_paths.h``): one backward Dijkstra from the target gives every
node's distance to it, and each spur search is a shortcut along that tree or an A* search guided
by it. Removed nodes and arcs are marked, never copied. The GIL is released and Ctrl-C interrupts
the call. Disjoint paths live in :mod:`routecore.disjoint`.
"""

from __future__ import annotations

import itertools
import math
import operator
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from . import _core
from ._arc_values import arc_weight, reverse_arc_weight
from ._path_results import Path, make_path
from ._validation import (
    check_graph,
    check_not_forbidden,
    forbidden_node_mask,
    length_limit,
    node_ids,
    thread_count,
)
from .errors import GraphError
from .graph import Graph, csr_view

__all__ = ["k_shortest_paths"]

Float64Array = npt.NDArray[np.float64]
FlatPaths = tuple[npt.NDArray[np.int64], npt.NDArray[np.int32], npt.NDArray[np.int32], Float64Array]


def path_count(value: Any, name: str = "k") -> int:
    """A number of paths: an integer >= 1."""
    if isinstance(value, bool | np.bool_):
        raise GraphError(f"{name} must be an integer >= 1, got {value!r}")
    try:
        k = operator.index(value)
    except TypeError:
        raise GraphError(f"{name} must be an integer >= 1, got {value!r}") from None
    if k < 1:
        raise GraphError(f"{name} must be >= 1, got {k}")
    return k


def unflatten(flat: FlatPaths) -> list[Path]:
    """The :class:`Path` objects of one ``(offsets, nodes, edges, lengths)`` result of the core."""
    offsets, nodes, edges, lengths = flat
    bounds = offsets.tolist()
    return [
        make_path(nodes[lo + i : hi + i + 1], edges[lo:hi], lengths[i])
        for i, (lo, hi) in enumerate(itertools.pairwise(bounds))
    ]


@overload
def k_shortest_paths(
    graph: Graph,
    source: int,
    target: int,
    k: int,
    *,
    weight: npt.ArrayLike | None = ...,
    forbidden_nodes: npt.ArrayLike | None = ...,
    max_length: float = ...,
    threads: int | None = ...,
) -> list[Path]: ...
@overload
def k_shortest_paths(
    graph: Graph,
    source: npt.ArrayLike,
    target: npt.ArrayLike,
    k: int,
    *,
    weight: npt.ArrayLike | None = ...,
    forbidden_nodes: npt.ArrayLike | None = ...,
    max_length: float = ...,
    threads: int | None = ...,
) -> list[list[Path]] | list[Path]: ...
def k_shortest_paths(
    graph: Graph,
    source: int | npt.ArrayLike,
    target: int | npt.ArrayLike,
    k: int,
    *,
    weight: npt.ArrayLike | None = None,
    forbidden_nodes: npt.ArrayLike | None = None,
    max_length: float = math.inf,
    threads: int | None = None,
) -> list[list[Path]] | list[Path]:
    """The ``k`` shortest loopless paths from ``source`` to ``target``, shortest first.

    Parameters
    ----------
    graph : Graph
        Directed or undirected; parallel edges, self-loops and zero weights are fine.
    source, target : int or array_like of int
        One pair, or two equally long sequences of nodes (one query per pair, run on
        ``threads`` threads).
    k : int
        How many paths (>= 1).
    weight : array_like of float, shape (num_edges,), optional
        Edge weights for this call, overriding the graph's own; without either, hop counts.
    forbidden_nodes : array_like of bool (shape (n,)) or of int (node ids), optional
        Nodes no path may enter; the sources and targets must not be among them.
    max_length : float, default inf
        Paths longer than this are not listed.
    threads : int, optional
        Worker threads for several pairs (default: every core); the result does not depend on
        it.

    Returns
    -------
    list of Path, or list of list of Path
        For one pair, up to ``k`` paths in non-decreasing order of length, no loopless path left
        out being shorter than the last one listed; fewer when fewer loopless paths exist (or
        are within ``max_length``), none when ``target`` is unreachable. ``source == target``
        gives the one-node path alone. For sequences, one such list per pair.

    Raises
    ------
    GraphError
        Ids out of range (:class:`~routecore.NodeIndexError`), a source or target in
        ``forbidden_nodes``, sequences of different lengths, ``k < 1``, a bad weight array or
        mask, ``max_length`` negative or NaN.
    ValueError, TypeError
        A bad ``threads``.

    Notes
    -----
    A path is a sequence of edges: two paths through the same nodes over different parallel
    edges are two paths. *Loopless* means no node twice (so self-loops are never used).

    Ties are broken deterministically: paths are ordered by (length, then the sequence of
    their CSR arc ids compared lexicographically; arcs of a node follow edge-id order), and
    the next path listed is always the least candidate of Yen's pool. The output depends only
    on the input. Lengths are summed from the source, edge by edge.

    Yen's algorithm with Lawler's improvement (only spur nodes at or after a path's own
    deviation point are expanded); every spur search first tries the tree of shortest paths to
    the target and otherwise runs A* with the exact distance-to-target as its potential. Worst
    case O(k L (n + m) log n) for paths of up to L nodes; usually far less. See
    ``k_shortest_paths.h``.

    Examples
    --------
    >>> import routecore as rc
    >>> g = rc.Graph(4, [0, 0, 1, 2, 1], [1, 2, 3, 3, 2], weight=[1.0, 2.0, 1.0, 1.0, 0.5])
    >>> [(p.nodes.tolist(), p.length) for p in rc.k_shortest_paths(g, 0, 3, 3)]
    [([0, 1, 3], 2.0), ([0, 1, 2, 3], 2.5), ([0, 2, 3], 3.0)]
    """
    n = check_graph(graph).num_nodes
    sources, scalar_source = node_ids(source, n, "source")
    targets, scalar_target = node_ids(target, n, "target")
    if scalar_source != scalar_target or sources.shape != targets.shape:
        raise GraphError(
            f"source and target must both be node ids or sequences of the same length; got "
            f"{sources.shape[0]} source(s) and {targets.shape[0]} target(s)"
        )
    count = path_count(k)
    mask = forbidden_node_mask(forbidden_nodes, n)
    check_not_forbidden(sources, mask, "source", scalar_source)
    check_not_forbidden(targets, mask, "target", scalar_target)
    limit = length_limit(max_length)
    workers = thread_count(threads)
    w = arc_weight(graph, weight)
    r_w = reverse_arc_weight(graph, weight)
    flats = _core.k_shortest_paths(
        *csr_view(graph).adjacency,
        w,
        *graph.reverse_csr(),
        r_w,
        sources,
        targets,
        count,
        mask,
        limit,
        workers,
    )
    per_pair = [unflatten(flat) for flat in flats]
    return per_pair[0] if scalar_source else per_pair


def k_paths_arcs(
    graph: Graph,
    source: int,
    target: int,
    k: int,
    w: Float64Array,
    r_w: Float64Array,
) -> list[Path]:
    """:func:`k_shortest_paths` for validated input and weights already in arc order (``inf``
    closes an edge): the internal entry point of the group-disjoint search."""
    ids = np.array([source], dtype=np.int32), np.array([target], dtype=np.int32)
    flats = _core.k_shortest_paths(
        *csr_view(graph).adjacency, w, *graph.reverse_csr(), r_w, *ids, k, None, math.inf, 1
    )
    return unflatten(flats[0])
