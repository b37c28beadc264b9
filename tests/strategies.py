"""Hypothesis strategies for random graphs: isolated nodes, parallel edges, self-loops, zero
weights and disconnected parts are all generated on purpose."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st


@dataclass(frozen=True)
class EdgeList:
    num_nodes: int
    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray
    capacity: np.ndarray
    directed: bool


@st.composite
def edge_lists(
    draw: st.DrawFn,
    *,
    max_nodes: int = 30,
    max_edges: int = 120,
    directed: bool | None = None,
    integer_weights: bool | None = None,
    max_capacity: int = 100,
) -> EdgeList:
    n = draw(st.integers(1, max_nodes))
    m = draw(st.integers(0, max_edges))
    ids = st.integers(0, n - 1)
    src = np.array(draw(st.lists(ids, min_size=m, max_size=m)), dtype=np.int64)
    dst = np.array(draw(st.lists(ids, min_size=m, max_size=m)), dtype=np.int64)
    if integer_weights is None:
        integer_weights = draw(st.booleans())
    if integer_weights:
        w = draw(st.lists(st.integers(0, 20), min_size=m, max_size=m))
    else:
        w = draw(
            st.lists(
                st.floats(0, 1e3, allow_nan=False, allow_infinity=False), min_size=m, max_size=m
            )
        )
    cap = draw(st.lists(st.integers(0, max_capacity), min_size=m, max_size=m))
    if directed is None:
        directed = draw(st.booleans())
    return EdgeList(
        n, src, dst, np.array(w, dtype=np.float64), np.array(cap, dtype=np.int64), directed
    )
