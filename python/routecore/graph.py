"""The :class:`Graph`: an immutable graph in compressed sparse row (CSR) form.

Edge ids are the positions of the edges in the arrays the caller passed; every result that names
edges (paths, flows, cuts) uses them. Inside, only the CSR arrays are kept (see
``cpp/include/routecore/csr.h``): per arc its head node, its edge id and its weight/capacity, in
tail-node order. ``src``, ``dst``, ``weight`` and ``capacity`` are rebuilt in edge order on
request, so a weighted directed graph costs 16 bytes per edge plus 4 bytes per node.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from . import _core
from ._validation import (
    MAX_ID_COUNT,
    _as_array,
    check_count,
    edge_values,
    flag,
    node_id_array,
)
from .errors import GraphError

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Graph"]

CapacityArray = npt.NDArray[np.int64] | npt.NDArray[np.float64]

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
        Arrays of different lengths, ids out of range, non-integer ids, negative / NaN /
        infinite weights or capacities, or a graph too large for 32-bit ids.

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
        "_first_out",
        "_flow_layout",
        "_head",
        "_num_edges",
        "_reverse",
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
        # Sizes first: a graph too large for 32-bit ids is refused before any id array is
        # converted or scanned (which would allocate a copy per array).
        src_arr = _as_array(src, "src")
        dst_arr = _as_array(dst, "dst")
        for name, arr in (("src", src_arr), ("dst", dst_arr)):
            if arr.ndim != 1:
                raise GraphError(f"{name}: expected a 1-D array of node ids, got shape {arr.shape}")
        if src_arr.shape != dst_arr.shape:
            raise GraphError(
                f"src has {src_arr.shape[0]} entries but dst has {dst_arr.shape[0]}; "
                "they must have one entry per edge"
            )
        m = src_arr.shape[0]
        num_arcs = m if directed else 2 * m
        if num_arcs > MAX_ID_COUNT:
            raise GraphError(
                f"{m} edges need {num_arcs} arcs, more than the 32-bit limit of {MAX_ID_COUNT}"
            )
        src_ids = node_id_array(src_arr, n, "src")
        dst_ids = node_id_array(dst_arr, n, "dst")
        w = None if weight is None else edge_values(weight, m, "weight", kind="weight")
        c = None if capacity is None else edge_values(capacity, m, "capacity", kind="capacity")
        first_out, head, arc_edge = _core.build_csr(n, src_ids, dst_ids, directed)
        self._set_state(n, m, directed, first_out, head, arc_edge, None, None)
        self._arc_weight = None if w is None else self.arc_values(w)
        self._arc_capacity = None if c is None else self.arc_values(c)

    def _set_state(
        self,
        num_nodes: int,
        num_edges: int,
        directed: bool,
        first_out: npt.NDArray[np.int32],
        head: npt.NDArray[np.int32],
        arc_edge: npt.NDArray[np.int32],
        arc_weight: npt.NDArray[np.float64] | None,
        arc_capacity: CapacityArray | None,
    ) -> None:
        if first_out.shape != (num_nodes + 1,):
            raise GraphError("corrupt graph state: first_out has the wrong length")
        for arr in (first_out, head, arc_edge, arc_weight, arc_capacity):
            if arr is not None:
                arr.flags.writeable = False
        self._num_edges = num_edges
        self._directed = directed
        self._first_out = first_out
        self._head = head
        self._arc_edge = arc_edge
        self._arc_weight = arc_weight
        self._arc_capacity = arc_capacity
        # Reverse CSR (first_out, head, arc_edge) and weights in its arc order, built lazily.
        self._reverse: (
            tuple[
                npt.NDArray[np.int32],
                npt.NDArray[np.int32],
                npt.NDArray[np.int32],
                npt.NDArray[np.float64] | None,
            ]
            | None
        ) = None
        # Residual arc layout of max-flow (first_out, head, sister, loop_arcs), built lazily.
        self._flow_layout: (
            tuple[
                npt.NDArray[np.int32],
                npt.NDArray[np.int32],
                npt.NDArray[np.int32],
                npt.NDArray[np.int32],
            ]
            | None
        ) = None
        # Sum of the capacities over all arcs (an upper bound on any flow total), lazily.
        self._capacity_bound: float | None = None

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
    def src(self) -> npt.NDArray[np.int32]:
        """Tail node of each edge, in edge-id order (a new int32 array)."""
        return self._edge_endpoints()[0]

    @property
    def dst(self) -> npt.NDArray[np.int32]:
        """Head node of each edge, in edge-id order (a new int32 array)."""
        return self._edge_endpoints()[1]

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
        adjacency of shortest-path searches to the targets, and the residual arc layout of
        max-flow: 4 bytes per arc for an undirected graph, 16 per edge and 4 per node for a
        directed one)."""
        arrays = [self._first_out, self._head, self._arc_edge, self._arc_weight, self._arc_capacity]
        arrays.extend(self._reverse or ())
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
    def edge_index(self) -> npt.NDArray[np.int32]:
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

    def _edge_endpoints(self) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]:
        tails = np.repeat(
            np.arange(self.num_nodes, dtype=np.int32), np.diff(self._first_out)
        ).astype(np.int32, copy=False)
        return self._edge_order(tails), self._edge_order(self._head)

    def reverse_csr(
        self,
    ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32], npt.NDArray[np.int32]]:
        """``(first_out, head, arc_edge)`` of the reversed graph, built once on first use.

        An undirected graph is its own reverse.
        """
        first_out, head, arc_edge, _ = self._reversed()
        return first_out, head, arc_edge

    def reverse_arc_weight(self) -> npt.NDArray[np.float64] | None:
        """The graph's weights in the arc order of :meth:`reverse_csr` (``None`` if unweighted);
        built with the reverse CSR and kept with it."""
        return self._reversed()[3]

    def _reversed(
        self,
    ) -> tuple[
        npt.NDArray[np.int32],
        npt.NDArray[np.int32],
        npt.NDArray[np.int32],
        npt.NDArray[np.float64] | None,
    ]:
        if not self._directed:
            return self._first_out, self._head, self._arc_edge, self._arc_weight
        if self._reverse is None:
            # Several threads may ask at once; the build releases the GIL, so without the lock
            # each would build (and hold) its own copy. Double-checked: the lock is only taken
            # until the first build is done.
            with _reverse_lock:
                if self._reverse is None:
                    first_out, head, arc_edge = _core.build_reverse_csr(
                        self._first_out, self._head, self._arc_edge
                    )
                    weight = self.weight
                    arc_weight = (
                        None
                        if weight is None
                        else np.ascontiguousarray(
                            weight[np.where(arc_edge < 0, ~arc_edge, arc_edge)]
                        )
                    )
                    for arr in (first_out, head, arc_edge, arc_weight):
                        if arr is not None:
                            arr.flags.writeable = False
                    self._reverse = (first_out, head, arc_edge, arc_weight)
        return self._reverse

    def flow_layout(
        self,
    ) -> tuple[
        npt.NDArray[np.int32], npt.NDArray[np.int32], npt.NDArray[np.int32], npt.NDArray[np.int32]
    ]:
        """``(first_out, head, sister, loop_arcs)`` of the residual network's arcs, built once on
        first use.

        Max-flow needs both directions of every edge, each arc paired with its reverse
        (``sister``); this depends only on the graph's structure, so it is built by the first
        max-flow call and kept, and later calls only fill in residual capacities (see
        ``cpp/include/routecore/flow_network.h``). For an undirected graph ``first_out`` and
        ``head`` are the graph's own. ``loop_arcs`` lists the arcs of self-loops.
        """
        if self._flow_layout is None:
            with _reverse_lock:
                if self._flow_layout is None:
                    built = _core.build_flow_layout(
                        self._first_out, self._head, self._arc_edge, self._directed
                    )
                    first_out, head = built.first_out, built.head
                    sister, loop_arcs = built.sister, built.loop_arcs
                    if first_out is None or head is None:
                        first_out, head = self._first_out, self._head
                    for arr in (first_out, head, sister, loop_arcs):
                        arr.flags.writeable = False
                    self._flow_layout = (first_out, head, sister, loop_arcs)
        return self._flow_layout

    def _capacity_sum(self) -> float:
        """Sum of the graph's capacities over all arcs (each undirected edge counts twice), in
        float64: an upper bound on every flow total, exact while it is below 2**53. Max-flow
        skips its own totals pass when this is small (flow_network.h). Computed once."""
        if self._capacity_bound is None:
            cap = self._arc_capacity
            self._capacity_bound = -1.0 if cap is None else float(cap.sum(dtype=np.float64))
        return self._capacity_bound

    # ----------------------------------------------------------------------- conversions
    @classmethod
    def from_scipy(
        cls,
        matrix: Any,
        *,
        directed: bool = True,
        values: str = "weight",
    ) -> Graph:
        """Build a graph from a square scipy sparse matrix or dense array.

        Every stored entry ``(i, j, x)`` of a sparse matrix is an edge ``i -> j`` (explicit zeros
        included); for a dense array, every non-zero entry. ``values`` says whether the entries
        are ``"weight"`` or ``"capacity"``.
        """
        import scipy.sparse as sp

        if values not in ("weight", "capacity"):
            raise GraphError(f"values must be 'weight' or 'capacity', got {values!r}")
        if sp.issparse(matrix):
            shape = tuple(matrix.shape)
        else:
            matrix = _as_array(matrix, "matrix")
            shape = matrix.shape
            if matrix.dtype.kind not in "biuf":
                raise GraphError(f"matrix: expected real numbers, got dtype {matrix.dtype}")
        if len(shape) != 2 or shape[0] != shape[1]:
            raise GraphError(f"matrix must be square (N, N), got shape {shape}")
        coo = sp.coo_array(matrix)
        kwargs = {values: coo.data}
        return cls(coo.shape[0], coo.row, coo.col, directed=directed, **kwargs)

    @classmethod
    def from_networkx(
        cls,
        graph: nx.Graph,
        *,
        weight: str | None = "weight",
        capacity: str | None = None,
    ) -> Graph:
        """Build a graph from a networkx graph (multigraphs included).

        If the networkx nodes are exactly the integers ``0 .. n-1`` they keep their ids;
        otherwise node ``i`` is ``list(graph.nodes)[i]``. Edge ``e`` is the ``e``-th edge of
        ``graph.edges``. ``weight`` / ``capacity`` name edge attributes; a missing weight
        attribute counts 1, a missing capacity attribute is an error.
        """
        nodes = list(graph.nodes)
        if set(nodes) == set(range(len(nodes))):
            index: dict[Any, int] = {i: i for i in range(len(nodes))}
        else:
            index = {node: i for i, node in enumerate(nodes)}
        edges = list(graph.edges(data=True))
        src = np.fromiter((index[u] for u, _, _ in edges), dtype=np.int64, count=len(edges))
        dst = np.fromiter((index[v] for _, v, _ in edges), dtype=np.int64, count=len(edges))
        w = None
        if weight is not None:
            # No forced dtype: Graph() checks the values, so text is refused, not parsed.
            w = _as_array([d.get(weight, 1.0) for _, _, d in edges], weight)
        c = None
        if capacity is not None:
            missing = [i for i, (_, _, d) in enumerate(edges) if capacity not in d]
            if missing:
                u, v, _ = edges[missing[0]]
                raise GraphError(f"edge {missing[0]} ({u!r}, {v!r}) has no {capacity!r} attribute")
            c = _as_array([d[capacity] for _, _, d in edges], capacity)
        return cls(len(nodes), src, dst, weight=w, capacity=c, directed=bool(graph.is_directed()))

    def to_networkx(self) -> nx.MultiDiGraph | nx.MultiGraph:
        """A networkx multigraph with the same nodes and edges; edge keys are edge ids.

        Edge attributes ``weight`` and ``capacity`` are set where the graph has them.
        """
        import networkx as nx

        g: nx.MultiDiGraph | nx.MultiGraph = (
            nx.MultiDiGraph() if self._directed else nx.MultiGraph()
        )
        g.add_nodes_from(range(self.num_nodes))
        src, dst = self._edge_endpoints()
        w, c = self.weight, self.capacity
        for e in range(self._num_edges):
            attrs: dict[str, Any] = {}
            if w is not None:
                attrs["weight"] = float(w[e])
            if c is not None:
                attrs["capacity"] = c[e].item()
            g.add_edge(int(src[e]), int(dst[e]), key=e, **attrs)
        return g

    # -------------------------------------------------------------------------- pickling
    def __reduce__(self) -> tuple[Any, ...]:
        state = (
            self._num_edges,
            self._directed,
            self._first_out,
            self._head,
            self._arc_edge,
            self._arc_weight,
            self._arc_capacity,
        )
        return (_from_state, state)

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


def _check_state(
    num_edges: Any,
    directed: Any,
    first_out: Any,
    head: Any,
    arc_edge: Any,
    arc_weight: Any,
    arc_capacity: Any,
) -> None:
    """Check unpickled CSR arrays against the contract of ``csr.h`` before C++ ever reads them.

    Unpickling is only as safe as the pickle's source, but a corrupted or hand-edited state
    must end in a :class:`GraphError`, not in out-of-bounds reads. O(num_arcs), vectorised.
    """

    def fail(what: str) -> GraphError:
        return GraphError(f"corrupt graph state: {what}")

    if not isinstance(directed, bool) or not isinstance(num_edges, int):
        raise fail("directed must be a bool and num_edges an int")
    for name, arr in (("first_out", first_out), ("head", head), ("arc_edge", arc_edge)):
        if not isinstance(arr, np.ndarray) or arr.ndim != 1 or arr.dtype != np.int32:
            raise fail(f"{name} must be a 1-D int32 array")
    num_arcs = head.shape[0]
    if not 0 <= num_edges <= MAX_ID_COUNT or num_arcs != (num_edges if directed else 2 * num_edges):
        raise fail(f"{num_arcs} arcs do not match {num_edges} edges")
    if arc_edge.shape != head.shape:
        raise fail("head and arc_edge differ in length")
    n = first_out.shape[0] - 1
    if n < 0 or first_out[0] != 0 or first_out[-1] != num_arcs or np.any(np.diff(first_out) < 0):
        raise fail("first_out is not a non-decreasing offset array from 0 to the arc count")
    if num_arcs and (head.min() < 0 or head.max() >= n):
        raise fail("a head is not a node id")
    forward = arc_edge >= 0
    if not np.array_equal(np.sort(arc_edge[forward]), np.arange(num_edges, dtype=np.int32)):
        raise fail("arc_edge does not name every edge exactly once")
    if directed:
        if not forward.all():
            raise fail("a directed graph has a backward arc")
    elif not np.array_equal(np.sort(~arc_edge[~forward]), np.arange(num_edges, dtype=np.int32)):
        raise fail("arc_edge does not name every edge's backward arc exactly once")
    for name, arr, dtypes in (
        ("arc_weight", arc_weight, (np.float64,)),
        ("arc_capacity", arc_capacity, (np.int64, np.float64)),
    ):
        if arr is None:
            continue
        if not isinstance(arr, np.ndarray) or arr.shape != (num_arcs,) or arr.dtype not in dtypes:
            raise fail(f"{name} must be an array with one value per arc")
        if arr.dtype.kind == "f" and not np.all(np.isfinite(arr) & (arr >= 0)):
            raise fail(f"{name} has a negative or non-finite value")
        if arr.dtype.kind == "i" and np.any(arr < 0):
            raise fail(f"{name} has a negative value")


def _from_state(
    num_edges: int,
    directed: bool,
    first_out: npt.NDArray[np.int32],
    head: npt.NDArray[np.int32],
    arc_edge: npt.NDArray[np.int32],
    arc_weight: npt.NDArray[np.float64] | None,
    arc_capacity: CapacityArray | None,
) -> Graph:
    _check_state(num_edges, directed, first_out, head, arc_edge, arc_weight, arc_capacity)
    g = Graph.__new__(Graph)
    g._set_state(
        first_out.shape[0] - 1,
        num_edges,
        directed,
        first_out,
        head,
        arc_edge,
        arc_weight,
        arc_capacity,
    )
    return g
