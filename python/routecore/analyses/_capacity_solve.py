"""One time step of :func:`~routecore.analyses.school_capacity` under one policy: carried
traffic and bottleneck (maximum flow, minimum cut), fair rates and latency under load."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from ..fair_share import max_min_fair
from ..flow import max_flow
from ..min_cost import min_cost_flow_warm
from ..paths import shortest_path_tree
from ._capacity_graph import (
    KBPS_PER_GBPS,
    EdgeKind,
    StepNetwork,
    bottleneck_labels,
    flow_weighted_latency,
    integer_capacity,
    policy_view,
)
from ._capacity_groups import SchoolGroups
from ._capacity_model import CapacityWork
from ._capacity_tables import STEP_SCALARS, rate_stats

__all__ = ["fair_rates", "route_at_min_latency", "solve_step"]


def fair_rates(
    net: StepNetwork, demand: npt.NDArray[np.float64], groups: SchoolGroups | None
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64] | None]:
    """Max-min fair rate per school (Gbit/s; 0 without demand) and a flow on ``net`` that
    realises them (``None`` when no school has demand); with ``groups``, ``net`` is the merged
    network and each group's lead school a source of weight = the group's size."""
    rates = np.zeros(demand.size)
    edge_flow = None
    lead = np.arange(demand.size) if groups is None else groups.lead
    has = np.flatnonzero(demand[lead] > 0)
    if has.size:
        fair = max_min_fair(
            net.graph,
            net.schools[lead[has]],
            net.sinks,
            demand[lead[has]],
            capacity=net.capacity,
            threads=1,
            weight=None if groups is None else groups.count[has],
        )
        per_lead = np.zeros(lead.size)
        per_lead[has] = np.asarray(fair.rates, dtype=np.float64)
        rates = per_lead if groups is None else per_lead[groups.group]
        edge_flow = np.asarray(fair.edge_flow, dtype=np.float64)
    return rates, edge_flow


def gateway_load(
    net: StepNetwork, edge_flow: npt.NDArray[np.float64], num_gateways: int
) -> npt.NDArray[np.float64]:
    """``(2, gateways)``: the Gbit/s each gateway carries in ``edge_flow`` (its antennas edge)
    and what it can take at this step: its antennas' capacity, or the feeder links that reach
    it under the policy when they are fewer (0: no feeder link is open)."""
    kind, owner = net.kind, net.owner
    antennas = kind == EdgeKind.ANTENNAS
    feeder = kind == EdgeKind.FEEDER
    carried = np.bincount(owner[antennas], edge_flow[antennas], minlength=num_gateways)
    dishes = np.bincount(owner[antennas], net.capacity[antennas], minlength=num_gateways)
    reach = np.bincount(owner[feeder], net.capacity[feeder], minlength=num_gateways)
    return np.stack([carried, np.minimum(dishes, reach)])


def solve_step(
    work: CapacityWork, base: StepNetwork, p: int, groups: SchoolGroups | None = None
) -> tuple[Any, ...]:
    """Carried, fair rates, bottleneck and loaded / unloaded latency of one step and policy
    (``base``: the step's network with every policy's edges; ``groups``: the same with
    identical schools merged, for the maximum flow and the fair share), as
    :func:`~routecore.analyses._capacity_tables.capacity_tables` reads them: the per-school
    arrays that were not computed (all NaN) are ``None``, which keeps them out of the pickles
    a process pool sends back (three 100,000-school arrays per step and policy)."""
    scal, rates, loaded, unloaded, labels, gateways = _solve(work, base, p, groups)
    rates, loaded, unloaded = (None if np.isnan(a).all() else a for a in (rates, loaded, unloaded))
    scal[5:] = rate_stats(rates, work.demand_gbps)
    return scal, rates, loaded, unloaded, labels, gateways


def _solve(
    work: CapacityWork, base: StepNetwork, p: int, groups: SchoolGroups | None
) -> tuple[Any, ...]:
    part = work.parts[p]
    n_s = work.schools.size
    scal = np.full(len(STEP_SCALARS), np.nan)
    demand = part.demand_gbps
    scal[0] = demand.sum()
    nan = np.full(n_s, np.nan)
    n_g = work.gateways.size
    if part.sinks.size == 0:
        scal[1:3] = 0.0
        labels = [("no internet exchange under this policy", 0.0)]
        return scal, np.zeros(n_s), nan, nan, labels, np.zeros((2, n_g))
    flow_net = (
        policy_view(base, part)
        if groups is None
        else policy_view(groups.net, groups.policy_part(part))
    )
    # In whole kbit/s, exact: equal capacities tie exactly (9 user links of 50 Mbit/s and a
    # 450 Mbit/s beam), so the cut closest to the schools does not depend on float rounding,
    # and merging identical schools (k x a capacity) leaves it as it is.
    flow = max_flow(
        flow_net.graph,
        flow_net.super_source,
        flow_net.sinks,
        capacity=integer_capacity(flow_net.capacity),
        threads=1,
    )
    scal[1] = int(flow.value) / KBPS_PER_GBPS
    scal[2] = scal[1] / scal[0] if scal[0] > 0 else np.nan
    labels = bottleneck_labels(
        flow_net,
        flow.cut_edges,
        gateway_names=work.gateway_names,
        link_ids=work.link_ids,
        home_country=work.home,
        school_lon=work.school_lon,
    )
    if not labels and scal[1] < scal[0] * (1 - 1e-9):
        # Nothing saturates, yet demand is left: some schools have no route at all.
        labels = [("schools without a route", scal[0] - scal[1])]
    if work.fair_share:
        rates, fair_flow = fair_rates(flow_net, demand, groups)
    else:
        rates, fair_flow = nan.copy(), None
    # One maximum flow's split over the gateways (the fair one when there is one; a gateway
    # in the minimum cut is full in every maximum flow).
    gateways = gateway_load(
        flow_net, flow.edge_flow / KBPS_PER_GBPS if fair_flow is None else fair_flow, n_g
    )
    loaded = nan
    unloaded = nan
    if work.latency:
        send = rates if work.fair_share else demand  # the fair rates are a maximum flow
        unloaded, loaded, cost, value = route_at_min_latency(
            policy_view(base, part), integer_capacity(send), is_flow=work.fair_share
        )
        if value > 0:
            scal[3] = cost / value
            scal[4] = value / KBPS_PER_GBPS
    return scal, rates, loaded, unloaded, labels, gateways


def route_at_min_latency(
    net: StepNetwork, send_kbps: npt.NDArray[np.int64], *, is_flow: bool
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], float, int]:
    """Route up to ``send_kbps`` per school at minimum total latency: per school the unloaded
    and the flow-weighted loaded one-way latency (ms), the total cost (kbit/s x ms) and the
    kbit/s routed.

    First every school on its own shortest path: when that load fits every capacity it is
    optimal (no flow can cost less than each unit on its shortest path) and no min-cost flow
    is needed; otherwise :func:`routecore.min_cost_flow` (min-cost max-flow, the demand edges
    capped at ``send_kbps``; ``is_flow``: the rates are known to be a flow, so their sum is
    asked for first), by the network simplex started from the shortest-path routing
    (:func:`routecore.min_cost.min_cost_flow_warm`: the same optimal cost as a cold start)."""
    caps = integer_capacity(net.capacity)
    tree = shortest_path_tree(net.graph, net.sinks, reverse=True, forbidden_edges=caps <= 0)
    dist = np.asarray(tree.length)[net.schools]
    unloaded = np.where(np.isfinite(dist), dist, np.nan)
    reach = np.isfinite(dist) & (send_kbps > 0)
    load = tree.edge_load(net.schools[reach], send_kbps[reach].astype(np.float64))
    if (load <= caps).all():
        loaded = np.where(reach, unloaded, np.nan)
        return unloaded, loaded, float(send_kbps[reach] @ dist[reach]), int(send_kbps[reach].sum())
    first = np.flatnonzero(net.kind == EdgeKind.DEMAND)
    caps[first] = send_kbps[net.owner[first]]
    # The network simplex starts from that shortest-path routing, cut back to the capacities
    # (network_simplex.h, "Warm start"): the same optimum in a fraction of the pivots.
    start = np.asarray(tree.pred_edge, dtype=np.int64)
    start[net.super_source] = -1  # it feeds every school through the saturated demand edges
    saturated = np.zeros(caps.size, dtype=bool)
    saturated[first] = reach[net.owner[first]]
    # The rates are a flow, so their sum is feasible unless rounding to kbit/s took a unit
    # off a cut; then the maximum flow (demand=None) is routed instead.
    routed = min_cost_flow_warm(
        net.graph,
        start,
        saturated,
        sources=net.super_source,
        sinks=net.sinks,
        demand=int(send_kbps[reach].sum()) if is_flow else None,
        capacity=caps,
    )
    if routed.status == "infeasible":
        routed = min_cost_flow_warm(
            net.graph, start, saturated, sources=net.super_source, sinks=net.sinks, capacity=caps
        )
    if routed.status != "optimal" or routed.value == 0:
        return unloaded, np.full(dist.size, np.nan), 0.0, 0
    cost = float(routed.cost)  # type: ignore[arg-type]
    return unloaded, flow_weighted_latency(net, routed.edge_flow), cost, int(routed.value)
