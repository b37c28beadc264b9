"""Every form of the shortest-path functions' arguments (shortest_path_lengths, shortest_path,
nearest_source, shortest_path_tree and its methods), checked against scipy on the canonical
input, and weights near the float64 maximum (see variants.py)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import routecore as rc

from .oracles import (
    check_path,
    haversine_km,
    lengths_of,
    node_mask,
)
from .strategies import EdgeList, build_graph, draw_ids, problems
from .variants import (
    FLOAT_MAX,
    Variant,
    edge_set_variants,
    exact_sum,
    graph_variants,
    id_variants,
    is_scalar,
    node_variants,
    outcome,
    read_only,
    same_values,
    scalar_variants,
    value_variants,
)


# ------------------------------------------------------------------ shortest_path_lengths
@given(el=problems(), data=st.data())
def test_shortest_path_lengths(el: EdgeList, data: st.DataObject) -> None:
    n = el.num_nodes
    weighted = data.draw(st.booleans(), label="graph weighted")
    g = build_graph(el, weighted=weighted)
    sources = draw_ids(data.draw, n)
    free = np.setdiff1d(np.arange(n), sources)
    forbidden = None
    if free.size and data.draw(st.booleans(), label="forbid"):
        forbidden = np.array(data.draw(st.lists(st.sampled_from(free.tolist()), max_size=3)))
        if forbidden.size == 0:
            forbidden = np.zeros(0, dtype=np.int64)
        elif data.draw(st.booleans(), label="as mask"):
            forbidden = node_mask(forbidden, n)
    weight = el.weight if data.draw(st.booleans(), label="weight arg") else None
    max_length = data.draw(st.sampled_from([math.inf, 0.0, 1.0, 2.5, 7.0]), label="max_length")
    closed = draw_ids(data.draw, len(el.src)) if len(el.src) else np.zeros(0, dtype=np.int64)
    args: dict[str, Any] = {
        "graph": g,
        "sources": sources,
        "weight": weight,
        "forbidden_nodes": forbidden,
        "forbidden_edges": closed,
        "max_length": max_length,
        "threads": data.draw(st.sampled_from([None, 1, 2]), label="threads"),
    }
    name = data.draw(st.sampled_from(sorted(args)), label="argument")
    if name == "graph":
        variants = graph_variants(g)
    elif name == "sources":
        variants = id_variants(sources, n, scalar_ok=True, length_matters=False)
    elif name == "weight":
        variants = value_variants(el.weight, kind="weight", none_ok=True)
    elif name == "forbidden_nodes":
        if forbidden is None or forbidden.dtype == bool:
            mask = np.zeros(n, dtype=bool) if forbidden is None else forbidden
            variants = [Variant(lb, v, True, mask) for lb, v in same_values(mask)]
            variants += [
                Variant("short mask", mask[:-1], False),
                Variant("2-D mask", mask.reshape(1, -1), False),
                Variant("0-d mask", np.bool_(True), False),
                Variant("text", "0", False),
                Variant("None", None, True, None),
            ]
        else:
            variants = id_variants(forbidden, n, scalar_ok=True, length_matters=False, none_ok=True)
    elif name == "max_length":
        variants = scalar_variants("length", max_length)
    elif name == "forbidden_edges":
        variants = edge_set_variants(closed, len(el.src))
    else:
        variants = scalar_variants("threads", None)
    variant = data.draw(st.sampled_from(variants), label="variant")
    call_args = dict(args, **{name: variant.value})
    graph = call_args.pop("graph")

    result = outcome(
        lambda: rc.shortest_path_lengths(graph, call_args.pop("sources"), **call_args),
        variant,
        name,
        sources,
        weight,
        forbidden,
        el.src,
        el.dst,
    )
    if result is None:
        return
    canon = dict(args)
    if name != "threads":  # every valid thread count gives the same result
        canon[name] = variant.canonical
    src_canon = np.atleast_1d(np.asarray(canon["sources"], dtype=np.int64))
    w = canon["weight"] if canon["weight"] is not None else (el.weight if weighted else None)
    removed = node_mask(canon["forbidden_nodes"], n)
    if removed is not None and removed[src_canon].any():
        pytest.fail("a forbidden source was accepted")
    expected = lengths_of(
        el, w, src_canon, removed, closed=node_mask(canon["forbidden_edges"], len(el.src))
    )
    expected[expected > canon["max_length"]] = np.inf
    scalar = name == "sources" and is_scalar(variant.value)
    assert result.dtype == np.float64
    np.testing.assert_array_equal(result, expected[0] if scalar else expected)


# ------------------------------------------------------------------------ shortest_path
def _coordinates(draw: st.DrawFn, el: EdgeList) -> tuple[np.ndarray, float]:
    """Random (lat, lon) per node and a cost per km that is a lower bound with margin."""
    lat = np.array(draw(st.lists(st.floats(-90, 90), min_size=el.num_nodes, max_size=el.num_nodes)))
    lon = np.array(
        draw(st.lists(st.floats(-540, 540), min_size=el.num_nodes, max_size=el.num_nodes))
    )
    km = haversine_km(lat[el.src], lon[el.src], lat[el.dst], lon[el.dst])
    far = km > 0
    cost = float(0.5 * np.min(el.weight[far] / km[far])) if far.any() else 1.0
    return np.stack([lat, lon]), cost


@given(el=problems(), data=st.data())
def test_shortest_path(el: EdgeList, data: st.DataObject) -> None:
    n = el.num_nodes
    g = build_graph(el)
    s = data.draw(st.integers(0, n - 1), label="source")
    t = data.draw(st.integers(0, n - 1), label="target")
    method = data.draw(st.sampled_from(["auto", "dijkstra", "bidirectional", "astar"]))
    coords, cost = _coordinates(data.draw, el)
    use_geo = method == "astar" or data.draw(st.booleans(), label="coordinates")
    free = np.setdiff1d(np.arange(n), [s, t])
    forbidden = draw_ids(data.draw, n) if free.size else np.zeros(0, dtype=np.int64)
    forbidden = np.intersect1d(forbidden, free)
    args: dict[str, Any] = {
        "graph": g,
        "source": s,
        "target": t,
        "weight": el.weight if data.draw(st.booleans(), label="weight arg") else None,
        "forbidden_nodes": forbidden,
        "forbidden_edges": draw_ids(data.draw, len(el.src)) if len(el.src) else None,
        "method": method,
        "coordinates": coords if use_geo else None,
        "min_cost_per_km": cost if use_geo else None,
    }
    name = data.draw(st.sampled_from(sorted(args)), label="argument")
    if name == "graph":
        variants = graph_variants(g)
    elif name in ("source", "target"):
        variants = node_variants(args[name], n)
    elif name == "weight":
        variants = value_variants(el.weight, kind="weight", none_ok=True)
    elif name == "forbidden_nodes":
        variants = id_variants(forbidden, n, scalar_ok=True, length_matters=False, none_ok=True)
        variants += [Variant("source forbidden", [s], False), Variant("target", [t], False)]
    elif name == "forbidden_edges":
        base = args[name] if args[name] is not None else np.zeros(0, dtype=np.int64)
        variants = edge_set_variants(base, len(el.src))
    elif name == "method":
        variants = [Variant(m, m, True, m) for m in ("dijkstra", "bidirectional", "auto")]
        variants += [Variant("astar", "astar", use_geo, "astar", data_error=True)]
        variants += [
            Variant(f"{v!r}", v, False)
            for v in ("Dijkstra", "", None, 1, b"dijkstra", ["dijkstra"], np.array(["auto"]))
        ]
    elif name == "coordinates":
        lat, lon = coords
        variants = [
            Variant("tuple of lists", (lat.tolist(), lon.tolist()), True, coords),
            Variant("strided", np.repeat(coords, 2, axis=1)[:, ::2], True, coords),
            Variant("fortran", np.asfortranarray(coords), True, coords),
            Variant("read-only", read_only(coords), True, coords),
            Variant("1-D", lat, False),
            Variant("3 rows", np.vstack([coords, lat]), False),
            Variant("one short", coords[:, :-1], False),
            Variant("ragged", (lat.tolist(), lon.tolist()[:-1]), False),
            Variant("complex", coords.astype(complex), False),
            Variant("text", coords.astype(str), False),
            Variant("lat 90.5", np.stack([np.full(n, 90.5), lon]), False),
            Variant("NaN", np.stack([lat, np.full(n, np.nan)]), False),
            Variant("inf", np.stack([lat, np.full(n, np.inf)]), False),
            Variant("None with a cost", None, not use_geo and method != "astar", None),
        ]
        if n != 2:
            variants.append(Variant("transposed", coords.T, False))
    else:
        variants = [
            Variant("zero", 0, True, 0.0),
            Variant("numpy", np.float64(cost), True, cost),
            Variant("half", cost / 2, True, cost / 2),
        ] + [
            Variant(f"{v!r}", v, False)
            for v in (-1.0, math.nan, math.inf, "1", True, 10**400, [cost], 1j)
        ]
        if use_geo:
            variants.append(Variant("None with coordinates", None, False))
    variant = data.draw(st.sampled_from(variants), label="variant")
    call_args = dict(args, **{name: variant.value})
    if name == "min_cost_per_km" and not use_geo and variant.value is not None:
        # A cost without coordinates is an error that names the coordinates.
        variant = Variant(variant.label, variant.value, False)
        name = "coordinates"
    if name == "coordinates" and variant.value is not None and not use_geo:
        call_args["min_cost_per_km"] = cost
    graph = call_args.pop("graph")
    path = outcome(
        lambda: rc.shortest_path(
            graph, call_args.pop("source"), call_args.pop("target"), **call_args
        ),
        variant,
        name,
        el.src,
        el.dst,
        el.weight,
        coords,
        forbidden,
    )
    if not variant.valid:
        return
    canon = dict(args, **{name: variant.canonical})
    s_c, t_c = int(canon["source"]), int(canon["target"])
    removed = node_mask(canon["forbidden_nodes"], n)
    closed = node_mask(canon["forbidden_edges"], len(el.src))
    expected = lengths_of(el, el.weight, np.array([s_c]), removed, closed=closed)[0, t_c]
    if path is None:
        assert expected == np.inf
    else:
        assert closed is None or not closed[path.edges].any()
        check_path(el, el.weight, s_c, t_c, path, removed)
        assert path.length == expected


# ----------------------------------------------------- nearest_source, shortest_path_tree
@given(el=problems(), data=st.data())
def test_nearest_source_and_tree(el: EdgeList, data: st.DataObject) -> None:
    n = el.num_nodes
    weighted = data.draw(st.booleans(), label="graph weighted")
    g = build_graph(el, weighted=weighted)
    sources = draw_ids(data.draw, n)
    free = np.setdiff1d(np.arange(n), sources)
    forbidden = np.intersect1d(draw_ids(data.draw, n), free)
    reverse = data.draw(st.booleans(), label="reverse")
    args: dict[str, Any] = {
        "graph": g,
        "sources": sources,
        "weight": el.weight if data.draw(st.booleans(), label="weight arg") else None,
        "forbidden_nodes": forbidden,
        "forbidden_edges": draw_ids(data.draw, len(el.src)) if len(el.src) else None,
        "reverse": reverse,
    }
    name = data.draw(st.sampled_from(sorted(args)), label="argument")
    if name == "graph":
        variants = graph_variants(g)
    elif name == "sources":
        variants = id_variants(sources, n, scalar_ok=True, length_matters=False)
    elif name == "weight":
        variants = value_variants(el.weight, kind="weight", none_ok=True)
    elif name == "forbidden_nodes":
        variants = id_variants(forbidden, n, scalar_ok=True, length_matters=False, none_ok=True)
        if sources.size:
            variants.append(Variant("a source", sources[:1], False))
    elif name == "forbidden_edges":
        base = args[name] if args[name] is not None else np.zeros(0, dtype=np.int64)
        variants = edge_set_variants(base, len(el.src))
    else:
        variants = scalar_variants("flag", reverse)
    variant = data.draw(st.sampled_from(variants), label="variant")
    tree_call = data.draw(st.booleans(), label="tree")
    call_args = dict(args, **{name: variant.value})
    graph = call_args.pop("graph")
    func = rc.shortest_path_tree if tree_call else rc.nearest_source
    result = outcome(
        lambda: func(graph, call_args.pop("sources"), **call_args),
        variant,
        name,
        sources,
        forbidden,
        el.weight,
    )
    if result is None:
        return
    canon = dict(args, **{name: variant.canonical})
    src_c = np.atleast_1d(np.asarray(canon["sources"], dtype=np.int64))
    w = canon["weight"] if canon["weight"] is not None else (el.weight if weighted else None)
    removed = node_mask(canon["forbidden_nodes"], n)
    closed = node_mask(canon["forbidden_edges"], len(el.src))
    per_source = lengths_of(el, w, src_c, removed, reverse=canon["reverse"], closed=closed)
    expected = per_source.min(axis=0) if len(src_c) else np.full(n, np.inf)
    if tree_call:
        assert isinstance(result, rc.ShortestPathTree)
        length, root = result.length, result.root
    else:
        length, root = result
    np.testing.assert_array_equal(length, expected)
    reached = np.isfinite(expected)
    assert (root[~reached] == -1).all()
    # The nearest source is a source at exactly that length.
    for v in np.flatnonzero(reached).tolist():
        r = int(root[v])
        row = int(np.flatnonzero(src_c == r)[0])
        assert per_source[row, v] == expected[v]
    if tree_call:
        offsets, edges = result.route_edges(np.arange(n))
        w_all = np.ones(len(el.src)) if w is None else np.asarray(w, dtype=np.float64)
        for v in np.flatnonzero(reached).tolist():
            route = edges[offsets[v] : offsets[v + 1]]
            assert w_all[route].sum() == expected[v]


# ------------------------------------------------------------- ShortestPathTree methods
@given(el=problems(), data=st.data())
def test_tree_methods(el: EdgeList, data: st.DataObject) -> None:
    n = el.num_nodes
    g = build_graph(el)
    tree = rc.shortest_path_tree(g, draw_ids(data.draw, n, min_size=1))
    nodes = draw_ids(data.draw, n)
    which = data.draw(st.sampled_from(["nodes", "demand", "node"]), label="argument")
    demand = np.arange(len(nodes), dtype=np.float64)
    if which == "nodes":
        variants = id_variants(nodes, n, scalar_ok=True, length_matters=False)
    elif which == "demand":
        # Demands are any finite non-negative reals: beyond int64 is fine (a float).
        variants = [
            v
            for v in value_variants(demand, kind="weight")
            if v.label not in ("None", "uint64 2**64-1")
        ]
        variants.append(Variant("None", None, True, np.ones(len(nodes))))
    else:
        variants = node_variants(int(nodes[0]) if nodes.size else 0, n)
    variant = data.draw(st.sampled_from(variants), label="variant")
    if which == "node":
        path = outcome(lambda: tree.path(variant.value), variant, "node")
        if variant.valid:
            v = int(variant.canonical)
            assert (path is None) == (tree.root[v] < 0)
            if path is not None:
                check_path(el, el.weight, int(tree.root[v]), v, path, None)
        return
    call_nodes = variant.value if which == "nodes" else nodes
    call_demand = variant.value if which == "demand" else demand
    if which == "nodes" and is_scalar(call_nodes):
        call_demand = demand[:1] if demand.size else np.ones(1)
    load = outcome(lambda: tree.edge_load(call_nodes, call_demand), variant, which, nodes, demand)
    if load is None:
        return
    ids = np.atleast_1d(np.asarray(nodes if which != "nodes" else variant.canonical, np.int64))
    dem = np.asarray(call_demand if which != "demand" else variant.canonical, np.float64)
    expected = np.zeros(len(el.src))
    for v, d in zip(ids.tolist(), np.broadcast_to(dem, ids.shape).tolist(), strict=True):
        path = tree.path(v)
        if path is not None:
            np.add.at(expected, path.edges, d)
    np.testing.assert_array_equal(load, expected)


# ------------------------------------------------------------------------- huge weights


@given(
    el=problems(min_nodes=2),
    scale=st.sampled_from([1e300, 1e305, 8e306]),  # weights are at most 20
    data=st.data(),
)
def test_huge_weights_agree_or_are_refused(el: EdgeList, scale: float, data: st.DataObject) -> None:
    """Weights near the float64 maximum: a total above MAX_WEIGHT_TOTAL is refused (naming weight);
    otherwise no length overflows, and every method reports the same lengths, reachability
    and nearest sources (an overflowed length used to read as inf in one method and as a path
    of length inf in another)."""
    w = el.weight * scale
    total = exact_sum(w)
    build = lambda: rc.Graph(el.num_nodes, el.src, el.dst, weight=w, directed=el.directed)  # noqa: E731
    if abs(total - FLOAT_MAX) < FLOAT_MAX / 10**9:  # too close to call: the sum rounds
        try:
            g = build()
        except rc.GraphError as exc:
            message = str(exc)
        else:
            message = ""
        if message:
            assert "weight" in message
            return
    else:
        g = outcome(build, Variant("scaled", w, total < FLOAT_MAX, w), "weight")
        if g is None:
            return
    n = el.num_nodes
    lengths = rc.shortest_path_lengths(g, np.arange(n))
    np.testing.assert_allclose(lengths, lengths_of(el, w, np.arange(n)), rtol=1e-12)
    s, t = data.draw(st.integers(0, n - 1)), data.draw(st.integers(0, n - 1))
    for method in ("dijkstra", "bidirectional", "astar"):
        geo = {"coordinates": np.zeros((2, n)), "min_cost_per_km": 0.0} if method == "astar" else {}
        p = rc.shortest_path(g, s, t, method=method, **geo)  # type: ignore[arg-type]
        assert (p is None) == (lengths[s, t] == np.inf)
        if p is not None:
            assert math.isfinite(p.length)
            assert math.isclose(p.length, lengths[s, t], rel_tol=1e-12)
    dist, root = rc.nearest_source(g, [s])
    assert ((root == -1) == np.isinf(dist)).all()
