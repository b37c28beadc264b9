"""Maximum flow and minimum cut between sets of sources and sinks.

The algorithms live in C++ (``cpp/include/routecore/``): highest-label push-relabel with global
relabelling, gaps and partial augment-relabel (``push_relabel.h``), Boykov–Kolmogorov
(``boykov_kolmogorov.h``), incremental breadth-first search (``ibfs.h``) and Dinic
(``dinic.h``). Each call builds the residual network once from the graph's CSR arrays, runs with
the GIL released (so independent problems can run on threads) and can be interrupted with
Ctrl-C. The search itself runs on one thread; on large graphs the passes over all edges around
it (building the residual network, reading the flows and the cut back) split over ``threads=``
on graphs with at least :data:`PARALLEL_MIN_ARCS_PER_THREAD` arcs per thread.

Minimum cuts
------------
A problem can have many minimum cuts; two of them are canonical (the same whichever maximum flow was
found, see ``cpp/include/routecore/min_cut.h``). Every minimum cut's source side contains the
*smallest* one (the nodes reachable from a source along edges with spare capacity: the cut closest
to the sources) and is contained in the *largest* one (the nodes from which no sink can be reached
along edges with spare capacity: the cut closest to the sinks). :func:`max_flow` reports the
smallest (:attr:`FlowResult.smallest_source_side`), :func:`min_cut` the largest
(:attr:`MinCut.largest_source_side`). Both keep the name ``source_side`` for the source side they
report. Asked with ``both_cuts=True``, both also carry the other canonical cut and the *critical
edges*: the edges in every minimum cut, i.e. those from the smallest source side to outside the
largest (for an undirected edge either way round). They are the only single edges whose capacity
increase raises the maximum flow; raising a cut edge that is not critical leaves the value where it
is, because an equally tight cut elsewhere still holds it. The minimum cut is unique (as a set of
edges) exactly when the two canonical cuts list the same edges (:attr:`FlowResult.cut_is_unique`).
Both sides and the critical edges come from one solve, each by one linear pass over the residual
network (``cpp/include/routecore/min_cut.h``); for the smallest side :func:`min_cut` lets
push-relabel turn its maximum preflow into a flow, as :func:`max_flow` does. These extra passes are
why they are computed only when asked: without ``both_cuts`` the fields are ``None``.

The first max-flow call on a graph also builds the residual network's arc layout (which arc
pairs with which, see :meth:`Graph.flow_layout`) and the graph keeps it: 4 bytes per arc for an
undirected graph, 8 to 16 bytes per edge for a directed one. In a directed graph an edge ``u -> v``
and an edge ``v -> u`` share one pair of residual arcs (as an undirected edge's two arcs do), so a
link listed as one edge per direction costs no more to solve than an undirected edge. Later calls
on the same graph, with any terminals and capacities, only fill in the residual capacities.

Memory: a call needs about 8 to 16 bytes per arc and 24 to 32 bytes per node of scratch space.
Large scratch blocks are kept after the call (up to 1 GiB in all) so that the next call does not
pay for fresh pages again; :func:`release_scratch_memory` hands them back.

Capacities
----------
Integer capacities are exact (int64). The flow value is bounded by ``B = min(S, T)``, where ``S``
is the total capacity leaving the sources and ``T`` the total entering the sinks; when ``B``
exceeds ``2**61`` a :class:`~routecore.GraphError` names both totals instead of risking an
overflow (the exact rule is in ``cpp/include/routecore/residual_network.h``). Edges with a capacity
above ``B + 1`` are treated as having ``B + 1``, which changes neither the value nor any minimum
cut.

Float capacities are computed in float64 without any epsilon: every arc of the reported cut has
exactly zero residual, so ``cut_edges`` are exactly saturated (``edge_flow == capacity``) and
directed edges entering the source side carry exactly zero flow. Sums accumulate rounding, so the
value, the capacity of the cut and the conservation of flow at each node agree within the
documented tolerance :data:`FLOAT_TOLERANCE` times ``S`` (the tests check exactly this).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _core
from ._flow_call import FLOW_METHODS as FLOW_METHODS  # re-exported: batch, bench
from ._flow_call import FlowMethod, solve
from .graph import Graph

__all__ = [
    "FLOAT_TOLERANCE",
    "PARALLEL_MIN_ARCS_PER_THREAD",
    "FlowMethod",
    "FlowResult",
    "MinCut",
    "max_flow",
    "max_flow_value",
    "min_cut",
    "release_scratch_memory",
]

FLOAT_TOLERANCE = 1e-9
"""Relative tolerance of float results: value, cut capacity and per-node conservation agree
within ``FLOAT_TOLERANCE * S`` (S: total capacity leaving the sources)."""

PARALLEL_MIN_ARCS_PER_THREAD: int = _core.PARALLEL_MIN_ARCS_PER_THREAD
"""Arcs per thread from which the passes around a max-flow search split over ``threads=`` (an
undirected edge is two arcs, a directed one one); stated once, in
``cpp/include/routecore/parallel_passes.h``."""


@dataclass(frozen=True)
class FlowResult:
    """A maximum flow and the minimum cut closest to the sources.

    Of all minimum cuts it reports the one whose source side is smallest (see the module
    notes); :func:`min_cut` reports the one whose source side is largest.

    Attributes
    ----------
    value : int or float
        The maximum flow value (a Python ``int`` for integer capacities).
    edge_flow : ndarray of int64 or float64, shape (num_edges,)
        Flow on each edge, in edge-id order, ``0 <= edge_flow <= capacity``. For an undirected
        edge the sign gives the direction: positive from ``src`` to ``dst``.
    source_side : ndarray of bool, shape (num_nodes,)
        The source side of the minimum cut closest to the sources: the nodes reachable from a
        source along edges with spare capacity. Contains every source and no sink, and is
        contained in the source side of every minimum cut. The same array as
        :attr:`smallest_source_side`, which says which cut it is.
    cut_edges : ndarray of int32
        Ids (ascending) of the edges from the source side to the other side (for undirected
        edges: with one end on each side). All are saturated and their capacities sum to
        ``value``; these are the bottleneck links.
    method : str
        The algorithm that ran (``method="auto"`` resolved).
    largest_source_side : ndarray of bool, shape (num_nodes,), or None
        The source side of the minimum cut closest to the sinks (as :func:`min_cut` reports);
        ``None`` unless the call asked for ``both_cuts``, like the next two.
    cut_edges_closest_to_sinks : ndarray of int32, or None
        Ids (ascending) of the edges crossing that cut.
    critical_edges : ndarray of int32, or None
        Ids (ascending) of the edges in every minimum cut: from :attr:`smallest_source_side`
        to outside :attr:`largest_source_side` (undirected edges either way round). Raising the
        capacity of one of these, and of no other single edge, raises the maximum flow.

    Examples
    --------
    >>> import routecore as rc
    >>> g = rc.Graph(3, [0, 1], [1, 2], capacity=[1, 1])
    >>> r = rc.max_flow(g, 0, 2, both_cuts=True)
    >>> r.smallest_source_side.tolist(), r.largest_source_side.tolist()
    ([True, False, False], [True, True, False])
    >>> r.cut_edges.tolist(), r.cut_edges_closest_to_sinks.tolist(), r.cut_is_unique
    ([0], [1], False)
    >>> r.critical_edges.tolist()
    []
    """

    value: int | float
    edge_flow: npt.NDArray[np.int64] | npt.NDArray[np.float64]
    source_side: npt.NDArray[np.bool_]
    cut_edges: npt.NDArray[np.int32]
    method: str
    largest_source_side: npt.NDArray[np.bool_] | None
    cut_edges_closest_to_sinks: npt.NDArray[np.int32] | None
    critical_edges: npt.NDArray[np.int32] | None

    @property
    def smallest_source_side(self) -> npt.NDArray[np.bool_]:
        """:attr:`source_side` by a name that says which minimum cut it is: the smallest source
        side of any minimum cut (the cut closest to the sources)."""
        return self.source_side

    @property
    def cut_edges_closest_to_sources(self) -> npt.NDArray[np.int32]:
        """:attr:`cut_edges` by a name that says which minimum cut they cross."""
        return self.cut_edges

    @property
    def cut_is_unique(self) -> bool | None:
        """Whether every minimum cut crosses the same edges: the two canonical cuts agree
        (``None`` unless the call asked for ``both_cuts``)."""
        if self.cut_edges_closest_to_sinks is None:
            return None
        return bool(np.array_equal(self.cut_edges, self.cut_edges_closest_to_sinks))


@dataclass(frozen=True)
class MinCut:
    """A minimum cut, the one closest to the sinks (see :func:`min_cut`).

    Unpacks (and indexes) as ``value, source_side, cut_edges``, as the named tuple it was.

    Attributes
    ----------
    value : int or float
        The minimum cut capacity (= the maximum flow value).
    source_side : ndarray of bool, shape (num_nodes,)
        The source side of the minimum cut closest to the sinks: every node from which no sink
        can be reached along edges with spare capacity. Contains every source and no sink, and
        contains the source side of every minimum cut, :attr:`FlowResult.source_side`
        included. The same array as :attr:`largest_source_side`, which says which cut it is.
    cut_edges : ndarray of int32
        Ids (ascending) of the edges from the source side to the other side; their capacities
        sum to ``value``.
    smallest_source_side : ndarray of bool, shape (num_nodes,), or None
        The source side of the minimum cut closest to the sources (as :func:`max_flow`
        reports it); ``None`` unless the call asked for ``both_cuts``, like the next two.
    cut_edges_closest_to_sources : ndarray of int32, or None
        Ids (ascending) of the edges crossing that cut.
    critical_edges : ndarray of int32, or None
        Ids (ascending) of the edges in every minimum cut, as :attr:`FlowResult.critical_edges`.
    """

    value: int | float
    source_side: npt.NDArray[np.bool_]
    cut_edges: npt.NDArray[np.int32]
    smallest_source_side: npt.NDArray[np.bool_] | None
    cut_edges_closest_to_sources: npt.NDArray[np.int32] | None
    critical_edges: npt.NDArray[np.int32] | None

    @property
    def largest_source_side(self) -> npt.NDArray[np.bool_]:
        """:attr:`source_side` by a name that says which minimum cut it is: the largest source
        side of any minimum cut (the cut closest to the sinks)."""
        return self.source_side

    @property
    def cut_edges_closest_to_sinks(self) -> npt.NDArray[np.int32]:
        """:attr:`cut_edges` by a name that says which minimum cut they cross."""
        return self.cut_edges

    @property
    def cut_is_unique(self) -> bool | None:
        """Whether every minimum cut crosses the same edges: the two canonical cuts agree
        (``None`` unless the call asked for ``both_cuts``)."""
        if self.cut_edges_closest_to_sources is None:
            return None
        return bool(np.array_equal(self.cut_edges, self.cut_edges_closest_to_sources))

    def _legacy(self) -> tuple[Any, ...]:
        return (self.value, self.source_side, self.cut_edges)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._legacy())

    def __len__(self) -> int:
        return 3

    def __getitem__(self, index: int) -> Any:
        return self._legacy()[index]


def max_flow(
    graph: Graph,
    sources: Any,
    sinks: Any,
    *,
    capacity: npt.ArrayLike | None = None,
    method: FlowMethod = "auto",
    threads: int | None = None,
    both_cuts: bool = False,
) -> FlowResult:
    """Maximum flow from a set of sources to a set of sinks, with a minimum cut.

    Parameters
    ----------
    graph : Graph
        Directed or undirected; an undirected edge can carry flow either way, up to its
        capacity. Parallel edges, self-loops and zero capacities are fine.
    sources, sinks : int or array_like of int
        One node or many. Several sources (sinks) act like one super source (sink) joined to
        each of them by an edge of unlimited capacity; no extra nodes are needed. The two sets
        must be non-empty and disjoint.
    capacity : array_like of int or float, optional
        One capacity per edge (edge-id order), overriding the graph's. Required when the graph
        has no capacities. Integers are exact (int64), floats see the module notes.
    method : {"auto", "push_relabel", "boykov_kolmogorov", "dinic", "ibfs"}
        ``"auto"`` probes the graph's structure and picks ``"ibfs"`` (incremental
        breadth-first search, Goldberg et al. 2011) where augmenting paths are short and
        push-relabel where they are long:

        - graphs of at most 48 nodes: push-relabel, without a probe (calls of microseconds,
          where the probe and ``"ibfs"``'s set-up cost more than they save);
        - *vision-style* graphs (at least a quarter of the non-terminal nodes are joined to a
          source or sink by an edge, in either direction): ``"ibfs"``, unless both the edges
          between non-terminal nodes number more than 4 ends per such node (a pair of
          opposite directed edges counted as one edge) and at least half of the nodes joined
          to a terminal are joined to a source and to a sink alike; then push-relabel (noisy
          8-connected and 3D grids). So 2D 4-connected grids, bipartite matching, segmentation
          data where each pixel hangs off one terminal, and networks of gateways (sources) and
          user terminals (sinks) such as satellite snapshots get ``"ibfs"``;
        - other graphs: a breadth-first search from the sources; ``"ibfs"`` when it reaches
          half the nodes within ``max(8, 1.5 * log_d(num_nodes))`` levels, ``d`` the average
          out-degree (at least 2), as graphs that expand like random graphs do (random sparse
          graphs, wide level graphs), or runs out of nodes first; push-relabel when it needs
          more levels (long level graphs, GENRMF's frames of grids, the AK family).

        The rule and its cost are stated in ``cpp/include/routecore/max_flow.h``
        (``choose_flow_method``). ``"boykov_kolmogorov"`` solves the same graphs as
        ``"ibfs"`` with depth-first search trees; ``"dinic"`` is the simple reference.
    threads : int, optional
        Threads for the passes over all edges around the search: building the residual
        network, reading the flows and the cut back (default: every core). They split only on
        graphs with at least :data:`PARALLEL_MIN_ARCS_PER_THREAD` arcs per thread; the search
        itself runs on one thread. The result does not depend on it.
    both_cuts : bool, default False
        Also find the minimum cut closest to the sinks, the critical edges (those in every
        minimum cut) and whether the minimum cut is unique (see the module notes): two more
        linear passes over the edges, so only when asked. Planners asking "which link limits
        the flow" want them: a single cut may be one of several equally tight ones.

    Returns
    -------
    FlowResult
        The value, the flow on every edge and the minimum cut closest to the sources.

    Raises
    ------
    GraphError
        No capacities, bad capacities (negative, NaN, infinite, wrong length), empty or
        overlapping source/sink sets, node ids out of range (:class:`NodeIndexError`), a graph
        with more edges than max-flow's 32-bit residual arc ids allow, or integer totals too
        large for int64.
    ValueError, TypeError
        An unknown ``method`` or a bad ``threads`` (:class:`ValueError` for ``threads < 1``).

    Examples
    --------
    >>> import routecore as rc
    >>> g = rc.Graph(4, [0, 0, 1, 2], [1, 2, 3, 3], capacity=[3, 2, 2, 5])
    >>> r = rc.max_flow(g, 0, 3)
    >>> r.value, r.edge_flow.tolist(), r.cut_edges.tolist()
    (4, [2, 2, 2, 2], [1, 2])
    """
    _, ran, value, flows, side, cut, other_side, other_cut, critical, _, _ = solve(
        graph, sources, sinks, capacity, method, threads, want_edge_flow=True, both_cuts=both_cuts
    )
    # Filled in directly rather than through the frozen dataclass's __init__ (one
    # object.__setattr__ per field): on a tiny graph that alone costs a tenth of the call.
    result = object.__new__(FlowResult)
    result.__dict__.update(
        value=value,
        edge_flow=flows,
        source_side=side,
        cut_edges=cut,
        method=ran,
        largest_source_side=other_side,
        cut_edges_closest_to_sinks=other_cut,
        critical_edges=critical,
    )
    return result


def min_cut(
    graph: Graph,
    sources: Any,
    sinks: Any,
    *,
    capacity: npt.ArrayLike | None = None,
    method: FlowMethod = "auto",
    threads: int | None = None,
    both_cuts: bool = False,
) -> MinCut:
    """Minimum cut between sources and sinks, without computing per-edge flows.

    Same arguments and errors as :func:`max_flow`. Cheaper: no per-edge flows are read back,
    and push-relabel stops after its first phase (a maximum preflow determines the value and
    this cut) unless ``both_cuts`` asks for the cut closest to the sources and the critical
    edges, which need a flow.

    Returns
    -------
    MinCut
        ``(value, source_side, cut_edges)``. ``source_side`` is the minimum cut closest to the
        *sinks* (also named :attr:`MinCut.largest_source_side`): every node from which no sink
        can be reached along edges with spare capacity. It contains the source side reported
        by :func:`max_flow` (the cut closest to the sources); both have the minimum capacity
        ``value``, and they differ where the problem has several minimum cuts.

    Examples
    --------
    >>> import routecore as rc
    >>> g = rc.Graph(4, [0, 0, 1, 2], [1, 2, 3, 3], capacity=[3, 2, 2, 5])
    >>> value, side, cut = rc.min_cut(g, 0, 3)
    >>> value, side.tolist(), cut.tolist()
    (4, [True, True, False, False], [1, 2])
    >>> rc.min_cut(g, 0, 3, both_cuts=True).critical_edges.tolist()
    [1, 2]
    """
    _, _, value, _, side, cut, other_side, other_cut, critical, _, _ = solve(
        graph, sources, sinks, capacity, method, threads, want_edge_flow=False, both_cuts=both_cuts
    )
    result = object.__new__(MinCut)  # as in max_flow: no per-field object.__setattr__
    result.__dict__.update(
        value=value,
        source_side=side,
        cut_edges=cut,
        smallest_source_side=other_side,
        cut_edges_closest_to_sources=other_cut,
        critical_edges=critical,
    )
    return result


def max_flow_value(
    graph: Graph,
    sources: Any,
    sinks: Any,
    *,
    capacity: npt.ArrayLike | None = None,
    method: FlowMethod = "auto",
    threads: int | None = None,
) -> int | float:
    """The maximum flow value alone: no per-edge flows and no cut are read back.

    Same arguments and errors as :func:`max_flow`, and the same value as
    ``max_flow(...).value``, for less work: the passes that read the flows and a cut back out
    of the solved network are skipped, and push-relabel stops after its first phase (a maximum
    preflow already carries the value). On a large grid those passes are about a quarter of a
    :func:`max_flow` call; on a graph of a few dozen nodes, building the result arrays is. For
    many (source, sink) pairs of one graph, :func:`routecore.batch.max_flow_values` runs them
    in one call.

    Returns
    -------
    int or float
        The maximum flow value (a Python ``int`` for integer capacities).

    Examples
    --------
    >>> import routecore as rc
    >>> g = rc.Graph(4, [0, 0, 1, 2], [1, 2, 3, 3], capacity=[3, 2, 2, 5])
    >>> rc.max_flow_value(g, 0, 3)
    4
    >>> rc.max_flow_value(g, [0, 1], 3, capacity=[1.5, 2.0, 2.5, 5.0])
    4.5
    """
    out = solve(
        graph,
        sources,
        sinks,
        capacity,
        method,
        threads,
        want_edge_flow=False,
        both_cuts=False,
        want_cut=False,
    )
    return out[2]


def release_scratch_memory() -> None:
    """Free the scratch blocks that max-flow calls keep for reuse (see the module notes).

    Examples
    --------
    >>> import routecore.flow
    >>> routecore.flow.release_scratch_memory()
    """
    _core.release_scratch_memory()
