"""Bad input at every public entry point, table-driven.

:data:`ARGUMENTS` names every public call and every argument it takes; the test runs every
variant (variants.py) of each argument on one fixed graph, so no variant depends on the luck of
a hypothesis draw. Valid variants must give exactly the result of the canonical call (whose
correctness the oracle tests in test_*_variants.py establish); invalid ones a GraphError naming
the argument. The table of calls and variants is built on first use, not at import.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import routecore as rc
from routecore.batch import lengths_under_failures, max_flow_under_failures

from .oracles import same_result
from .strategies import EdgeList, build_graph
from .variants import (
    Variant,
    edge_set_variants,
    failure_variants,
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

ARGUMENTS: dict[str, tuple[str, ...]] = {
    "Graph": ("num_nodes", "src", "dst", "weight", "capacity", "directed"),
    "shortest_path_lengths": (
        "graph",
        "sources",
        "weight",
        "forbidden_nodes",
        "max_length",
        "forbidden_edges",
        "threads",
    ),
    "shortest_path_lengths mask": ("forbidden_nodes",),
    "shortest_path": (
        "graph",
        "source",
        "target",
        "weight",
        "forbidden_nodes",
        "forbidden_edges",
        "method",
        "coordinates",
        "min_cost_per_km",
    ),
    "nearest_source": (
        "graph",
        "sources",
        "weight",
        "forbidden_nodes",
        "reverse",
        "forbidden_edges",
    ),
    "shortest_path_tree": ("graph", "sources", "forbidden_nodes", "reverse"),
    "max_flow": ("graph", "sources", "sinks", "capacity", "method"),
    "min_cut": ("graph", "sources", "sinks", "method"),
    "max_flow_under_failures": ("graph", "sources", "failed", "capacity", "method", "threads"),
    "lengths_under_failures": (
        "graph",
        "sources",
        "targets",
        "failed",
        "weight",
        "forbidden_nodes",
        "threads",
    ),
    "ShortestPathTree.edge_load": ("nodes", "demand"),
    "ShortestPathTree.paths": ("nodes",),
    "ShortestPathTree.path": ("node",),
    "Graph.from_scipy": ("values", "directed"),
}
"""Every public call of the table and the arguments whose variants it runs."""

_FIXED = EdgeList(
    num_nodes=6,
    src=np.array([0, 1, 2, 3, 0, 4, 5, 2], dtype=np.int64),
    dst=np.array([1, 2, 3, 4, 4, 4, 5, 0], dtype=np.int64),
    weight=np.array([1.0, 2.0, 0.0, 3.0, 9.0, 1.0, 4.0, 1.0]),
    capacity=np.array([3, 1, 4, 1, 5, 9, 2, 6], dtype=np.int64),
    directed=True,
)
_LAT_LON = np.array([[0.0, 0.0, 0.1, 0.2, 0.2, -0.1], [0.0, 0.1, 0.1, 0.0, 0.3, 0.0]])
_COST = 0.0  # a valid (zero) lower bound; A* then equals Dijkstra


Table = dict[str, tuple[Callable[..., Any], dict[str, Any], dict[str, list[Variant]]]]


@functools.cache
def call_table() -> Table:
    """For each call of :data:`ARGUMENTS`: the call, its canonical arguments and the variants of
    each argument."""
    n, el = _FIXED.num_nodes, _FIXED
    graph = build_graph(_FIXED)
    ids = np.array([0, 2], dtype=np.int64)
    tree = rc.shortest_path_tree(graph, ids)
    mask = np.array([False, False, False, True, False, False])
    flow_methods = [Variant(m, m, True, m) for m in ("auto", "push_relabel", "dinic")] + [
        Variant(f"{v!r}", v, False)
        for v in ("Dinic", "", None, 3, b"dinic", ["dinic"], np.array(["dinic"]))
    ]
    path_methods = [Variant(m, m, True, m) for m in ("dijkstra", "bidirectional", "astar")] + [
        Variant(f"{v!r}", v, False)
        for v in ("Dijkstra", "", None, 1, b"dijkstra", ["dijkstra"], np.array(["auto"]))
    ]
    lat, lon = _LAT_LON
    coords = [
        Variant("tuple of lists", (lat.tolist(), lon.tolist()), True, _LAT_LON),
        Variant("strided", np.repeat(_LAT_LON, 2, axis=1)[:, ::2], True, _LAT_LON),
        Variant("fortran", np.asfortranarray(_LAT_LON), True, _LAT_LON),
        Variant("read-only", read_only(_LAT_LON), True, _LAT_LON),
        Variant("int", _LAT_LON.astype(np.int64), True, _LAT_LON.astype(np.int64)),
        Variant("float32", _LAT_LON.astype(np.float32), True, _LAT_LON.astype(np.float32)),
    ] + [
        Variant(label, v, False)
        for label, v in (
            ("1-D", lat),
            ("transposed", _LAT_LON.T),
            ("3 rows", np.vstack([_LAT_LON, lat])),
            ("one short", _LAT_LON[:, :-1]),
            ("ragged", (lat.tolist(), lon.tolist()[:-1])),
            ("complex", _LAT_LON.astype(complex)),
            ("bool", _LAT_LON.astype(bool)),
            ("timedelta", _LAT_LON.astype(np.int64).astype("m8[s]")),
            ("text", _LAT_LON.astype(str)),
            ("lat 90.5", np.stack([np.full(n, 90.5), lon])),
            ("lat -inf", np.stack([np.full(n, -np.inf), lon])),
            ("NaN", np.stack([lat, np.full(n, np.nan)])),
            ("inf", np.stack([lat, np.full(n, np.inf)])),
            ("None", None),
        )
    ]
    costs = [
        Variant("zero", 0, True, 0.0),
        Variant("numpy", np.float64(0.0), True, 0.0),
        Variant("0-d", np.array(0.0), True, 0.0),
    ] + [
        Variant(f"{v!r}", v, False)
        for v in (-1.0, math.nan, math.inf, "1", True, 10**400, [0.0], 1j, None)
    ]
    mask_variants = [Variant(lb, v, True, mask) for lb, v in same_values(mask)] + [
        Variant("short mask", mask[:-1], False),
        Variant("2-D mask", mask.reshape(1, -1), False),
        Variant("0-d mask", np.bool_(True), False),
        Variant("mask with a source", ~mask, False),
    ]
    forbidden = id_variants(np.array([3, 5]), n, scalar_ok=True, length_matters=False, none_ok=True)
    return {
        "Graph": (
            lambda num_nodes, src, dst, **kw: rc.Graph(num_nodes, src, dst, **kw),
            {
                "num_nodes": n,
                "src": el.src,
                "dst": el.dst,
                "weight": el.weight,
                "capacity": el.capacity,
                "directed": True,
            },
            {
                "num_nodes": [Variant("int", n, True, n), Variant("uint8", np.uint8(n), True, n)]
                + [
                    Variant(f"{v!r}", v, False)
                    for v in (-1, 2**31, 2**63, float(n), str(n), None, True, [n], n + 0.5)
                ],
                "src": id_variants(el.src, n, scalar_ok=False, length_matters=True),
                "dst": id_variants(el.dst, n, scalar_ok=False, length_matters=True),
                "weight": value_variants(el.weight, kind="weight", none_ok=True, huge_ok=True),
                "capacity": value_variants(
                    el.capacity.astype(np.float64), kind="capacity", none_ok=True, huge_ok=True
                ),
                "directed": scalar_variants("flag", True),
            },
        ),
        "shortest_path_lengths": (
            lambda graph, sources, **kw: rc.shortest_path_lengths(graph, sources, **kw),
            {
                "graph": graph,
                "sources": ids,
                "weight": el.weight,
                "forbidden_nodes": np.array([3, 5]),
                "max_length": 3.0,
                "threads": 2,
            },
            {
                "graph": graph_variants(graph),
                "sources": id_variants(ids, n, scalar_ok=True, length_matters=False),
                "weight": value_variants(el.weight, kind="weight", none_ok=True),
                "forbidden_nodes": forbidden,
                "max_length": scalar_variants("length", 3.0),
                "forbidden_edges": edge_set_variants(np.array([1, 4]), graph.num_edges),
                "threads": [
                    Variant(v.label, v.value, v.valid, 2) for v in scalar_variants("threads", 2)
                ],
            },
        ),
        "shortest_path_lengths mask": (
            lambda graph, sources, **kw: rc.shortest_path_lengths(graph, sources, **kw),
            {"graph": graph, "sources": ids, "forbidden_nodes": mask},
            {"forbidden_nodes": mask_variants},
        ),
        "shortest_path": (
            lambda graph, source, target, **kw: rc.shortest_path(graph, source, target, **kw),
            {
                "graph": graph,
                "source": 0,
                "target": 4,
                "weight": el.weight,
                "forbidden_nodes": np.array([3, 5]),
                "method": "astar",
                "coordinates": _LAT_LON,
                "min_cost_per_km": _COST,
            },
            {
                "graph": graph_variants(graph),
                "source": node_variants(0, n),
                "target": node_variants(4, n),
                "weight": value_variants(el.weight, kind="weight", none_ok=True),
                "forbidden_nodes": [*forbidden, Variant("the target", [4], False)],
                "forbidden_edges": edge_set_variants(np.array([0, 3]), graph.num_edges),
                "method": path_methods,
                "coordinates": coords,
                "min_cost_per_km": costs,
            },
        ),
        "nearest_source": (
            lambda graph, sources, **kw: rc.nearest_source(graph, sources, **kw),
            {
                "graph": graph,
                "sources": ids,
                "weight": el.weight,
                "forbidden_nodes": np.array([3, 5]),
                "reverse": True,
            },
            {
                "graph": graph_variants(graph),
                "sources": id_variants(ids, n, scalar_ok=True, length_matters=False),
                "weight": value_variants(el.weight, kind="weight", none_ok=True),
                "forbidden_nodes": forbidden,
                "reverse": scalar_variants("flag", True),
                "forbidden_edges": edge_set_variants(np.array([7]), graph.num_edges),
            },
        ),
        "shortest_path_tree": (
            lambda graph, sources, **kw: rc.shortest_path_tree(graph, sources, **kw),
            {"graph": graph, "sources": ids, "forbidden_nodes": mask, "reverse": False},
            {
                "graph": graph_variants(graph),
                "sources": id_variants(ids, n, scalar_ok=True, length_matters=False),
                "forbidden_nodes": mask_variants,
                "reverse": scalar_variants("flag", False),
            },
        ),
        "max_flow": (
            lambda graph, sources, sinks, **kw: rc.max_flow(graph, sources, sinks, **kw),
            {
                "graph": graph,
                "sources": np.array([0, 1]),
                "sinks": np.array([4]),
                "capacity": el.capacity.astype(np.float64),
                "method": "boykov_kolmogorov",
            },
            {
                "graph": graph_variants(graph),
                "sources": [
                    *id_variants(np.array([0, 1]), n, scalar_ok=True, length_matters=False),
                    Variant("overlap", [0, 4], False),
                    Variant("empty", [], False),
                ],
                "sinks": [
                    *id_variants(np.array([4]), n, scalar_ok=True, length_matters=False),
                    Variant("overlap", [1], False),
                    Variant("empty", [], False),
                ],
                "capacity": [
                    v
                    for v in value_variants(el.capacity.astype(np.float64), kind="capacity")
                    if v.label != "None"
                ]
                + [Variant("None", None, True, el.capacity)],
                "method": flow_methods,
            },
        ),
        "min_cut": (
            lambda graph, sources, sinks, **kw: rc.min_cut(graph, sources, sinks, **kw),
            {"graph": graph, "sources": 0, "sinks": 4, "method": "push_relabel"},
            {
                "graph": graph_variants(graph),
                "sources": [v for v in node_variants(0, n) if v.label != "[0]"]
                + [Variant("overlap", 4, False)],
                "sinks": [v for v in node_variants(4, n) if v.label != "[4]"]
                + [Variant("overlap", 0, False)],
                "method": flow_methods,
            },
        ),
        "max_flow_under_failures": (
            lambda graph, sources, sinks, failed, **kw: max_flow_under_failures(
                graph, sources, sinks, failed, **kw
            ),
            {
                "graph": graph,
                "sources": np.array([0, 1]),
                "sinks": 4,
                "failed": [[0], [], [1, 4]],
                "capacity": None,
                "method": "dinic",
                "threads": 2,
            },
            {
                "graph": graph_variants(graph),
                "sources": [
                    *id_variants(np.array([0, 1]), n, scalar_ok=True, length_matters=False),
                    Variant("overlap", [0, 4], False),
                    Variant("empty", [], False),
                ],
                "failed": failure_variants([[0], [], [1, 4]], graph.num_edges),
                "capacity": [
                    v
                    for v in value_variants(el.capacity.astype(np.float64), kind="capacity")
                    if v.label != "None"
                ]
                + [Variant("None", None, True, None)],
                "method": flow_methods,
                "threads": [
                    Variant(v.label, v.value, v.valid, 2) for v in scalar_variants("threads", 2)
                ],
            },
        ),
        "lengths_under_failures": (
            lambda graph, sources, targets, failed, **kw: lengths_under_failures(
                graph, sources, targets, failed, **kw
            ),
            {
                "graph": graph,
                "sources": np.array([0, 2]),
                "targets": np.array([4, 5, 1]),
                "failed": [[0], [], [1, 4]],
                "weight": None,
                "forbidden_nodes": np.array([3]),
                "threads": 1,
            },
            {
                "graph": graph_variants(graph),
                "sources": id_variants(np.array([0, 2]), n, scalar_ok=True, length_matters=False),
                "targets": id_variants(
                    np.array([4, 5, 1]), n, scalar_ok=True, length_matters=False
                ),
                "failed": failure_variants([[0], [], [1, 4]], graph.num_edges),
                "weight": value_variants(el.weight, kind="weight", none_ok=True),
                "forbidden_nodes": [
                    *id_variants(
                        np.array([3]), n, scalar_ok=True, length_matters=False, none_ok=True
                    ),
                    Variant("a source", [2], False),
                ],
                "threads": [
                    Variant(v.label, v.value, v.valid, 1) for v in scalar_variants("threads", 1)
                ],
            },
        ),
        "ShortestPathTree.edge_load": (
            lambda nodes, demand: tree.edge_load(nodes, demand),
            {"nodes": np.array([1, 4, 5]), "demand": np.array([1.0, 0.0, 2.0])},
            {
                "nodes": id_variants(np.array([1, 4, 5]), n, scalar_ok=False, length_matters=True),
                "demand": [
                    v
                    for v in value_variants(np.array([1.0, 0.0, 2.0]), kind="weight")
                    if v.label not in ("None", "uint64 2**64-1")
                ]
                + [Variant("None", None, True, np.ones(3))],
            },
        ),
        "ShortestPathTree.paths": (
            lambda nodes: tree.paths(nodes),
            {"nodes": np.array([1, 4, 5])},
            {"nodes": id_variants(np.array([1, 4, 5]), n, scalar_ok=True, length_matters=False)},
        ),
        "ShortestPathTree.path": (
            lambda node: tree.path(node),
            {"node": 4},
            {"node": node_variants(4, n)},
        ),
        "Graph.from_scipy": (
            lambda matrix, **kw: rc.Graph.from_scipy(matrix, **kw),
            {"matrix": np.eye(3) * 2.0, "values": "capacity", "directed": False},
            {
                "values": [Variant("weight", "weight", True, "weight")]
                + [Variant(f"{v!r}", v, False) for v in ("Weight", None, 1, ["weight"])],
                "directed": scalar_variants("flag", False),
            },
        ),
    }


def test_the_table_covers_every_argument() -> None:
    table = call_table()
    assert {f: tuple(variants) for f, (_, _, variants) in table.items()} == ARGUMENTS


@pytest.mark.parametrize(
    ("func", "argument"), [(f, a) for f, arguments in ARGUMENTS.items() for a in arguments]
)
def test_every_variant_of_every_argument(func: str, argument: str) -> None:
    call, base, variants = call_table()[func]
    checked = 0
    for variant in variants[argument]:
        args = dict(base, **{argument: variant.value})
        got = outcome(lambda args=args: call(**args), variant, argument)  # type: ignore[misc]
        if not variant.valid:
            continue
        canon = dict(base, **{argument: variant.canonical})
        expected = call(**canon)
        if argument == "sources" and func == "shortest_path_lengths" and is_scalar(variant.value):
            expected = expected[0]
        assert same_result(got, expected), (variant.label, got, expected)
        checked += 1
    assert checked >= 1
