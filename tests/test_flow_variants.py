"""Every form of the max-flow functions' arguments (max_flow, min_cut, arbitrary capacity
arrays) and of the sweeps' ``failed`` cases, checked against networkx on the canonical input
(see variants.py)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import routecore as rc
from routecore.batch import lengths_under_failures, max_flow_under_failures

from .oracles import (
    check_cut,
    flow_value,
    lengths_of,
)
from .strategies import EdgeList, build_graph, problems
from .variants import (
    Variant,
    accepts_values,
    chaos_arrays,
    failure_variants,
    graph_variants,
    id_variants,
    outcome,
    value_variants,
)


# -------------------------------------------------------------------- max_flow, min_cut
@given(el=problems(min_nodes=2), data=st.data())
def test_max_flow_and_min_cut(el: EdgeList, data: st.DataObject) -> None:
    n = el.num_nodes
    order = data.draw(st.permutations(range(n)), label="order")
    k = data.draw(st.integers(1, n - 1), label="split")
    sources = np.array(order[: data.draw(st.integers(1, k))], dtype=np.int64)
    sinks = np.array(order[k : k + data.draw(st.integers(1, n - k))], dtype=np.int64)
    with_cap = data.draw(st.booleans(), label="graph capacities")
    g = build_graph(el, capacity=with_cap)
    args: dict[str, Any] = {
        "graph": g,
        "sources": sources,
        "sinks": sinks,
        "capacity": None if with_cap else el.capacity,
        "method": data.draw(
            st.sampled_from(["auto", "push_relabel", "boykov_kolmogorov", "dinic", "ibfs"])
        ),
    }
    name = data.draw(st.sampled_from(sorted(args)), label="argument")
    if name == "graph":
        variants = graph_variants(g)
    elif name in ("sources", "sinks"):
        other = sinks if name == "sources" else sources
        variants = id_variants(args[name], n, scalar_ok=True, length_matters=False)
        variants += [
            Variant("overlap", np.append(args[name], other[0]), False),
            Variant("empty", [], False),
        ]
    elif name == "capacity":
        # Valid floats stay floats (the float path); valid ints are exact int64. None means
        # the graph's own capacities, an error where it has none.
        cap_f = el.capacity.astype(np.float64)
        variants = [v for v in value_variants(cap_f, kind="capacity") if v.label != "None"]
        variants.append(Variant("None", None, with_cap, el.capacity))
    else:
        variants = [Variant(m, m, True, m) for m in ("auto", "dinic", "push_relabel")]
        variants += [
            Variant(f"{v!r}", v, False)
            for v in ("Dinic", "", None, 3, b"dinic", ["dinic"], np.array(["dinic"]))
        ]
    variant = data.draw(st.sampled_from(variants), label="variant")
    want_flow = data.draw(st.booleans(), label="max_flow")
    call_args = dict(args, **{name: variant.value})
    graph = call_args.pop("graph")
    func = rc.max_flow if want_flow else rc.min_cut
    result = outcome(
        lambda: func(graph, call_args.pop("sources"), call_args.pop("sinks"), **call_args),
        variant,
        name,
        sources,
        sinks,
        el.capacity,
    )
    if result is None:
        return
    canon = dict(args, **{name: variant.canonical})
    cap = el.capacity if canon["capacity"] is None else np.asarray(canon["capacity"])
    src_c = np.atleast_1d(np.asarray(canon["sources"], dtype=np.int64))
    dst_c = np.atleast_1d(np.asarray(canon["sinks"], dtype=np.int64))
    cap_exact = cap.astype(np.int64) if cap.dtype.kind in "iub" else cap
    if cap.dtype.kind == "f" and np.abs(cap).max(initial=0) > 1e15:
        return  # int64-max as a float: the value is a float sum, covered by test_flow's tolerance
    expected = flow_value(el, cap_exact.astype(np.int64).astype(object), src_c, dst_c)
    assert result.value == expected
    assert isinstance(result.value, int) == (cap.dtype.kind in "iub")
    check_cut(el, cap_exact, result.source_side, result.cut_edges, expected, src_c)
    assert not result.source_side[dst_c].any()
    if want_flow:
        f = result.edge_flow
        assert f.dtype == cap_exact.dtype and f.shape == (len(el.src),)
        assert (np.abs(f) <= cap_exact).all()
        if el.directed:
            assert (f >= 0).all()
        net = np.zeros(n, dtype=object)
        np.add.at(net, el.dst, f.astype(object))
        np.subtract.at(net, el.src, f.astype(object))
        inner = np.setdiff1d(np.arange(n), np.concatenate([src_c, dst_c]))
        assert (net[inner] == 0).all()
        assert net[dst_c].sum() == expected


# ------------------------------------------------------------------------------- chaos
@given(el=problems(min_nodes=2), data=st.data())
def test_chaos_capacity(el: EdgeList, data: st.DataObject) -> None:
    m = len(el.src)
    arr = data.draw(chaos_arrays(m), label="capacity")
    ok = accepts_values(arr, m, "capacity")
    g = rc.Graph(el.num_nodes, el.src, el.dst, directed=el.directed)
    is_float = arr.dtype.kind == "f"
    if ok:
        with np.errstate(over="ignore"):
            cap = arr.astype(np.float64) if is_float else arr.astype(np.int64)
        total = math.fsum(cap.tolist()) if is_float else sum(cap.tolist())
        if total > (1e300 if is_float else 2**61):
            # Documented: integer totals beyond 2**61 (and non-finite float totals) may be
            # refused with a GraphError naming the totals; a result must still be right.
            try:
                r = rc.max_flow(g, 0, el.num_nodes - 1, capacity=arr)
            except rc.GraphError as exc:
                message = str(exc)
            else:
                message = ""
            if message:
                assert "too large" in message
                return
            assert r.value >= 0
            assert (np.abs(r.edge_flow) <= cap).all()
            return
    r = outcome(
        lambda: rc.max_flow(g, 0, el.num_nodes - 1, capacity=arr),
        Variant("chaos", arr, ok),
        "capacity",
    )
    if r is None:
        return
    expected = flow_value(el, cap.astype(object), np.array([0]), np.array([el.num_nodes - 1]))
    if is_float:
        assert math.isclose(r.value, expected, rel_tol=0, abs_tol=1e-9 * max(total, 1e-300))
    else:
        assert r.value == expected


# ----------------------------------------------------------------------- sweep functions
@given(el=problems(min_nodes=2), data=st.data())
def test_sweeps_under_failures(el: EdgeList, data: st.DataObject) -> None:
    """max_flow_under_failures / lengths_under_failures with ``failed`` in any accepted form
    equal the oracles (networkx max-flow, scipy lengths) on the graph without each case's
    edges; a broken ``failed`` is a GraphError naming it."""
    n, m = el.num_nodes, len(el.src)
    g = build_graph(el)
    per_case = st.lists(st.integers(0, m - 1), max_size=3) if m else st.just([])
    cases = data.draw(st.lists(per_case, max_size=4), label="cases")
    variant = data.draw(st.sampled_from(failure_variants(cases, m)), label="failed")
    order = data.draw(st.permutations(range(n)), label="order")
    k = data.draw(st.integers(1, n - 1), label="split")
    sources, sinks = np.array(order[:k]), np.array(order[k:])
    flows = outcome(
        lambda: max_flow_under_failures(g, sources, sinks, variant.value, threads=2),
        variant,
        "failed",
    )
    lengths = outcome(
        lambda: lengths_under_failures(g, sources, np.arange(n), variant.value, threads=2),
        variant,
        "failed",
    )
    if not variant.valid:
        return
    canon = variant.canonical
    assert flows.shape == (len(canon),) and lengths.shape == (len(canon), n)
    for i, case in enumerate(canon):
        closed = np.zeros(m, dtype=bool)
        closed[np.asarray(case, dtype=np.int64)] = True
        cap = np.where(closed, 0, el.capacity).astype(object)
        assert flows[i] == flow_value(el, cap, sources, sinks)
        expected = lengths_of(el, el.weight, sources, closed=closed).min(axis=0)
        np.testing.assert_array_equal(lengths[i], expected)
