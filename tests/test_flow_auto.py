"""``method="auto"``: the choice follows the documented structural rule (max_flow.h,
``choose_flow_method``), checked against a Python re-statement of the rule on random graphs and
against the method each benchmark family is meant to get. No timing is asserted: which method
is fastest on which family is measured by ``python -m routecore.bench``."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import routecore as rc
from routecore.bench import families, gen_flow
from routecore.bench.instances import FlowInstance

from .strategies import EdgeList, edge_lists

_TINY_NODES = 48  # max_flow.h: auto_tiny_nodes


def _rule(
    n: int, src: np.ndarray, dst: np.ndarray, directed: bool, s: set[int], t: set[int]
) -> str:
    """The rule of max_flow.h, restated: push-relabel on tiny graphs, then a vision test on the
    residual arcs at the terminals, then a breadth-first depth probe along the arcs."""
    if n <= _TINY_NODES:
        return "push_relabel"
    tails, heads = (src, dst) if directed else (np.r_[src, dst], np.r_[dst, src])
    out: list[list[int]] = [[] for _ in range(n)]
    for a, b in zip(tails.tolist(), heads.tolist(), strict=True):
        out[a].append(b)
    # Residual arcs at each node: an undirected graph's arcs; for a directed one the out-arcs
    # and the reverses of the in-arcs not matched one to one with an antiparallel edge.
    residual: list[list[int]] = [list(o) for o in out]
    num_residual = len(tails)
    if directed:
        count = Counter(zip(src.tolist(), dst.tolist(), strict=True))
        for (u, v), k in count.items():
            unmatched = k if u == v else k - min(k, count.get((v, u), 0))
            residual[v] += [u] * unmatched
            num_residual += unmatched
    terminals = s | t
    from_s = {y for x in s for y in residual[x]} - terminals
    from_t = {y for x in t for y in residual[x]} - terminals
    touching = from_s | from_t
    inner = n - len(terminals)
    inner_arcs = num_residual - 2 * sum(len(residual[x]) for x in terminals)
    if inner > 0 and 4 * len(touching) >= inner:
        sparse = inner_arcs <= 4 * inner
        tied_to_both = 2 * len(from_s & from_t) >= len(touching)
        return "ibfs" if sparse or not tied_to_both else "push_relabel"
    degree = max(2.0, len(tails) / n)
    limit = max(8, int(1.5 * math.log(n) / math.log(degree))) if n >= 2 else 8
    seen, frontier, level = set(s), sorted(s), 1
    while frontier:
        if level > limit:
            return "push_relabel"
        reached = []
        for v in frontier:
            for y in out[v]:
                if y not in seen:
                    seen.add(y)
                    reached.append(y)
        frontier = reached
        if 2 * len(seen) >= n:
            return "ibfs"
        level += 1
    return "ibfs"


@st.composite
def _problems(draw: st.DrawFn) -> tuple[EdgeList, set[int], set[int]]:
    el = draw(edge_lists(max_nodes=90, max_edges=180))
    if el.num_nodes < 2:
        el = EdgeList(2, el.src, el.dst, el.weight, el.capacity, el.directed)
    nodes = st.integers(0, el.num_nodes - 1)
    s = draw(st.sets(nodes, min_size=1, max_size=3))
    t = draw(st.sets(nodes, min_size=1, max_size=3).filter(lambda x: not x & s))
    return el, s, t


@st.composite
def _paths(draw: st.DrawFn) -> tuple[EdgeList, set[int], set[int]]:
    """Long chains with a few shortcuts: deep graphs, where the probe's level limit decides."""
    n = draw(st.integers(10, 120))
    extra = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=8))
    src = np.r_[np.arange(n - 1), [a for a, _ in extra]].astype(np.int64)
    dst = np.r_[np.arange(1, n), [b for _, b in extra]].astype(np.int64)
    cap = np.ones(src.size, dtype=np.int64)
    el = EdgeList(n, src, dst, cap.astype(np.float64), cap, draw(st.booleans()))
    return el, {0}, {n - 1}


@st.composite
def _vision(draw: st.DrawFn) -> tuple[EdgeList, set[int], set[int]]:
    """Vision-style graphs: random inner edges (few or many per node), and every inner node
    joined to the source, the sink, both or neither (edges in either direction), so that the
    degree limit and the tied-to-both test of the rule are both exercised near their edges."""
    inner = draw(st.integers(4, 90))
    n = inner + 2
    s, t = inner, inner + 1
    per_node = draw(st.integers(1, 8))
    nodes = st.integers(0, inner - 1)
    pairs = draw(st.lists(st.tuples(nodes, nodes), min_size=inner, max_size=per_node * inner))
    tie_kinds = st.sampled_from(["s", "t", "both", "both", "none"])
    ties = draw(st.lists(tie_kinds, min_size=inner))
    into_s, out_of_t = draw(st.booleans()), draw(st.booleans())
    src, dst = [a for a, _ in pairs], [b for _, b in pairs]
    for v, tie in enumerate(ties[:inner]):
        if tie in ("s", "both"):
            src.append(v if into_s else s)
            dst.append(s if into_s else v)
        if tie in ("t", "both"):
            src.append(t if out_of_t else v)
            dst.append(v if out_of_t else t)
    cap = np.ones(len(src), dtype=np.int64)
    a, b = np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64)
    el = EdgeList(n, a, b, cap.astype(np.float64), cap, draw(st.booleans()))
    return el, {s}, {t}


@given(st.one_of(_problems(), _paths(), _vision()))
def test_auto_follows_the_documented_rule(problem: tuple[EdgeList, set[int], set[int]]) -> None:
    el, s, t = problem
    g = rc.Graph(el.num_nodes, el.src, el.dst, capacity=el.capacity, directed=el.directed)
    want = _rule(el.num_nodes, el.src, el.dst, el.directed, s, t)
    assert rc.max_flow(g, sorted(s), sorted(t)).method == want
    # A terminal listed twice is one terminal (its arcs counted once).
    assert rc.max_flow(g, [*sorted(s), min(s)], sorted(t)).method == want


def _family(name: str, size: families.Size) -> FlowInstance:
    inst = {f.name: f for f in families.FAMILIES}[name].build(size, 1, 1)
    assert isinstance(inst, FlowInstance)
    return inst


# Each family's intended method (the structure the rule reads), on small members of the
# family. GENRMF's frames only look deep from a few thousand nodes on, so it is built at the
# suite's default size (28k nodes).
CASES = [
    ("grid4", lambda: _family("flow-grid4-noisy", "smoke"), "ibfs"),
    ("grid4-directed", lambda: _family("flow-grid4-smooth-directed", "smoke"), "ibfs"),
    ("grid8", lambda: _family("flow-grid8-noisy", "smoke"), "push_relabel"),
    ("grid8-directed", lambda: _family("flow-grid8-noisy-directed", "smoke"), "push_relabel"),
    ("grid8-smooth", lambda: _family("flow-grid8-smooth", "smoke"), "ibfs"),
    ("grid3d", lambda: _family("flow-grid3d-noisy", "smoke"), "push_relabel"),
    ("satellite", lambda: _family("flow-satellite", "default"), "ibfs"),
    ("bipartite", lambda: _family("flow-bipartite", "smoke"), "ibfs"),
    ("random-sparse", lambda: gen_flow.random_sparse(5000, 5, seed=3), "ibfs"),
    ("washington-wide", lambda: gen_flow.washington_rlg(2048, 8, seed=3), "ibfs"),
    ("washington-long", lambda: _family("flow-washington-long", "smoke"), "push_relabel"),
    ("genrmf-wide", lambda: _family("flow-genrmf-wide", "default"), "push_relabel"),
    ("genrmf-long", lambda: gen_flow.genrmf(8, 60, seed=3), "push_relabel"),
    ("ak", lambda: _family("flow-ak", "smoke"), "push_relabel"),
    ("repeated-tiny", lambda: _family("flow-repeated-tiny", "smoke"), "push_relabel"),
    ("central-asia", lambda: _family("flow-central-asia", "default"), "push_relabel"),
    (
        "grid4-tiny",
        lambda: gen_flow.grid((6, 6), gen_flow.OFFSETS_4, data="noisy", pairs="undirected", seed=3),
        "push_relabel",
    ),
]


@pytest.mark.parametrize(("name", "make", "want"), CASES, ids=[c[0] for c in CASES])
def test_auto_picks_the_structural_choice_per_family(name: str, make: object, want: str) -> None:
    inst = make()  # type: ignore[operator]
    g = rc.Graph(inst.num_nodes, inst.src, inst.dst, capacity=inst.capacity, directed=inst.directed)
    got = rc.max_flow(g, inst.source, inst.sink)
    assert got.method == want
    assert got.value == rc.max_flow(g, inst.source, inst.sink, method="dinic").value
