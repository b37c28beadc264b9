"""routecore.batch.max_flow_values: many (source, sink) pairs of one graph in one call.

Each pair's value is checked against networkx (exact, with Python ints) on hypothesis graphs
with integer, float and huge capacities, for every method and thread count; the validation
errors name the position or the pair; overflow names the pair.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import routecore as rc
from routecore.batch import max_flow_values
from routecore.flow import FLOW_METHODS

from .oracles import flow_value
from .strategies import FlowProblem, flow_problems

FLOAT_MAX = float(np.finfo(np.float64).max)


@st.composite
def problems_with_pairs(
    draw: st.DrawFn, capacities: str = "small"
) -> tuple[FlowProblem, np.ndarray, np.ndarray]:
    p = draw(flow_problems(capacities=capacities))
    n = p.num_nodes
    k = draw(st.integers(0, 12))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda t: t[0] != t[1]),
            min_size=k,
            max_size=k,
        )
    )
    src = np.array([s for s, _ in pairs], dtype=np.int64)
    dst = np.array([t for _, t in pairs], dtype=np.int64)
    return p, src, dst


def _graph(p: FlowProblem) -> rc.Graph:
    return rc.Graph(p.num_nodes, p.src, p.dst, capacity=p.capacity, directed=p.directed)


def _oracle(p: FlowProblem, src: np.ndarray, dst: np.ndarray) -> list[object]:
    cap = p.capacity if p.capacity.dtype.kind == "f" else p.capacity.astype(object)
    return [flow_value(p, cap, src[i : i + 1], dst[i : i + 1]) for i in range(src.size)]


@pytest.mark.parametrize("method", FLOW_METHODS)
@given(case=problems_with_pairs())
def test_each_pair_equals_networkx(
    method: str, case: tuple[FlowProblem, np.ndarray, np.ndarray]
) -> None:
    p, src, dst = case
    got = max_flow_values(_graph(p), src, dst, method=method, threads=2)  # type: ignore[arg-type]
    assert got.shape == (src.size,) and got.dtype == np.int64
    assert got.tolist() == _oracle(p, src, dst)


@given(case=problems_with_pairs(capacities="float"))
def test_float_capacities_equal_networkx(case: tuple[FlowProblem, np.ndarray, np.ndarray]) -> None:
    p, src, dst = case
    got = max_flow_values(_graph(p), src, dst)
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, np.array(_oracle(p, src, dst), dtype=float), rtol=1e-9)


@given(case=problems_with_pairs(capacities="huge"))
def test_huge_capacities_are_exact_or_refused(
    case: tuple[FlowProblem, np.ndarray, np.ndarray],
) -> None:
    """Near the int64 limit a pair's value is exact, or the call refuses, naming a pair that
    max_flow refuses too."""
    p, src, dst = case
    g = _graph(p)
    try:
        got = max_flow_values(g, src, dst)
    except rc.GraphError as error:
        message = str(error)
    else:
        assert got.tolist() == _oracle(p, src, dst)
        return
    assert "integer capacities too large" in message
    i = int(message.split()[1].rstrip(":"))
    with pytest.raises(rc.GraphError, match="integer capacities too large"):
        rc.max_flow(g, int(src[i]), int(dst[i]))


@given(case=problems_with_pairs(), threads=st.integers(1, 4))
def test_same_values_as_one_call_per_pair_whatever_the_threads(
    case: tuple[FlowProblem, np.ndarray, np.ndarray], threads: int
) -> None:
    p, src, dst = case
    g = _graph(p)
    want = [rc.max_flow(g, int(s), int(t)).value for s, t in zip(src, dst, strict=True)]
    assert max_flow_values(g, src, dst, threads=threads).tolist() == want


def test_capacity_override_and_undirected_graph() -> None:
    g = rc.Graph(3, [0, 1], [1, 2], directed=False)
    assert max_flow_values(g, [0, 2, 1], [2, 0, 0], capacity=[5, 3]).tolist() == [3, 3, 5]


@pytest.mark.parametrize(
    ("sources", "sinks", "match"),
    [
        ([0, 1], [2], "2 sources, 1 sinks"),
        ([0, 1], [2, 1], "pair 1: node 1 is both its source and its sink"),
        ([0, 3], [2, 1], r"sources\[1\] = 3 is not a node id"),
        ([0], [-1], r"sinks\[0\] = -1 is not a node id"),
        ([[0, 1]], [[2, 2]], "expected a 1-D array"),
        ([True], [2], "bool"),
        ([0.5], [2], "integers"),
    ],
)
def test_bad_pairs_are_named(sources: object, sinks: object, match: str) -> None:
    g = rc.Graph(3, [0, 1], [1, 2], capacity=[1, 1])
    with pytest.raises(rc.GraphError, match=match):
        max_flow_values(g, sources, sinks)


def test_no_pairs_and_no_capacities() -> None:
    g = rc.Graph(3, [0, 1], [1, 2], capacity=[1, 1])
    assert max_flow_values(g, [], []).tolist() == []
    with pytest.raises(rc.GraphError, match="capacit"):
        max_flow_values(rc.Graph(3, [0, 1], [1, 2]), [0], [2])


def test_overflow_names_the_pair() -> None:
    g = rc.Graph(3, [0, 0, 1], [2, 2, 2], capacity=[1, 1, 2**62])
    with pytest.raises(rc.GraphError, match="pair 1: integer capacities too large"):
        max_flow_values(g, [0, 1], [2, 2])
    big = rc.Graph(2, [0, 0], [1, 1], capacity=[FLOAT_MAX, FLOAT_MAX])
    with pytest.raises(rc.GraphError, match="pair 0: float capacities too large"):
        max_flow_values(big, [0], [1])
