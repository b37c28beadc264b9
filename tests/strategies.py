"""Hypothesis strategies for random graphs: isolated nodes, parallel edges, self-loops, zero
weights and disconnected parts are all generated on purpose."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

import routecore as rc


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


# ----------------------------------------------------------------------------- max-flow inputs
HUGE_CAPACITIES = (0, 1, 7, 2**31 - 1, 2**59, 2**60, 2**61 - 1, 2**61, 2**61 + 1, 2**62, 2**63 - 1)
"""Capacities around the int64 limit and the 2**61 total that max_flow accepts."""


@dataclass(frozen=True)
class FlowProblem:
    """A graph with capacities and disjoint, non-empty source and sink sets.

    ``sources`` / ``sinks`` are a plain ``int`` when the problem passes a single node as a
    scalar, otherwise an int64 array (possibly with one element).
    """

    num_nodes: int
    src: np.ndarray
    dst: np.ndarray
    directed: bool
    capacity: np.ndarray  # int64 or float64, one per edge
    sources: int | np.ndarray
    sinks: int | np.ndarray

    @property
    def source_ids(self) -> np.ndarray:
        return np.atleast_1d(np.asarray(self.sources, dtype=np.int64))

    @property
    def sink_ids(self) -> np.ndarray:
        return np.atleast_1d(np.asarray(self.sinks, dtype=np.int64))


@st.composite
def flow_problems(
    draw: st.DrawFn,
    *,
    max_nodes: int = 16,
    max_edges: int = 60,
    capacities: str = "small",
    max_terminals: int = 3,
    antiparallel: bool = False,
) -> FlowProblem:
    """Random max-flow problems: one or several sources and sinks, zero capacities, parallel
    edges, self-loops, and sometimes no edge at all between the sources' and the sinks' halves
    of the graph. ``capacities`` is ``"small"`` (ints 0..100), ``"float"`` or ``"huge"``
    (:data:`HUGE_CAPACITIES`). With ``antiparallel`` the graph is directed and many edges come
    with one or more edges the other way (and some with parallel copies), as users list both
    directions of a link."""
    el = draw(
        edge_lists(
            max_nodes=max_nodes,
            max_edges=max_edges // 2 if antiparallel else max_edges,
            directed=True if antiparallel else None,
        ).filter(lambda e: e.num_nodes >= 2)
    )
    if antiparallel:
        m = len(el.src)
        back = np.array(draw(st.lists(st.integers(0, 3), min_size=m, max_size=m)), dtype=np.int64)
        # 0: no twin, 1: one edge back, 2: two edges back, 3: one back and a parallel copy.
        src = np.r_[el.src, el.dst[back > 0], el.dst[back == 2], el.src[back == 3]]
        dst = np.r_[el.dst, el.src[back > 0], el.src[back == 2], el.dst[back == 3]]
        order = np.array(draw(st.permutations(range(src.size))), dtype=np.int64)
        zeros = np.zeros(src.size)
        el = EdgeList(el.num_nodes, src[order], dst[order], zeros, zeros.astype(np.int64), True)
    n, m = el.num_nodes, len(el.src)
    order = draw(st.permutations(range(n)))
    k_s = draw(st.integers(1, min(max_terminals, n - 1)))
    k_t = draw(st.integers(1, min(max_terminals, n - k_s)))
    source_ids = np.array(order[:k_s], dtype=np.int64)
    sink_ids = np.array(order[k_s : k_s + k_t], dtype=np.int64)
    src, dst = el.src, el.dst
    if draw(st.integers(0, 5)) == 0:
        # Split the graph: sources on one side, sinks on the other, no edge between the sides.
        half = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
        half[source_ids] = False
        half[sink_ids] = True
        keep = half[src] == half[dst]
        src, dst = src[keep], dst[keep]
        m = len(src)
    if capacities == "small":
        cap = np.array(draw(st.lists(st.integers(0, 100), min_size=m, max_size=m)), np.int64)
    elif capacities == "float":
        values = st.floats(0, 1e3, allow_nan=False, allow_infinity=False)
        cap = np.array(draw(st.lists(values, min_size=m, max_size=m)), dtype=np.float64)
    elif capacities == "huge":
        values = st.sampled_from(HUGE_CAPACITIES) | st.integers(0, 100)
        cap = np.array(draw(st.lists(values, min_size=m, max_size=m)), dtype=np.int64)
    else:
        raise ValueError(f"unknown capacities kind {capacities!r}")
    # About one edge in five gets capacity zero.
    zero = np.array(draw(st.lists(st.integers(0, 4), min_size=m, max_size=m)), dtype=np.int64)
    cap[zero == 0] = 0
    sources: int | np.ndarray = source_ids
    sinks: int | np.ndarray = sink_ids
    if k_s == 1 and draw(st.booleans()):
        sources = int(source_ids[0])
    if k_t == 1 and draw(st.booleans()):
        sinks = int(sink_ids[0])
    return FlowProblem(n, src, dst, el.directed, cap, sources, sinks)


# ------------------------------------------------------- exact problems (robustness)
@st.composite
def problems(draw: st.DrawFn, *, min_nodes: int = 1, max_nodes: int = 12) -> EdgeList:
    """Small graphs with integer-valued weights (so every sum is exact and results can be
    compared bit for bit) and small integer capacities."""
    el = draw(edge_lists(max_nodes=max_nodes, max_edges=30, integer_weights=True))
    if el.num_nodes < min_nodes:
        el = EdgeList(min_nodes, el.src, el.dst, el.weight, el.capacity, el.directed)
    return el


def build_graph(
    el: EdgeList, *, weighted: bool = True, capacity: bool = True, keep: np.ndarray | None = None
) -> rc.Graph:
    """The Graph of an edge list, with or without its weights and capacities; ``keep`` (a
    boolean mask or ids) keeps only those edges."""
    sel = slice(None) if keep is None else keep
    return rc.Graph(
        el.num_nodes,
        el.src[sel],
        el.dst[sel],
        weight=el.weight[sel] if weighted else None,
        capacity=el.capacity[sel] if capacity else None,
        directed=el.directed,
    )


def draw_ids(draw: st.DrawFn, n: int, *, min_size: int = 0, max_size: int = 4) -> np.ndarray:
    return np.array(
        draw(st.lists(st.integers(0, n - 1), min_size=min_size, max_size=max_size)),
        dtype=np.int64,
    )


# ------------------------------------------------------------------------ min-cost flow (issue 12)
@dataclass(frozen=True)
class McfProblem:
    """A min-cost flow problem on an edge list: integer capacities (``-1``: uncapacitated),
    integer costs (negative only on directed graphs) and node supplies (not always balanced,
    not always feasible)."""

    num_nodes: int
    src: np.ndarray
    dst: np.ndarray
    capacity: np.ndarray  # int64, -1 = uncapacitated
    cost: np.ndarray  # int64
    supply: np.ndarray  # int64
    directed: bool

    def graph(self) -> rc.Graph:
        return rc.Graph(self.num_nodes, self.src, self.dst, directed=self.directed)

    def capacity_arg(self) -> np.ndarray:
        """The capacities as routecore takes them (``inf`` for uncapacitated)."""
        return np.where(self.capacity < 0, np.inf, self.capacity.astype(np.float64))


@st.composite
def mcf_problems(
    draw: st.DrawFn,
    *,
    max_nodes: int = 10,
    max_edges: int = 30,
    negative_costs: bool = True,
    uncapacitated: bool = False,
    balanced: bool | None = None,
) -> McfProblem:
    """Small min-cost flow problems: parallel edges, self-loops, zero costs, negative costs on
    directed graphs, isolated nodes, and supplies built from transfers (balanced) or not."""
    n = draw(st.integers(1, max_nodes))
    m = draw(st.integers(0, max_edges))
    directed = draw(st.booleans())
    nodes = st.integers(0, n - 1)
    src = np.array(draw(st.lists(nodes, min_size=m, max_size=m)), dtype=np.int64)
    dst = np.array(draw(st.lists(nodes, min_size=m, max_size=m)), dtype=np.int64)
    low = -9 if (directed and negative_costs) else 0
    cost = np.array(draw(st.lists(st.integers(low, 20), min_size=m, max_size=m)), dtype=np.int64)
    caps = st.integers(-1 if uncapacitated else 0, 12)
    capacity = np.array(draw(st.lists(caps, min_size=m, max_size=m)), dtype=np.int64)
    supply = np.zeros(n, dtype=np.int64)
    for _ in range(draw(st.integers(0, 4))):
        a, b, k = draw(nodes), draw(nodes), draw(st.integers(0, 15))
        supply[a] += k
        supply[b] -= k
    if balanced is False or (balanced is None and draw(st.integers(0, 9)) == 0):
        supply[draw(nodes)] += draw(st.integers(1, 3))
    return McfProblem(n, src, dst, capacity, cost, supply, directed)


# ------------------------------------------------------------ max-min fair share (issue 12)
@dataclass(frozen=True)
class FairProblem:
    """A max-flow problem whose sources each want a rate: ``demand`` is one number for all
    (``inf``: no cap) or one per source, integers or ``inf``."""

    flow: FlowProblem
    demand: float | np.ndarray

    @property
    def demand_per_source(self) -> np.ndarray:
        return np.broadcast_to(
            np.asarray(self.demand, dtype=np.float64), self.flow.source_ids.shape
        )


@st.composite
def fair_problems(
    draw: st.DrawFn, *, capacities: str = "small", max_sources: int = 4, max_nodes: int = 10
) -> FairProblem:
    """Small fair-share problems: up to ``max_sources`` sources, sinks, zero capacities,
    parallel edges, self-loops, disconnected sources, demands from 0 to unbounded."""
    p = draw(
        flow_problems(
            max_nodes=max_nodes, max_edges=30, capacities=capacities, max_terminals=max_sources
        )
    )
    one = st.just(float("inf")) | st.integers(0, 60).map(float)
    if draw(st.booleans()):
        return FairProblem(p, draw(one))
    k = p.source_ids.size
    return FairProblem(p, np.array(draw(st.lists(one, min_size=k, max_size=k)), dtype=np.float64))


# ------------------------------------------------------------- multi-commodity flow (issue 13)
@dataclass(frozen=True)
class MultiCommodityProblem:
    """A graph with capacities and a demand table (source, target, amount)."""

    el: EdgeList
    source: np.ndarray  # int64
    target: np.ndarray  # int64
    amount: np.ndarray  # float64, >= 0 (inf: uncapped, for objective="total")


@st.composite
def multicommodity_problems(
    draw: st.DrawFn,
    *,
    max_nodes: int = 8,
    max_edges: int = 20,
    max_demands: int = 5,
    uncapped: bool = False,
) -> MultiCommodityProblem:
    """Small graphs (parallel edges, self-loops, zero capacities, both directions) with a few
    demands: repeated pairs, shared sources, a demand from a node to itself, zero amounts,
    unreachable targets; ``uncapped`` also draws infinite amounts."""
    el = draw(edge_lists(max_nodes=max_nodes, max_edges=max_edges, max_capacity=20))
    k = draw(st.integers(1, max_demands))
    ids = st.integers(0, el.num_nodes - 1)
    source = np.array(draw(st.lists(ids, min_size=k, max_size=k)), dtype=np.int64)
    target = np.array(draw(st.lists(ids, min_size=k, max_size=k)), dtype=np.int64)
    amounts = st.integers(0, 15).map(float)
    if uncapped:
        amounts = amounts | st.just(float("inf"))
    amount = np.array(draw(st.lists(amounts, min_size=k, max_size=k)), dtype=np.float64)
    amount[(source == target) & np.isinf(amount)] = 1.0
    return MultiCommodityProblem(el, source, target, amount)


def draw_sources_and_blocked(draw: st.DrawFn, n: int) -> tuple[np.ndarray, np.ndarray | None]:
    """One to three source ids of an ``n``-node graph and, half the time, a mask of blocked
    nodes that leaves the sources open."""
    sources = np.array(draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=3)))
    blocked = None
    if draw(st.booleans()):
        blocked = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
        blocked[sources] = False
    return sources, blocked
