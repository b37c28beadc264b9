"""Minimum-cost flow: node supplies, or sources and sinks with a demand (min-cost max-flow).

Two exact solvers in C++, both with the GIL released and interruptible with Ctrl-C:

``network_simplex``
    A primal network simplex (``cpp/include/routecore/network_simplex.h``: block-search
    pivoting, a strongly feasible spanning tree, a big-M start).
``cost_scaling``
    Goldberg's cost-scaling push-relabel (``cpp/include/routecore/cost_scaling.h``: a max-flow
    pass for feasibility, eps-optimal refinements with ``alpha = 16`` and global price updates,
    then exact duals by one Dijkstra pass).

``method="auto"`` applies :func:`routecore.min_cost.choose_min_cost_method` (the rule and its
measurements are there). ``threads=`` is validated and accepted for a uniform API; both solvers
run on one thread.

Problem
-------
Each edge ``e`` carries a flow ``edge_flow[e]`` with ``0 <= edge_flow[e] <= capacity[e]``; at
every node, outflow - inflow equals the node's supply (positive: the node sends, negative: it
receives). The cost ``sum(cost[e] * edge_flow[e])`` is minimised. Without ``capacity=`` and
without graph capacities the edges are *uncapacitated*; ``capacity=`` may also hold ``inf`` for
single uncapacitated edges. An **undirected** edge can carry flow either way up to its capacity;
its flow is signed (positive from ``src`` to ``dst``) and costs ``cost[e] * abs(flow)``, so
undirected edges must have costs >= 0.

With ``sources``, ``sinks`` and ``demand``, ``demand`` units go from the sources (any split) to
the sinks (any split) at minimum cost; with ``demand=None`` the maximum flow is sent, at minimum
cost among maximum flows ("min-cost max-flow"). Internally a super source and sink are added;
they do not appear in the result.

Outcomes, not exceptions: ``status`` is ``"optimal"``, ``"infeasible"`` (no flow meets the
supplies or the demand, including supplies that do not sum to zero) or ``"unbounded"`` (a cycle
of negative cost made only of uncapacitated edges, or ``demand=None`` along a path of
uncapacitated edges). With finite capacities ``"unbounded"`` cannot occur. When a problem is both
infeasible and has such a cycle, the status may be either.

Certificate
-----------
``potentials`` are node duals ``pi`` proving optimality: with the reduced cost
``rc[e] = cost[e] + pi[src[e]] - pi[dst[e]]`` of an edge used from ``src`` to ``dst``,
``rc >= 0`` wherever the edge could carry more flow that way and ``rc <= 0`` wherever it carries
flow that way (for an undirected edge the reverse direction has reduced cost
``cost[e] - pi[src[e]] + pi[dst[e]]``).

Numbers
-------
Capacities, supplies and ``demand`` must be whole numbers (int64; float arrays holding integral
values are accepted); scale fractional units first (e.g. Gbit/s to Mbit/s).

*Integer costs* (an integer array, or floats that are all integral and at most 2**53 in
magnitude, such as a graph's hop weights) are exact: ``cost`` is a Python ``int``, potentials are
int64. The network simplex refuses (:class:`~routecore.GraphError`) problems where ``(n + 2) *
M`` with ``M = (n + 1) * max|cost| + 1`` (n nodes, super nodes included) or the sum of all finite
capacities and ``|supply|`` exceeds ``2**62``; cost scaling, whose prices range further, refuses
``8 * (n + 2) * M > 2**62`` (and ``auto`` then takes the network simplex); the objective itself
is summed in 128 bits.

*Float costs* (latency in ms) are solved in fixed point: costs are multiplied by
``cost_scale``, the largest power of two allowed by that rule (and at most ``2**52 / max|cost|``),
and rounded to integers. The flow is exactly optimal for the rounded costs, so its true cost
exceeds the optimum by at most ``sum(capacity over used edges) / cost_scale`` (each unit of flow
on an edge is mis-priced by at most ``0.5 / cost_scale``, for this flow and for the optimal one);
``cost`` is the float64 sum of true ``cost * edge_flow``, potentials are float64 (the integer
duals divided by ``cost_scale``) and satisfy the certificate within ``1 / cost_scale``
(:data:`FLOAT_COST_TOLERANCE` relative to ``max|cost|`` on graphs of up to 10**5 nodes for the
network simplex; cost scaling's stricter rule makes its ``cost_scale`` 8 times smaller).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal, get_args

import numpy as np
import numpy.typing as npt

from . import _core
from ._min_cost_inputs import LIMIT, UNCAPACITATED, edge_capacities, edge_costs, whole_numbers
from ._validation import as_array, check_graph, choice, terminal_sets, thread_count
from .errors import GraphError
from .graph import Graph

__all__ = [
    "FLOAT_COST_TOLERANCE",
    "MinCostFlowMethod",
    "MinCostFlowResult",
    "choose_min_cost_method",
    "min_cost_flow",
    "min_cost_flow_warm",
]

MinCostFlowMethod = Literal["auto", "network_simplex", "cost_scaling"]
"""Algorithm names accepted by ``method=`` (``auto``: :func:`choose_min_cost_method`)."""

MIN_COST_FLOW_METHODS: tuple[str, ...] = get_args(MinCostFlowMethod)

FLOAT_COST_TOLERANCE = 1e-8
"""Relative resolution of float costs on graphs of up to 10**5 nodes: ``1 / cost_scale`` is at
most this times ``max|cost|`` (the fixed-point rule in the module notes: the scaled costs reach
at least half the bound ``K = (2**62 / (n + 2) - 1) / (n + 1)``, about 4.6e8 for 10**5 nodes, so
``1 / cost_scale <= 2 * max|cost| / K``)."""

AUTO_COST_SCALING_MIN_NODES = 1 << 18
"""Node count from which ``method="auto"`` takes cost scaling (:func:`choose_min_cost_method`)."""

_LIMIT = LIMIT
_INF = UNCAPACITATED


@dataclass(frozen=True)
class MinCostFlowResult:
    """The outcome of :func:`min_cost_flow`.

    Attributes
    ----------
    status : str
        ``"optimal"``, ``"infeasible"`` or ``"unbounded"``. The other fields describe a flow
        only when it is ``"optimal"``; otherwise ``value`` is 0, ``cost`` is None and the
        arrays are zeros.
    value : int
        The flow sent: the total positive supply, or the demand (the maximum flow value when
        ``demand=None``).
    cost : int or float or None
        ``sum(cost * abs(edge_flow))``: a Python ``int`` for integer costs, else a float.
    edge_flow : ndarray of int64, shape (num_edges,)
        Flow per edge in edge-id order; signed for undirected edges (positive from src to dst).
    potentials : ndarray of int64 or float64, shape (num_nodes,)
        Node duals proving optimality (see the module notes for the sign convention).
    method : str
        The algorithm that ran.
    cost_scale : float
        1.0 for integer costs; for float costs the fixed-point factor (module notes).

    Examples
    --------
    >>> import routecore as rc
    >>> g = rc.Graph(3, [0, 0, 1], [1, 2, 2], weight=[1, 5, 1], capacity=[2, 9, 1])
    >>> r = rc.min_cost_flow(g, [3, 0, -3])
    >>> r.status, r.cost, r.edge_flow.tolist()
    ('optimal', 12, [1, 2, 1])
    """

    status: str
    value: int
    cost: int | float | None
    edge_flow: npt.NDArray[np.int64]
    potentials: npt.NDArray[np.int64] | npt.NDArray[np.float64]
    method: str
    cost_scale: float = 1.0


_SOLVERS = {"network_simplex": _core.network_simplex, "cost_scaling": _core.cost_scaling}
# How much stricter each solver's overflow rule is than (n + 2) * M <= 2**62 (module notes).
_BOUND_FACTOR = {"network_simplex": 1, "cost_scaling": 8}


def _max_cost_unit(num_nodes: int, method: str) -> int:
    """The largest integer cost bound K with factor * (n + 2) * ((n + 1) * K + 1) <= 2**62."""
    limit = _LIMIT // _BOUND_FACTOR[method]
    return max(1, (limit // (num_nodes + 2) - 1) // (num_nodes + 1))


def _fits(num_nodes: int, max_cost: int, method: str) -> bool:
    return _BOUND_FACTOR[method] * (num_nodes + 2) * ((num_nodes + 1) * max_cost + 1) <= _LIMIT


def _not_optimal(status: str, n: int, m: int, method: str, scale: float) -> MinCostFlowResult:
    return MinCostFlowResult(
        status, 0, None, np.zeros(m, np.int64), np.zeros(n, np.int64), method, scale
    )


def min_cost_flow(
    graph: Graph,
    supplies: npt.ArrayLike | None = None,
    *,
    sources: Any = None,
    sinks: Any = None,
    demand: int | None = None,
    cost: npt.ArrayLike | None = None,
    capacity: npt.ArrayLike | None = None,
    method: MinCostFlowMethod = "auto",
    threads: int | None = None,
) -> MinCostFlowResult:
    """Minimum-cost flow for node supplies, or from sources to sinks.

    Parameters
    ----------
    graph : Graph
        Directed or undirected (module notes: undirected edges carry signed flow).
    supplies : array_like of int, shape (num_nodes,), optional
        Supply per node (positive: sends, negative: receives). Give either this or
        ``sources`` and ``sinks``.
    sources, sinks : int or array_like of int, optional
        Disjoint non-empty node sets.
    demand : int, optional
        Units to send from the sources to the sinks; ``None`` sends the maximum flow.
    cost : array_like, optional
        Cost per unit of flow per edge; default the graph's weights (1 per edge without).
        Integers are exact; floats use fixed point (module notes). Negative costs are allowed
        on directed graphs.
    capacity : array_like, optional
        Whole-number capacity per edge (``inf`` for uncapacitated); default the graph's
        capacities, or uncapacitated edges when the graph has none.
    method : {"auto", "network_simplex", "cost_scaling"}
        The solver (module notes); ``auto`` applies :func:`choose_min_cost_method`. Both give
        the same optimal cost; with several optimal flows they may return different ones.
    threads : int, optional
        Accepted and validated; both solvers run on one thread.

    Returns
    -------
    MinCostFlowResult
        ``status`` says whether the flow is optimal, infeasible or unbounded.

    Raises
    ------
    GraphError
        Bad arrays (shape, non-integer capacities or supplies, NaN costs, negative costs on an
        undirected graph), both or neither of ``supplies`` and ``sources``/``sinks``, or a
        problem beyond the int64 overflow rule (module notes).

    Examples
    --------
    >>> import routecore as rc
    >>> g = rc.Graph(4, [0, 0, 1, 2], [1, 2, 3, 3], weight=[1, 2, 1, 1], capacity=[1, 5, 5, 5])
    >>> r = rc.min_cost_flow(g, sources=0, sinks=3)
    >>> r.value, r.cost, r.edge_flow.tolist()
    (6, 17, [1, 5, 1, 5])
    >>> rc.min_cost_flow(g, sources=0, sinks=3, demand=7).status
    'infeasible'
    """
    return _solve(graph, supplies, sources, sinks, demand, cost, capacity, method, threads, None)


def min_cost_flow_warm(
    graph: Graph,
    start_edge: npt.ArrayLike,
    saturated: npt.ArrayLike,
    *,
    sources: Any,
    sinks: Any,
    demand: int | None = None,
    capacity: npt.ArrayLike | None = None,
) -> MinCostFlowResult:
    """:func:`min_cost_flow` from sources to sinks (``method="auto"``), the network simplex
    started from a proposed flow (an internal entry point for analyses that know a
    near-optimal routing; ignored where ``auto`` picks cost scaling).

    The start only saves pivots: the status, the optimal cost and the certificate are those
    of :func:`min_cost_flow`; where several flows are optimal, the one returned may differ.
    ``cpp/include/routecore/network_simplex.h`` ("Warm start") says how the proposal becomes a
    strongly feasible spanning tree; proposals that do not fit are dropped, never an error.

    Parameters
    ----------
    graph : Graph
        Directed (the costs are the graph's weights).
    start_edge : array_like of int, shape (num_nodes,)
        Per node the edge to its parent in the proposed tree (towards the sinks: e.g. a
        reverse shortest-path tree's ``pred_edge``), or -1. The sinks are joined to the
        internal super sink whatever is given for them.
    saturated : array_like of bool, shape (num_edges,)
        Edges that start at their capacity (e.g. the demand edges of the sources' fan-out).
    sources, sinks, demand, capacity
        As in :func:`min_cost_flow`.

    Returns
    -------
    MinCostFlowResult

    Examples
    --------
    >>> import routecore as rc
    >>> from routecore.min_cost import min_cost_flow_warm
    >>> g = rc.Graph(4, [0, 0, 1, 2], [1, 2, 3, 3], weight=[1, 2, 1, 1], capacity=[1, 5, 5, 5])
    >>> r = min_cost_flow_warm(g, [0, 2, 3, -1], [False] * 4, sources=0, sinks=3)
    >>> r.value, r.cost, r.edge_flow.tolist()
    (6, 17, [1, 5, 1, 5])
    """
    graph = check_graph(graph)
    if not graph.directed:
        raise GraphError("min_cost_flow_warm: the graph must be directed")
    n, m = graph.num_nodes, graph.num_edges
    edge = as_array(start_edge, "start_edge")
    if edge.shape != (n,) or edge.dtype.kind not in "iu":
        raise GraphError(f"start_edge: expected {n} integers, got {edge.dtype} {edge.shape}")
    full = as_array(saturated, "saturated")
    if full.shape != (m,) or full.dtype.kind != "b":
        raise GraphError(f"saturated: expected {m} booleans, got {full.dtype} {full.shape}")
    bad = np.flatnonzero((edge < -1) | (edge >= m))
    if bad.size:
        i = int(bad[0])
        raise GraphError(f"start_edge[{i}] = {edge[i]} is not an edge id (0 .. {m - 1}) or -1")
    start = (np.asarray(edge, np.int32), np.asarray(full, np.uint8))
    return _solve(graph, None, sources, sinks, demand, None, capacity, "auto", 1, start)


def _solve(
    graph: Graph,
    supplies: npt.ArrayLike | None,
    sources: Any,
    sinks: Any,
    demand: int | None,
    cost: npt.ArrayLike | None,
    capacity: npt.ArrayLike | None,
    method: MinCostFlowMethod,
    threads: int | None,
    start: tuple[npt.NDArray[np.int32], npt.NDArray[np.uint8]] | None,
) -> MinCostFlowResult:
    """:func:`min_cost_flow`'s body; ``start`` (sources and sinks on a directed graph, network
    simplex only): :func:`min_cost_flow_warm`'s proposal."""
    graph = check_graph(graph)
    method = choice(method, MIN_COST_FLOW_METHODS, "method")  # type: ignore[assignment]
    thread_count(threads)
    n, m = graph.num_nodes, graph.num_edges
    cap = edge_capacities(graph, capacity)
    costs, exact = edge_costs(graph, cost)
    arcs = m if graph.directed else 2 * m
    chosen = choose_min_cost_method(n, arcs) if method == "auto" else str(method)
    wide = method == "auto" and exact and costs.size > 0
    if wide and not _fits(n + 2, int(np.abs(costs).max()), chosen):
        chosen = "network_simplex"  # the wider overflow rule
    src, dst = graph.src, graph.dst  # int32 copies
    if supplies is not None:
        if sources is not None or sinks is not None or demand is not None:
            raise GraphError("give either supplies or sources and sinks (with demand), not both")
        supply = whole_numbers(supplies, n, "supplies", allow_inf=False)
        if int(supply.sum(dtype=object)) != 0:
            return _not_optimal("infeasible", n, m, chosen, 1.0)
        extra_tail = extra_head = np.zeros(0, np.int32)
        value = int(supply[supply > 0].sum(dtype=object))
        total_nodes = n
    else:
        if sources is None or sinks is None:
            raise GraphError("give supplies, or both sources and sinks")
        s_ids, t_ids = terminal_sets(sources, sinks, n)
        if demand is None:
            value_or_none = _max_flow_value(graph, s_ids, t_ids, cap)
            if value_or_none is None:
                return _not_optimal("unbounded", n, m, chosen, 1.0)
            value = value_or_none
        else:
            value = whole_numbers(np.array([demand]), 1, "demand", allow_inf=False)[0].item()
            if value < 0:
                raise GraphError(f"demand = {value} is negative")
        supply = np.zeros(n + 2, dtype=np.int64)
        supply[n], supply[n + 1] = value, -value
        extra_tail = np.concatenate([np.full(s_ids.size, n, np.int32), t_ids]).astype(np.int32)
        extra_head = np.concatenate([s_ids, np.full(t_ids.size, n + 1, np.int32)]).astype(np.int32)
        total_nodes = n + 2
    scale = 1.0
    if exact:
        int_cost = costs.astype(np.int64)
    else:
        top = float(np.abs(costs).max()) if costs.size else 0.0
        if top == 0.0:
            int_cost = np.zeros(m, np.int64)
        else:
            k_max = min(_max_cost_unit(total_nodes, chosen), 2**52)
            scale = 2.0 ** np.floor(np.log2(k_max / top))
            int_cost = np.rint(costs * scale).astype(np.int64)
    if graph.directed:
        tail, head = np.concatenate([src, extra_tail]), np.concatenate([dst, extra_head])
        arc_cap, arc_cost = cap, int_cost
    else:
        tail = np.concatenate([src, dst, extra_tail])
        head = np.concatenate([dst, src, extra_head])
        arc_cap, arc_cost = np.concatenate([cap, cap]), np.concatenate([int_cost, int_cost])
    k = extra_tail.size
    arc_cap = np.concatenate([arc_cap, np.full(k, _INF, np.int64)])
    arc_cost = np.concatenate([arc_cost, np.zeros(k, np.int64)])
    warm: dict[str, Any] = {}
    if start is not None and chosen == "network_simplex" and k:
        # The super source hangs from its first source, each sink from the super sink.
        tree = np.concatenate([start[0], [m, -1]]).astype(np.int32)
        tree[t_ids] = m + s_ids.size + np.arange(t_ids.size, dtype=np.int32)
        upper = np.concatenate([start[1], np.zeros(k, np.uint8)])
        warm = {"start_tree": tree, "start_upper": upper}
    out = _SOLVERS[chosen](
        num_nodes=total_nodes,
        tail=np.ascontiguousarray(tail, np.int32),
        head=np.ascontiguousarray(head, np.int32),
        capacity=np.ascontiguousarray(arc_cap),
        cost=np.ascontiguousarray(arc_cost),
        supply=supply,
        **warm,
    )
    if out.status == "overflow":
        factor = "" if chosen == "network_simplex" else f"{_BOUND_FACTOR[chosen]} * "
        raise GraphError(
            f"min_cost_flow ({chosen}): the problem exceeds the int64 rule ({factor}(n + 2) * "
            "((n + 1) * max|cost| + 1) and the sum of capacities and supplies must stay within "
            "2**62); scale costs or capacities down"
        )
    if out.status != "optimal":
        return _not_optimal(str(out.status), n, m, chosen, scale)
    arc_flow = out.flow
    flow = arc_flow[:m] if graph.directed else arc_flow[:m] - arc_flow[m : 2 * m]
    pi = out.potential[:n]
    if exact:
        assert out.cost is not None  # set whenever the status is optimal
        total: int | float = int(out.cost)
        potentials: npt.NDArray[Any] = pi
    else:
        # Not np.dot: OpenBLAS splits a long dot product over its threads (10 ms and more per
        # call on a busy machine, and rounded by how it split): the exactly rounded sum of
        # the per-edge costs of the used edges.
        used = np.flatnonzero(flow)
        total = math.fsum((np.abs(flow[used]) * costs[used]).tolist())
        potentials = pi.astype(np.float64) / scale
    return MinCostFlowResult("optimal", int(value), total, flow, potentials, chosen, float(scale))


def choose_min_cost_method(num_nodes: int, num_arcs: int) -> str:
    """The solver ``method="auto"`` runs for a problem of this size.

    The rule: ``"cost_scaling"`` from :data:`AUTO_COST_SCALING_MIN_NODES` (2**18) nodes on, else
    ``"network_simplex"``. Measured (``bench/bench_min_cost_flow.py``, one core, CPU time): the
    network simplex is faster on NETGEN-8 from 4,096 to 65,536 nodes (by 3.5x, 2.2x and 1.7x:
    the gap closes as the graphs grow) and on grids up to 128 x 128 (by 2.9x and 1.9x); at 256
    x 256 (65,536 nodes) the two are level. Cost scaling grows more slowly with size (x5.6 to
    x10.5 per 4x nodes against x9 to x21), so it takes over beyond the measured sizes; the
    threshold sits one size step above the largest measured one, where the growth rates put
    the grids past the crossover and NETGEN-8 near it. The arc count is not used: two
    families are too few to fit a density term. Re-measured after the network simplex's
    speed-ups (CPU time, one run each, loaded machine): grid 256 x 256 8.7 s network simplex
    against 13.8 s cost scaling; grid 512 x 512 (2**18 nodes) 178 s against 77 s; NETGEN-8
    65,536 nodes 1.5 s against 3.3 s. The grids cross near 1.1e5 nodes (interpolated), NETGEN-8
    later, so the threshold stays between the two.

    Parameters
    ----------
    num_nodes, num_arcs : int
        Size of the problem (arcs: both directions of an undirected edge).

    Returns
    -------
    str
        ``"network_simplex"`` or ``"cost_scaling"``.

    Examples
    --------
    >>> from routecore.min_cost import choose_min_cost_method
    >>> choose_min_cost_method(4096, 32768)
    'network_simplex'
    """
    del num_arcs  # the measured crossover depends on the node count alone
    return "cost_scaling" if num_nodes >= AUTO_COST_SCALING_MIN_NODES else "network_simplex"


def _max_flow_value(
    graph: Graph, sources: npt.NDArray[np.int32], sinks: npt.NDArray[np.int32], cap: Any
) -> int | None:
    """The maximum flow value, or None when a path of uncapacitated edges joins them."""
    from .flow import max_flow

    finite = cap != _INF
    bound = int(cap[finite].sum(dtype=object)) + 1
    if bound > _LIMIT:
        raise GraphError("min_cost_flow: the sum of the capacities exceeds 2**62")
    caps = np.where(finite, cap, bound).astype(np.int64)
    value = int(max_flow(graph, sources, sinks, capacity=caps).value)
    return None if value >= bound else value
