"""Every form of the Graph constructors' arguments (Graph(...), from_scipy, from_networkx),
arbitrary numpy arrays as graph and query arrays, empty graphs and corrupted pickles: the
result equals the canonical input's, or a GraphError names the argument (see variants.py)."""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given
from hypothesis import strategies as st

import routecore as rc
from routecore.graph import _from_state, csr_view

from .oracles import (
    lengths_of,
    node_mask,
)
from .strategies import EdgeList, build_graph, problems
from .variants import (
    Variant,
    accepts_ids,
    accepts_values,
    chaos_arrays,
    check_unchanged,
    id_variants,
    outcome,
    read_only,
    scalar_variants,
    snapshot,
    value_variants,
)


# ------------------------------------------------------------------------------ Graph(...)
@given(el=problems(), data=st.data())
def test_graph_constructor(el: EdgeList, data: st.DataObject) -> None:
    m = len(el.src)
    args: dict[str, Any] = {
        "num_nodes": el.num_nodes,
        "src": el.src,
        "dst": el.dst,
        "weight": el.weight,
        "capacity": el.capacity.astype(np.float64),
        "directed": el.directed,
    }
    name = data.draw(st.sampled_from(sorted(args)), label="argument")
    n = el.num_nodes
    if name in ("src", "dst"):
        variants = id_variants(args[name], n, scalar_ok=False, length_matters=True)
    elif name in ("weight", "capacity"):
        variants = value_variants(args[name], kind=name, none_ok=True, huge_ok=True)
    elif name == "directed":
        variants = scalar_variants("flag", el.directed)
    else:
        variants = [
            Variant("int", n, True, n),
            Variant("numpy int", np.int64(n), True, n),
            Variant("uint8", np.uint8(n), True, n),
        ] + [
            Variant(f"{v!r}", v, False)
            for v in (-1, 2**31, 2**63, float(n), str(n), None, True, [n], n + 0.5)
        ]
    variant = data.draw(st.sampled_from(variants), label="variant")
    call_args = dict(args, **{name: variant.value})
    canon = dict(args, **{name: variant.canonical})

    def build() -> rc.Graph:
        num_nodes = call_args.pop("num_nodes")
        return rc.Graph(num_nodes, call_args.pop("src"), call_args.pop("dst"), **call_args)

    g = outcome(build, variant, name, *args.values())
    if g is None:
        return
    # Round trip: the graph reproduces the canonical input exactly, in edge order.
    assert g.num_nodes == canon["num_nodes"] and g.num_edges == m
    assert g.directed == canon["directed"]
    np.testing.assert_array_equal(g.src, canon["src"])
    np.testing.assert_array_equal(g.dst, canon["dst"])
    if canon["weight"] is None:
        assert g.weight is None
    else:
        np.testing.assert_array_equal(g.weight, np.asarray(canon["weight"], dtype=np.float64))
    if canon["capacity"] is None:
        assert g.capacity is None
    else:
        cap = np.asarray(canon["capacity"])
        assert g.capacity is not None
        assert g.capacity.dtype == (np.int64 if cap.dtype.kind in "iub" else np.float64)
        np.testing.assert_array_equal(g.capacity, cap)


# ------------------------------------------------------------------ Graph.from_scipy/nx
@given(el=problems(), data=st.data())
def test_from_scipy(el: EdgeList, data: st.DataObject) -> None:
    n = el.num_nodes
    dense = np.zeros((n, n))
    dense[el.src, el.dst] = el.weight + 1  # non-zero entries only; last of parallel edges
    values = data.draw(st.sampled_from(["weight", "capacity"]), label="values")
    variants = [
        Variant("dense", dense, True, dense),
        Variant("read-only", read_only(dense), True, dense),
        Variant("fortran", np.asfortranarray(dense), True, dense),
        Variant("csr", sp.csr_array(dense), True, dense),
        Variant("coo matrix", sp.coo_matrix(dense), True, dense),
        Variant("list", dense.tolist(), True, dense),
        Variant("int", dense.astype(np.int64), True, dense),
        Variant("3-D", np.stack([dense, dense]), False),
        Variant("0-d", np.float64(1.0), False),
        Variant("1-D", dense.ravel(), False),
        Variant("not square", np.zeros((n, n + 1)), False),
        Variant("text", dense.astype(str), False),
        Variant("complex", dense.astype(complex), False),
        Variant("None", None, False),
        Variant("ragged", [[1.0] * n, [1.0]], False),
    ]
    if n:
        bad = dense.copy()
        bad[0, 0] = data.draw(st.sampled_from([np.nan, np.inf, -1.0]))
        variants.append(Variant("bad value", bad, False))
    variant = data.draw(st.sampled_from(variants), label="variant")
    bad_name = "matrix" if variant.label not in ("bad value",) else values
    g = outcome(lambda: rc.Graph.from_scipy(variant.value, values=values), variant, bad_name)
    if g is None:
        return
    rows, cols = np.nonzero(variant.canonical)
    expected = rc.Graph(
        n,
        rows,
        cols,
        **{values: variant.canonical[rows, cols]},  # type: ignore[arg-type]
    )
    got = np.lexsort((g.dst, g.src))
    assert np.array_equal(g.src[got], rows) and np.array_equal(g.dst[got], cols)
    assert g.num_edges == expected.num_edges


@pytest.mark.parametrize(
    ("attr", "valid"),
    [
        (1.5, True),
        (2, True),
        (np.float32(2.0), True),
        (-1.0, False),
        (math.nan, False),
        (math.inf, False),
        ("3", False),
        (None, False),
        (1j, False),
        ([1.0], False),
    ],
)
@pytest.mark.parametrize("key", ["weight", "capacity"])
def test_from_networkx_attributes(attr: Any, valid: bool, key: str) -> None:
    g = nx.MultiDiGraph()
    g.add_edge("a", "b", **{key: 1.0})
    g.add_edge("b", "c", **{key: attr})
    v = Variant(repr(attr), attr, valid)
    kwargs = {"weight": "weight", "capacity": None} if key == "weight" else {"capacity": key}
    out = outcome(lambda: rc.Graph.from_networkx(g, **kwargs), v, key)  # type: ignore[arg-type]
    if out is not None:
        values = out.weight if key == "weight" else out.capacity
        assert values is not None and values.tolist() == [1.0, float(attr)]


# ------------------------------------------------------------------------ empty graphs
@pytest.mark.parametrize("directed", [True, False])
def test_empty_graphs(directed: bool) -> None:
    """No nodes, or nodes without edges: every function returns the trivial answer or a
    GraphError, never touches memory it does not own."""
    g0 = rc.Graph(0, [], [], weight=[], capacity=[], directed=directed)
    assert rc.shortest_path_lengths(g0, []).shape == (0, 0)
    lengths, nearest = rc.nearest_source(g0, [])
    assert lengths.shape == nearest.shape == (0,)
    assert rc.shortest_path_tree(g0, []).route_edges([])[0].tolist() == [0]
    for bad in (lambda: rc.shortest_path(g0, 0, 0), lambda: rc.max_flow(g0, 0, 1)):
        with pytest.raises(rc.NodeIndexError, match="the graph has no nodes"):
            bad()
    with pytest.raises(rc.GraphError, match="sources is empty"):
        rc.max_flow(g0, [], [])
    g = rc.Graph(3, [], [], weight=[], capacity=np.zeros(0, dtype=np.int64), directed=directed)
    np.testing.assert_array_equal(
        rc.shortest_path_lengths(g, [0, 2]), [[0, np.inf, np.inf], [np.inf, np.inf, 0]]
    )
    assert rc.shortest_path(g, 1, 1) == rc.Path(np.array([1]), np.array([], np.int32), 0.0)
    assert rc.shortest_path(g, 0, 1) is None
    for method in ("push_relabel", "boykov_kolmogorov", "dinic", "ibfs"):
        r = rc.max_flow(g, [0, 1], 2, method=method)  # type: ignore[arg-type]
        assert r.value == 0 and r.cut_edges.size == 0
        assert r.source_side.tolist() == [True, True, False]


# ------------------------------------------------------------------------------- chaos
@given(el=problems(), data=st.data())
def test_chaos_graph_arrays(el: EdgeList, data: st.DataObject) -> None:
    m = len(el.src)
    name = data.draw(st.sampled_from(["src", "dst", "weight", "capacity"]), label="argument")
    arr = data.draw(chaos_arrays(m), label=name)
    args: dict[str, Any] = {"src": el.src, "dst": el.dst, "weight": None, "capacity": None}
    args[name] = arr
    ok = (
        accepts_ids(arr, el.num_nodes, m)
        if name in ("src", "dst")
        else accepts_values(arr, m, name)
    )
    g = outcome(
        lambda: rc.Graph(el.num_nodes, directed=el.directed, **args),
        Variant("chaos", arr, ok),
        name,
    )
    if g is None:
        return
    if name in ("src", "dst"):  # (an empty array of any dtype is a valid empty id list)
        ids = arr.astype(np.int64) if arr.size else np.zeros(0, dtype=np.int64)
        np.testing.assert_array_equal(getattr(g, name), ids)
    elif name == "weight":
        np.testing.assert_array_equal(g.weight, arr.astype(np.float64))
    else:
        assert g.capacity is not None
        is_float = arr.dtype.kind == "f"
        np.testing.assert_array_equal(g.capacity, arr.astype(np.float64 if is_float else np.int64))
        assert g.capacity.dtype == (np.float64 if is_float else np.int64)


@given(el=problems(), data=st.data())
def test_chaos_query_arrays(el: EdgeList, data: st.DataObject) -> None:
    n, m = el.num_nodes, len(el.src)
    g = build_graph(el)
    name = data.draw(st.sampled_from(["sources", "forbidden_nodes", "weight"]), label="argument")
    arr = data.draw(chaos_arrays(m if name == "weight" else n), label=name)
    sources: Any = np.arange(n)
    removed = None
    if name == "weight":
        ok = accepts_values(arr, m, "weight")
    elif name == "sources":
        ok = arr.ndim == 0 and arr.dtype.kind in "iu" and 0 <= int(arr) < n
        ok = ok or accepts_ids(arr, n, None)
        sources = arr
    else:
        flat = arr.reshape(-1) if arr.ndim == 0 else arr
        ok = arr.shape == (n,) if arr.dtype.kind == "b" else accepts_ids(flat, n, None)
        if ok:  # query from the nodes that are not forbidden (a forbidden source is an error)
            removed = node_mask(arr, n)
            assert removed is not None
            sources = np.flatnonzero(~removed)
    kwargs = {} if name == "sources" else {name: arr}
    out = outcome(
        lambda: rc.shortest_path_lengths(g, sources, **kwargs), Variant("chaos", arr, ok), name
    )
    if out is None:
        return
    src_ids = np.atleast_1d(np.asarray(sources)).astype(np.int64)
    w = arr.astype(np.float64) if name == "weight" else el.weight
    expected = lengths_of(el, w, src_ids, removed)
    if name == "sources" and arr.ndim == 0:
        expected = expected[0]
    # Arbitrary float weights: the two libraries may add the same path in another order.
    np.testing.assert_allclose(out, expected, rtol=1e-9, atol=0)


# ------------------------------------------------------------------- corrupted pickles
@given(el=problems(min_nodes=2), data=st.data())
def test_corrupted_pickle_state(el: EdgeList, data: st.DataObject) -> None:
    """Unpickling a corrupted Graph state (one array entry changed, an array cut short or of
    another dtype, flags flipped) ends in GraphError, or in a graph that obeys the CSR contract
    so every query runs (the sanitizer build checks that no C++ code reads out of bounds)."""
    g = build_graph(el)
    view = csr_view(g)
    func = _from_state  # the array-state door (pickles of earlier versions; packed ones end here)
    state: list[Any] = [g.num_edges, g.directed, *view.adjacency, view.arc_weight]
    state.append(view.arc_capacity)
    # state: num_edges, directed, first_out, head, arc_edge, arc_weight, arc_capacity
    k = data.draw(st.integers(0, len(state) - 1), label="field")
    how = data.draw(st.sampled_from(["entry", "truncate", "dtype", "swap", "none"]), label="how")
    value = state[k]
    if isinstance(value, np.ndarray):
        value = value.copy()
        if how == "entry" and value.size:
            i = data.draw(st.integers(0, value.size - 1), label="index")
            value[i] = data.draw(st.sampled_from([-2, -1, 1, el.num_nodes, len(el.src), 2**31 - 1]))
        elif how == "truncate" and value.size:
            value = value[:-1]
        elif how == "dtype":
            value = value.astype(np.int64 if value.dtype != np.int64 else np.int32)
        elif how == "none":
            value = None
    elif k == 0:
        value = data.draw(st.sampled_from([value + 1, value - 1, -1, 2**40, 1.5]))
    else:
        value = data.draw(st.sampled_from([not value, 1, None]))
    state[k] = value
    snap = snapshot(state)
    try:
        h = func(*state)
    except rc.GraphError as exc:
        h, message = None, str(exc)
    # The new graph adopts the unpickled arrays (and makes them read-only), but never edits them.
    check_unchanged(snap, flags=False)
    if h is None:
        assert "corrupt graph state" in message
        return
    n = h.num_nodes
    rc.shortest_path_lengths(h, np.arange(n))
    if n:
        rc.nearest_source(h, [0], reverse=True)
        rc.shortest_path(h, 0, n - 1, method="bidirectional")
    if h.capacity is not None and n >= 2:
        rc.max_flow(h, 0, n - 1)
