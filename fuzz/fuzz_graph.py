"""Atheris harness: Graph + shortest paths + max-flow driven by raw bytes.

Each input decides a graph (node count, edge arrays of a random dtype and layout, filled from
raw bytes so any bit pattern appears: huge ids, NaN, inf, negative zero, subnormals) and a few
queries with equally hostile arguments. Every call must return or raise GraphError (for a bad
option: a ValueError / TypeError naming it); when the graph and arguments were valid, the
results are cross-checked:

* all-pairs lengths against scipy's Dijkstra (an independent implementation);
* ``shortest_path`` (every method) against those lengths, and each path against its edges;
* ``nearest_source`` (both directions) against the minimum over the sources' rows;
* ``max_flow`` (every method) against ``min_cut`` and each other, the flows against the
  capacities and conservation.

Run alone (libFuzzer flags pass through)::

    python fuzz/fuzz_graph.py -max_total_time=30 -print_final_stats=1
"""

from __future__ import annotations

import math
import sys
import warnings
from typing import Any

import atheris
import numpy as np
from _instrument import instrument_package
from scipy.sparse import csr_array
from scipy.sparse.csgraph import dijkstra

import routecore as rc

instrument_package(rc)

MAX_NODES = 24
MAX_EDGES = 60
ID_DTYPES = ["int8", "uint8", "int16", "int32", "int64", ">i8", "uint32", "uint64"]
BAD_DTYPES = ["float64", "float32", "bool", "complex128", "m8[s]", "U3", "O"]
VALUE_DTYPES = ["float64", "float32", "float16", ">f8", "int64", "int32", "uint64", "bool"]
BAD_COUNTS: list[Any] = [-1, 2**31, 2**63, 1.5, "3", None, True, [3]]
BAD_SCALARS: list[Any] = [-1.0, math.nan, -math.inf, "1", None, True, [1.0], 1j, 10**400]
PATH_METHODS = ["auto", "dijkstra", "bidirectional", "astar", "Dijkstra", "", None]
FLOW_METHODS = ["auto", "push_relabel", "boykov_kolmogorov", "dinic", "simplex", None]


def _layout(fdp: atheris.FuzzedDataProvider, arr: np.ndarray) -> Any:
    """The same values as a list, a strided or read-only view, or (rarely) a wrong shape."""
    choice = fdp.ConsumeIntInRange(0, 9)
    if choice == 0:
        return arr.tolist()
    if choice == 1:
        return np.repeat(arr, 2)[::2]
    if choice == 2:
        view = arr.copy()
        view.flags.writeable = False
        return view
    if choice == 3:
        return arr.reshape(1, -1)
    if choice == 4 and arr.size:
        return arr[0]
    return arr


def _ids(fdp: atheris.FuzzedDataProvider, length: int, n: int) -> Any:
    """Node ids: mostly valid, otherwise raw bytes of an integer dtype or a wrong dtype."""
    kind = fdp.ConsumeIntInRange(0, 5)
    if kind <= 3 and n > 0:
        values = np.array(fdp.ConsumeIntListInRange(length, 0, n - 1), dtype=np.int64)
        if len(values) < length:  # the input ran out of bytes
            values = np.concatenate([values, np.zeros(length - len(values), np.int64)])
        dtype = np.dtype(fdp.PickValueInList(ID_DTYPES))
        if np.can_cast(np.min_scalar_type(max(n - 1, 0)), dtype):
            values = values.astype(dtype)
        return _layout(fdp, values)
    if kind == 4:
        dtype = np.dtype(fdp.PickValueInList(ID_DTYPES))
        raw = fdp.ConsumeBytes(length * dtype.itemsize).ljust(length * dtype.itemsize, b"\0")
        return _layout(fdp, np.frombuffer(raw, dtype=dtype))
    bad = fdp.PickValueInList(BAD_DTYPES)
    if bad == "O":
        return [*range(length - 1), None] if length else [None]
    return _layout(fdp, np.arange(length).astype(bad))


def _values(fdp: atheris.FuzzedDataProvider, length: int) -> Any:
    """Per-edge weights or capacities: small integers, raw bytes of a numeric dtype, or None."""
    kind = fdp.ConsumeIntInRange(0, 5)
    if kind == 0:
        return None
    if kind <= 3:
        values = np.array(fdp.ConsumeIntListInRange(length, 0, 20), dtype=np.float64)
        values = np.concatenate([values, np.ones(length - len(values))])
        return _layout(fdp, values.astype(fdp.PickValueInList(VALUE_DTYPES)))
    dtype = np.dtype(fdp.PickValueInList(VALUE_DTYPES))
    size = length + fdp.ConsumeIntInRange(-1, 1) * (kind == 5)
    size = max(size, 0)
    raw = fdp.ConsumeBytes(size * dtype.itemsize).ljust(size * dtype.itemsize, b"\0")
    return _layout(fdp, np.frombuffer(raw, dtype=dtype))


def _count(fdp: atheris.FuzzedDataProvider) -> Any:
    if fdp.ConsumeIntInRange(0, 15) == 0:
        return fdp.PickValueInList(BAD_COUNTS)
    return fdp.ConsumeIntInRange(0, MAX_NODES)


def _scalar(fdp: atheris.FuzzedDataProvider, good: float) -> Any:
    return fdp.PickValueInList(BAD_SCALARS) if fdp.ConsumeIntInRange(0, 7) == 0 else good


OPTIONS = ("method", "threads", "directed", "reverse")
"""Options: a bad value raises a plain ValueError / TypeError whose message starts with them."""


def _call(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """fn(...) or None if it raised GraphError (bad data) or a ValueError / TypeError naming an
    option; any other exception escapes (a finding)."""
    try:
        return fn(*args, **kwargs)
    except (ValueError, TypeError) as exc:
        if not isinstance(exc, rc.GraphError) and not str(exc).startswith(OPTIONS):
            raise
        if not str(exc):
            raise AssertionError("error without a message") from exc
        return None


def _id_list(values: Any) -> np.ndarray:
    """Accepted ids as int64 (an accepted empty array may have any dtype)."""
    arr = np.asarray(values).reshape(-1)
    return arr.astype(np.int64) if arr.size else np.zeros(0, dtype=np.int64)


def _close(a: float, b: float) -> bool:
    return a == b or math.isclose(a, b, rel_tol=1e-9, abs_tol=0.0)


def check_paths(fdp: atheris.FuzzedDataProvider, g: rc.Graph) -> None:
    n, m = g.num_nodes, g.num_edges
    src, dst = g.src, g.dst
    w = np.ones(m) if g.weight is None else g.weight
    lengths = _call(rc.shortest_path_lengths, g, np.arange(n), threads=fdp.ConsumeIntInRange(1, 2))
    assert lengths is not None, "a query on all nodes of a valid graph failed"
    # Oracle: scipy (parallel arcs reduced to the lightest, as csgraph sums duplicates).
    tails, heads, ws = src, dst, w
    if not g.directed:
        tails, heads, ws = np.r_[src, dst], np.r_[dst, src], np.r_[w, w]
    order = np.lexsort((ws, heads, tails))
    tails, heads, ws = tails[order], heads[order], ws[order]
    first = np.ones(len(tails), dtype=bool)
    first[1:] = (tails[1:] != tails[:-1]) | (heads[1:] != heads[:-1])
    keep = first & (tails != heads)
    matrix = csr_array((ws[keep], (tails[keep], heads[keep])), shape=(n, n))
    expected = dijkstra(matrix, directed=True) if n else np.zeros((0, 0))
    assert np.allclose(lengths, expected, rtol=1e-9, atol=0.0), "lengths differ from scipy"

    s, t = fdp.ConsumeIntInRange(-1, n), fdp.ConsumeIntInRange(-1, n)
    method = fdp.PickValueInList(PATH_METHODS)
    geo: dict[str, Any] = {}
    if method in ("astar", "auto") and fdp.ConsumeBool():
        coords = np.array(fdp.ConsumeFloatListInRange(2 * n, -90.0, 90.0))
        coords = np.concatenate([coords, np.zeros(2 * n - len(coords))]).reshape(2, n)
        geo = {"coordinates": coords, "min_cost_per_km": _scalar(fdp, 0.0)}
    forbidden = _ids(fdp, fdp.ConsumeIntInRange(0, 3), n) if fdp.ConsumeBool() else None
    path = _call(rc.shortest_path, g, s, t, method=method, forbidden_nodes=forbidden, **geo)
    if path is not None:
        assert 0 <= s < n and 0 <= t < n
        assert path.nodes[0] == s and path.nodes[-1] == t
        total = math.fsum(w[path.edges].tolist())
        assert _close(path.length, total), "path length is not the sum of its edges"
        assert path.length >= lengths[s, t] * (1 - 1e-9), "path shorter than the shortest"
    # A valid call without forbidden nodes must find exactly the shortest length (A* only with
    # a zero bound, which cannot be wrong; A* without coordinates is an error).
    valid_method = method in PATH_METHODS[:4] and (method != "astar" or bool(geo))
    exact_bound = not geo or geo["min_cost_per_km"] == 0.0
    if forbidden is None and exact_bound and valid_method and 0 <= s < n and 0 <= t < n:
        assert (path is None) == (lengths[s, t] == np.inf), "reachability differs"
        if path is not None:
            assert _close(path.length, lengths[s, t]), "path is not shortest"

    sources = _ids(fdp, fdp.ConsumeIntInRange(0, 4), n)
    reverse = fdp.ConsumeBool()
    found = _call(rc.nearest_source, g, sources, reverse=reverse)
    if found is not None:
        dist, root = found
        ids = _id_list(sources)
        rows = lengths[:, ids].T if reverse else lengths[ids]
        best = rows.min(axis=0) if len(ids) else np.full(n, np.inf)
        assert np.allclose(dist, best, rtol=1e-9, atol=0.0), "nearest_source differs"
        assert ((root == -1) == np.isinf(dist)).all()
    max_length = _scalar(fdp, 3.0)
    lim = _call(rc.shortest_path_lengths, g, 0 if n else [], max_length=max_length)
    if lim is not None and n:
        assert max_length == 3.0
        assert np.array_equal(np.isinf(lim), ~(lengths[0] <= 3.0)), "max_length cut-off"


def check_flow(fdp: atheris.FuzzedDataProvider, g: rc.Graph) -> None:
    n = g.num_nodes
    cap = g.capacity
    capacity = None if cap is not None and fdp.ConsumeBool() else _values(fdp, g.num_edges)
    sources = _ids(fdp, fdp.ConsumeIntInRange(0, 3), n)
    sinks = _ids(fdp, fdp.ConsumeIntInRange(0, 3), n)
    results = []
    for method in ("push_relabel", "boykov_kolmogorov", "dinic", fdp.PickValueInList(FLOW_METHODS)):
        r = _call(rc.max_flow, g, sources, sinks, capacity=capacity, method=method)
        c = _call(rc.min_cut, g, sources, sinks, capacity=capacity, method=method)
        assert (r is None) == (c is None), "max_flow and min_cut disagree on validity"
        if r is None:
            continue
        exact = isinstance(r.value, int)
        agree = r.value == c.value if exact else _close(r.value, c.value)
        assert agree, "max_flow value != min_cut value"
        caps = np.abs(np.asarray(r.edge_flow))
        used = cap if capacity is None else rc.Graph(n, g.src, g.dst, capacity=capacity).capacity
        assert used is not None
        slack = 0 if exact else 1e-9 * max(float(np.sum(used)), 1.0)
        assert (caps <= used + slack).all(), "flow above capacity"
        results.append(r.value)
    if results:
        exact = isinstance(results[0], int)
        assert all((v == results[0]) if exact else _close(v, results[0]) for v in results)


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    n = _count(fdp)
    m = fdp.ConsumeIntInRange(0, MAX_EDGES)
    nn = n if isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= MAX_NODES else 4
    src, dst = _ids(fdp, m, nn), _ids(fdp, m + (fdp.ConsumeIntInRange(0, 20) == 0), nn)
    weight, capacity = _values(fdp, m), _values(fdp, m)
    directed = fdp.PickValueInList([True, False, True, False, np.True_, 1, "no", None])
    g = _call(rc.Graph, n, src, dst, weight=weight, capacity=capacity, directed=directed)
    if g is None:
        return
    check_paths(fdp, g)
    check_flow(fdp, g)


def main() -> None:
    warnings.simplefilter("error")  # as in the test suite: a warning is a finding
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
