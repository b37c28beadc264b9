"""A :class:`~routecore.Graph` to and from other representations: scipy matrices, networkx
graphs, and the packed state of a pickled graph (checked against the CSR contract before a
graph adopts it).

The :class:`~routecore.Graph` methods ``from_scipy``, ``from_networkx`` and ``to_networkx`` are
the public doors; the functions here build through the public constructor and read through the
public properties only.

>>> import routecore as rc
>>> g = rc.Graph(3, [0, 1], [1, 2], capacity=[4, 5], directed=False)
>>> from_networkx(rc.Graph, to_networkx(g), weight=None, capacity="capacity") == g
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ._validation import MAX_ID_COUNT, as_array, check_weight_total, choice
from .errors import GraphError

if TYPE_CHECKING:
    import networkx as nx

    from .graph import Graph


def from_scipy(cls: type[Graph], matrix: Any, *, directed: bool, values: str) -> Graph:
    """:meth:`Graph.from_scipy <routecore.Graph.from_scipy>`."""
    import scipy.sparse as sp

    values = choice(values, ("weight", "capacity"), "values")
    if sp.issparse(matrix):
        shape = tuple(matrix.shape)
    else:
        matrix = as_array(matrix, "matrix")
        shape = matrix.shape
        if matrix.dtype.kind not in "biuf":
            raise GraphError(f"matrix: expected real numbers, got dtype {matrix.dtype}")
    if len(shape) != 2 or shape[0] != shape[1]:
        raise GraphError(f"matrix must be square (N, N), got shape {shape}")
    coo = sp.coo_array(matrix)
    kwargs = {values: coo.data}
    return cls(coo.shape[0], coo.row, coo.col, directed=directed, **kwargs)


def from_networkx(
    cls: type[Graph], graph: nx.Graph, *, weight: str | None, capacity: str | None
) -> Graph:
    """:meth:`Graph.from_networkx <routecore.Graph.from_networkx>`."""
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
        w = as_array([d.get(weight, 1.0) for _, _, d in edges], weight)
    c = None
    if capacity is not None:
        missing = [i for i, (_, _, d) in enumerate(edges) if capacity not in d]
        if missing:
            u, v, _ = edges[missing[0]]
            raise GraphError(f"edge {missing[0]} ({u!r}, {v!r}) has no {capacity!r} attribute")
        c = as_array([d[capacity] for _, _, d in edges], capacity)
    return cls(len(nodes), src, dst, weight=w, capacity=c, directed=bool(graph.is_directed()))


def to_networkx(graph: Graph) -> nx.MultiDiGraph | nx.MultiGraph:
    """:meth:`Graph.to_networkx <routecore.Graph.to_networkx>`."""
    import networkx as nx

    g: nx.MultiDiGraph | nx.MultiGraph = nx.MultiDiGraph() if graph.directed else nx.MultiGraph()
    g.add_nodes_from(range(graph.num_nodes))
    src, dst = graph.src, graph.dst
    w, c = graph.weight, graph.capacity
    for e in range(graph.num_edges):
        attrs: dict[str, Any] = {}
        if w is not None:
            attrs["weight"] = float(w[e])
        if c is not None:
            attrs["capacity"] = c[e].item()
        g.add_edge(int(src[e]), int(dst[e]), key=e, **attrs)
    return g


def _plain_array(arr: Any, dtypes: tuple[type, ...]) -> bool:
    """An exact ndarray (no subclass) of one of ``dtypes``, native-endian and with the dtype's
    own flags: a corrupted pickle can rebuild a dtype that compares equal to int32 yet claims to
    hold object references, which numpy then mishandles."""
    if type(arr) is not np.ndarray:
        return False
    dt = arr.dtype
    return any(
        dt == d and dt.isnative and dt.flags == np.dtype(d).flags and dt.fields is None
        for d in dtypes
    )


def check_csr_state(
    num_edges: Any,
    directed: Any,
    first_out: Any,
    head: Any,
    arc_edge: Any,
    arc_weight: Any,
    arc_capacity: Any,
) -> None:
    """Check CSR arrays against every invariant the algorithms rely on, before C++ reads them.

    Run on every Graph that is not built by ``Graph(...)`` itself: unpickled state and
    :func:`~routecore.graph.graph_from_csr`. Accepted arrays are exactly the arrays the CSR
    build (``csr.h``) makes from the graph's edges, so a corrupted or hand-edited state ends in
    a :class:`GraphError` naming the broken invariant, never in out-of-bounds reads, endless
    loops or wrong flows. O(num_arcs) time and memory, vectorised.
    """

    def fail(what: str) -> GraphError:
        return GraphError(f"corrupt graph state: {what}")

    if type(directed) is not bool or type(num_edges) is not int:
        raise fail("directed must be a bool and num_edges an int")
    for name, arr in (("first_out", first_out), ("head", head), ("arc_edge", arc_edge)):
        if not _plain_array(arr, (np.int32,)) or arr.ndim != 1:
            raise fail(f"{name} must be a 1-D int32 array")
        if not arr.flags.c_contiguous:
            raise fail(f"{name} must be C-contiguous")
    num_arcs = head.shape[0]
    if not 0 <= num_edges <= MAX_ID_COUNT or num_arcs != (num_edges if directed else 2 * num_edges):
        raise fail(f"{num_arcs} arcs do not match {num_edges} edges")
    if arc_edge.shape != head.shape:
        raise fail("head and arc_edge differ in length")
    n = first_out.shape[0] - 1
    if n < 0 or n > MAX_ID_COUNT:
        raise fail("first_out must have num_nodes + 1 entries")
    if first_out[0] != 0 or first_out[-1] != num_arcs:
        raise fail("first_out must start at 0 and end at the arc count")
    counts = np.diff(first_out.astype(np.int64))  # int32 differences wrap: 0, 2**30, -2**31
    if np.any(counts < 0):
        raise fail("first_out is not non-decreasing")
    if num_arcs and (head.min() < 0 or head.max() >= n):
        raise fail("a head is not a node id")
    # Each arc's key: 2 e for the forward arc of edge e, 2 e + 1 for its backward arc
    # (x ^ (x >> 31) is ~x for a negative int32 x). The keys must be all of 0 .. 2m - 1
    # (undirected) or all even ones below 2m (directed), each once.
    backward = arc_edge < 0
    if directed and backward.any():
        raise fail("a directed graph has a backward arc")
    edge = (arc_edge ^ (arc_edge >> 31)).astype(np.int64)
    key = 2 * edge + backward
    slot = edge if directed else key
    slots = num_arcs  # == num_edges (directed) or 2 * num_edges
    if num_arcs and (int(slot.max()) >= slots or np.any(np.bincount(slot, minlength=slots) != 1)):
        raise fail("arc_edge does not name every edge's arcs exactly once")
    arc_of = np.empty(slots, dtype=np.int64)
    arc_of[slot] = np.arange(num_arcs, dtype=np.int64)
    fwd_arc, back_arc = (arc_of, arc_of) if directed else (arc_of[0::2], arc_of[1::2])
    # Each edge's arcs where the build puts them: tails and heads consistent between the two
    # arcs of an undirected edge, and the arcs of each node in key order (edge-id order, the
    # forward arc of a self-loop first), which makes the arrays those of the stable counting
    # sort.
    if not directed:
        tail = np.repeat(np.arange(n, dtype=np.int32), counts)
        if not (
            np.array_equal(tail[back_arc], head[fwd_arc])
            and np.array_equal(head[back_arc], tail[fwd_arc])
        ):
            raise fail("a backward arc is not the reverse of its edge's forward arc")
    starts_node = np.zeros(num_arcs + 1, dtype=bool)
    starts_node[first_out] = True
    if np.any((np.diff(key) <= 0) & ~starts_node[1:-1]):
        raise fail("the arcs of a node are not in edge-id order")
    for name, arr, dtypes in (
        ("arc_weight", arc_weight, (np.float64,)),
        ("arc_capacity", arc_capacity, (np.int64, np.float64)),
    ):
        if arr is None:
            continue
        if not _plain_array(arr, dtypes) or arr.shape != (num_arcs,):
            raise fail(f"{name} must be an array with one value per arc")
        if not arr.flags.c_contiguous:
            raise fail(f"{name} must be C-contiguous")
        if arr.dtype.kind == "f" and not np.all(np.isfinite(arr) & (arr >= 0)):
            raise fail(f"{name} has a negative or non-finite value")
        if arr.dtype.kind == "i" and np.any(arr < 0):
            raise fail(f"{name} has a negative value")
        if not np.array_equal(arr[fwd_arc], arr[back_arc]):
            raise fail(f"{name} differs between the two arcs of an undirected edge")
    if arc_weight is not None:
        try:
            check_weight_total(arc_weight[fwd_arc], "arc_weight")
        except GraphError as exc:
            raise fail(str(exc)) from None


# ------------------------------------------------------------------------ pickle format
PICKLE_FORMAT = 1
"""Version of the packed state :func:`pack_state` writes (the first field of a pickle)."""

_PACKED_DTYPES: dict[str, np.dtype[Any]] = {
    "i4": np.dtype("<i4"),
    "i8": np.dtype("<i8"),
    "f8": np.dtype("<f8"),
}
_CAPACITY_KINDS: dict[np.dtype[Any], str] = {np.dtype(np.int64): "i8", np.dtype(np.float64): "f8"}


def pack_state(
    num_edges: int, directed: bool, first_out: Any, head: Any, arc_edge: Any, weight: Any, cap: Any
) -> tuple[Any, ...]:
    """A graph's state as plain Python values (ints, bools, little-endian ``bytes``, ``str``).

    The pickle of a :class:`~routecore.Graph` holds no numpy objects: unpickling numpy arrays
    runs numpy's own reconstruction (dtype and array ``__setstate__``) on whatever the bytes
    say, and corrupted bytes can crash numpy itself before routecore sees them (found by
    ``fuzz/fuzz_pickle.py``: a segmentation fault in a dtype's ``__setstate__``). Bytes and
    strings are rebuilt by :func:`unpack_state` into arrays of fixed dtypes, then checked.

    >>> state = pack_state(1, True, np.array([0, 1, 1], np.int32), np.array([1], np.int32),
    ...                    np.array([0], np.int32), None, np.array([3], np.int64))
    >>> state[:4], len(state)
    ((1, 1, True, b'\\x00\\x00\\x00\\x00\\x01\\x00\\x00\\x00\\x01\\x00\\x00\\x00'), 9)
    """

    def raw(arr: Any, kind: str) -> bytes:
        return bytes(np.ascontiguousarray(arr, dtype=_PACKED_DTYPES[kind]).tobytes())

    cap_kind = "" if cap is None else _CAPACITY_KINDS[cap.dtype]
    return (
        PICKLE_FORMAT,
        num_edges,
        directed,
        raw(first_out, "i4"),
        raw(head, "i4"),
        raw(arc_edge, "i4"),
        None if weight is None else raw(weight, "f8"),
        None if cap is None else raw(cap, cap_kind),
        cap_kind or None,
    )


def unpack_state(*packed: Any) -> tuple[Any, ...]:
    """The arrays of a packed state (:func:`pack_state`), in the field order of
    :func:`check_csr_state`, which the caller runs next. Wrong field counts, versions, types
    or byte lengths are a :class:`GraphError`; the arrays are new, native-endian and owned.

    >>> unpack_state(1, 0, True, b"\\0" * 4, b"", b"", None, None, None)[2:4]
    (array([0], dtype=int32), array([], dtype=int32))
    >>> unpack_state(1, 0, True, b"\\0" * 3, b"", b"", None, None, None)
    Traceback (most recent call last):
    routecore.errors.GraphError: corrupt graph state: first_out has 3 bytes, not a multiple of 4
    """

    def fail(what: str) -> GraphError:
        return GraphError(f"corrupt graph state: {what}")

    if len(packed) != 9:
        raise fail(f"expected 9 packed fields, got {len(packed)}")
    version, num_edges, directed, first_out, head, arc_edge, weight, cap, cap_kind = packed
    if type(version) is not int or version != PICKLE_FORMAT:
        raise fail(f"unknown pickle format {version!r} (this routecore reads {PICKLE_FORMAT})")
    if cap_kind not in (None, *_CAPACITY_KINDS.values()):
        raise fail(f"capacity kind {cap_kind!r} is not 'i8' or 'f8'")
    if (cap is None) != (cap_kind is None):
        raise fail(f"capacity kind {cap_kind!r} does not match capacities {type(cap).__name__}")

    def array(name: str, data: Any, kind: str) -> np.ndarray[Any, Any]:
        if type(data) is not bytes:
            raise fail(f"{name} must be bytes, not {type(data).__name__}")
        dtype = _PACKED_DTYPES[kind]
        if len(data) % dtype.itemsize:
            raise fail(f"{name} has {len(data)} bytes, not a multiple of {dtype.itemsize}")
        native: np.ndarray[Any, Any] = np.frombuffer(data, dtype=dtype).astype(
            dtype.newbyteorder("=")
        )
        return native

    return (
        num_edges,
        directed,
        array("first_out", first_out, "i4"),
        array("head", head, "i4"),
        array("arc_edge", arc_edge, "i4"),
        None if weight is None else array("arc_weight", weight, "f8"),
        None if cap is None else array("arc_capacity", cap, cap_kind),
    )
