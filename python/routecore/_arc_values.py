"""Per-call edge values (weights, capacities, closed edges) in the arc order the C++ core reads.

A query may override the graph's weights or capacities (``weight=``, ``capacity=``) or close
edges (``forbidden_edges=``, failure cases); these helpers check the per-edge values once and
permute them into the arc order of the graph's CSR (or of its reverse), falling back to the
graph's own arrays when nothing is overridden.

>>> import routecore as rc
>>> g = rc.Graph(3, [1, 0], [2, 1], weight=[5.0, 1.0])
>>> arc_weight(g, None).tolist(), arc_weight(g, [7.0, 3.0]).tolist()
([1.0, 5.0], [3.0, 7.0])
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ._validation import edge_values
from .errors import GraphError
from .graph import Graph, csr_view

Float64Array = npt.NDArray[np.float64]
CapacityArray = npt.NDArray[np.int64] | npt.NDArray[np.float64]


def arc_weight(graph: Graph, weight: npt.ArrayLike | None) -> Float64Array | None:
    """Weights in CSR arc order, or ``None`` for hop counts."""
    if weight is None:
        return csr_view(graph).arc_weight
    return graph.arc_values(edge_values(weight, graph.num_edges, "weight", kind="weight"))


def reverse_arc_weight(graph: Graph, weight: npt.ArrayLike | None) -> Float64Array | None:
    """Weights in the arc order of ``graph.reverse_csr()``, or ``None`` for hop counts."""
    if weight is None:
        return graph.reverse_arc_weight()  # built once with the reverse CSR
    if not graph.directed:
        return arc_weight(graph, weight)  # an undirected graph is its own reverse
    per_edge = edge_values(weight, graph.num_edges, "weight", kind="weight")
    return reverse_order(graph, np.asarray(per_edge, dtype=np.float64))


def reverse_order(graph: Graph, per_edge: Float64Array) -> Float64Array:
    """Per-edge values in the arc order of ``graph.reverse_csr()`` (no validation)."""
    r_edges = graph.reverse_csr()[2]
    return np.ascontiguousarray(per_edge[np.where(r_edges < 0, ~r_edges, r_edges)])


def weights_without(
    graph: Graph, weight: npt.ArrayLike | None, closed: npt.NDArray[np.bool_]
) -> Float64Array:
    """Per-edge weights (the call's, the graph's, or 1 for hop counts) with ``inf`` on the
    closed edges. No search relaxes an arc to a finite length through an ``inf`` weight, so
    this is the graph with those edges deleted; nodes reached only through them come back
    with length ``inf``, which the callers turn into "unreachable"."""
    if weight is not None:
        per_edge = np.array(edge_values(weight, graph.num_edges, "weight", kind="weight"))
    else:
        own = graph.weight  # a new array in edge order
        per_edge = np.ones(graph.num_edges, dtype=np.float64) if own is None else own
    per_edge[closed] = np.inf
    return per_edge.astype(np.float64, copy=False)


def arc_capacity(graph: Graph, capacity: npt.ArrayLike | None) -> CapacityArray:
    """Capacities in CSR arc order: the call's, else the graph's (one of them is required)."""
    if capacity is None:
        own = csr_view(graph).arc_capacity
        if own is None:
            raise GraphError(
                "the graph has no capacities; pass capacity= (one value per edge) or build the "
                "Graph with capacity="
            )
        return own
    per_edge = edge_values(capacity, graph.num_edges, "capacity", kind="capacity")
    return graph.arc_values(per_edge)
