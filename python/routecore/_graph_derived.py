"""Structures derived once from a graph's CSR arrays and kept with it: the :class:`CsrView`
that ``graph.csr_view`` hands out, what :class:`~routecore.Graph`'s ``reverse_csr`` and
``flow_layout`` return, the weights' range and the shortest-path searches' internal
:class:`Renumbering`. Every array returned is a read-only view; the graph's own
arrays (already read-only) are returned as they are where a structure shares them."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import numpy.typing as npt

from . import _core
from ._validation import read_only_view

if TYPE_CHECKING:
    from .graph import Graph

Int32Array = npt.NDArray[np.int32]
ReverseCsr = tuple[Int32Array, Int32Array, Int32Array, npt.NDArray[np.float64] | None]
FlowLayout = tuple[Int32Array, Int32Array, Int32Array, Int32Array]
CapacityArray = npt.NDArray[np.int64] | npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class CsrView:
    """A graph's CSR arrays, read-only, as the C++ core reads them (``csr.h``).

    Attributes
    ----------
    first_out : ndarray of int32, shape (num_nodes + 1,)
        The arcs leaving node ``v`` are ``first_out[v] .. first_out[v + 1] - 1``.
    head : ndarray of int32, shape (num_arcs,)
        The node each arc enters.
    arc_edge : ndarray of int32, shape (num_arcs,)
        The edge id of each arc; ``~e`` (negative) for the backward arc of undirected edge ``e``.
    arc_weight : ndarray of float64, shape (num_arcs,), or None
        The graph's weights in arc order (``None``: hop counts).
    arc_capacity : ndarray of int64 or float64, shape (num_arcs,), or None
        The graph's capacities in arc order.
    """

    first_out: Int32Array
    head: Int32Array
    arc_edge: Int32Array
    arc_weight: npt.NDArray[np.float64] | None
    arc_capacity: CapacityArray | None

    @property
    def adjacency(self) -> tuple[Int32Array, Int32Array, Int32Array]:
        """``(first_out, head, arc_edge)``: the arrays every C++ search takes first."""
        return self.first_out, self.head, self.arc_edge


def build_reverse(
    first_out: Int32Array,
    head: Int32Array,
    arc_edge: Int32Array,
    weight: npt.NDArray[np.float64] | None,
) -> ReverseCsr:
    """``(first_out, head, arc_edge, arc_weight)`` of the reversed directed graph; ``weight``
    is per edge (edge order), ``arc_weight`` per reversed arc (``None`` if unweighted)."""
    rev_first_out, rev_head, rev_arc_edge = _core.build_reverse_csr(first_out, head, arc_edge)
    arc_weight = (
        None
        if weight is None
        else np.ascontiguousarray(weight[np.where(rev_arc_edge < 0, ~rev_arc_edge, rev_arc_edge)])
    )
    return (
        read_only_view(rev_first_out),
        read_only_view(rev_head),
        read_only_view(rev_arc_edge),
        None if arc_weight is None else read_only_view(arc_weight),
    )


def build_flow_layout(
    first_out: Int32Array, head: Int32Array, arc_edge: Int32Array, directed: bool
) -> FlowLayout:
    """``(first_out, head, sister, loop_arcs)`` of the residual network's arcs
    (``cpp/include/routecore/flow_layout.h``); an undirected graph's ``first_out`` and
    ``head`` are its own."""
    built = _core.build_flow_layout(first_out, head, arc_edge, directed)
    if built.first_out is None or built.head is None:
        arcs_first_out, arcs_head = first_out, head  # the graph's own, already read-only
    else:
        arcs_first_out, arcs_head = read_only_view(built.first_out), read_only_view(built.head)
    return arcs_first_out, arcs_head, read_only_view(built.sister), read_only_view(built.loop_arcs)


def weight_range(graph: Graph) -> tuple[float, float] | None:
    """(smallest, largest) of the graph's own weights, ``None`` without weights; computed once
    per graph. The shortest-path core picks its priority queue by it (``shortest_paths.h``),
    and would otherwise read every weight on every call."""
    w = graph._arc_weight
    if w is None:
        return None
    if graph._weight_range is None:
        graph._weight_range = _core.weight_range(w)
    return graph._weight_range


@dataclass(frozen=True, slots=True)
class Renumbering:
    """A graph's internal node numbering for shortest-path searches and its CSR arrays in the
    internal ids (``cpp/include/routecore/renumber.h``); every array read-only.

    Attributes
    ----------
    new_id, old_id : ndarray of int32, shape (num_nodes,)
        ``new_id[v]`` is user node ``v``'s internal id; ``old_id`` is the inverse permutation.
    first_out, head, arc_edge : ndarray of int32
        The CSR in internal ids (``arc_edge`` keeps the user's edge ids).
    old_arc : ndarray of int32, shape (num_arcs,)
        The user CSR position of each internal arc: per-arc values ``x`` in the graph's arc
        order are ``x[old_arc]`` in the internal one.
    arc_weight : ndarray of float64, shape (num_arcs,), or None
        The graph's own weights in internal arc order.
    """

    new_id: Int32Array
    old_id: Int32Array
    first_out: Int32Array
    head: Int32Array
    arc_edge: Int32Array
    old_arc: Int32Array
    arc_weight: npt.NDArray[np.float64] | None

    @property
    def adjacency(self) -> tuple[Int32Array, Int32Array, Int32Array]:
        """``(first_out, head, arc_edge)`` in internal ids."""
        return self.first_out, self.head, self.arc_edge

    def arrays(self) -> list[npt.NDArray[np.generic]]:
        """Every array held (for ``Graph.nbytes``)."""
        held = [self.new_id, self.old_id, *self.adjacency, self.old_arc, self.arc_weight]
        return [a for a in held if a is not None]


RenumberingState = Renumbering | Literal[False] | None
"""What a graph keeps: ``None`` before the first decision, ``False`` when the rule declined."""

_renumbering_lock = threading.Lock()


def renumbering(graph: Graph, *, force: bool | None = None) -> Renumbering | None:
    """The graph's internal numbering for :func:`~routecore.shortest_path_lengths`, or ``None``
    where the rule (``choose_renumbering`` in ``cpp/include/routecore/shortest_paths.h``)
    declines it; decided and built once per graph, on first use.

    ``force=True`` builds it whatever the rule says, ``force=False`` records that the graph
    has none; either replaces the graph's earlier decision (tests use both to run the searches
    with and without it)."""
    state: RenumberingState = graph._renumbering
    if force is None and state is not None:
        return state or None
    with _renumbering_lock:  # the build releases the GIL: one build per graph, not per thread
        if force is None and graph._renumbering is not None:
            return graph._renumbering or None
        built = None
        if force is not False:
            built = _core.build_renumbering(
                graph._first_out, graph._head, graph._arc_edge, graph._arc_weight, bool(force)
            )
        graph._renumbering = (
            False
            if built is None
            else Renumbering(
                read_only_view(built.new_id),
                read_only_view(built.old_id),
                read_only_view(built.first_out),
                read_only_view(built.head),
                read_only_view(built.arc_edge),
                read_only_view(built.old_arc),
                None if built.arc_weight is None else read_only_view(built.arc_weight),
            )
        )
        return graph._renumbering or None
