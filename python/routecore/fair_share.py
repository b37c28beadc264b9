"""Max-min fair rates for many sources sharing one network towards a set of sinks.

Problem
-------
Each of ``k`` sources (schools, terminals) sends flow at a rate ``r_i``, at most its demand
``d_i``, to any of the sinks (gateways, the internet exchange), over a graph with edge
capacities, routed however the network allows (a single-commodity flow: all sinks are alike).
The *max-min fair* allocation is the lexicographically largest vector of rates sorted
ascending: raise the smallest rate as far as possible, then the next, and so on. The feasible
rate vectors of such a network form a polymatroid (``r(Y) <= min cut between Y and the sinks``
for every set ``Y`` of sources, and ``r <= d``), so this allocation exists and is unique.

Method: progressive filling by parametric max-flow
--------------------------------------------------
A super source ``S`` is joined to every source ``i`` by an edge of capacity ``min(lam, d_i)``
while ``i`` is still growing (*active*) and ``r_i`` once it is *frozen*. A level ``lam`` is
feasible when a maximum flow saturates every edge out of ``S``; equivalently, for every node set
``X`` that holds no sink::

    t_X(lam) = c(X) - sum_{frozen i in X} r_i - sum_{active i in X} min(lam, d_i) >= 0,

where ``c(X)`` is the capacity of the graph edges leaving ``X``. Each level's largest feasible
``lam*`` is found by Newton (Dinkelbach) steps on minimum cuts: start at an upper bound; while a
minimum cut ``X`` at ``lam`` has ``t_X(lam) < 0``, move to the root of ``t_X`` (the largest
``lam'`` with ``t_X(lam') >= 0``, a water level over the demands of the active sources in ``X``:
``lam' = (c(X) - frozen rates in X - demands of the active sources in X capped below lam') /
(number of active sources in X not capped)``). Every root is still ``>= lam*`` (``t_X >=`` the
minimum over all cuts), the steps strictly decrease, and a cut never returns once passed, so the
iteration ends at ``lam*`` exactly, in a few max-flows. At ``lam*`` the sources whose rate
cannot grow are frozen: those capped by their demand (``d_i <= lam*``, full demand) and those in
a *tight* set, the source side of the minimum cut closest to the sinks (the union of all tight
sets: no sink is reachable from it along edges with spare capacity) together with the cut that
gave ``lam*``. Several sources can freeze at one level (ties). One last max-flow with every
source edge at its final rate gives :attr:`FairShare.edge_flow`.

The initial bound of a level is the smallest of: the largest active demand; ``c({i})`` (the
capacity of the edges leaving source ``i``) over the active sources with ``d_i > c({i})``; and the
root of every minimum cut met at earlier levels (up to :data:`POOL_SIZE` of them), recomputed
with today's frozen rates. Each is an upper bound, and the next bottleneck is often one of the
earlier cuts, which the first max-flow of the level then confirms.

Complexity
----------
``L <= k`` levels, each a few max-flows on the graph plus ``k`` source edges: Newton ends after
finitely many steps (a cut, once passed, never returns; without demand caps the number of active
sources in the cut falls at each step, so at most ``k + 1``), and with the earlier cuts as bounds
a level costs about 2 max-flows on our benchmarks (:attr:`FairShare.max_flow_calls` says how many
ran). Around each max-flow, ``O(m + k log k)`` numpy work; no Python loop runs over edges or
nodes, only over levels, Newton steps and kept cuts. The graph with the super source is built
once per call.

Capacities and tolerance
------------------------
Capacities (integers or floats) and rates are float64 (integers beyond ``2**53`` lose digits);
levels of integer problems are rationals, returned as the nearest floats. Capacities above twice
the largest possible total flow ``B`` cannot bind and are clamped there first, so float residuals
stay on the scale of the flows. ``B`` is bounded by what the sources can emit and what can enter
the sinks; when capacities span more than ``2**20`` (largest over smallest, source emissions
included) one extra max-flow gives ``B`` itself, since that cheap bound counts links no flow can
use (a huge link from a sink to a dead end), and half a unit over a ``2**59`` link would be lost
in rounding. Each test and each Newton step is computed from the capacities of the cut's edges
and the source-edge capacities, not from the float max-flow value: a cut ``X`` with
``t_X(lam) < -tol * s`` (``tol =`` :data:`FEASIBILITY_TOLERANCE`, ``s`` the larger of ``c(X)``
and the demand of ``X`` at ``lam``) is a genuine violated set, whatever rounding the max-flow
made, and ``tol`` only absorbs the rounding of those two sums. Two levels within ``tol`` of each
other (relative) are one level. So rates are the max-min fair rates up to float
rounding, and :attr:`FairShare.edge_flow` meets capacities and conservation as
:func:`~routecore.max_flow` does (within :data:`~routecore.flow.FLOAT_TOLERANCE` times the total
rate).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ._validation import check_flow_size, check_graph, edge_values, thread_count
from ._validation._fair import fair_share_terminals, rate_caps, source_weights
from .errors import GraphError
from .flow import FlowResult, MinCut, max_flow, min_cut
from .graph import Graph

__all__ = ["FEASIBILITY_TOLERANCE", "POOL_SIZE", "FairShare", "max_min_fair"]

FEASIBILITY_TOLERANCE = 1e-12
"""Relative slack of the feasibility test of a level (see the module notes): far above the
rounding of a float sum of capacities, far below any gap that matters. Not
:data:`~routecore.flow.FLOAT_TOLERANCE` (1e-9): that one bounds a max-flow's rounding, and a
level accepted within it could shortchange a small source by a whole unit beside a large one."""

POOL_SIZE = 256
"""How many past minimum cuts a solve keeps as upper bounds for later levels (each costs eight
bytes per source of the cut still growing)."""

_WIDE_RANGE = 2.0**20
"""Capacities spanning more than this factor (largest over the smallest capacity or source
emission) cost one extra max-flow for an exact bound B before clamping (see the module notes):
below it float residuals keep rates exact to 2**-33 of a link however loose the cheap bound."""

Float64Array = npt.NDArray[np.float64]
Int32Array = npt.NDArray[np.int32]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class FairShare:
    """The max-min fair rates of :func:`max_min_fair`, with their certificates.

    Attributes
    ----------
    rates : ndarray of float64, shape (k,)
        The rate of each source (in ``sources`` order), the lexicographically max-min fair
        allocation: ``0 <= rates[i] <= demand[i]``.
    total : float
        ``(weight * rates).sum()``: the traffic carried under fair sharing. A max-min fair
        allocation is a maximal flow: this equals the maximum flow with each source fed at
        most its demand.
    guaranteed : float
        ``rates.min()``: the rate every source gets at least.
    levels : ndarray of float64, shape (L,)
        The distinct bottleneck rates, ascending: level ``j`` is the rate at which a tight cut
        stopped the sources with ``level_of == j``.
    level_of : ndarray of int32, shape (k,)
        Index into ``levels`` of the level that froze each source, ``-1`` for a source that
        gets its full demand (then ``rates[i] == demand[i]``).
    edge_flow : ndarray of float64, shape (num_edges,)
        A flow realising ``rates``, in edge-id order, ``|edge_flow| <= capacity`` (for an
        undirected edge the sign gives the direction: positive from ``src`` to ``dst``). Each
        source emits exactly its rate, sinks absorb, every other node conserves flow.
    level_cut_edges : tuple of ndarray of int32, one per level
        Ids (ascending) of the edges leaving the tight node set of each level (the sources it
        froze, and those frozen before it in that set). Every flow that realises ``rates``
        saturates them (and carries nothing into the set on directed edges): they are the
        bottleneck links of that level. A level's set may contain earlier levels' sets, so
        their edges may repeat.
    full_demand : ndarray of bool, shape (k,)
        ``level_of == -1``: the sources that get all they ask for.
    max_flow_calls : int
        How many max-flow / min-cut solves ran: Newton steps over all levels, plus one for
        ``edge_flow`` unless the last step's flow already realises the rates.
    """

    rates: Float64Array
    total: float
    guaranteed: float
    levels: Float64Array
    level_of: Int32Array
    edge_flow: Float64Array
    level_cut_edges: tuple[Int32Array, ...]
    full_demand: BoolArray
    max_flow_calls: int

    @property
    def saturated_edges(self) -> Int32Array:
        """Ids (ascending) of every edge in some level's tight cut: the union of
        :attr:`level_cut_edges`, all saturated by :attr:`edge_flow`."""
        if not self.level_cut_edges:
            return np.zeros(0, dtype=np.int32)
        return np.unique(np.concatenate(self.level_cut_edges)).astype(np.int32)


def max_min_fair(
    graph: Graph,
    sources: Any,
    sinks: Any,
    demand: Any = math.inf,
    *,
    capacity: npt.ArrayLike | None = None,
    threads: int | None = None,
    weight: npt.ArrayLike | None = None,
) -> FairShare:
    """Max-min fair rates from many sources to a set of sinks (progressive filling).

    Raises the smallest rate as far as the capacities allow, then the next, and so on (the
    lexicographically max-min fair allocation), with each rate capped by its source's demand.
    Computed exactly (up to float rounding, see the module notes) by repeated bottleneck
    detection with parametric max-flow: Newton steps on minimum cuts find each bottleneck
    level in a few max-flows, and the sources behind the tight cut freeze there.

    Parameters
    ----------
    graph : Graph
        Directed or undirected, with capacities (or ``capacity=``).
    sources : array_like of int
        One flow source per entry (e.g. schools); each node at most once.
    sinks : int or array_like of int
        Where flow may end (e.g. gateways); any split among them. None may be a source.
    demand : float or array_like of float, default inf
        The most each source wants, one per source or one for all; ``>= 0``, ``inf`` for no cap.
    capacity : array_like of int or float, optional
        One capacity per edge, overriding the graph's.
    threads : int, optional
        Threads for the passes around each max-flow (see :func:`~routecore.max_flow`).
    weight : array_like of float, optional
        One per source, each finite and ``> 0`` (default all 1): source ``i`` stands for
        ``weight[i]`` identical sources (e.g. terminals that share every link, merged into one
        node). Rates and demands are then per represented source: source ``i`` emits
        ``weight[i] * rates[i]``, at most ``weight[i] * demand[i]``, and fairness compares
        ``rates`` (weighted max-min fairness). The rates equal those of the ``weight[i]``
        separate sources when their links are identical (each with its share of the links).

    Returns
    -------
    FairShare
        Rates, total, guaranteed minimum, bottleneck levels and their cuts, a flow realising the
        rates, and which sources get their full demand.

    Raises
    ------
    GraphError
        Bad capacities or none, empty or repeated sources, a source that is also a sink, node
        ids out of range (:class:`NodeIndexError`), a demand that is negative or NaN.
    ValueError, TypeError
        A bad ``threads``.

    Notes
    -----
    ``L`` bottleneck levels (at most ``k``) each cost a few max-flows on the graph plus one
    edge per source; the total is :attr:`FairShare.max_flow_calls`.

    Examples
    --------
    Three schools behind links of 1, 4 and 4 share a 6-unit uplink to the gateway ``4``:

    >>> import routecore as rc
    >>> g = rc.Graph(5, [0, 1, 2, 3], [3, 3, 3, 4], capacity=[1, 4, 4, 6])
    >>> fair = rc.max_min_fair(g, [0, 1, 2], 4)
    >>> fair.rates.tolist(), fair.guaranteed, fair.levels.tolist(), fair.level_of.tolist()
    ([1.0, 2.5, 2.5], 1.0, [1.0, 2.5], [0, 1, 1])
    >>> [cut.tolist() for cut in fair.level_cut_edges]
    [[0], [3]]
    >>> rc.max_min_fair(g, [0, 1, 2], 4, demand=[5, 2, 5]).rates.tolist()
    [1.0, 2.0, 3.0]

    Source ``2`` standing for two schools (``weight=2``) gets half as much per school:

    >>> fair = rc.max_min_fair(g, [0, 1, 2], 4, weight=[1, 1, 2])
    >>> fair.rates.tolist(), fair.total
    ([1.0, 1.6666666666666667, 1.6666666666666667], 6.0)
    """
    graph = check_graph(graph)
    n, m = graph.num_nodes, graph.num_edges
    src, dst = fair_share_terminals(sources, sinks, n)
    check_flow_size(m + src.size)
    caps = rate_caps(demand, src.size)
    weights = source_weights(weight, src.size)
    thread_count(threads)  # refuse a bad value before any work
    return _Filling(graph, src, dst, caps, _edge_capacity(graph, capacity), threads, weights).run()


def _edge_capacity(graph: Graph, capacity: npt.ArrayLike | None) -> Float64Array:
    """Capacities in edge-id order as float64: the call's, else the graph's."""
    if capacity is None:
        own = graph.capacity
        if own is None:
            raise GraphError(
                "the graph has no capacities; pass capacity= (one value per edge) or build the "
                "Graph with capacity="
            )
        return own.astype(np.float64)
    per_edge = edge_values(capacity, graph.num_edges, "capacity", kind="capacity")
    return np.asarray(per_edge, dtype=np.float64)


def _smallest_scale(cap: Float64Array, emit: Float64Array) -> float:
    """The smallest positive capacity or source emission: the finest scale a rate lives on."""
    values = np.concatenate((cap, emit))
    positive = values[(values > 0.0) & np.isfinite(values)]
    return float(positive.min(initial=math.inf))


def _water_level(demand: Float64Array, weight: Float64Array, budget: float) -> float:
    """The largest ``lam >= 0`` with ``sum(weight * min(lam, demand)) <= budget`` (``inf`` if
    none bounds it): the root of one cut's ``t_X``."""
    if budget <= 0.0:
        return 0.0
    order = np.argsort(demand, kind="stable")
    d, w = demand[order], weight[order]
    p = d.size
    wd = w * d
    below = np.concatenate(([0.0], np.cumsum(wd[:-1]))) if p else d  # weighted j smallest
    rest = np.cumsum(w[::-1])[::-1]  # weight of the sources from j on
    reach = below + rest * d  # sum(weight * min(d[j], demand)), nondecreasing in j
    j = int(np.searchsorted(reach, budget, side="left"))
    if j == p:
        return math.inf
    return float((budget - below[j]) / rest[j])


class _Filling:
    """One progressive-filling solve: the graph with its super source, and the state."""

    def __init__(
        self,
        graph: Graph,
        src: Int32Array,
        sinks: Int32Array,
        demand: Float64Array,
        cap: Float64Array,
        threads: int | None,
        weight: Float64Array,
    ) -> None:
        n, k = graph.num_nodes, src.size
        self.src, self.sinks, self.demand, self.cap, self.threads = src, sinks, demand, cap, threads
        self.weight = weight  # source i stands for weight[i] sources: its edge carries w * rate
        self.tail, self.head, self.directed = graph.src, graph.dst, graph.directed
        self.super_source = n
        # Edge ids 0..m-1 are the graph's, m + i joins the super source to sources[i].
        self.aug = Graph(
            n + 1,
            np.concatenate((self.tail, np.full(k, n, dtype=np.int32))),
            np.concatenate((self.head, src)),
            directed=graph.directed,
        )
        self.out_cap = self.leaving(src, cap)  # c({i}): an upper bound on w_i x rate of i
        # No flow exceeds B = min(what the sources can emit, what enters the sinks), so a
        # capacity above 2 B never binds: clamping it there changes no rate and no tight cut
        # (a cut through it has room 2 B > B), and keeps float residuals on the scale of the
        # flows (a 2**60 edge would otherwise swallow a rate of 3.5 in its rounding).
        is_sink = np.zeros(n, dtype=bool)
        is_sink[sinks] = True
        a, b = is_sink[self.tail], is_sink[self.head]
        entering = (b & ~a) if graph.directed else (a != b)
        emit = np.minimum(weight * demand, self.out_cap)
        bound = min(float(emit.sum()), float(cap[entering].sum()))
        top = float(cap.max(initial=0.0))
        if bound > 0.0 and top > _WIDE_RANGE * _smallest_scale(cap, emit):
            # That bound counts capacity the flow cannot use (a huge link from a sink to a dead
            # end, a huge link between two sources); one max-flow gives B itself.
            bound = min(bound, self.max_flow_value(cap, emit))
        if bound > 0.0 and top > 2.0 * bound:
            self.cap = cap = np.minimum(cap, 2.0 * bound)
            self.out_cap = self.leaving(src, cap)
        self.scale = max(float(self.out_cap.max(initial=0.0)), math.ulp(0.0))
        self.calls = 0
        self.flow: tuple[Float64Array, npt.NDArray[Any]] | None = None  # last max_flow's
        self.pool: list[tuple[float, npt.NDArray[np.intp]]] = []  # past cuts, see level()

    def max_flow_value(self, cap: Float64Array, emit: Float64Array) -> float:
        """The largest total flow the sources can send, each at most ``emit``."""
        capacity = np.concatenate((cap, emit))
        found = max_flow(
            self.aug, self.super_source, self.sinks, capacity=capacity, threads=self.threads
        )
        return float(found.value)

    def leaving(self, nodes: Int32Array, cap: Float64Array) -> Float64Array:
        """The capacity of the edges leaving each of ``nodes`` (self-loops aside; both
        directions of an undirected edge)."""
        proper = self.tail != self.head
        n = self.super_source
        out = np.bincount(self.tail[proper], weights=cap[proper], minlength=n)
        if not self.directed:
            out += np.bincount(self.head[proper], weights=cap[proper], minlength=n)
        return np.asarray(out[nodes], dtype=np.float64)

    def cut(self, source_cap: Float64Array, *, with_flow: bool) -> tuple[BoolArray, float]:
        """A minimum cut with these source-edge capacities: its node side (super source
        included) and ``c(X)``, its capacity over graph edges only. Without ``with_flow`` the
        cut closest to the sinks (no flow read back); with it the cut closest to the sources,
        and the flow is kept in :attr:`flow` for :meth:`run` to reuse."""
        m = self.cap.size
        capacity = np.concatenate((self.cap, source_cap))
        found: FlowResult | MinCut
        if with_flow:
            found = max_flow(
                self.aug, self.super_source, self.sinks, capacity=capacity, threads=self.threads
            )
            self.flow = (source_cap, found.edge_flow)
        else:
            found = min_cut(
                self.aug, self.super_source, self.sinks, capacity=capacity, threads=self.threads
            )
        self.calls += 1
        edges = found.cut_edges[found.cut_edges < m]
        return found.source_side, float(self.cap[edges].sum())

    def cut_edges(self, side: BoolArray) -> Int32Array:
        """Ids of the graph edges leaving a node set (either way round when undirected)."""
        a, b = side[self.tail], side[self.head]
        crossing = (a & ~b) if self.directed else (a != b)
        return np.flatnonzero(crossing).astype(np.int32)

    def level(self, rates: Float64Array, frozen: BoolArray) -> tuple[float, BoolArray, BoolArray]:
        """The next level ``lam*``, a tight node set at it and the sources of a tight set (the
        sets may hold no source when every active source is capped by its demand)."""
        active = ~frozen
        d, w = self.demand, self.weight
        top = lam = float(d[active].max())
        prev = np.zeros(self.super_source + 1, dtype=bool)  # the cut whose root is lam
        prev_src = np.zeros(self.src.size, dtype=bool)  # its sources
        per_source = self.out_cap / w  # the rate source i's own edges allow
        bounded = active & (d > per_source)
        if bounded.any() and float(per_source[bounded].min()) < lam:
            lam = float(per_source[bounded].min())
            prev_src = bounded & (per_source == lam)
            prev[self.src[prev_src]] = True
        # Every cut met before is still an upper bound with today's frozen rates: the next
        # bottleneck is often one of them, and then the first max-flow confirms it. A cut is
        # kept as (budget, active members): c(X) less the frozen rates in X, and the sources of
        # X still growing, so updating it costs only its members.
        kept: list[tuple[float, npt.NDArray[np.intp]]] = []
        for budget, members in self.pool:
            done = frozen[members]
            budget -= float((w * rates)[members[done]].sum())
            members = members[~done]
            if members.size:
                kept.append((budget, members))
                root = _water_level(d[members], w[members], budget)
                if root < lam:
                    lam = root
                    prev_src = np.zeros_like(prev_src)
                    prev_src[members] = True
                    prev = np.zeros_like(prev)
        self.pool = kept
        # Newton steps strictly decrease lam; in exact arithmetic each passes one cut for good,
        # so this bound is never met (it only keeps a float pathology from looping).
        for _ in range(4 * self.src.size + 16):
            source_cap = w * np.where(active, np.minimum(lam, d), rates)
            # At lam = the largest demand a feasible answer freezes every active source at its
            # demand: ask for the flow too, which run() then reuses as the final one.
            side, c_x = self.cut(source_cap, with_flow=lam >= top)
            in_x = side[self.src]
            load = float(source_cap[in_x].sum())
            if c_x - load >= -FEASIBILITY_TOLERANCE * max(c_x, load):
                break  # feasible: side is the largest tight set (or all are capped)
            self.flow = None  # it does not realise these rates
            budget = c_x - float((w * rates)[in_x & frozen].sum())
            grow = in_x & active
            root = _water_level(d[grow], w[grow], budget)
            if not root < lam:  # no progress left but rounding: lam is the level
                break
            self.pool.append((budget, np.flatnonzero(in_x & active)))
            if len(self.pool) > POOL_SIZE:
                del self.pool[0]
            lam, prev, prev_src = root, side, in_x
        else:
            raise RuntimeError(
                "max_min_fair: Newton steps on minimum cuts did not converge; please report "
                "this input"
            )
        return lam, side | prev, in_x | prev_src

    def run(self) -> FairShare:
        k = self.src.size
        rates = np.zeros(k, dtype=np.float64)
        frozen = np.zeros(k, dtype=bool)
        level_of = np.full(k, -1, dtype=np.int32)
        levels: list[float] = []
        cuts: list[Int32Array] = []
        while not frozen.all():
            lam, tight, tight_src = self.level(rates, frozen)
            active = ~frozen
            merge = bool(levels) and lam - levels[-1] <= FEASIBILITY_TOLERANCE * abs(lam)
            if merge:
                lam = levels[-1]
            capped = active & (self.demand <= lam)
            stuck = active & ~capped & tight_src
            if not (capped.any() or stuck.any()):  # never in exact arithmetic; rounding guard
                stuck = active
            rates[capped] = self.demand[capped]
            rates[stuck] = lam
            frozen |= capped | stuck
            if stuck.any():
                edges = self.cut_edges(tight)
                if merge:
                    cuts[-1] = np.union1d(cuts[-1], edges).astype(np.int32)
                else:
                    levels.append(lam)
                    cuts.append(edges)
                level_of[stuck] = len(levels) - 1
        emitted = self.weight * rates
        if self.flow is None or not np.array_equal(self.flow[0], emitted):
            self.cut(emitted, with_flow=True)
        assert self.flow is not None
        edge_flow = np.asarray(self.flow[1][: self.cap.size], dtype=np.float64)
        return FairShare(
            rates=rates,
            total=float(emitted.sum()),
            guaranteed=float(rates.min()),
            levels=np.array(levels, dtype=np.float64),
            level_of=level_of,
            edge_flow=edge_flow,
            level_cut_edges=tuple(cuts),
            full_demand=level_of == -1,
            max_flow_calls=self.calls,
        )
