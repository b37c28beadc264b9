"""Hardening (issue 17): corrupted pickles, arrays that alias the core's state, interpreter exit
during a call, the weight-total bound, and input that numpy would silently reinterpret.

* A pickled Graph whose state breaks any CSR invariant is refused with a GraphError naming the
  invariant (and so is :func:`graph_from_csr`); a solver fed such a state anyway (planted with
  the private ``_set_state``) still honours Ctrl-C, even on a tiny graph that runs inline.
* No array reachable from a Graph or a result can be made writeable again (or it is a fresh
  copy that the graph does not read).
* A daemon thread inside a long call when the interpreter exits does not abort the process.
* Weights whose total is at most ``MAX_WEIGHT_TOTAL`` never give an overflowed (``inf``) length,
  in any method; larger totals are refused naming the weights.
"""

from __future__ import annotations

import io
import pickle
import re
import subprocess
import sys
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import routecore as rc
from routecore._validation import MAX_WEIGHT_TOTAL
from routecore.batch import max_flow_under_failures
from routecore.graph import _from_state, csr_view, graph_from_csr

FLOAT_MAX = float(np.finfo(np.float64).max)


# ------------------------------------------------------------------ corrupted graph state
class _RawState:
    """Pickles as a Graph with the given state (what a corrupted or hand-edited pickle holds)."""

    def __init__(self, state: list[Any]) -> None:
        self.state = state

    def __reduce__(self) -> tuple[Any, ...]:
        return (_from_state, tuple(self.state))


def _state(directed: bool) -> list[Any]:
    g = rc.Graph(
        4,
        [0, 1, 2, 0, 3],
        [1, 2, 3, 2, 3],
        weight=[1.0, 2.0, 3.0, 4.0, 5.0],
        capacity=[3, 2, 4, 1, 7],
        directed=directed,
    )
    view = csr_view(g)
    arrays = [*view.adjacency, view.arc_weight, view.arc_capacity]
    return [g.num_edges, g.directed, *(None if a is None else a.copy() for a in arrays)]


NUM_EDGES, DIRECTED, FIRST_OUT, HEAD, ARC_EDGE, WEIGHT, CAPACITY = range(7)


def _set(i: int, value: Any) -> Callable[[list[Any]], None]:
    def edit(state: list[Any]) -> None:
        state[i] = value(state[i]) if callable(value) else value

    return edit


def _backward_head(state: list[Any]) -> None:
    back = int(np.flatnonzero(state[ARC_EDGE] == ~0)[0])
    state[HEAD][back] = (state[HEAD][back] + 1) % 4


def _swap_arcs(state: list[Any]) -> None:  # node 0's two arcs, consistently
    for i in (HEAD, ARC_EDGE, WEIGHT, CAPACITY):
        state[i][[0, 1]] = state[i][[1, 0]]


def _move_arc(state: list[Any]) -> None:  # edge 0's forward arc moved to node 1's arcs
    state[FIRST_OUT][1] -= 1


def _one_arc(i: int, value: Any) -> Callable[[list[Any]], None]:
    def edit(state: list[Any]) -> None:
        state[i][0] = value

    return edit


def _dup_edge(state: list[Any]) -> None:
    forward = np.flatnonzero(state[ARC_EDGE] >= 0)
    state[ARC_EDGE][forward[1]] = state[ARC_EDGE][forward[0]]


def _wrapping_first_out(state: list[Any]) -> None:
    # int32 steps 0 -> 362124693 -> -2147483499 -> first_out[3] look non-decreasing when the
    # differences are taken in int32 (they wrap): found by fuzz/fuzz_pickle.py.
    state[FIRST_OUT][1:3] = [362124693, -2147483499]


def _masked(state: list[Any]) -> None:
    state[HEAD] = np.ma.array(state[HEAD])


# (name, edit, directed graphs too, message fragment)
CORRUPTIONS: list[tuple[str, Callable[[list[Any]], None], bool, str]] = [
    ("backward arc not the reverse", _backward_head, False, "not the reverse of its edge"),
    ("arcs out of edge order", _swap_arcs, True, "not in edge-id order"),
    ("arc under the wrong tail", _move_arc, True, "reverse|edge-id order"),
    ("head out of range", _one_arc(HEAD, 4), True, "a head is not a node id"),
    ("negative head", _one_arc(HEAD, -1), True, "a head is not a node id"),
    ("edge named twice", _dup_edge, True, "exactly once"),
    ("edge id out of range", _one_arc(ARC_EDGE, 99), True, "exactly once"),
    ("first_out not from 0", _one_arc(FIRST_OUT, 1), True, "start at 0"),
    ("first_out decreasing", lambda s: s[FIRST_OUT].__setitem__(2, 0), True, "non-decreasing"),
    ("first_out steps wrap in int32", _wrapping_first_out, True, "non-decreasing"),
    ("first_out short", _set(FIRST_OUT, lambda a: a[:-1]), True, "end at the arc count"),
    ("first_out empty", _set(FIRST_OUT, lambda a: a[:0]), True, "num_nodes \\+ 1"),
    ("head int64", _set(HEAD, lambda a: a.astype(np.int64)), True, "int32 array"),
    ("head masked", _masked, True, "int32 array"),
    ("head 2-D", _set(HEAD, lambda a: a.reshape(1, -1)), True, "int32 array"),
    ("num_edges a bool", _set(NUM_EDGES, True), True, "num_edges"),
    ("num_edges off", _set(NUM_EDGES, lambda m: m + 1), True, "do not match"),
    ("directed not a bool", _set(DIRECTED, 1), True, "directed must be a bool"),
    ("weight NaN", _one_arc(WEIGHT, np.nan), True, "arc_weight has a negative or non-finite"),
    ("weight negative", _one_arc(WEIGHT, -1.0), True, "arc_weight has a negative"),
    ("weight int64", _set(WEIGHT, lambda a: a.astype(np.int64)), True, "arc_weight must be"),
    ("weight short", _set(WEIGHT, lambda a: a[1:]), True, "arc_weight must be"),
    ("weights differ", _one_arc(WEIGHT, 0.5), False, "arc_weight differs between"),
    ("capacities differ", _one_arc(CAPACITY, 9), False, "arc_capacity differs between"),
    ("capacity negative", _one_arc(CAPACITY, -1), True, "arc_capacity has a negative"),
    ("capacity float32", _set(CAPACITY, lambda a: a.astype(np.float32)), True, "arc_capacity"),
    ("weights overflow", _set(WEIGHT, lambda a: np.full_like(a, FLOAT_MAX / 2)), True, "add up"),
]


@pytest.mark.parametrize(
    ("directed", "edit", "message"),
    [(d, c[1], c[3]) for c in CORRUPTIONS for d in (False, True) if c[2] or not d],
    ids=[
        f"{c[0]}-{'directed' if d else 'undirected'}"
        for c in CORRUPTIONS
        for d in (False, True)
        if c[2] or not d
    ],
)
def test_corrupted_pickle_is_refused_naming_the_invariant(
    directed: bool, edit: Callable[[list[Any]], None], message: str
) -> None:
    """Each corruption of a pickled Graph's state, in a real pickle, ends in a GraphError that
    names the broken invariant; graph_from_csr (the other door to adopted CSR arrays) refuses
    the same state. The unedited state round-trips."""
    state = _state(directed)
    assert pickle.loads(pickle.dumps(_RawState(state))) == _from_state(*_state(directed))
    edit(state)
    data = pickle.dumps(_RawState(state))
    with pytest.raises(rc.GraphError, match=f"corrupt graph state: .*({message})"):
        pickle.loads(data)
    num_edges, directed_, first_out, head, arc_edge, weight, capacity = state
    with pytest.raises(rc.GraphError, match="corrupt graph state"):
        graph_from_csr(
            first_out,
            head,
            arc_edge,
            num_edges=num_edges,
            directed=directed_,
            arc_weight=weight,
            arc_capacity=capacity,
        )


@pytest.mark.parametrize("protocol", range(2, pickle.HIGHEST_PROTOCOL + 1))
@pytest.mark.parametrize("directed", [False, True])
def test_pickle_holds_no_numpy_objects(protocol: int, directed: bool) -> None:
    """A Graph pickles as plain bytes: the only global its pickle calls is routecore's
    unpickler (and, at protocol 2, the codec that protocol writes bytes with). Unpickling numpy
    objects runs numpy's reconstruction on whatever the bytes say, and fuzz/fuzz_pickle.py
    found corrupted bytes that crash numpy's dtype ``__setstate__`` (a segmentation fault)."""
    g = graph_from_csr(*_state(directed)[2:5], num_edges=5, directed=directed)
    g = rc.Graph(g.num_nodes, g.src, g.dst, weight=[1, 2, 3, 4, 5], capacity=[0.5] * 5)
    looked_up: list[tuple[str, str]] = []

    class Recording(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            looked_up.append((module, name))
            return super().find_class(module, name)

    data = pickle.dumps(g, protocol=protocol)
    assert Recording(io.BytesIO(data)).load() == g
    assert ("routecore.graph", "_from_packed") in looked_up
    assert set(looked_up) <= {("routecore.graph", "_from_packed"), ("_codecs", "encode")}


PACKED = 9  # fields of the packed state: version, num_edges, directed, 5 arrays, capacity kind


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (0, 2, "unknown pickle format 2"),
        (0, "1", "unknown pickle format '1'"),
        (3, b"\0\0\0", "first_out has 3 bytes, not a multiple of 4"),
        (4, bytearray(8), "head must be bytes, not bytearray"),
        (5, np.zeros(2, np.int32), "arc_edge must be bytes, not ndarray"),
        (6, b"\0" * 12, "arc_weight has 12 bytes, not a multiple of 8"),
        (7, None, "capacity kind 'i8' does not match capacities NoneType"),
        (8, "i4", "capacity kind 'i4' is not 'i8' or 'f8'"),
        (8, None, "capacity kind None does not match capacities bytes"),
        (9, None, "expected 9 packed fields, got 10"),
    ],
)
def test_corrupted_packed_pickle_is_refused(field: int, value: Any, message: str) -> None:
    """Each field of the packed pickle state is checked before any array is made; a wrong
    field ends in a GraphError that names it (the arrays then pass check_csr_state)."""
    g = rc.Graph(3, [0, 1], [1, 2], weight=[1.0, 2.0], capacity=[3, 4])
    make, packed = g.__reduce__()
    assert len(packed) == PACKED and make(*packed) == g
    state = list(packed) + ([None] if field == PACKED else [])
    state[field] = value
    with pytest.raises(rc.GraphError, match=f"corrupt graph state: {re.escape(message)}"):
        make(*state)


def test_non_contiguous_state_is_refused() -> None:
    """Arrays C++ reads must be C-contiguous and native-endian (a pickle always makes them so;
    graph_from_csr can be handed anything)."""
    num_edges, directed, first_out, head, arc_edge, *_ = _state(True)
    strided = np.repeat(head, 2)[::2]
    with pytest.raises(rc.GraphError, match="head must be C-contiguous"):
        graph_from_csr(first_out, strided, arc_edge, num_edges=num_edges, directed=directed)
    swapped = head.astype(">i4")
    with pytest.raises(rc.GraphError, match="head must be a 1-D int32 array"):
        graph_from_csr(first_out, swapped, arc_edge, num_edges=num_edges, directed=directed)


FLAGGED_DTYPE = """
import numpy as np
import routecore as rc
from routecore.graph import _from_state
dtype = np.dtype("i4")
make, args, state = dtype.__reduce__()
flagged = make(*args)
flagged.__setstate__(state[:-1] + (45,))  # what a corrupted pickle can do: "holds objects"
head = np.ndarray.__new__(np.ndarray, (0,), "b")
head.__setstate__((1, (2,), flagged, False, bytes(8)))  # zeros: numpy's decref skips NULL
print(head.dtype == np.int32, head.dtype.hasobject)
try:
    _from_state(2, True, np.array([0, 2, 2, 2], np.int32), head, np.array([0, 1], np.int32),
                None, None)
except rc.GraphError as exc:
    print(exc)
"""


def test_pickled_dtype_claiming_object_references_is_refused() -> None:
    """Found by fuzz/fuzz_pickle.py: a corrupted pickle rebuilds a dtype that compares equal
    to int32 but is flagged as holding object references; numpy's ufuncs then fail with
    internal errors. The state check refuses it (in a child process: numpy's own handling of
    such arrays is not to be trusted)."""
    out = subprocess.run(
        [sys.executable, "-c", FLAGGED_DTYPE],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.stdout.splitlines() == [
        "True True",
        "corrupt graph state: head must be a 1-D int32 array",
    ], (out.stdout, out.stderr)


def test_unpickled_graph_answers_like_the_original() -> None:
    """The check accepts exactly the state the CSR build makes: a pickled graph (self-loops
    and parallel edges included) comes back equal and gives the same flows and lengths."""
    g = rc.Graph(
        5,
        [0, 1, 1, 2, 3, 4, 0],
        [1, 2, 2, 2, 4, 0, 4],
        weight=[1.0, 2.0, 0.5, 3.0, 1.0, 2.0, 9.0],
        capacity=[3, 2, 4, 1, 7, 5, 1],
        directed=False,
    )
    h = pickle.loads(pickle.dumps(g))
    assert h == g
    np.testing.assert_array_equal(rc.shortest_path_lengths(h, 0), rc.shortest_path_lengths(g, 0))
    assert rc.max_flow(h, 0, 4).value == rc.max_flow(g, 0, 4).value


# --------------------------------------------------------------------------- Ctrl-C inline
CORRUPT_INLINE = """
import os, signal, threading, time, traceback
import numpy as np
import routecore as rc
from routecore.graph import Graph, csr_view
g = rc.Graph(4, [0, 1, 2, 0], [1, 2, 3, 2], capacity=[3, 2, 4, 1], directed=False)
v = csr_view(g)
head = v.head.copy()
head[int(np.flatnonzero(v.arc_edge == ~0)[0])] = 3  # edge 0's backward arc now enters 3
bad = Graph.__new__(Graph)  # planted past the state check, which would refuse it
bad._set_state(4, False, v.first_out.copy(), head, v.arc_edge.copy(), None, v.arc_capacity)
threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT)).start()
try:
    rc.max_flow(bad, 0, 3, method="dinic")
    print("finished")
except KeyboardInterrupt as exc:
    print("interrupted", traceback.extract_tb(exc.__traceback__)[-1].filename.rsplit("/")[-1])
print(rc.max_flow(g, 0, 3, method="dinic").value)
"""


def test_ctrl_c_interrupts_a_tiny_graph_run_inline() -> None:
    """A 4-node max-flow runs inline (no helper thread); fed a corrupted state on which dinic
    never ends, it still raises KeyboardInterrupt on SIGINT (the Cancel flag polls Python
    itself), and the process goes on. Bounded by the subprocess timeout."""
    out = subprocess.run(
        [sys.executable, "-c", CORRUPT_INLINE],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["interrupted", "_flow_call.py", "3"], out.stdout


# ------------------------------------------------------------------- interpreter shutdown
DAEMON = """
import threading, time
import numpy as np
import routecore as rc
rows = 600
idx = np.arange(rows * rows).reshape(rows, rows)
src = np.concatenate([idx[:, :-1].ravel(), idx[:-1, :].ravel()])
dst = np.concatenate([idx[:, 1:].ravel(), idx[1:, :].ravel()])
rng = np.random.default_rng(0)
g = rc.Graph(rows * rows, src, dst, weight=rng.random(src.size) + 0.5,
             capacity=rng.integers(1, 100, src.size), directed=False)
small = rc.Graph(3, [0, 1], [1, 2], weight=[1.0, 2.0], capacity=[1, 2])
CALLS = {
    "lengths": lambda: rc.shortest_path_lengths(g, np.arange(3000), threads=1),
    "max_flow": lambda: rc.max_flow(g, idx[:, 0], idx[:, -1], method="{method}"),
    "small calls": lambda: [rc.max_flow(small, 0, 2) for _ in range(10**7)],
}
def work():
    started.set()
    CALLS["{call}"]()
started = threading.Event()
threading.Thread(target=work, daemon=True).start()
started.wait()
time.sleep(0.3)
print("main exits", flush=True)
"""


@pytest.mark.parametrize(
    ("call", "method"),
    [("lengths", "-"), ("max_flow", "push_relabel"), ("max_flow", "dinic"), ("small calls", "-")],
)
def test_daemon_thread_in_a_call_at_exit_does_not_abort(call: str, method: str) -> None:
    """The main thread exits while a daemon thread is inside a long routecore call (or a
    stream of short ones): the process exits with status 0, not SIGABRT (134)."""
    code = DAEMON.replace("{call}", call).replace("{method}", method)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert out.returncode == 0, (out.returncode, out.stderr[-2000:])
    assert out.stdout == "main exits\n"
    assert "terminate" not in out.stderr and "Fatal" not in out.stderr, out.stderr


# -------------------------------------------------------------------------- read-only arrays
def _arrays() -> dict[str, Callable[[], np.ndarray]]:
    """Every array a Graph, a result or a snapshot hands out, by name (a fresh call each)."""
    g = rc.Graph(4, [0, 1, 2, 0], [1, 2, 3, 3], weight=[1.0, 2.0, 1.0, 5.0], capacity=[3, 2, 4, 1])
    u = rc.Graph(4, [0, 1, 2, 0], [1, 2, 3, 3], weight=[1.0, 2.0, 1.0, 5.0], directed=False)
    view = csr_view(g)
    found: dict[str, Callable[[], np.ndarray]] = {}
    for graph, kind in ((g, "directed"), (u, "undirected")):
        for i, name in enumerate(("first_out", "head", "sister", "loop_arcs")):
            found[f"{kind} flow_layout().{name}"] = lambda graph=graph, i=i: graph.flow_layout()[i]
        for i, name in enumerate(("first_out", "head", "arc_edge")):
            found[f"{kind} reverse_csr().{name}"] = lambda graph=graph, i=i: graph.reverse_csr()[i]
        found[f"{kind} reverse_arc_weight()"] = graph.reverse_arc_weight  # type: ignore[assignment]
        for name in ("src", "dst", "weight"):
            found[f"{kind} .{name}"] = lambda graph=graph, name=name: getattr(graph, name)
        found[f"{kind} edge_index()"] = graph.edge_index
    found[".capacity"] = lambda: g.capacity  # type: ignore[return-value,assignment]
    for name in ("first_out", "head", "arc_edge", "arc_weight", "arc_capacity"):
        found[f"csr_view.{name}"] = lambda name=name: getattr(csr_view(g), name)
    del view
    found["shortest_path_lengths"] = lambda: rc.shortest_path_lengths(g, 0)
    path = lambda: rc.shortest_path(g, 0, 3)  # noqa: E731
    found["Path.nodes"] = lambda: path().nodes  # type: ignore[union-attr]
    found["Path.edges"] = lambda: path().edges  # type: ignore[union-attr]
    for name in ("length", "root", "pred_edge", "parent"):
        found[f"ShortestPathTree.{name}"] = lambda name=name: getattr(
            rc.shortest_path_tree(g, [0]), name
        )
    for name in ("edge_flow", "source_side", "cut_edges"):
        found[f"FlowResult.{name}"] = lambda name=name: getattr(rc.max_flow(g, 0, 3), name)
    return found


ARRAYS = _arrays()


@pytest.mark.parametrize("name", sorted(ARRAYS))
def test_no_array_handed_out_can_be_made_writeable(name: str) -> None:
    """``arr.flags.writeable = True`` is refused (a view of a read-only base) — or, for arrays
    built per call, the array is a fresh copy: editing it changes nothing the next call sees."""
    get = ARRAYS[name]
    arr = get()
    before = arr.copy()
    try:
        arr.flags.writeable = True
    except ValueError:
        return
    arr[...] = 0 if arr.dtype != bool else ~arr
    again = get()
    assert not np.shares_memory(arr, again), name
    np.testing.assert_array_equal(again, before)


def test_snapshot_arrays_cannot_be_made_writeable() -> None:
    """A constellation snapshot's edge arrays feed its lazily built graph unchecked: they are
    views of read-only memory."""
    from routecore import constellation as cs

    snap = cs.snapshot(
        cs.ONEWEB, 0.0, [0.0, 10.0], [0.0, 10.0], [cs.GroundRole.GATEWAY, cs.GroundRole.TERMINAL]
    )
    assert snap.graph.num_edges == snap.src.shape[0]
    for name in ("src", "dst", "medium", "length_km", "latency_ms", "satellite_ecef_km"):
        arr = getattr(snap, name)
        with pytest.raises(ValueError, match="WRITEABLE"):
            arr.flags.writeable = True


# ---------------------------------------------------------------------- the weight bound
@given(
    n=st.integers(2, 8),
    fractions=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=12),
    scale=st.sampled_from([0.5, 0.99, 1.0, 1.01, 2.0, 3.99]),
    directed=st.booleans(),
    data=st.data(),
)
def test_weights_near_the_float_maximum_never_overflow_a_length(
    n: int, fractions: list[float], scale: float, directed: bool, data: st.DataObject
) -> None:
    """Weights with a total near MAX_WEIGHT_TOTAL (up to 4x it, near the float64 maximum):
    refused, naming the weights, only when the exact total exceeds the bound; when accepted,
    no length of any method is inf where the node is reachable (checked against the hop
    reachability of the unweighted graph), whatever the summation order."""
    m = len(fractions)
    src = np.array(data.draw(st.lists(st.integers(0, n - 1), min_size=m, max_size=m)))
    dst = np.array(data.draw(st.lists(st.integers(0, n - 1), min_size=m, max_size=m)))
    raw = np.array(fractions) + 1e-3
    w = raw / raw.sum() * MAX_WEIGHT_TOTAL * scale
    exact = sum((Fraction(x) for x in w.tolist()), Fraction(0))
    if exact > Fraction(MAX_WEIGHT_TOTAL) * (1 + Fraction(1, 10**12)):
        with pytest.raises(rc.GraphError, match="weights add up"):
            rc.Graph(n, src, dst, weight=w, directed=directed)
        return
    try:
        g = rc.Graph(n, src, dst, weight=w, directed=directed)
    except rc.GraphError:  # too close to call: the check's own sum rounds
        assert exact > Fraction(MAX_WEIGHT_TOTAL) * (1 - Fraction(1, 10**12))
        return
    assert exact <= Fraction(MAX_WEIGHT_TOTAL) * (1 + Fraction(1, 10**12))
    hops = rc.shortest_path_lengths(rc.Graph(n, src, dst, directed=directed), np.arange(n))
    lengths = rc.shortest_path_lengths(g, np.arange(n))
    assert np.array_equal(np.isinf(lengths), np.isinf(hops))
    for s in range(n):
        for t in range(n):
            for method in ("dijkstra", "bidirectional"):
                p = rc.shortest_path(g, s, t, method=method)
                assert (p is None) == bool(np.isinf(hops[s, t])), (s, t, method)
                assert p is None or np.isfinite(p.length)
    dist, _ = rc.nearest_source(g, [0])
    assert np.array_equal(np.isinf(dist), np.isinf(hops[0]))


# ------------------------------------------------------------- input numpy reinterprets
@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: rc.Graph(2, [0, True], [1, 1]), r"src\[1\] = True is a bool"),
        (lambda: rc.Graph(2, [0, 1], [np.False_, 1]), r"dst\[0\] = (np\.)?False_? is a bool"),
        (lambda: rc.shortest_path_lengths(rc.Graph(2, [0], [1]), [0, True]), "sources"),
        (lambda: rc.max_flow(rc.Graph(3, [0], [1], capacity=[1]), [0, True], 2), "is a bool"),
        (
            lambda: rc.shortest_path(rc.Graph(3, [0], [1]), 0, 1, forbidden_edges=[0, False]),
            r"forbidden_edges\[1\] = False is a bool",
        ),
        (
            lambda: rc.shortest_path(rc.Graph(3, [0], [1]), 0, 1, forbidden_nodes=[2, True]),
            r"forbidden_nodes\[1\] = True is a bool",
        ),
        (
            lambda: rc.Graph(2, np.ma.array([0, 1], mask=[0, 1]), [1, 1]),
            "src: masked arrays are not accepted",
        ),
        (
            lambda: rc.Graph(2, [0], [1], weight=np.ma.array([1.0], mask=[1])),
            "weight: masked arrays",
        ),
        (
            lambda: rc.Graph(3, [0, 1], [1, 2], capacity=[1, 2**63]),
            r"capacity\[1\] = 9223372036854775808 does not fit in int64",
        ),
        (
            lambda: rc.Graph(3, [0, 1], [1, 2], capacity=(-1, 2**64 + 1)),
            r"capacity\[1\] = 18446744073709551617 does not fit|expected numbers",
        ),
        (
            lambda: rc.max_flow(
                rc.Graph(3, [0, 1], [1, 2], capacity=[1, 1]), 0, 2, capacity=[1, 2**63]
            ),
            r"capacity\[1\] = 9223372036854775808 does not fit in int64",
        ),
    ],
)
def test_input_numpy_would_reinterpret_is_refused(call: Callable[[], Any], message: str) -> None:
    """Bools among integer ids, masked arrays (whose mask numpy drops) and Python ints beyond
    int64 in a capacity list (numpy turns them into rounded floats) are GraphErrors naming the
    argument and position."""
    with pytest.raises(rc.GraphError, match=message):
        call()


def test_bool_masks_and_mixed_float_lists_still_work() -> None:
    """What stays accepted: a list of bools is a mask, floats mixed with small ints are floats,
    and an integer list within int64 stays exact."""
    g = rc.Graph(3, [0, 1], [1, 2], capacity=[1, 2**62])
    assert g.capacity is not None and g.capacity.dtype == np.int64
    assert rc.Graph(3, [0, 1], [1, 2], capacity=[1, 2.5]).capacity.tolist() == [1.0, 2.5]  # type: ignore[union-attr]
    p = rc.shortest_path(rc.Graph(3, [0, 1], [1, 2]), 0, 2, forbidden_nodes=[False, True, False])
    assert p is None


def test_float_capacity_overflow_has_its_own_message() -> None:
    """A float flow total beyond float64 says so (the integer message says "use floats")."""
    g = rc.Graph(2, [0, 0], [1, 1], capacity=[FLOAT_MAX, FLOAT_MAX])
    with pytest.raises(rc.GraphError, match="float capacities too large") as info:
        rc.max_flow(g, 0, 1)
    assert "use floats" not in str(info.value)
    with pytest.raises(rc.GraphError, match="case 0: float capacities too large"):
        max_flow_under_failures(g, 0, 1, [[]])
    with pytest.raises(rc.GraphError, match="integer capacities too large"):
        rc.max_flow(rc.Graph(2, [0, 0], [1, 1], capacity=[2**62, 2**62]), 0, 1)


def test_snapshot_graph_build_checks_node_ids_first() -> None:
    """The constellation's internal graph build writes where its node ids point (C++), so it
    checks them first: an id out of range (e.g. from a replaced builder attribute) is a
    GraphError, not a write out of bounds."""
    from routecore.constellation._snapshot import _graph_from_edges

    src = np.array([0, 1], dtype=np.int32)
    dst = np.array([1, 7], dtype=np.int32)
    with pytest.raises(rc.GraphError, match=r"dst\[1\] = 7 is not a node id"):
        _graph_from_edges(3, src, dst, np.ones(2), None, directed=False, threads=1)
    g = _graph_from_edges(3, src, dst[::-1] % 3, np.ones(2), None, directed=False, threads=2)
    assert g == rc.Graph(3, src, dst[::-1] % 3, weight=np.ones(2), directed=False)
