"""Robustness: malformed input thrown at every public function and constructor.

Each test draws a small valid problem, then replaces ONE argument by a variant of it: an
equivalent form (list, tuple, other integer width, big-endian, strided or negative-stride view,
read-only, 0-d where a scalar is allowed) or a broken one (wrong dtype, shape or length, ragged,
an id out of range up to 2**64, NaN / inf / negative values, text, None, bools). Every call must
end in exactly one of two ways:

* a valid variant gives the result an independent oracle (scipy / networkx / plain Python)
  computes from the canonical input (contiguous int64 ids, float64 weights);
* a broken variant raises :class:`routecore.GraphError` whose message names the argument.

Anything else (another exception type, a crash, a hang, a result that differs) fails, and no
input array may be modified or have its flags changed. The ``chaos`` tests add arbitrary numpy
arrays (any dtype, shape, stride) and check them against a reference statement of what the
documentation accepts.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import routecore as rc
from routecore.sweep import lengths_under_failures, max_flow_under_failures

from .oracles import haversine_km, same_result, scipy_lengths
from .strategies import EdgeList, edge_lists

BAD_IDS = (-1, -(2**31), 2**31 - 1, 2**31, 2**32, 2**63 - 1, -(2**63))
"""Out-of-range ids for graphs with fewer than 2**31 - 1 nodes (all of these graphs)."""


# ------------------------------------------------------------------------------- variants
@dataclass(frozen=True)
class Variant:
    """One form of an argument: ``value`` is passed; if ``valid`` the call must behave as with
    ``canonical``, otherwise it must raise GraphError naming the argument."""

    label: str
    value: Any
    valid: bool
    canonical: Any = None


def _strided(a: np.ndarray) -> np.ndarray:
    """A non-contiguous view with the same values (every other element of a doubled array)."""
    return np.repeat(a, 2)[::2]


def _negative_stride(a: np.ndarray) -> np.ndarray:
    return a[::-1].copy()[::-1]


def _read_only(a: np.ndarray) -> np.ndarray:
    b = a.copy()
    b.flags.writeable = False
    return b


def _column_view(a: np.ndarray) -> np.ndarray:
    """Column 0 of a Fortran-ordered 2-D array: non-contiguous, owned by the 2-D base."""
    return np.asfortranarray(np.stack([a, a], axis=1))[:, 0]


def _same_values(a: np.ndarray) -> list[tuple[str, Any]]:
    """Equivalent containers of the values of ``a``."""
    return [
        ("array", a),
        ("list", a.tolist()),
        ("tuple", tuple(a.tolist())),
        ("strided", _strided(a)),
        ("negative-stride", _negative_stride(a)),
        ("read-only", _read_only(a)),
        ("fortran-column", _column_view(a)),
        ("byte-swapped", a.astype(a.dtype.newbyteorder())),
    ]


def id_variants(
    base: np.ndarray,
    num_nodes: int,
    *,
    scalar_ok: bool,
    length_matters: bool,
    none_ok: bool = False,
) -> list[Variant]:
    """Forms of a 1-D int64 array of valid node ids. ``none_ok``: None is valid and means
    "no ids" (canonical None)."""
    out = [Variant(label, v, True, base) for label, v in _same_values(base)]
    for dt in (np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.uint64):
        info = np.iinfo(dt)
        if base.size == 0 or (base.min() >= info.min and base.max() <= info.max):
            out.append(Variant(f"dtype {np.dtype(dt)}", base.astype(dt), True, base))
    if base.size == 0:
        out.append(Variant("empty list", [], True, base))
        out.append(Variant("empty float", np.zeros(0), True, base))
        out.append(Variant("empty text", np.zeros(0, dtype=str), True, base))
    else:
        for label, value in (
            ("float", base.astype(np.float64)),
            ("complex", base.astype(np.complex128)),
            ("bool", base.astype(bool)),
            ("text", base.astype(str)),
            ("bytes", base.astype(bytes)),
            ("timedelta", base.astype("m8[s]")),
            ("datetime", base.astype("M8[s]")),
            ("object with None", [*base.tolist()[:-1], None]),
            ("ragged", [base.tolist(), [0]]),
            ("row", base.reshape(1, -1)),
            ("column", base.reshape(-1, 1)),
        ):
            out.append(Variant(label, value, False))
        for i, bad in enumerate(BAD_IDS):
            ids = base.copy()
            ids[i % base.size] = bad
            out.append(Variant(f"id {bad}", ids, False))
        for bad_u in (np.uint64(2**63), np.uint64(2**64 - 1)):
            ids_u = base.astype(np.uint64)
            ids_u[-1] = bad_u
            out.append(Variant(f"uint64 id {bad_u}", ids_u, False))
        out.append(Variant("python id 2**64", [*base.tolist()[:-1], 2**64], False))
        out.append(Variant("id num_nodes", [*base.tolist()[:-1], num_nodes], False))
        zero_d = np.asarray(base[0])
        out.append(Variant("0-d array", zero_d, scalar_ok, base[:1] if scalar_ok else None))
        out.append(Variant("numpy scalar", base.astype(np.int16)[0], scalar_ok, base[:1]))
        if length_matters:
            out.append(Variant("one short", base[:-1], False))
    if length_matters:
        out.append(Variant("one long", np.append(base, 0), False))
    if not scalar_ok:
        out.append(Variant("python int", 0, False))
    out.append(Variant("None", None, none_ok, None))
    out.append(Variant("text", "0", False))
    return out


def value_variants(
    base: np.ndarray, *, kind: str, none_ok: bool = False, huge_ok: bool = False
) -> list[Variant]:
    """Forms of a per-edge float64 array of small integers (weights or capacities).
    ``none_ok``: None is valid (canonical None); ``huge_ok``: add the valid int64 maximum."""
    exact_int = kind == "capacity"
    canon_int = base.astype(np.int64)
    out = [Variant(label, v, True, base) for label, v in _same_values(base)]
    for dt in (np.int8, np.uint8, np.int32, np.int64, np.uint64):
        out.append(Variant(f"dtype {np.dtype(dt)}", base.astype(dt), True, canon_int))
    out.append(Variant("float32", base.astype(np.float32), True, base))
    out.append(Variant("float16", base.astype(np.float16), True, base))
    out.append(Variant("longdouble", base.astype(np.longdouble), True, base))
    if base.size and base.max() <= 1:
        out.append(Variant("bool", base.astype(bool), True, canon_int))
    out.append(Variant("None", None, none_ok, None))
    for label, value in (
        ("row", base.reshape(1, -1)),
        ("column", base.reshape(-1, 1)),
        ("one long", np.append(base, 1.0)),
        ("text", "1"),
        ("scalar", 1.0),
    ):
        out.append(Variant(label, value, False))
    if base.size:
        for label, value in (
            ("complex", base.astype(np.complex128)),
            ("text array", base.astype(str)),
            ("timedelta", base.astype(np.int64).astype("m8[s]")),
            ("object with None", [*base.tolist()[:-1], None]),
            ("ragged", [base.tolist(), [1.0]]),
            ("one short", base[:-1]),
            ("python int 2**64", [*canon_int.tolist()[:-1], 2**64]),
        ):
            out.append(Variant(label, value, False))
        for bad in (np.nan, np.inf, -np.inf, -1.0, -5e-324):
            v = base.copy()
            v[-1] = bad
            out.append(Variant(f"value {bad}", v, False))
        for label, big in (("longdouble 1e4000", np.longdouble("1e4000")),):
            v = base.astype(np.longdouble)
            v[0] = big
            out.append(Variant(label, v, False))
        neg = canon_int.copy()
        neg[0] = -(2**63)
        out.append(Variant("int -2**63", neg, False))
        huge = canon_int.astype(np.uint64)
        huge[0] = np.uint64(2**64 - 1)
        out.append(Variant("uint64 2**64-1", huge, False))
    if base.size and huge_ok:
        # Huge but representable values are valid input: exact int64 for capacities, float64
        # for weights.
        big_int = canon_int.copy()
        big_int[0] = 2**63 - 1
        out.append(
            Variant(
                "int64 max",
                big_int,
                True,
                big_int if exact_int else big_int.astype(np.float64),
            )
        )
    return out


def scalar_variants(kind: str, good: Any) -> list[Variant]:
    """Forms of a scalar argument; ``good`` is the valid value the problem uses."""
    if kind == "length":  # max_length
        out = [
            Variant("same", good, True, good),
            Variant("numpy float", np.float64(good), True, good),
            Variant("0-d array", np.array(good), True, good),
        ]
        if math.isfinite(good) and good == int(good):
            out.append(Variant("int", int(good), True, good))
            out.append(Variant("numpy int", np.int64(int(good)), True, good))
        out += [
            Variant("inf", math.inf, True, math.inf),
            Variant("10**30", 10**30, True, 1e30),
        ]
        out += [
            Variant(label, v, False)
            for label, v in (
                ("nan", math.nan),
                ("negative", -1.0),
                ("-inf", -math.inf),
                ("text", "1.5"),
                ("None", None),
                ("bool", True),
                ("list", [1.0]),
                ("complex", 1j),
                ("10**400", 10**400),
            )
        ]
        return out
    if kind == "threads":
        out = [Variant(f"{v!r}", v, True) for v in (None, 1, 2, 3, np.int32(2), 10**6, 2**40)]
        out += [Variant(f"{v!r}", v, False) for v in (0, -1, 2.0, "2", True, [2])]
        return out
    if kind == "flag":
        out = [Variant(f"{v!r}", v, True, bool(v)) for v in (good, np.bool_(good))]
        out += [Variant(f"{v!r}", v, False) for v in (1, 0, "no", "yes", None, np.array([1, 1]))]
        return out
    raise AssertionError(kind)


def node_variants(node: int, num_nodes: int) -> list[Variant]:
    """Forms of one node id (source, target)."""
    out = [
        Variant(f"{t.__name__}", t(node), True, node)
        for t in (int, np.int8, np.uint8, np.int32, np.uint64)
    ]
    out.append(Variant("0-d array", np.array(node), True, node))
    out += [
        Variant(f"{v!r}", v, False)
        for v in (
            -1,
            num_nodes,
            2**31,
            2**63,
            2**64,
            -(2**63),
            float(node),
            str(node),
            None,
            True,
            1j,
            [node],
        )
    ]
    return out


def graph_variants(g: rc.Graph) -> list[Variant]:
    out = [Variant("graph", g, True, g)]
    out += [Variant(f"{type(v).__name__}", v, False) for v in (None, [[0, 1]], nx.Graph(), 3)]
    return out


def failure_variants(cases: list[list[int]], num_edges: int) -> list[Variant]:
    """Forms of the ``failed`` argument of the sweeps: one list of failed edge ids per case."""
    width = max((len(c) for c in cases), default=0)
    padded = np.full((len(cases), width), -1, dtype=np.int64)
    for i, c in enumerate(cases):
        padded[i, : len(c)] = c
    out = [
        Variant("lists", cases, True, cases),
        Variant("tuples", tuple(tuple(c) for c in cases), True, cases),
        Variant("arrays", [np.array(c, dtype=np.uint16) for c in cases], True, cases),
        Variant("padded 2-D", padded, True, cases),
        Variant("padded int8", padded.astype(np.int8), True, cases),
        Variant("padded strided", np.repeat(padded, 2, axis=0)[::2], True, cases),
        Variant("padded read-only", _read_only(padded), True, cases),
        Variant("padded fortran", np.asfortranarray(padded), True, cases),
        Variant("no cases", [], True, []),
    ]
    # An empty 2-D array (no case has a failed edge) is valid whatever its dtype.
    out += [
        Variant(label, padded.astype(dtype), padded.size == 0, cases)
        for label, dtype in (
            ("float 2-D", np.float64),
            ("bool 2-D", bool),
            ("timedelta 2-D", "m8[s]"),
            ("text 2-D", str),
        )
    ]
    bad: list[tuple[str, Any]] = [
        ("None", None),
        ("int", 3),
        ("3-D", padded[None]),
        ("ragged case", [[0, [1]]]),
        ("float case", [[0.5]]),
        ("timedelta case", [np.array([0], dtype="m8[s]")]),
        ("negative id", [[-1]]),
        ("id num_edges", [[num_edges]]),
        ("id 2**31", [[2**31]]),
        ("id 2**64", [[2**64]]),
        ("uint64 2**63", np.array([[2**63]], dtype=np.uint64)),
        ("text", "ab"),
    ]
    if (padded < 0).any():
        bad.append(("-2 padding", np.where(padded < 0, -2, padded)))
    return out + [Variant(label, value, False) for label, value in bad]


# -------------------------------------------------------------------------------- checking
def _snapshot(values: Sequence[Any]) -> list[tuple[np.ndarray, np.ndarray, bool] | None]:
    return [
        (v, v.copy(), bool(v.flags.writeable)) if isinstance(v, np.ndarray) else None
        for v in values
    ]


def _check_unchanged(
    snap: list[tuple[np.ndarray, np.ndarray, bool] | None], *, flags: bool = True
) -> None:
    for item in snap:
        if item is None:
            continue
        arr, copy, writeable = item
        assert arr.dtype == copy.dtype and arr.shape == copy.shape
        assert arr.tobytes() == copy.tobytes(), "input was modified"  # bitwise: NaN, NaT too
        if flags:
            assert bool(arr.flags.writeable) == writeable, "input's writeable flag changed"


def _is_scalar(value: Any) -> bool:
    """An int, numpy scalar or 0-d array (np.ndim would choke on ragged lists)."""
    return isinstance(value, int) or (
        isinstance(value, np.ndarray | np.generic) and value.ndim == 0
    )


def _names(name: str) -> tuple[str, ...]:
    """Words that name an argument in a message ('sources' may read 'source')."""
    return (name, name.rstrip("s"))


OPTIONS = frozenset({"directed", "method", "reverse", "threads", "values"})
"""Arguments that are options, not graph or query data: a bad value is a plain ValueError or
TypeError naming the option, not a GraphError."""


def outcome(call: Callable[[], Any], variant: Variant, name: str, *inputs: Any) -> Any:
    """Run ``call``; a valid variant must succeed (its result is returned), an invalid one must
    raise GraphError naming ``name`` (ValueError / TypeError for an option). The inputs must
    come back unchanged either way."""
    snap = _snapshot([variant.value, *inputs])
    try:
        if variant.valid:
            return call()
        expected = (ValueError, TypeError) if name in OPTIONS else rc.GraphError
        with pytest.raises(expected) as info:
            call()
        assert (name in OPTIONS) != isinstance(info.value, rc.GraphError), (name, info.value)
        message = str(info.value)
        assert any(word in message for word in _names(name)), (name, message)
        return None
    finally:
        _check_unchanged(snap)


# --------------------------------------------------------------------------------- oracles
def _lengths(
    el: EdgeList,
    weight: np.ndarray | None,
    sources: np.ndarray,
    removed: np.ndarray | None = None,
    *,
    reverse: bool = False,
    closed: np.ndarray | None = None,
) -> np.ndarray:
    """scipy distances; ``removed``: node mask, ``closed``: edge mask of deleted edges."""
    w = np.ones(len(el.src)) if weight is None else np.asarray(weight, dtype=np.float64)
    src, dst = (el.dst, el.src) if reverse else (el.src, el.dst)
    if closed is not None:
        src, dst, w = src[~closed], dst[~closed], w[~closed]
    if len(sources) == 0:
        return np.zeros((0, el.num_nodes))
    return scipy_lengths(el.num_nodes, src, dst, w, el.directed, sources, removed)


def edge_set_variants(base: np.ndarray, num_edges: int) -> list[Variant]:
    """Forms of ``forbidden_edges``: edge ids (any valid id form) or a boolean mask."""
    out = id_variants(base, num_edges, scalar_ok=True, length_matters=False, none_ok=True)
    mask = np.zeros(num_edges, dtype=bool)
    mask[base] = True
    out += [Variant(f"mask {lb}", v, True, mask) for lb, v in _same_values(mask)[:4]]
    out += [
        Variant("short mask", mask[:-1], False),
        Variant("2-D mask", mask.reshape(1, -1), False),
        Variant("0-d mask", np.bool_(True), False),
    ]
    return [
        Variant(v.label.replace("num_nodes", "num_edges"), v.value, v.valid, v.canonical)
        for v in out
    ]


def _mask(forbidden: Any, n: int) -> np.ndarray | None:
    if forbidden is None:
        return None
    arr = np.asarray(forbidden)
    if arr.dtype == bool:
        return arr.copy()
    mask = np.zeros(n, dtype=bool)
    mask[arr.reshape(-1).astype(np.int64)] = True
    return mask


def _check_path(
    el: EdgeList, weight: np.ndarray | None, s: int, t: int, p: rc.Path, removed: Any
) -> None:
    """A path from s to t along real edges, avoiding removed nodes, its length the sum of its
    edges' weights."""
    assert p.nodes[0] == s and p.nodes[-1] == t
    assert len(p.edges) == len(p.nodes) - 1
    w = np.ones(len(el.src)) if weight is None else weight
    for i, e in enumerate(p.edges.tolist()):
        u, v = int(p.nodes[i]), int(p.nodes[i + 1])
        ends = (int(el.src[e]), int(el.dst[e]))
        assert ends == (u, v) or (not el.directed and ends == (v, u))
    if removed is not None:
        assert not removed[p.nodes].any()
    assert p.length == sum(float(w[e]) for e in p.edges.tolist())


def _flow_value(el: EdgeList, cap: np.ndarray, sources: np.ndarray, sinks: np.ndarray) -> Any:
    """networkx max-flow value: parallel edges summed, undirected as both ways, super
    terminals joined by uncapacitated edges."""
    g = nx.DiGraph()
    g.add_nodes_from(range(el.num_nodes))

    def add(u: int, v: int, c: Any) -> None:
        if g.has_edge(u, v):
            g[u][v]["capacity"] += c
        else:
            g.add_edge(u, v, capacity=c)

    for u, v, c in zip(el.src.tolist(), el.dst.tolist(), cap.tolist(), strict=True):
        if u != v:
            add(u, v, c)
            if not el.directed:
                add(v, u, c)
    for s in sources.tolist():
        g.add_edge("S", s)
    for t in sinks.tolist():
        g.add_edge(t, "T")
    return nx.maximum_flow_value(g, "S", "T")


def _check_cut(
    el: EdgeList, cap: np.ndarray, side: np.ndarray, cut: np.ndarray, value: Any, sources: Any
) -> None:
    s_side, d_side = side[el.src], side[el.dst]
    crossing = (s_side & ~d_side) if el.directed else (s_side != d_side)
    assert np.array_equal(cut, np.flatnonzero(crossing))
    assert cap[cut].sum() == value
    assert side[np.asarray(sources)].all()


# ------------------------------------------------------------------------------- problems
@st.composite
def problems(draw: st.DrawFn, *, min_nodes: int = 1, max_nodes: int = 12) -> EdgeList:
    """Small graphs with integer-valued weights (so every sum is exact and results can be
    compared bit for bit) and small integer capacities."""
    el = draw(edge_lists(max_nodes=max_nodes, max_edges=30, integer_weights=True))
    if el.num_nodes < min_nodes:
        el = EdgeList(min_nodes, el.src, el.dst, el.weight, el.capacity, el.directed)
    return el


def _graph(el: EdgeList, *, weighted: bool = True, capacity: bool = True) -> rc.Graph:
    return rc.Graph(
        el.num_nodes,
        el.src,
        el.dst,
        weight=el.weight if weighted else None,
        capacity=el.capacity if capacity else None,
        directed=el.directed,
    )


def _ids(draw: st.DrawFn, n: int, *, min_size: int = 0, max_size: int = 4) -> np.ndarray:
    return np.array(
        draw(st.lists(st.integers(0, n - 1), min_size=min_size, max_size=max_size)),
        dtype=np.int64,
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


# ------------------------------------------------------------------ shortest_path_lengths
@given(el=problems(), data=st.data())
def test_shortest_path_lengths(el: EdgeList, data: st.DataObject) -> None:
    n = el.num_nodes
    weighted = data.draw(st.booleans(), label="graph weighted")
    g = _graph(el, weighted=weighted)
    sources = _ids(data.draw, n)
    free = np.setdiff1d(np.arange(n), sources)
    forbidden = None
    if free.size and data.draw(st.booleans(), label="forbid"):
        forbidden = np.array(data.draw(st.lists(st.sampled_from(free.tolist()), max_size=3)))
        if forbidden.size == 0:
            forbidden = np.zeros(0, dtype=np.int64)
        elif data.draw(st.booleans(), label="as mask"):
            forbidden = _mask(forbidden, n)
    weight = el.weight if data.draw(st.booleans(), label="weight arg") else None
    max_length = data.draw(st.sampled_from([math.inf, 0.0, 1.0, 2.5, 7.0]), label="max_length")
    closed = _ids(data.draw, len(el.src)) if len(el.src) else np.zeros(0, dtype=np.int64)
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
            variants = [Variant(lb, v, True, mask) for lb, v in _same_values(mask)]
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
    removed = _mask(canon["forbidden_nodes"], n)
    if removed is not None and removed[src_canon].any():
        pytest.fail("a forbidden source was accepted")
    expected = _lengths(
        el, w, src_canon, removed, closed=_mask(canon["forbidden_edges"], len(el.src))
    )
    expected[expected > canon["max_length"]] = np.inf
    scalar = name == "sources" and _is_scalar(variant.value)
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
    g = _graph(el)
    s = data.draw(st.integers(0, n - 1), label="source")
    t = data.draw(st.integers(0, n - 1), label="target")
    method = data.draw(st.sampled_from(["auto", "dijkstra", "bidirectional", "astar"]))
    coords, cost = _coordinates(data.draw, el)
    use_geo = method == "astar" or data.draw(st.booleans(), label="coordinates")
    free = np.setdiff1d(np.arange(n), [s, t])
    forbidden = _ids(data.draw, n) if free.size else np.zeros(0, dtype=np.int64)
    forbidden = np.intersect1d(forbidden, free)
    args: dict[str, Any] = {
        "graph": g,
        "source": s,
        "target": t,
        "weight": el.weight if data.draw(st.booleans(), label="weight arg") else None,
        "forbidden_nodes": forbidden,
        "forbidden_edges": _ids(data.draw, len(el.src)) if len(el.src) else None,
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
        variants += [Variant("astar", "astar", use_geo, "astar")]
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
            Variant("read-only", _read_only(coords), True, coords),
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
    removed = _mask(canon["forbidden_nodes"], n)
    closed = _mask(canon["forbidden_edges"], len(el.src))
    expected = _lengths(el, el.weight, np.array([s_c]), removed, closed=closed)[0, t_c]
    if path is None:
        assert expected == np.inf
    else:
        assert closed is None or not closed[path.edges].any()
        _check_path(el, el.weight, s_c, t_c, path, removed)
        assert path.length == expected


# ----------------------------------------------------- nearest_source, shortest_path_tree
@given(el=problems(), data=st.data())
def test_nearest_source_and_tree(el: EdgeList, data: st.DataObject) -> None:
    n = el.num_nodes
    weighted = data.draw(st.booleans(), label="graph weighted")
    g = _graph(el, weighted=weighted)
    sources = _ids(data.draw, n)
    free = np.setdiff1d(np.arange(n), sources)
    forbidden = np.intersect1d(_ids(data.draw, n), free)
    reverse = data.draw(st.booleans(), label="reverse")
    args: dict[str, Any] = {
        "graph": g,
        "sources": sources,
        "weight": el.weight if data.draw(st.booleans(), label="weight arg") else None,
        "forbidden_nodes": forbidden,
        "forbidden_edges": _ids(data.draw, len(el.src)) if len(el.src) else None,
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
    removed = _mask(canon["forbidden_nodes"], n)
    closed = _mask(canon["forbidden_edges"], len(el.src))
    per_source = _lengths(el, w, src_c, removed, reverse=canon["reverse"], closed=closed)
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


# -------------------------------------------------------------------- max_flow, min_cut
@given(el=problems(min_nodes=2), data=st.data())
def test_max_flow_and_min_cut(el: EdgeList, data: st.DataObject) -> None:
    n = el.num_nodes
    order = data.draw(st.permutations(range(n)), label="order")
    k = data.draw(st.integers(1, n - 1), label="split")
    sources = np.array(order[: data.draw(st.integers(1, k))], dtype=np.int64)
    sinks = np.array(order[k : k + data.draw(st.integers(1, n - k))], dtype=np.int64)
    with_cap = data.draw(st.booleans(), label="graph capacities")
    g = _graph(el, capacity=with_cap)
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
    expected = _flow_value(el, cap_exact.astype(np.int64).astype(object), src_c, dst_c)
    assert result.value == expected
    assert isinstance(result.value, int) == (cap.dtype.kind in "iub")
    _check_cut(el, cap_exact, result.source_side, result.cut_edges, expected, src_c)
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


# ------------------------------------------------------------- ShortestPathTree methods
@given(el=problems(), data=st.data())
def test_tree_methods(el: EdgeList, data: st.DataObject) -> None:
    n = el.num_nodes
    g = _graph(el)
    tree = rc.shortest_path_tree(g, _ids(data.draw, n, min_size=1))
    nodes = _ids(data.draw, n)
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
                _check_path(el, el.weight, int(tree.root[v]), v, path, None)
        return
    call_nodes = variant.value if which == "nodes" else nodes
    call_demand = variant.value if which == "demand" else demand
    if which == "nodes" and _is_scalar(call_nodes):
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


# ------------------------------------------------------------------ Graph.from_scipy/nx
@given(el=problems(), data=st.data())
def test_from_scipy(el: EdgeList, data: st.DataObject) -> None:
    n = el.num_nodes
    dense = np.zeros((n, n))
    dense[el.src, el.dst] = el.weight + 1  # non-zero entries only; last of parallel edges
    values = data.draw(st.sampled_from(["weight", "capacity"]), label="values")
    variants = [
        Variant("dense", dense, True, dense),
        Variant("read-only", _read_only(dense), True, dense),
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


# ------------------------------------------------------------------------- huge weights
_FLOAT_MAX = Fraction(float(np.finfo(np.float64).max))


def _exact_sum(values: np.ndarray) -> Fraction:
    return sum((Fraction(x) for x in values.tolist()), Fraction(0))


@given(
    el=problems(min_nodes=2),
    scale=st.sampled_from([1e300, 1e305, 8e306]),  # weights are at most 20
    data=st.data(),
)
def test_huge_weights_agree_or_are_refused(el: EdgeList, scale: float, data: st.DataObject) -> None:
    """Weights near the float64 maximum: a total that overflows is refused (naming weight);
    otherwise no length overflows, and every method reports the same lengths, reachability
    and nearest sources (an overflowed length used to read as inf in one method and as a path
    of length inf in another)."""
    w = el.weight * scale
    total = _exact_sum(w)
    build = lambda: rc.Graph(el.num_nodes, el.src, el.dst, weight=w, directed=el.directed)  # noqa: E731
    if abs(total - _FLOAT_MAX) < _FLOAT_MAX / 10**9:  # too close to call: the sum rounds
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
        g = outcome(build, Variant("scaled", w, total < _FLOAT_MAX, w), "weight")
        if g is None:
            return
    n = el.num_nodes
    lengths = rc.shortest_path_lengths(g, np.arange(n))
    np.testing.assert_allclose(lengths, _lengths(el, w, np.arange(n)), rtol=1e-12)
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
_ANY_DTYPE = (
    hnp.scalar_dtypes()
    | hnp.byte_string_dtypes(max_len=3)
    | hnp.unicode_string_dtypes(max_len=3)
    | st.sampled_from([np.dtype(">i8"), np.dtype("<u2"), np.dtype(">f4"), np.dtype(np.longdouble)])
)


@st.composite
def chaos_arrays(draw: st.DrawFn, length: int) -> np.ndarray:
    """Any dtype, a shape near (length,), random values (extremes, NaN, inf included), and
    sometimes a non-contiguous or read-only view."""
    dtype = draw(_ANY_DTYPE)
    shape = draw(
        st.sampled_from([(length,), (length,), (length + 1,), (), (length, 1), (1, length)])
    )
    small = dtype.kind in "iu" and draw(st.booleans())
    elements = st.integers(0, 12) if small else None
    arr = draw(hnp.arrays(dtype, (2, *shape), elements=elements))[draw(st.integers(0, 1)), ...]
    if draw(st.booleans()) and arr.ndim:
        arr = np.repeat(arr, 2, axis=0)[::2]
    if draw(st.booleans()):
        arr.flags.writeable = False
    return arr


def _accepts_ids(arr: np.ndarray, n: int, length: int | None) -> bool:
    """The documented contract for id arrays: 1-D integers (not bool), each in [0, n)."""
    if arr.ndim != 1 or (length is not None and arr.shape[0] != length):
        return False
    if arr.size == 0:
        return True
    return arr.dtype.kind in "iu" and bool(((arr >= 0) & (arr < n)).all())


def _accepts_values(arr: np.ndarray, length: int, kind: str) -> bool:
    """Per-edge weights/capacities: 1-D of the right length, bool/int/float, finite, >= 0,
    integers within int64; weights also with a total below the float64 maximum."""
    if arr.shape != (length,):
        return False
    if arr.dtype.kind in "biu":
        return bool((arr.astype(object) >= 0).all() and (arr.astype(object) < 2**63).all())
    if arr.dtype.kind == "f":
        with np.errstate(over="ignore"):
            as_f64 = arr.astype(np.float64)
        ok = bool(np.isfinite(as_f64).all() and (as_f64 >= 0).all())
        return ok and (kind == "capacity" or _exact_sum(as_f64) < 0.999 * _FLOAT_MAX)
    return False


@given(el=problems(), data=st.data())
def test_chaos_graph_arrays(el: EdgeList, data: st.DataObject) -> None:
    m = len(el.src)
    name = data.draw(st.sampled_from(["src", "dst", "weight", "capacity"]), label="argument")
    arr = data.draw(chaos_arrays(m), label=name)
    args: dict[str, Any] = {"src": el.src, "dst": el.dst, "weight": None, "capacity": None}
    args[name] = arr
    ok = (
        _accepts_ids(arr, el.num_nodes, m)
        if name in ("src", "dst")
        else _accepts_values(arr, m, name)
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
    g = _graph(el)
    name = data.draw(st.sampled_from(["sources", "forbidden_nodes", "weight"]), label="argument")
    arr = data.draw(chaos_arrays(m if name == "weight" else n), label=name)
    sources: Any = np.arange(n)
    removed = None
    if name == "weight":
        ok = _accepts_values(arr, m, "weight")
    elif name == "sources":
        ok = arr.ndim == 0 and arr.dtype.kind in "iu" and 0 <= int(arr) < n
        ok = ok or _accepts_ids(arr, n, None)
        sources = arr
    else:
        flat = arr.reshape(-1) if arr.ndim == 0 else arr
        ok = arr.shape == (n,) if arr.dtype.kind == "b" else _accepts_ids(flat, n, None)
        if ok:  # query from the nodes that are not forbidden (a forbidden source is an error)
            removed = _mask(arr, n)
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
    expected = _lengths(el, w, src_ids, removed)
    if name == "sources" and arr.ndim == 0:
        expected = expected[0]
    # Arbitrary float weights: the two libraries may add the same path in another order.
    np.testing.assert_allclose(out, expected, rtol=1e-9, atol=0)


@given(el=problems(min_nodes=2), data=st.data())
def test_chaos_capacity(el: EdgeList, data: st.DataObject) -> None:
    m = len(el.src)
    arr = data.draw(chaos_arrays(m), label="capacity")
    ok = _accepts_values(arr, m, "capacity")
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
    expected = _flow_value(el, cap.astype(object), np.array([0]), np.array([el.num_nodes - 1]))
    if is_float:
        assert math.isclose(r.value, expected, rel_tol=0, abs_tol=1e-9 * max(total, 1e-300))
    else:
        assert r.value == expected


# --------------------------------------------------- every variant of every argument, once
# The hypothesis tests above sample one variant per example; this table runs every variant of
# every argument of every public call on one fixed graph, so no variant depends on luck. Valid
# variants must give exactly the result of the canonical call (whose correctness the oracle
# tests above establish); invalid ones a GraphError naming the argument.
_FIXED = EdgeList(
    num_nodes=6,
    src=np.array([0, 1, 2, 3, 0, 4, 5, 2], dtype=np.int64),
    dst=np.array([1, 2, 3, 4, 4, 4, 5, 0], dtype=np.int64),
    weight=np.array([1.0, 2.0, 0.0, 3.0, 9.0, 1.0, 4.0, 1.0]),
    capacity=np.array([3, 1, 4, 1, 5, 9, 2, 6], dtype=np.int64),
    directed=True,
)
_G = _graph(_FIXED)
_LAT_LON = np.array([[0.0, 0.0, 0.1, 0.2, 0.2, -0.1], [0.0, 0.1, 0.1, 0.0, 0.3, 0.0]])
_COST = 0.0  # a valid (zero) lower bound; A* then equals Dijkstra


def _call_table() -> dict[str, tuple[Callable[..., Any], dict[str, Any], dict[str, list[Variant]]]]:
    n, el = _FIXED.num_nodes, _FIXED
    ids = np.array([0, 2], dtype=np.int64)
    tree = rc.shortest_path_tree(_G, ids)
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
        Variant("read-only", _read_only(_LAT_LON), True, _LAT_LON),
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
    mask_variants = [Variant(lb, v, True, mask) for lb, v in _same_values(mask)] + [
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
                "graph": _G,
                "sources": ids,
                "weight": el.weight,
                "forbidden_nodes": np.array([3, 5]),
                "max_length": 3.0,
                "threads": 2,
            },
            {
                "graph": graph_variants(_G),
                "sources": id_variants(ids, n, scalar_ok=True, length_matters=False),
                "weight": value_variants(el.weight, kind="weight", none_ok=True),
                "forbidden_nodes": forbidden,
                "max_length": scalar_variants("length", 3.0),
                "forbidden_edges": edge_set_variants(np.array([1, 4]), _G.num_edges),
                "threads": [
                    Variant(v.label, v.value, v.valid, 2) for v in scalar_variants("threads", 2)
                ],
            },
        ),
        "shortest_path_lengths mask": (
            lambda graph, sources, **kw: rc.shortest_path_lengths(graph, sources, **kw),
            {"graph": _G, "sources": ids, "forbidden_nodes": mask},
            {"forbidden_nodes": mask_variants},
        ),
        "shortest_path": (
            lambda graph, source, target, **kw: rc.shortest_path(graph, source, target, **kw),
            {
                "graph": _G,
                "source": 0,
                "target": 4,
                "weight": el.weight,
                "forbidden_nodes": np.array([3, 5]),
                "method": "astar",
                "coordinates": _LAT_LON,
                "min_cost_per_km": _COST,
            },
            {
                "graph": graph_variants(_G),
                "source": node_variants(0, n),
                "target": node_variants(4, n),
                "weight": value_variants(el.weight, kind="weight", none_ok=True),
                "forbidden_nodes": [*forbidden, Variant("the target", [4], False)],
                "forbidden_edges": edge_set_variants(np.array([0, 3]), _G.num_edges),
                "method": path_methods,
                "coordinates": coords,
                "min_cost_per_km": costs,
            },
        ),
        "nearest_source": (
            lambda graph, sources, **kw: rc.nearest_source(graph, sources, **kw),
            {
                "graph": _G,
                "sources": ids,
                "weight": el.weight,
                "forbidden_nodes": np.array([3, 5]),
                "reverse": True,
            },
            {
                "graph": graph_variants(_G),
                "sources": id_variants(ids, n, scalar_ok=True, length_matters=False),
                "weight": value_variants(el.weight, kind="weight", none_ok=True),
                "forbidden_nodes": forbidden,
                "reverse": scalar_variants("flag", True),
                "forbidden_edges": edge_set_variants(np.array([7]), _G.num_edges),
            },
        ),
        "shortest_path_tree": (
            lambda graph, sources, **kw: rc.shortest_path_tree(graph, sources, **kw),
            {"graph": _G, "sources": ids, "forbidden_nodes": mask, "reverse": False},
            {
                "graph": graph_variants(_G),
                "sources": id_variants(ids, n, scalar_ok=True, length_matters=False),
                "forbidden_nodes": mask_variants,
                "reverse": scalar_variants("flag", False),
            },
        ),
        "max_flow": (
            lambda graph, sources, sinks, **kw: rc.max_flow(graph, sources, sinks, **kw),
            {
                "graph": _G,
                "sources": np.array([0, 1]),
                "sinks": np.array([4]),
                "capacity": el.capacity.astype(np.float64),
                "method": "boykov_kolmogorov",
            },
            {
                "graph": graph_variants(_G),
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
            {"graph": _G, "sources": 0, "sinks": 4, "method": "push_relabel"},
            {
                "graph": graph_variants(_G),
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
                "graph": _G,
                "sources": np.array([0, 1]),
                "sinks": 4,
                "failed": [[0], [], [1, 4]],
                "capacity": None,
                "method": "dinic",
                "threads": 2,
            },
            {
                "graph": graph_variants(_G),
                "sources": [
                    *id_variants(np.array([0, 1]), n, scalar_ok=True, length_matters=False),
                    Variant("overlap", [0, 4], False),
                    Variant("empty", [], False),
                ],
                "failed": failure_variants([[0], [], [1, 4]], _G.num_edges),
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
                "graph": _G,
                "sources": np.array([0, 2]),
                "targets": np.array([4, 5, 1]),
                "failed": [[0], [], [1, 4]],
                "weight": None,
                "forbidden_nodes": np.array([3]),
                "threads": 1,
            },
            {
                "graph": graph_variants(_G),
                "sources": id_variants(np.array([0, 2]), n, scalar_ok=True, length_matters=False),
                "targets": id_variants(
                    np.array([4, 5, 1]), n, scalar_ok=True, length_matters=False
                ),
                "failed": failure_variants([[0], [], [1, 4]], _G.num_edges),
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


_TABLE = _call_table()


@pytest.mark.parametrize(
    ("func", "argument"),
    [(f, a) for f, (_, _, variants) in _TABLE.items() for a in variants],
)
def test_every_variant_of_every_argument(func: str, argument: str) -> None:
    call, base, variants = _TABLE[func]
    checked = 0
    for variant in variants[argument]:
        args = dict(base, **{argument: variant.value})
        got = outcome(lambda args=args: call(**args), variant, argument)  # type: ignore[misc]
        if not variant.valid:
            continue
        canon = dict(base, **{argument: variant.canonical})
        expected = call(**canon)
        if argument == "sources" and func == "shortest_path_lengths" and _is_scalar(variant.value):
            expected = expected[0]
        assert same_result(got, expected), (variant.label, got, expected)
        checked += 1
    assert checked >= 1


# ------------------------------------------------------------------- corrupted pickles
@given(el=problems(min_nodes=2), data=st.data())
def test_corrupted_pickle_state(el: EdgeList, data: st.DataObject) -> None:
    """Unpickling a corrupted Graph state (one array entry changed, an array cut short or of
    another dtype, flags flipped) ends in GraphError, or in a graph that obeys the CSR contract
    so every query runs (the sanitizer build checks that no C++ code reads out of bounds)."""
    g = _graph(el)
    func, state = g.__reduce__()
    state = list(state)
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
    snap = _snapshot(state)
    try:
        h = func(*state)
    except rc.GraphError as exc:
        h, message = None, str(exc)
    # The new graph adopts the unpickled arrays (and makes them read-only), but never edits them.
    _check_unchanged(snap, flags=False)
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


# ----------------------------------------------------------------------- sweep functions
@given(el=problems(min_nodes=2), data=st.data())
def test_sweeps_under_failures(el: EdgeList, data: st.DataObject) -> None:
    """max_flow_under_failures / lengths_under_failures with ``failed`` in any accepted form
    equal the oracles (networkx max-flow, scipy lengths) on the graph without each case's
    edges; a broken ``failed`` is a GraphError naming it."""
    n, m = el.num_nodes, len(el.src)
    g = _graph(el)
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
        assert flows[i] == _flow_value(el, cap, sources, sinks)
        expected = _lengths(el, el.weight, sources, closed=closed).min(axis=0)
        np.testing.assert_array_equal(lengths[i], expected)
