"""Max-flow's arguments: capacities given per call (never mutated), and bad input (each error
names what and where; bad option values are ValueError / TypeError, not GraphError), for
max_flow, min_cut and max_flow_value alike."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import routecore as rc


# ---------------------------------------------------------------------------------- capacity=
def test_capacity_argument_overrides_and_is_not_mutated() -> None:
    g = rc.Graph(3, [0, 1], [1, 2], capacity=[1, 1])
    cap = np.array([7, 5], dtype=np.int32)
    cap.flags.writeable = False
    r = rc.max_flow(g, 0, 2, capacity=cap)
    assert r.value == 5 and r.edge_flow.dtype == np.int64
    assert cap.tolist() == [7, 5]
    assert g.capacity is not None and g.capacity.tolist() == [1, 1]
    r = rc.max_flow(g, 0, 2, capacity=[2.5, 4.0])
    assert r.value == 2.5 and r.edge_flow.dtype == np.float64
    bare = rc.Graph(3, [0, 1], [1, 2])
    assert rc.min_cut(bare, 0, 2, capacity=[3, 4]).value == 3


# ------------------------------------------------------------------------------- bad input
def _line() -> rc.Graph:
    return rc.Graph(4, [0, 1, 2], [1, 2, 3], capacity=[1, 2, 3])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"capacity": [1, -2, 3]}, r"capacity\[1\] = -2 is negative"),
        ({"capacity": [1.0, np.nan, 3.0]}, r"capacity\[1\] = nan is NaN"),
        ({"capacity": [1.0, 2.0, np.inf]}, r"capacity\[2\] = inf is infinite"),
        ({"capacity": [1, 2]}, r"capacity has 2 entries but the graph has 3 edges"),
        ({"capacity": ["a", "b", "c"]}, r"capacity: .* must be real numbers, got dtype <U1"),
    ],
)
def test_bad_arguments(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(rc.GraphError, match=match):
        rc.max_flow(_line(), 0, 3, **kwargs)
    with pytest.raises(rc.GraphError, match=match):
        rc.min_cut(_line(), 0, 3, **kwargs)
    with pytest.raises(rc.GraphError, match=match):
        rc.max_flow_value(_line(), 0, 3, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"method": "simplex"}, ValueError, r"method must be one of 'auto', 'push_relabel'"),
        ({"method": None}, TypeError, r"method must be one of 'auto', 'push_relabel'"),
        ({"threads": 0}, ValueError, r"threads must be >= 1, got 0"),
        ({"threads": 1.5}, TypeError, r"threads must be a positive integer or None"),
    ],
)
def test_bad_options(kwargs: dict[str, Any], error: type[Exception], match: str) -> None:
    """Bad option values are plain ValueError / TypeError naming the option, not GraphError."""
    for func in (rc.max_flow, rc.min_cut, rc.max_flow_value):
        with pytest.raises(error, match=match) as info:
            func(_line(), 0, 3, **kwargs)
        assert not isinstance(info.value, rc.GraphError)


@pytest.mark.parametrize(
    ("sources", "sinks", "error", "match"),
    [
        (7, 3, rc.NodeIndexError, r"sources = 7 is not a node id; valid ids are 0\.\.3"),
        ([0, 9], 3, rc.NodeIndexError, r"sources\[1\] = 9 is not a node id"),
        (0, [-1], rc.NodeIndexError, r"sinks\[0\] = -1 is not a node id"),
        ([0, 2], [2, 3], rc.GraphError, r"node 2 is both a source and a sink"),
        (1, 1, rc.GraphError, r"node 1 is both a source and a sink"),
        ([], 3, rc.GraphError, r"sources is empty"),
        (0, np.array([], dtype=np.int64), rc.GraphError, r"sinks is empty"),
        (0.5, 3, rc.GraphError, r"sources must be a node id \(integer\), got 0\.5"),
    ],
)
def test_bad_terminals(sources: Any, sinks: Any, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        rc.max_flow(_line(), sources, sinks)
    with pytest.raises(error, match=match):
        rc.max_flow_value(_line(), sources, sinks)


def test_graph_without_capacities() -> None:
    bare = rc.Graph(3, [0, 1], [1, 2])
    with pytest.raises(rc.GraphError, match=r"the graph has no capacities; pass capacity="):
        rc.max_flow(bare, 0, 2)
    with pytest.raises(rc.GraphError, match=r"graph must be a routecore\.Graph, got list"):
        rc.max_flow([[0, 1]], 0, 1)  # type: ignore[arg-type]
