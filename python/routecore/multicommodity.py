"""Multi-commodity flow: route a matrix of demands at once, with a certified optimality gap.

The solver is a length-function approximation scheme in C++
(``cpp/include/routecore/multicommodity_flow.h``: Garg & Könemann 1998/2007, Fleischer 2000,
Karakostas 2002; one shortest-path tree per source serves every demand from that source). It
runs with the GIL released and can be interrupted with Ctrl-C. The solver runs on one thread;
``threads=`` is used by the candidate path search of ``max_latency`` (below).

Problem
-------
Edges have capacities shared by all demands (an undirected edge carries flow both ways, the two
directions summed over all demands at most its capacity). A demand ``j`` asks for
``amount[j]`` from ``source[j]`` to ``target[j]``.

* ``objective="concurrent"``: the largest ``lambda`` such that ``lambda * amount[j]`` of every
  demand is routed at once (maximum concurrent flow; ``lambda >= 1`` means the whole matrix
  fits).
* ``objective="total"``: the largest total routed, each demand at most its ``amount`` (``inf``:
  no cap).

Certificate
-----------
The result holds a feasible flow (``value``: its lambda or total) and an upper bound on the
optimum (``upper_bound``, from the solver's edge lengths by LP duality), so
``value <= optimum <= upper_bound`` always, and the solver stops once
``value >= (1 - epsilon) * upper_bound`` (``status="converged"``). The flow is a sum of paths,
so every demand's flow is conserved; capacities hold up to float rounding (the flow is scaled
by ``1 - 1e-12`` below what its congestion allows). For ``concurrent`` every demand receives
exactly ``value * amount[j]``.

A demand whose target cannot be reached over edges of positive capacity makes the concurrent
optimum 0: the result has ``status="unreachable"``, ``value = upper_bound = 0`` and lists the
demands in ``unreachable`` (no iterations are run). For ``total`` such demands get 0 and the
others are routed. A demand from a node to itself needs no edge: it is always met in full.

Latency budgets
---------------
``max_latency`` routes each demand only over paths whose ``weight`` sum (its latency) is within
the demand's budget. The method is path-based, as in LEOCraft's throughput LP: every demand
``j`` gets a candidate set, the loopless paths from ``source[j]`` to ``target[j]`` over edges of
positive capacity whose latency is ``<= max_latency[j]``, shortest first, at most
``paths_per_demand`` of them (:func:`~routecore.k_shortest_paths` with ``max_length``; an
``inf`` budget means just the ``paths_per_demand`` shortest paths). When ``max_latency`` is
given every demand uses its candidate set (none falls back to the tree method). The same
length-function solver then runs on the path-restricted LP (each step takes, per demand, the
candidate of least length; ``solve_path_multicommodity_flow`` in
``cpp/include/routecore/multicommodity_flow.h``).

*What is certified*: ``value <= optimum <= upper_bound`` for the LP restricted to the candidate
paths. ``paths_complete[j]`` is ``True`` when fewer than ``paths_per_demand + 1`` loopless paths
exist within demand ``j``'s budget, so its candidates are all of them; when it is ``True`` for
every demand the bound is the budget-constrained optimum itself (a walk within a budget contains
a loopless path within it, on fewer edges). Where it is ``False`` the answer is certified for the
listed candidates only: a longer path that is still within the budget might carry more, so
raise ``paths_per_demand`` to see whether the value moves. Every used path is within its budget.

A demand with no path within its budget is treated like an unreachable one: ``concurrent`` gives
``lambda = 0`` (status ``"unreachable"``, the demand listed in ``unreachable``), ``total`` gives
that demand 0 and routes the others.

>>> import routecore as rc
>>> g = rc.Graph(4, [0, 1, 0, 2], [1, 3, 2, 3], weight=[1, 1, 2, 3], capacity=[5, 5, 4, 4],
...              directed=False)
>>> free = rc.multicommodity_flow(g, ([0], [3], [1.0]))
>>> fast = rc.multicommodity_flow(g, ([0], [3], [1.0]), max_latency=2.5)
>>> round(free.value, 1), round(fast.value, 1), fast.paths_complete.tolist()
(9.0, 5.0, [True])
>>> fast.path(0).nodes.tolist(), fast.path_length.tolist()
([0, 1, 3], [2.0])
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal, get_args

import numpy as np
import numpy.typing as npt

from . import _core
from ._latency_paths import candidate_paths
from ._path_results import Path, make_path
from ._validation import (
    check_graph,
    choice,
    demand_table,
    edge_values,
    latency_budgets,
    read_only_view,
    real_number,
    thread_count,
)
from .errors import GraphError
from .graph import Graph, csr_view
from .k_paths import path_count

__all__ = ["MulticommodityFlow", "MulticommodityObjective", "multicommodity_flow"]

MulticommodityObjective = Literal["concurrent", "total"]
"""Objectives accepted by ``objective=``."""

OBJECTIVES: tuple[str, ...] = get_args(MulticommodityObjective)

DEFAULT_MAX_PHASES = 1_000_000
"""The default bound on the solver's phases (status ``"phase_limit"`` when reached)."""

_I32 = npt.NDArray[np.int32]
_I64 = npt.NDArray[np.int64]
_F64 = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class MulticommodityFlow:
    """The outcome of :func:`multicommodity_flow` (arrays read-only).

    Attributes
    ----------
    status : str
        ``"converged"`` (``value >= (1 - epsilon) * upper_bound``), ``"phase_limit"``
        (``max_phases`` reached first; the gap is still certified, only larger) or
        ``"unreachable"`` (concurrent only: some target cannot be reached, ``value = 0``).
    objective : str
        ``"concurrent"`` or ``"total"``.
    value : float
        The returned flow's lambda (concurrent) or total (total): a lower bound on the optimum.
    upper_bound : float
        An upper bound on the optimum (the dual bound).
    gap : float
        ``1 - value / upper_bound`` (0 when both are 0): the certified relative gap.
    commodity_flow : ndarray of float64, shape (k,)
        Flow delivered per demand (``value * amount`` for concurrent).
    unreachable : ndarray of int32
        Demands whose target cannot be reached from their source.
    flow_commodity, flow_edge : ndarray of int32, shape (f,)
        With ``flow``: the per-demand edge flows as a sparse table sorted by (demand, edge):
        demand ``flow_commodity[i]`` sends ``flow[i]`` over edge ``flow_edge[i]`` (signed on
        undirected edges: positive from the edge's ``src`` to its ``dst``). See
        :meth:`edge_flow_matrix` for a dense array.
    flow : ndarray of float64, shape (f,)
    edge_load : ndarray of float64, shape (num_edges,)
        Flow per edge summed over demands and directions (at most the capacity).
    path_commodity : ndarray of int32, shape (p,)
        The demand each used path serves; with ``path_flow`` (its flow) and :meth:`path`.
    path_flow : ndarray of float64, shape (p,)
    path_start : ndarray of int64, shape (p + 1,)
        Path ``i`` uses edges ``path_edges[path_start[i]:path_start[i + 1]]``.
    path_edges : ndarray of int32
    path_length : ndarray of float64, shape (p,)
        Each path's ``weight`` sum (hop count without weights).
    phases : int
        Solver phases run (one phase routes about one optimal flow).
    paths_complete : ndarray of bool, shape (k,), or None
        With ``max_latency``: per demand, whether its candidate paths are every loopless path
        within its budget (module notes, "Latency budgets"); ``None`` without ``max_latency``.

    Examples
    --------
    >>> import routecore as rc
    >>> g = rc.Graph(3, [0, 1, 0], [1, 2, 2], capacity=[4, 4, 2])
    >>> r = rc.multicommodity_flow(g, ([0, 1], [2, 2], [3, 3]))
    >>> round(r.value, 1), round(r.upper_bound, 1), r.status
    (1.0, 1.0, 'converged')
    >>> r.commodity_flow.round(1).tolist(), r.path(0).nodes.tolist()
    ([3.0, 3.0], [0, 2])
    """

    status: str
    objective: str
    value: float
    upper_bound: float
    gap: float
    commodity_flow: _F64
    unreachable: _I32
    flow_commodity: _I32
    flow_edge: _I32
    flow: _F64
    edge_load: _F64
    path_commodity: _I32
    path_flow: _F64
    path_start: _I64
    path_edges: _I32
    path_nodes: _I32
    path_length: _F64
    phases: int
    paths_complete: npt.NDArray[np.bool_] | None = None

    def path(self, i: int) -> Path:
        """Used path ``i`` as a :class:`~routecore.Path` (its flow is ``path_flow[i]``)."""
        n = self.path_flow.shape[0]
        if not isinstance(i, int | np.integer) or not -n <= int(i) < n:
            raise IndexError(f"path {i!r} out of range; the result has {n} paths")
        i = int(i) % n
        b, e = int(self.path_start[i]), int(self.path_start[i + 1])
        return make_path(
            self.path_nodes[b + i : e + i + 1], self.path_edges[b:e], float(self.path_length[i])
        )

    def edge_flow_matrix(self, num_edges: int | None = None) -> _F64:
        """The per-demand edge flows as a dense array of shape (k, num_edges).

        ``num_edges`` defaults to ``edge_load``'s length. Memory is ``8 * k * num_edges`` bytes:
        use the sparse table (``flow_commodity``, ``flow_edge``, ``flow``) for large inputs.
        """
        m = self.edge_load.shape[0] if num_edges is None else num_edges
        out = np.zeros((self.commodity_flow.shape[0], m), dtype=np.float64)
        out[self.flow_commodity, self.flow_edge] = self.flow
        return out


def _capacity(graph: Graph, capacity: Any) -> _F64:
    values = graph.capacity if capacity is None else capacity
    if values is None:
        raise GraphError(
            "multicommodity_flow needs edge capacities: give capacity= or build the graph "
            "with capacity="
        )
    return np.ascontiguousarray(
        edge_values(values, graph.num_edges, "capacity", kind="capacity"), dtype=np.float64
    )


def _epsilon(epsilon: Any) -> float:
    eps = real_number(epsilon, "epsilon")
    if not 1e-6 <= eps < 1:
        raise GraphError(f"epsilon = {eps}; the target gap must be in [1e-6, 1)")
    return eps


def _max_phases(max_phases: Any) -> int:
    if max_phases is None:
        return DEFAULT_MAX_PHASES
    if isinstance(max_phases, bool) or not isinstance(max_phases, int | np.integer):
        raise TypeError(f"max_phases must be an int or None, got {max_phases!r}")
    if max_phases < 0:
        raise ValueError(f"max_phases = {max_phases}; it must be >= 0")
    return int(max_phases)


def multicommodity_flow(
    graph: Graph,
    demands: Any,
    *,
    capacity: npt.ArrayLike | None = None,
    weight: npt.ArrayLike | None = None,
    objective: MulticommodityObjective = "concurrent",
    max_latency: Any = None,
    paths_per_demand: int = 20,
    epsilon: float = 0.01,
    threads: int | None = None,
    max_phases: int | None = None,
) -> MulticommodityFlow:
    """Route many demands at once: maximum concurrent flow or maximum total flow.

    Parameters
    ----------
    graph : Graph
        Directed or undirected (module notes: undirected edges share capacity both ways).
    demands : tuple of three array_like, or a table
        ``(source, target, amount)`` as three equal-length arrays, or a mapping, numpy
        structured array or data frame with columns ``source``, ``target`` and ``amount``.
        Amounts are >= 0; ``inf`` (no cap) only with ``objective="total"``.
    capacity : array_like, optional
        Capacity per edge (finite, >= 0); default the graph's capacities (required).
    weight : array_like, optional
        Per-edge latency for ``path_length`` (and for ``max_latency``); default the graph's
        weights (hop counts without).
    objective : {"concurrent", "total"}
        See the module notes.
    max_latency : float or array_like, optional
        A latency budget (in ``weight`` units) per demand, or one for all: >= 0, ``inf`` for
        none. Each demand then uses only its candidate paths within the budget (module notes,
        "Latency budgets"); ``None`` (default): any path.
    paths_per_demand : int
        With ``max_latency``: at most this many candidate paths per demand (>= 1; default 20,
        LEOCraft's k).
    epsilon : float
        The target relative gap, in [1e-6, 1).
    threads : int, optional
        Threads for the candidate path search (``max_latency``); the solver runs on one
        thread.
    max_phases : int, optional
        Stop after this many phases (default :data:`DEFAULT_MAX_PHASES`).

    Returns
    -------
    MulticommodityFlow
        The flow, its value, the certified upper bound and the paths used.

    Raises
    ------
    GraphError
        No capacities, bad arrays (naming the demand or edge and value), a concurrent problem
        without any positive demand between two distinct nodes (lambda is unbounded), or a
        ``total`` demand from a node to itself with an infinite amount.

    Examples
    --------
    >>> import routecore as rc
    >>> g = rc.Graph(4, [0, 1, 0, 2], [1, 3, 2, 3], capacity=[5, 5, 3, 3], directed=False)
    >>> r = rc.multicommodity_flow(g, {"source": [0, 1], "target": [3, 2], "amount": [4, 2]})
    >>> r.value >= 0.99 * r.upper_bound
    True
    >>> t = rc.multicommodity_flow(g, ([0], [3], [float("inf")]), objective="total")
    >>> round(t.value, 1), round(t.upper_bound, 1)
    (8.0, 8.0)
    >>> b = rc.multicommodity_flow(g, ([0], [3], [4]), max_latency=2, objective="total")
    >>> round(b.value, 1), b.paths_complete.tolist()
    (4.0, [True])
    """
    graph = check_graph(graph)
    objective = choice(objective, OBJECTIVES, "objective")  # type: ignore[assignment]
    workers = thread_count(threads)
    eps = _epsilon(epsilon)
    phases = _max_phases(max_phases)
    n, m = graph.num_nodes, graph.num_edges
    source, target, amount = demand_table(demands, n, allow_inf=objective == "total")
    cap = _capacity(graph, capacity)
    w = graph.weight if weight is None else weight
    lengths = (
        np.ones(m, np.float64) if w is None else edge_values(w, m, "weight", kind="weight")
    ).astype(np.float64)
    budgets = None if max_latency is None else latency_budgets(max_latency, source.shape[0])
    per_demand = path_count(paths_per_demand, "paths_per_demand")
    loops = np.flatnonzero((source == target) & np.isinf(amount))
    if loops.size:
        i = int(loops[0])
        raise GraphError(
            f"demands[{i}] goes from node {source[i]} to itself with an infinite amount: the "
            "total would be unbounded"
        )
    if objective == "concurrent" and not np.any((source != target) & (amount > 0)):
        raise GraphError(
            "concurrent flow needs at least one demand with amount > 0 between two distinct "
            "nodes (lambda is unbounded otherwise)"
        )
    view = csr_view(graph)
    common: dict[str, Any] = {
        "first_out": view.first_out,
        "head": view.head,
        "arc_edge": view.arc_edge,
        "capacity": cap,
        "source": source,
        "target": target,
        "demand": amount,
        "objective": objective,
        "epsilon": eps,
        "max_phases": phases,
    }
    if budgets is None:
        out = _core.multicommodity_flow(**common)
        return _result(out, str(objective), view.head, view.arc_edge, source, lengths, m)
    sets = candidate_paths(graph, source, target, budgets, per_demand, w, cap, workers)
    out = _core.path_multicommodity_flow(
        **common,
        commodity_start=sets.commodity_start,
        path_start=sets.path_start,
        path_arcs=sets.path_arcs,
    )
    result = _result(out, str(objective), view.head, view.arc_edge, source, lengths, m)
    return replace(result, paths_complete=read_only_view(sets.complete))


def _result(
    out: Any,
    objective: str,
    head: _I32,
    arc_edge: _I32,
    source: _I32,
    lengths: _F64,
    m: int,
) -> MulticommodityFlow:
    """The named result from the core's path list (vectorised, no loop over paths)."""
    path_commodity = out.path_commodity
    path_flow = out.path_flow
    path_start = out.path_start
    arcs = out.path_arcs
    stored = arc_edge[arcs]
    edges = np.where(stored < 0, ~stored, stored).astype(np.int32)
    sign = np.where(stored < 0, -1.0, 1.0)
    hops = np.diff(path_start)
    per_arc_path = np.repeat(np.arange(path_flow.shape[0]), hops)
    arc_flow = path_flow[per_arc_path]
    # Nodes: each path's source, then the head of every arc.
    p = path_flow.shape[0]
    nodes = np.empty(arcs.shape[0] + p, dtype=np.int32)
    first_slot = path_start[:-1] + np.arange(p)
    is_first = np.zeros(nodes.shape[0], dtype=bool)
    is_first[first_slot] = True
    nodes[first_slot] = source[path_commodity]
    nodes[~is_first] = head[arcs]
    path_length = np.bincount(per_arc_path, weights=lengths[edges], minlength=p)
    edge_load = np.bincount(edges, weights=arc_flow, minlength=m)
    key = path_commodity[per_arc_path].astype(np.int64) * m + edges
    keys, inverse = np.unique(key, return_inverse=True)
    net = np.bincount(inverse.reshape(-1), weights=arc_flow * sign, minlength=keys.shape[0])
    keep = net != 0.0
    keys, net = keys[keep], net[keep]
    value, bound = float(out.primal), float(out.dual)
    gap = 0.0 if bound == 0.0 else max(0.0, 1.0 - value / bound)
    ro = read_only_view
    return MulticommodityFlow(
        status=str(out.status),
        objective=objective,
        value=value,
        upper_bound=bound,
        gap=gap,
        commodity_flow=ro(out.commodity_flow),
        unreachable=ro(out.unreachable),
        flow_commodity=ro((keys // max(m, 1)).astype(np.int32)),
        flow_edge=ro((keys % max(m, 1)).astype(np.int32)),
        flow=ro(net.astype(np.float64)),
        edge_load=ro(edge_load.astype(np.float64)),
        path_commodity=ro(path_commodity),
        path_flow=ro(path_flow),
        path_start=ro(path_start),
        path_edges=ro(edges),
        path_nodes=ro(nodes),
        path_length=ro(path_length.astype(np.float64)),
        phases=int(out.phases),
    )
