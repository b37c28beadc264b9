"""The :class:`Graph`: an immutable graph in compressed sparse row (CSR) form.

Edge ids are the positions of the edges in the arrays the caller passed; every result that names
edges (paths, flows, cuts) uses them. Inside, only the CSR arrays are kept (see
``cpp/include/routecore/csr.h``): per arc its head node, its edge id and its weight/capacity, in
tail-node order. ``src``, ``dst``, ``weight`` and ``capacity`` are rebuilt in edge order on
request, so a weighted directed graph costs 16 bytes per edge plus 4 bytes per node.

Internal entry points (not exported from :mod:`routecore`): the rest of the package reaches a
graph's arrays only through :func:`csr_view` (a :class:`CsrView` of the read-only CSR arrays the
C++ calls take) and builds graphs from CSR arrays it made itself only through the trusted
constructor :func:`graph_from_csr`. No other module reads a Graph's attributes.

>>> view = csr_view(Graph(3, [0, 1], [1, 2], weight=[2.5, 1.0]))
>>> view.first_out.tolist(), view.head.tolist(), view.arc_edge.tolist()
([0, 1, 2, 2], [1, 2], [0, 1])
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from . import _core
from ._graph_derived import (
    CapacityArray,
    CsrView,
    FlowLayout,
    Int32Array,
    RenumberingState,
    ReverseCsr,
    build_flow_layout,
    build_reverse,
)
from ._graph_io import (
    check_csr_state,
    from_networkx,
    from_scipy,
    pack_state,
    to_networkx,
    unpack_state,
)
from ._validation import (
    check_count,
    check_flow_size,
    edge_endpoints,
    edge_values,
    flag,
    read_only_view,
)
from .errors import GraphError

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Graph"]


_reverse_lock = threading.Lock()
"""Serialises the lazy builds of reverse adjacencies (one lock for all graphs: builds are
O(num_arcs) and happen once per graph)."""


class Graph:
    """A directed or undirected graph with optional edge weights and capacities.

    Parameters
    ----------
    num_nodes : int
        Nodes are ``0 .. num_nodes - 1``. Isolated nodes are fine.
    src, dst : array_like of int
        Edge ``e`` goes from ``src[e]`` to ``dst[e]``. Any integer dtype. Parallel edges and
        self-loops are allowed.
    weight : array_like of float, optional
        Finite, non-negative length of each edge (e.g. latency in ms). Without weights, every
        edge counts 1 in shortest-path queries (hop count).
    capacity : array_like of int or float, optional
        Finite, non-negative capacity of each edge for max-flow. Integer capacities are kept
        exactly (int64); float capacities as float64.
    directed : bool, default True
        With ``directed=False`` every edge can be used in both directions with the same weight
        and capacity.

    Raises
    ------
    GraphError
        Arrays of different lengths, ids out of range, non-integer ids (bools included),
        negative / NaN / infinite weights or capacities, weights totalling more than
        :data:`routecore._validation.MAX_WEIGHT_TOTAL` (a quarter of the float64 maximum, so
        that no path length can overflow), masked arrays, or a graph too large for 32-bit ids.
    TypeError
        ``directed`` is not a bool.

    Examples
    --------
    >>> import routecore as rc
    >>> g = rc.Graph(3, [0, 1], [1, 2], weight=[2.5, 1.0])
    >>> g.num_nodes, g.num_edges
    (3, 2)
    """

    __slots__ = (
        "_arc_capacity",
        "_arc_edge",
        "_arc_weight",
        "_capacity_bound",
        "_directed",
        "_endpoints",
        "_first_out",
        "_flow_layout",
        "_head",
        "_num_edges",
        "_prepared_flow",
        "_renumbering",
        "_reverse",
        "_view",
        "_weight_range",
    )

    def __init__(
        self,
        num_nodes: int,
        src: npt.ArrayLike,
        dst: npt.ArrayLike,
        *,
        weight: npt.ArrayLike | None = None,
        capacity: npt.ArrayLike | None = None,
        directed: bool = True,
    ) -> None:
        n = check_count(num_nodes, "num_nodes")
        directed = flag(directed, "directed")
        src_ids, dst_ids = edge_endpoints(src, dst, n, directed)
        m = src_ids.shape[0]
        w = None if weight is None else edge_values(weight, m, "weight", kind="weight")
        c = None if capacity is None else edge_values(capacity, m, "capacity", kind="capacity")
        first_out, head, arc_edge = _core.build_csr(n, src_ids, dst_ids, directed)
        self._set_state(m, directed, first_out, head, arc_edge, None, None)
        self._arc_weight = None if w is None else read_only_view(self.arc_values(w))
        self._arc_capacity = None if c is None else read_only_view(self.arc_values(c))

    def _set_state(
        self,
        num_edges: int,
        directed: bool,
        first_out: Int32Array,
        head: Int32Array,
        arc_edge: Int32Array,
        arc_weight: npt.NDArray[np.float64] | None,
        arc_capacity: CapacityArray | None,
    ) -> None:
        # Only read-only views are kept (and so handed out): numpy refuses to make them
        # writeable again, so no caller can edit the arrays C++ reads.
        self._num_edges = num_edges
        self._directed = directed
        self._first_out = read_only_view(first_out)
        self._head = read_only_view(head)
        self._arc_edge = read_only_view(arc_edge)
        self._arc_weight = None if arc_weight is None else read_only_view(arc_weight)
        self._arc_capacity = None if arc_capacity is None else read_only_view(arc_capacity)
        # Reverse CSR (first_out, head, arc_edge) and weights in its arc order, built lazily.
        self._reverse: ReverseCsr | None = None
        # Residual arc layout of max-flow (first_out, head, sister, loop_arcs), built lazily.
        self._flow_layout: FlowLayout | None = None
        # Sum of the capacities over all arcs (an upper bound on any flow total), lazily.
        self._capacity_bound: float | None = None
        # (src, dst) in edge-id order, read-only, built on first use (src and dst hand out
        # copies): min_cost_flow and the sweeps read them on every call.
        self._endpoints: tuple[Int32Array, Int32Array] | None = None
        # What csr_view and prepared_flow hand out, built on first use (a query on a small
        # graph would otherwise spend a good part of its time building them again).
        self._view: CsrView | None = None
        self._prepared_flow: _core.PreparedFlowGraph | None = None
        # (smallest, largest) arc weight, lazily: picks the shortest-path queue (weight_range).
        self._weight_range: tuple[float, float] | None = None
        # Internal numbering of the shortest-path searches (False: declined), lazily.
        self._renumbering: RenumberingState = None

    # ----------------------------------------------------------------- read-only properties
    @property
    def num_nodes(self) -> int:
        """Number of nodes; ids are ``0 .. num_nodes - 1``."""
        return int(self._first_out.shape[0] - 1)

    @property
    def num_edges(self) -> int:
        """Number of input edges (an undirected edge counts once)."""
        return self._num_edges

    @property
    def directed(self) -> bool:
        """Whether edges are one-way (``False``: usable both ways)."""
        return self._directed

    @property
    def src(self) -> Int32Array:
        """Tail node of each edge, in edge-id order (a new int32 array)."""
        return self._edge_endpoints()[0].copy()

    @property
    def dst(self) -> Int32Array:
        """Head node of each edge, in edge-id order (a new int32 array)."""
        return self._edge_endpoints()[1].copy()

    @property
    def weight(self) -> npt.NDArray[np.float64] | None:
        """Edge weights in edge-id order (a new array), or ``None`` (hop count)."""
        return None if self._arc_weight is None else self._edge_order(self._arc_weight)

    @property
    def capacity(self) -> CapacityArray | None:
        """Edge capacities in edge-id order (a new array), or ``None``."""
        return None if self._arc_capacity is None else self._edge_order(self._arc_capacity)

    @property
    def nbytes(self) -> int:
        """Bytes held by the graph's arrays, the lazily built ones included (the reverse
        adjacency of shortest-path searches to the targets, the internal numbering of one-source
        searches, and the residual arc layout of max-flow: 4 bytes per arc for an undirected
        graph, 8 to 16 per edge and 4 per node for a directed one)."""
        arrays = [self._first_out, self._head, self._arc_edge, self._arc_weight, self._arc_capacity]
        arrays.extend(self._reverse or ())
        if self._renumbering:
            arrays.extend(self._renumbering.arrays())
        if self._flow_layout is not None:
            own = self._flow_layout if self._directed else self._flow_layout[2:]
            arrays.extend(own)
        return sum(a.nbytes for a in arrays if a is not None)

    def __repr__(self) -> str:
        kind = "directed" if self._directed else "undirected"
        extras = [
            name
            for name, arr in (("weight", self._arc_weight), ("capacity", self._arc_capacity))
            if arr is not None
        ]
        with_ = f" with {' and '.join(extras)}" if extras else ""
        return f"<routecore.Graph {kind}, {self.num_nodes} nodes, {self.num_edges} edges{with_}>"

    # ----------------------------------------------------------------------- arc <-> edge
    def edge_index(self) -> Int32Array:
        """For each arc (CSR position), the id of the edge it comes from."""
        ae = self._arc_edge
        return np.where(ae < 0, ~ae, ae).astype(np.int32, copy=False)

    def arc_values(self, per_edge: npt.NDArray[Any]) -> npt.NDArray[Any]:
        """Permute a validated per-edge array into CSR arc order (C-contiguous)."""
        return np.ascontiguousarray(per_edge[self.edge_index()])

    def _edge_order(self, per_arc: npt.NDArray[Any]) -> npt.NDArray[Any]:
        forward = self._arc_edge >= 0
        out = np.empty(self._num_edges, dtype=per_arc.dtype)
        out[self._arc_edge[forward]] = per_arc[forward]
        return out

    def _edge_endpoints(self) -> tuple[Int32Array, Int32Array]:
        if self._endpoints is None:
            tails = np.repeat(
                np.arange(self.num_nodes, dtype=np.int32), np.diff(self._first_out)
            ).astype(np.int32, copy=False)
            self._endpoints = (
                read_only_view(self._edge_order(tails)),
                read_only_view(self._edge_order(self._head)),
            )
        return self._endpoints

    def reverse_csr(self) -> tuple[Int32Array, Int32Array, Int32Array]:
        """``(first_out, head, arc_edge)`` of the reversed graph, built once on first use.

        An undirected graph is its own reverse.
        """
        first_out, head, arc_edge, _ = self._reversed()
        return first_out, head, arc_edge

    def reverse_arc_weight(self) -> npt.NDArray[np.float64] | None:
        """The graph's weights in the arc order of :meth:`reverse_csr` (``None`` if unweighted);
        built with the reverse CSR and kept with it."""
        return self._reversed()[3]

    def _reversed(self) -> ReverseCsr:
        if not self._directed:
            return self._first_out, self._head, self._arc_edge, self._arc_weight
        if self._reverse is None:
            # Several threads may ask at once; the build releases the GIL, so without the lock
            # each would build (and hold) its own copy. Double-checked: the lock is only taken
            # until the first build is done.
            with _reverse_lock:
                if self._reverse is None:
                    self._reverse = build_reverse(
                        self._first_out, self._head, self._arc_edge, self.weight
                    )
        return self._reverse

    def flow_layout(self) -> FlowLayout:
        """``(first_out, head, sister, loop_arcs)`` of the residual network's arcs, built once on
        first use.

        Max-flow needs both directions of every edge, each arc paired with its reverse
        (``sister``); this depends only on the graph's structure, so it is built by the first
        max-flow call and kept, and later calls only fill in residual capacities (see
        ``cpp/include/routecore/flow_layout.h``). For an undirected graph ``first_out`` and
        ``head`` are the graph's own. ``loop_arcs`` lists the arcs of self-loops.

        Raises
        ------
        GraphError
            The graph has more edges than max-flow's int32 residual arc ids allow (two arcs
            per edge; see :data:`routecore._validation.MAX_FLOW_EDGES`).

        Examples
        --------
        >>> import routecore as rc
        >>> first_out, head, sister, loop_arcs = rc.Graph(2, [0], [1]).flow_layout()
        >>> first_out.tolist(), head.tolist(), sister.tolist(), loop_arcs.tolist()
        ([0, 1, 2], [1, 0], [1, 0], [])
        """
        if self._flow_layout is None:
            check_flow_size(self._num_edges)
            with _reverse_lock:
                if self._flow_layout is None:
                    self._flow_layout = build_flow_layout(
                        self._first_out, self._head, self._arc_edge, self._directed
                    )
        return self._flow_layout

    # ----------------------------------------------------------------------- conversions
    @classmethod
    def from_scipy(cls, matrix: Any, *, directed: bool = True, values: str = "weight") -> Graph:
        """Build a graph from a square scipy sparse matrix or dense array.

        Every stored entry ``(i, j, x)`` of a sparse matrix is an edge ``i -> j`` (explicit zeros
        included); for a dense array, every non-zero entry. ``values`` says whether the entries
        are ``"weight"`` or ``"capacity"``.

        Examples
        --------
        >>> import numpy as np
        >>> import routecore as rc
        >>> g = rc.Graph.from_scipy(np.array([[0.0, 2.0], [0.0, 0.0]]))
        >>> g.src.tolist(), g.dst.tolist(), g.weight.tolist()
        ([0], [1], [2.0])
        """
        return from_scipy(cls, matrix, directed=directed, values=values)

    @classmethod
    def from_networkx(
        cls, graph: nx.Graph, *, weight: str | None = "weight", capacity: str | None = None
    ) -> Graph:
        """Build a graph from a networkx graph (multigraphs included).

        If the networkx nodes are exactly the integers ``0 .. n-1`` they keep their ids;
        otherwise node ``i`` is ``list(graph.nodes)[i]``. Edge ``e`` is the ``e``-th edge of
        ``graph.edges``. ``weight`` / ``capacity`` name edge attributes; a missing weight
        attribute counts 1, a missing capacity attribute is an error.

        Examples
        --------
        >>> import networkx as nx
        >>> import routecore as rc
        >>> g = rc.Graph.from_networkx(nx.path_graph(["a", "b", "c"]))
        >>> g.num_nodes, g.src.tolist(), g.directed
        (3, [0, 1], False)
        """
        return from_networkx(cls, graph, weight=weight, capacity=capacity)

    def to_networkx(self) -> nx.MultiDiGraph | nx.MultiGraph:
        """A networkx multigraph with the same nodes and edges; edge keys are edge ids.

        Edge attributes ``weight`` and ``capacity`` are set where the graph has them.

        Examples
        --------
        >>> import routecore as rc
        >>> list(rc.Graph(2, [0], [1], capacity=[3]).to_networkx().edges(keys=True, data=True))
        [(0, 1, 0, {'capacity': 3})]
        """
        return to_networkx(self)

    # -------------------------------------------------------------------------- pickling
    def __reduce__(self) -> tuple[Any, ...]:
        view = csr_view(self)
        state = (self._num_edges, self._directed, *view.adjacency)
        return (_from_packed, pack_state(*state, view.arc_weight, view.arc_capacity))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Graph):
            return NotImplemented
        return (
            self._directed == other._directed
            and self._num_edges == other._num_edges
            and np.array_equal(self._first_out, other._first_out)
            and np.array_equal(self._head, other._head)
            and np.array_equal(self._arc_edge, other._arc_edge)
            and _same_optional(self._arc_weight, other._arc_weight)
            and _same_optional(self._arc_capacity, other._arc_capacity)
        )

    __hash__ = None  # type: ignore[assignment]


def _same_optional(a: npt.NDArray[Any] | None, b: npt.NDArray[Any] | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.dtype == b.dtype and np.array_equal(a, b)


# ------------------------------------------------------------------ internal entry points
def csr_view(graph: Graph) -> CsrView:
    """The graph's CSR arrays (read-only, shared with the graph, not copied).

    The one way for the rest of the package to hand a graph to C++; the caller has already
    checked that ``graph`` is a :class:`Graph` (``_validation.check_graph``). Built once per
    graph (its arrays never change).
    """
    view = graph._view
    if view is None:
        view = graph._view = CsrView(
            graph._first_out, graph._head, graph._arc_edge, graph._arc_weight, graph._arc_capacity
        )
    return view


def prepared_flow(graph: Graph) -> _core.PreparedFlowGraph:
    """The core's hold on a max-flow's arrays (CSR, own capacities, residual layout), once per
    graph: a call then passes two arrays, not ten (``bind_flow.cpp``). Needs capacities."""
    prepared = graph._prepared_flow
    if prepared is None:
        cap = graph._arc_capacity
        assert cap is not None
        prepared = graph._prepared_flow = _core.prepare_flow_graph(
            graph._first_out,
            graph._head,
            graph._arc_edge,
            cap,
            graph._directed,
            graph._num_edges,
            *graph.flow_layout(),
            capacity_sum(graph),
        )
    return prepared


def capacity_sum(graph: Graph) -> float:
    """Sum of the graph's capacities over all arcs (each undirected edge counts twice), in
    float64: an upper bound on every flow total, exact while it is below 2**53; ``-1.0`` for a
    graph without capacities. Max-flow skips its own totals pass when this is small
    (residual_network.h). Computed once per graph."""
    if graph._capacity_bound is None:
        cap = graph._arc_capacity
        with np.errstate(over="ignore"):  # an infinite bound is only a bound
            graph._capacity_bound = -1.0 if cap is None else float(cap.sum(dtype=np.float64))
    return graph._capacity_bound


def graph_from_csr(
    first_out: Int32Array,
    head: Int32Array,
    arc_edge: Int32Array,
    *,
    num_edges: int,
    directed: bool,
    arc_weight: npt.NDArray[np.float64] | None = None,
    arc_capacity: CapacityArray | None = None,
) -> Graph:
    """A :class:`Graph` adopting CSR arrays (made read-only, not copied) that obey the
    contract of ``csr.h`` as :class:`CsrView` documents it, for arrays this package built
    itself. They are still checked against every invariant the algorithms rely on
    (``_graph_io.check_csr_state``, O(num_arcs)), so a bug upstream ends in a
    :class:`~routecore.GraphError`, not in a crash or an endless loop."""
    check_csr_state(num_edges, directed, first_out, head, arc_edge, arc_weight, arc_capacity)
    graph = Graph.__new__(Graph)
    graph._set_state(num_edges, directed, first_out, head, arc_edge, arc_weight, arc_capacity)
    return graph


def _from_packed(*packed: Any) -> Graph:
    """Unpickle a graph (the name is part of the pickle format: keep it) from the packed state
    :func:`~routecore._graph_io.pack_state` writes: plain bytes, no numpy objects, rebuilt into
    arrays and checked; a corrupted pickle is a :class:`GraphError`."""
    return _from_state(*unpack_state(*packed))


def _from_state(*state: Any) -> Graph:
    """A graph from its array state ``(num_edges, directed, first_out, head, arc_edge,
    arc_weight, arc_capacity)``, checked first: a wrong state, a wrong field count included, is
    a :class:`GraphError`. Also the unpickler of pickles written before the packed format
    (which held numpy arrays; keep the name)."""
    if len(state) != 7:
        raise GraphError(f"corrupt graph state: expected 7 fields, got {len(state)}")
    check_csr_state(*state)
    graph = Graph.__new__(Graph)
    graph._set_state(*state)
    return graph
