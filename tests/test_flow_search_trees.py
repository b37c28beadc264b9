"""The search-tree max-flow methods (Boykov–Kolmogorov, IBFS) on the vision grids they are
tuned for: deep trees, many augmentations and orphans, re-attachment during growth (BK), every
pixel tied to a terminal. Checked against scipy's max-flow and by certificates: capacity
bounds, conservation, and both canonical cuts recomputed from the edge flows."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import routecore as rc
from routecore.bench.gen_flow import OFFSETS_4, OFFSETS_8, grid

from .oracles import residual_reach, scipy_flow_value
from .strategies import FlowProblem

METHODS = ("boykov_kolmogorov", "ibfs")


def _conservation(p: FlowProblem, flow: np.ndarray) -> np.ndarray:
    """Net flow into every node (positive: more in than out)."""
    net = np.zeros(p.num_nodes, dtype=np.int64)
    np.add.at(net, p.dst, flow)
    np.subtract.at(net, p.src, flow)
    return net


@settings(max_examples=40, deadline=None)
@given(
    rows=st.integers(2, 24),
    cols=st.integers(2, 24),
    eight=st.booleans(),
    data=st.sampled_from(["smooth", "noisy"]),
    pairs=st.sampled_from(["undirected", "directed"]),
    seed=st.integers(0, 2**16),
    extra_terminals=st.integers(0, 3),
)
def test_grids_match_scipy_with_certificates(
    rows: int,
    cols: int,
    eight: bool,
    data: str,
    pairs: str,
    seed: int,
    extra_terminals: int,
) -> None:
    inst = grid(
        (rows, cols),
        OFFSETS_8 if eight else OFFSETS_4,
        data=data,  # type: ignore[arg-type]
        pairs=pairs,  # type: ignore[arg-type]
        seed=seed,
    )
    # Some pixels become terminals themselves (sources next to sinks, terminals with arcs to the
    # super terminals): the folded form then has more than one node outside the trees.
    rng = np.random.default_rng(seed)
    picked = rng.choice(rows * cols, size=min(2 * extra_terminals, rows * cols), replace=False)
    sources = np.r_[inst.source, picked[: len(picked) // 2]]
    sinks = np.r_[inst.sink, picked[len(picked) // 2 :]]
    p = FlowProblem(
        inst.num_nodes, inst.src, inst.dst, inst.directed, inst.capacity, sources, sinks
    )
    g = rc.Graph(p.num_nodes, p.src, p.dst, capacity=p.capacity, directed=p.directed)
    want = scipy_flow_value(p)
    inner = np.ones(p.num_nodes, dtype=bool)
    inner[sources] = inner[sinks] = False
    for method in METHODS:
        r = rc.max_flow(g, sources, sinks, method=method)
        assert r.method == method
        assert r.value == want
        f = r.edge_flow
        low = np.zeros_like(p.capacity) if p.directed else -p.capacity
        assert np.all((low <= f) & (f <= p.capacity))
        assert not _conservation(p, f)[inner].any()
        np.testing.assert_array_equal(r.source_side, residual_reach(p, f, towards_sinks=False))
        c = rc.min_cut(g, sources, sinks, method=method)
        assert c.value == want
        np.testing.assert_array_equal(c.source_side, ~residual_reach(p, f, towards_sinks=True))
        assert p.capacity[c.cut_edges].sum() == want
