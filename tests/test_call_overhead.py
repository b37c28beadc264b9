"""The fixed cost of a call on a tiny graph: the fast paths at the boundary (small terminal sets
checked with Python sets, the per-graph CSR view built once, max-flow's positional binding call)
must give exactly what the general path gives, errors included."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import routecore as rc
from routecore._validation import terminal_set, terminal_sets
from routecore.graph import csr_view

NUM_NODES = 6

# Node ids as callers write them: in range, out of range, bools, negative, huge.
_ids = st.one_of(
    st.integers(-2, NUM_NODES + 1),
    st.sampled_from([True, False, 2**63, -(2**63) - 1]),
)


def _as(draw: st.DrawFn, values: list[Any]) -> Any:
    """``values`` as a list, a tuple or a numpy array of some integer dtype (or one scalar)."""
    shape = draw(st.sampled_from(["scalar", "list", "tuple", "array", "0-d"]))
    if shape == "scalar" and values:
        value = values[0]
        kind = draw(st.sampled_from(["int", "np.int64", "np.int32", "np.uint64"]))
        if kind == "int" or isinstance(value, bool) or not -(2**31) <= value < 2**31:
            return value
        if kind == "np.uint64":
            return np.uint64(value) if value >= 0 else value
        return np.int64(value) if kind == "np.int64" else np.int32(value)
    if shape == "list":
        return values
    if shape == "tuple":
        return tuple(values)
    if any(isinstance(v, bool) or not -(2**31) <= v < 2**31 for v in values):
        return values
    dtype = draw(st.sampled_from([np.int64, np.int32, np.uint8, np.float64, np.int16]))
    if dtype is np.uint8 and any(v < 0 for v in values):
        dtype = np.int64
    if shape == "0-d" and values:
        return np.array(values[0], dtype=dtype)
    return np.array(values, dtype=dtype)


@st.composite
def _terminals(draw: st.DrawFn) -> Any:
    return _as(draw, draw(st.lists(_ids, min_size=0, max_size=5)))


def _general(sources: Any, sinks: Any) -> tuple[np.ndarray, np.ndarray]:
    """The general path alone (numpy: ``np.unique``, ``np.intersect1d``)."""
    src = terminal_set(sources, NUM_NODES, "sources")
    dst = terminal_set(sinks, NUM_NODES, "sinks")
    both = np.intersect1d(src, dst)
    if both.size:
        raise rc.GraphError(f"node {int(both[0])} is both a source and a sink")
    return src, dst


def _outcome(fn: Any, *args: Any) -> Any:
    try:
        src, dst = fn(*args)
    except Exception as exc:  # the type and message must match too
        return type(exc), str(exc)
    assert src.dtype == dst.dtype == np.int32 and src.flags.c_contiguous
    return src.tolist(), dst.tolist()


@given(_terminals(), _terminals())
def test_terminal_sets_fast_path_matches_the_general_path(sources: Any, sinks: Any) -> None:
    fast = _outcome(terminal_sets, sources, sinks, NUM_NODES)
    assert fast == _outcome(_general, sources, sinks)


def test_small_calls_skip_numpy_set_operations(monkeypatch: pytest.MonkeyPatch) -> None:
    """A max-flow with a few terminals, as ints, lists or small arrays, calls neither
    ``np.unique`` nor ``np.intersect1d`` (each costs several microseconds, more than the
    solve on a tiny graph)."""
    g = rc.Graph(4, [0, 0, 1, 2], [1, 2, 3, 3], capacity=[3, 2, 2, 5])

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("numpy set operation on a small terminal set")

    monkeypatch.setattr(np, "unique", refuse)
    monkeypatch.setattr(np, "intersect1d", refuse)
    for sources, sinks in [(0, 3), ([0, 1], [3]), (np.array([0]), (3,)), ([1, 0, 1], 3)]:
        assert rc.max_flow(g, sources, sinks).value == 4
        assert rc.min_cut(g, sources, sinks).value == 4


def test_csr_view_is_built_once_per_graph() -> None:
    g = rc.Graph(3, [0, 1], [1, 2], weight=[1.0, 2.0], capacity=[1, 1])
    view = csr_view(g)
    assert csr_view(g) is view
    assert view.arc_weight is not None and view.arc_capacity is not None
    assert rc.shortest_path_lengths(g, 0).tolist() == [0.0, 1.0, 3.0]


def test_flow_results_hold_every_field() -> None:
    """max_flow and min_cut fill their frozen results without __init__: every dataclass field
    is set (and nothing else), and the results compare and print as dataclasses do."""
    g = rc.Graph(3, [0, 1], [1, 2], capacity=[1, 1])
    for result, cls in [
        (rc.max_flow(g, 0, 2, both_cuts=True), rc.FlowResult),
        (rc.min_cut(g, 0, 2, both_cuts=True), rc.MinCut),
    ]:
        assert type(result) is cls
        assert set(vars(result)) == {f.name for f in dataclasses.fields(cls)}
        assert result.source_side.dtype == np.bool_
        assert dataclasses.replace(result) == result and repr(result).startswith(cls.__name__)
        with pytest.raises(dataclasses.FrozenInstanceError):
            result.value = 0  # type: ignore[misc]
