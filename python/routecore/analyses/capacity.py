"""How much each school gets: capacity from the schools to the internet exchange over time.

Per constellation, gateway policy and time step, one directed capacity network (schools ->
user links -> satellites [-> laser links] -> feeder links -> gateway antennas -> ground network
-> exchange; ``_capacity_graph`` describes it) answers four questions:

* **carried**: the most traffic all schools can send at once (a multi-source maximum flow,
  :func:`routecore.max_flow`, from a super source whose edge to each school is capped at the
  school's demand), and its share of the total demand;
* **fair share**: the max-min fair rates (:func:`routecore.max_min_fair`): the guaranteed
  minimum, the distribution, the schools that get their full demand;
* **bottleneck**: the minimum cut closest to the schools (``FlowResult.cut_edges``) in the
  planner's words ("Kokterek feeder links", "satellite user capacity over west Kazakhstan",
  "laser links", "ground backhaul kokterek-almaty");
* **latency under load**: the fair-share rates routed at minimum total latency
  (:func:`routecore.min_cost_flow`; capacities in whole kbit/s, rounded down), and per school
  the flow-weighted one-way latency next to the unloaded shortest-path figure. Max-min fair
  rates are a maximum flow (the rate vectors of a single-commodity network form a
  polymatroid), so this routes the carried demand, split fairly.

All latencies are **one-way propagation** (``*_rtt_ms``: twice that, propagation only; no
queueing, processing or scheduling delay). The policies are :data:`~routecore.analyses.POLICIES`
read exactly as :func:`~routecore.analyses.school_connectivity` reads the law.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..constellation import Constellation
from ..errors import ScenarioError
from ..executor import ProgressArg, task_threads
from ..fair_share import max_min_fair
from ..flow import max_flow
from ..min_cost import min_cost_flow
from ..paths import shortest_path_tree
from ..scenario import Network, capacity_settings, school_demand_mbps
from ._capacity_graph import (
    KBPS_PER_GBPS,
    EdgeKind,
    GroundPart,
    StepNetwork,
    bottleneck_labels,
    flow_weighted_latency,
    integer_capacity,
    policy_view,
    step_network,
)
from ._capacity_tables import STEP_SCALARS, capacity_tables
from ._common import _analysis_defaults, _named, _rows
from ._sky import _prepared, _run_sky, _SkyWork
from .schools import POLICIES, _keep_in

__all__ = ["SchoolCapacity", "capacity_network", "school_capacity"]


@dataclass(frozen=True)
class SchoolCapacity:
    """What :func:`school_capacity` returns.

    Attributes
    ----------
    summary : pandas.DataFrame
        One row per (constellation, policy), over the time steps (columns in
        :func:`school_capacity`).
    steps : pandas.DataFrame
        One row per (constellation, policy, time step).
    schools : pandas.DataFrame
        The per-school time series, tidy: one row per (constellation, policy, time step,
        school).
    assumptions : tuple of str
        The capacity figures used and where they come from.
    partial : bool
        ``True`` when Ctrl-C stopped the sweep (the tables cover the steps finished; each
        table's ``attrs`` say which: ``partial``, ``steps_done`` and ``times_done`` per
        constellation, ``steps_total``, as :func:`~routecore.analyses.school_connectivity`).
    """

    summary: Any
    steps: Any
    schools: Any
    assumptions: tuple[str, ...]
    partial: bool


@dataclass(frozen=True, eq=False)
class _CapacityWork(_SkyWork):
    """The sky sweep's work plus the capacity model (compact arrays; pickled to workers)."""

    parts: tuple[GroundPart, ...] = ()
    num_nodes: int = 0
    schools: Any = None  # scenario rows of the schools
    gateways: Any = None  # scenario rows of the gateways
    antennas: Any = None  # per gateway, inf = not limited
    feeder_gbps: Any = None  # per gateway, NaN = the system's feeder_capacity_gbps
    gateway_names: Any = None
    link_ids: Any = None
    home: str | None = None
    school_lon: tuple[float, float] = (0.0, 0.0)
    fair_share: bool = True
    latency: bool = True
    demand_gbps: Any = None  # per school, before the policies exclude any


def _policy_part(
    network: Network, policy: str, home: str | None, ixp: Any, schools: Any, demand: Any
) -> GroundPart:
    """The ground arcs (every link both ways; ``link_ok`` says which the policy allows),
    school demands, allowed gateways and sinks of one policy."""
    country = network.column("nodes", "country")
    keep_in = _keep_in(policy, home)
    a, b = network.link_ends()
    ok = (
        np.ones(a.size, dtype=bool)
        if keep_in is None
        else ((country[a] == keep_in) & (country[b] == keep_in))
    )
    lat = network.column("links", "latency_ms").astype(np.float64)
    cap = network.column("links", "capacity_gbps").astype(np.float64)
    rows = np.arange(a.size)
    kind = network.column("nodes", "kind")
    gateways = np.flatnonzero(kind == "gateway")
    gateway_ok = {
        "home": country[gateways] == home,
        "any": np.ones(gateways.size, dtype=bool),
        "abroad": country[gateways] != home,
    }[policy]
    school_ok = np.ones(schools.size, bool) if keep_in is None else country[schools] == keep_in
    sinks = ixp if keep_in is None else ixp[country[ixp] == keep_in]
    return GroundPart(
        np.concatenate([a[rows], b[rows]]).astype(np.int32),
        np.concatenate([b[rows], a[rows]]).astype(np.int32),
        np.tile(lat[rows], 2),
        np.tile(cap[rows], 2),
        np.tile(rows.astype(np.int64), 2),
        np.where(school_ok, demand, 0.0),
        np.asarray(gateway_ok, dtype=bool),
        np.asarray(sinks, dtype=np.int32),
        np.asarray(ok, dtype=bool),
    )


def _fair_rates(net: Any, demand: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Max-min fair rate per school (Gbit/s; 0 without demand)."""
    rates = np.zeros(demand.size)
    has = np.flatnonzero(demand > 0)
    if has.size:
        fair = max_min_fair(
            net.graph, net.schools[has], net.sinks, demand[has], capacity=net.capacity, threads=1
        )
        rates[has] = np.asarray(fair.rates, dtype=np.float64)
    return rates


def _network_at(work: _CapacityWork, snap: Any, cname: str) -> StepNetwork:
    """The capacity network of one snapshot with every policy's edges (one graph per step:
    :func:`policy_view` gives each policy its capacities)."""
    c = work.constellations[cname]
    feeder = np.where(np.isnan(work.feeder_gbps), c.feeder_capacity_gbps, work.feeder_gbps)
    first = work.parts[0]
    union = dataclasses.replace(
        first,
        demand_gbps=work.demand_gbps,
        gateway_ok=np.ones(work.gateways.size, dtype=bool),
        link_ok=np.ones(first.link_ok.size, dtype=bool),
    )
    return step_network(
        snap,
        union,
        num_nodes=work.num_nodes,
        schools=work.schools,
        gateways=work.gateways,
        user_gbps=c.user_link_capacity_gbps,
        satellite_gbps=c.satellite_capacity_gbps,
        isl_gbps=c.isl_capacity_gbps,
        feeder_gbps=feeder,
        antennas=work.antennas,
    )


def _solve_step(work: _CapacityWork, base: StepNetwork, p: int) -> tuple[Any, ...]:
    """Carried, fair rates, bottleneck and loaded / unloaded latency of one step and policy
    (``base``: the step's network with every policy's edges)."""
    part = work.parts[p]
    n_s = work.schools.size
    scal = np.full(len(STEP_SCALARS), np.nan)
    demand = part.demand_gbps
    scal[0] = demand.sum()
    nan = np.full(n_s, np.nan)
    if part.sinks.size == 0:
        scal[1:3] = 0.0
        return scal, np.zeros(n_s), nan, nan, [("no internet exchange under this policy", 0.0)]
    net = policy_view(base, part)
    flow = max_flow(net.graph, net.super_source, net.sinks, capacity=net.capacity, threads=1)
    scal[1] = float(flow.value)
    scal[2] = scal[1] / scal[0] if scal[0] > 0 else np.nan
    labels = bottleneck_labels(
        net,
        flow.cut_edges,
        gateway_names=work.gateway_names,
        link_ids=work.link_ids,
        home_country=work.home,
        school_lon=work.school_lon,
    )
    if not labels and scal[1] < scal[0] * (1 - 1e-9):
        # Nothing saturates, yet demand is left: some schools have no route at all.
        labels = [("schools without a route", scal[0] - scal[1])]
    rates = _fair_rates(net, demand) if work.fair_share else nan.copy()
    loaded = nan
    unloaded = nan
    if work.latency:
        send = rates if work.fair_share else demand  # the fair rates are a maximum flow
        unloaded, loaded, cost, value = _route_at_min_latency(
            net, integer_capacity(send), is_flow=work.fair_share
        )
        if value > 0:
            scal[3] = cost / value
            scal[4] = value / KBPS_PER_GBPS
    return scal, rates, loaded, unloaded, labels


def _route_at_min_latency(
    net: StepNetwork, send_kbps: npt.NDArray[np.int64], *, is_flow: bool
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], float, int]:
    """Route up to ``send_kbps`` per school at minimum total latency: per school the unloaded
    and the flow-weighted loaded one-way latency (ms), the total cost (kbit/s x ms) and the
    kbit/s routed.

    First every school on its own shortest path: when that load fits every capacity it is
    optimal (no flow can cost less than each unit on its shortest path) and no min-cost flow
    is needed; otherwise :func:`routecore.min_cost_flow` (min-cost max-flow, the demand edges
    capped at ``send_kbps``; ``is_flow``: the rates are known to be a flow, so their sum is
    asked for first)."""
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
    # The rates are a flow, so their sum is feasible unless rounding to kbit/s took a unit
    # off a cut; then the maximum flow (demand=None) is routed instead.
    routed = min_cost_flow(
        net.graph,
        sources=net.super_source,
        sinks=net.sinks,
        demand=int(send_kbps[reach].sum()) if is_flow else None,
        capacity=caps,
        threads=1,
    )
    if routed.status == "infeasible":
        routed = min_cost_flow(
            net.graph, sources=net.super_source, sinks=net.sinks, capacity=caps, threads=1
        )
    if routed.status != "optimal" or routed.value == 0:
        return unloaded, np.full(dist.size, np.nan), 0.0, 0
    cost = float(routed.cost)  # type: ignore[arg-type]
    return unloaded, flow_weighted_latency(net, routed.edge_flow), cost, int(routed.value)


def _capacity_chunk(work: _CapacityWork, chunk: tuple[str, npt.NDArray[np.float64]]) -> Any:
    """Per time step of the chunk and per policy: :func:`_solve_step`'s answers."""
    cname, times = chunk
    builder = _prepared(work, cname)
    out = []
    for t in times.tolist():
        base = _network_at(work, builder.build(t), cname)
        out.append([_solve_step(work, base, p) for p in range(len(work.parts))])
    return out


def _capacity_work(
    network: Network,
    named: dict[str, Constellation],
    policies: Sequence[str],
    *,
    demand_mbps: float | None,
    fair_share: bool,
    latency: bool,
    internet_exchanges: Iterable[str] | None,
    home_country: str | None,
    max_user_links: int | None,
    threads: int,
) -> tuple[_CapacityWork, Any]:
    """The checked inputs of a capacity sweep as the work its chunks share."""
    defaults = _analysis_defaults(network)
    home = home_country or defaults.get("home_country")
    policies = tuple(policies)
    unknown = [p for p in policies if not isinstance(p, str) or p not in POLICIES]
    if unknown or not policies:
        raise ValueError(f"policies must be drawn from {POLICIES}, got {policies!r}")
    if not home and set(policies) & {"home", "abroad"}:
        raise ScenarioError(
            "policies 'home' and 'abroad' need home_country (or analysis.home_country)"
        )
    if demand_mbps is not None:
        if isinstance(demand_mbps, bool) or not isinstance(demand_mbps, int | float):
            raise ValueError(f"demand_mbps must be a number, got {demand_mbps!r}")
        if not (np.isfinite(demand_mbps) and demand_mbps >= 0):
            raise ValueError(f"demand_mbps = {demand_mbps!r} must be finite and >= 0")
    kind = network.column("nodes", "kind")
    schools = np.flatnonzero(kind == "terminal").astype(np.int32)
    gateways = np.flatnonzero(kind == "gateway").astype(np.int32)
    if schools.size == 0 or gateways.size == 0:
        raise ScenarioError("school_capacity needs terminal and gateway nodes")
    settings = capacity_settings(network)
    demand = school_demand_mbps(network, schools, demand_mbps) / 1000.0
    ixp = _rows(network, internet_exchanges, "internet_exchanges")
    ids = network.column("nodes", "id")
    names = network.column("nodes", "name")
    lat = network.column("nodes", "lat").astype(np.float64)
    lon = network.column("nodes", "lon").astype(np.float64)
    rows = np.concatenate([schools, gateways])
    role = np.concatenate([np.ones(schools.size, np.int64), np.full(gateways.size, 2, np.int64)])
    work = _CapacityWork(
        named,
        lat[rows],
        lon[rows],
        role,
        int(schools.size),
        np.zeros((1, gateways.size)),
        max_user_links,
        threads,
        parts=tuple(_policy_part(network, p, home, ixp, schools, demand) for p in policies),
        num_nodes=network.num_nodes,
        schools=schools,
        gateways=gateways,
        antennas=np.array([settings.antennas.get(g, np.inf) for g in ids[gateways]], float),
        feeder_gbps=np.array([settings.feeder_gbps.get(g, np.nan) for g in ids[gateways]]),
        gateway_names=np.asarray(names[gateways], dtype=object),
        link_ids=network.column("links", "id"),
        home=home,
        school_lon=(float(lon[schools].min()), float(lon[schools].max())),
        fair_share=fair_share,
        latency=latency,
        demand_gbps=demand,
    )
    return work, settings


def capacity_network(
    network: Network,
    constellation: Constellation,
    t_s: float,
    *,
    policy: str = "home",
    demand_mbps: float | None = None,
    internet_exchanges: Iterable[str] | None = None,
    home_country: str | None = None,
    max_user_links: int | None = None,
) -> StepNetwork:
    """The capacity network :func:`school_capacity` solves at one step under one policy.

    For inspection and cross-checks: ``graph`` is a directed :class:`~routecore.Graph`
    (capacity in Gbit/s, weight = one-way propagation ms), ``kind`` the
    :class:`~routecore.analyses._capacity_graph.EdgeKind` of each edge, ``capacity`` the
    policy's capacities (0 on the edges it forbids: one graph serves every policy of a step;
    pass ``capacity=`` to the solvers), ``super_source`` the
    node whose edges carry the schools' demands, ``sinks`` the exchanges, ``schools`` the
    schools' nodes (= their scenario rows). The node layout is in ``_capacity_graph``.

    Examples
    --------
    >>> import routecore as rc
    >>> from routecore import constellation as cs
    >>> from routecore.scenario import load_scenario
    >>> net = capacity_network(load_scenario("central-asia"), cs.ONEWEB, 0.0, policy="any")
    >>> value = rc.max_flow(net.graph, net.super_source, net.sinks, capacity=net.capacity).value
    >>> round(value, 6)
    40.0
    """
    named = {constellation.name: constellation}
    work, _ = _capacity_work(
        network,
        named,
        (policy,),
        demand_mbps=demand_mbps,
        fair_share=False,
        latency=False,
        internet_exchanges=internet_exchanges,
        home_country=home_country,
        max_user_links=max_user_links,
        threads=task_threads(None, None),
    )
    snap = _prepared(work, constellation.name).build(float(t_s))
    return policy_view(_network_at(work, snap, constellation.name), work.parts[0])


def school_capacity(
    network: Network,
    constellations: Mapping[str, Constellation] | Sequence[Constellation],
    times_s: npt.ArrayLike,
    *,
    policies: Sequence[str] = ("home", "any"),
    demand_mbps: float | None = None,
    fair_share: bool = True,
    latency: bool = True,
    internet_exchanges: Iterable[str] | None = None,
    home_country: str | None = None,
    max_user_links: int | None = None,
    threads: int | None = None,
    executor: Any = None,
    progress: ProgressArg = None,
    chunk_size: int | None = None,
) -> SchoolCapacity:
    """How much each school gets: carried traffic, fair share, bottleneck and latency under
    load, per constellation, policy and time step (see the module notes for the model).

    Parameters
    ----------
    network : Network
        Terminals are the schools, ``gateway`` nodes the gateways; the ``[capacity]`` table of
        the scenario gives gateway antennas and the default demand
        (:func:`routecore.scenario.capacity_settings`), a ``demand_mbps`` node column per-school
        demands.
    constellations : mapping name -> Constellation, or a sequence (named by ``.name``)
        Their capacity fields (``user_link_capacity_gbps``, ``satellite_capacity_gbps``,
        ``feeder_capacity_gbps``, ``isl_capacity_gbps``) are used.
    times_s : array_like of float
        Time steps (seconds since the constellation epoch).
    policies : sequence of {"home", "any", "abroad"}, default ("home", "any")
        As in :func:`~routecore.analyses.school_connectivity`: ``home`` keeps every ground node
        of a route (gateway, backhaul, exchange, school) in the home country.
    demand_mbps : float, optional
        Demand of every school without its own ``demand_mbps``; default the scenario's
        ``capacity.school_demand_mbps``, else 20 Mbit/s (the Kazakh norm).
    fair_share, latency : bool, default True
        Compute the max-min fair rates / the latency under load (each costs more than the
        maximum flow; turn off for quick sweeps: their columns are then NaN).
    internet_exchanges : iterable of node ids, optional
        Default: ``analysis.internet_exchanges``.
    home_country : str, optional
        Default: ``analysis.home_country``.
    max_user_links : int, optional
        Satellites per school per step (highest first); default every visible satellite.
    threads, executor, progress, chunk_size
        As in :func:`~routecore.analyses.school_connectivity` (same executors, progress and
        Ctrl-C semantics: a partial result has ``partial=True``); the tables do not depend
        on them.

    Returns
    -------
    SchoolCapacity
        ``steps``: ``constellation``, ``policy``, ``t_s``, ``demand_gbps``, ``carried_gbps``,
        ``carried_share``, ``guaranteed_mbps`` (the smallest fair rate of a school with
        demand), ``median_rate_mbps``, ``p10_rate_mbps``, ``schools_full_demand``,
        ``schools_offline`` (fair rate 0), ``bottleneck`` (the largest group of the minimum
        cut, equal ones joined by " + "; ``"none (full demand)"`` when every school gets its
        demand), ``bottlenecks`` (every group with its Gbit/s),
        ``loaded_one_way_propagation_ms`` (mean over the routed traffic, flow-weighted),
        ``routed_gbps`` (what the min-cost routing sent: the carried traffic less the
        rounding down to whole kbit/s). ``summary``: per (constellation, policy) the means
        and worst cases of these over time (``bottleneck``: the most frequent, with
        ``bottleneck_share`` of the steps; ``unloaded_one_way_propagation_ms``: the mean over
        schools and steps). ``schools``: ``constellation``, ``policy``,
        ``t_s``, ``school``, ``demand_mbps``, ``fair_rate_mbps``, ``full_demand``,
        ``loaded_one_way_propagation_ms``, ``loaded_propagation_rtt_ms``,
        ``unloaded_one_way_propagation_ms``, ``unloaded_propagation_rtt_ms``.

    Raises
    ------
    ValueError
        An unknown policy, or a negative or non-finite ``demand_mbps``.
    ScenarioError
        No schools or gateways, no home country for ``home`` / ``abroad``, a bad
        ``[capacity]`` table or ``demand_mbps`` cell.

    Examples
    --------
    >>> from routecore import constellation as cs
    >>> from routecore.scenario import load_scenario
    >>> net = load_scenario("central-asia")
    >>> res = school_capacity(net, [cs.ONEWEB], [0.0], policies=("home",), fair_share=False,
    ...                       latency=False)
    >>> row = res.steps.iloc[0]
    >>> float(row["demand_gbps"]), round(float(row["carried_gbps"]), 6), row["bottleneck"]
    (40.0, 40.0, 'none (full demand)')
    """
    named = _named(constellations)
    times = np.atleast_1d(np.asarray(times_s, dtype=np.float64))
    work, settings = _capacity_work(
        network,
        named,
        policies,
        demand_mbps=demand_mbps,
        fair_share=fair_share,
        latency=latency,
        internet_exchanges=internet_exchanges,
        home_country=home_country,
        max_user_links=max_user_links,
        threads=task_threads(threads, executor),
    )
    policies = tuple(policies)
    ids = network.column("nodes", "id")
    run, where = _run_sky(
        _capacity_chunk,
        work,
        named,
        times,
        chunk_size=chunk_size,
        executor=executor,
        progress=progress,
        description="capacity time steps",
    )
    summary, steps, per_school = capacity_tables(
        named, policies, times, run, where, ids[work.schools], work.demand_gbps
    )
    assumptions = _assumptions(network, named, settings, demand_mbps)
    return SchoolCapacity(summary, steps, per_school, assumptions, not run.complete)


def _assumptions(
    network: Network, named: Mapping[str, Constellation], settings: Any, demand: float | None
) -> tuple[str, ...]:
    """The capacity figures behind a run, in words, with the ids / fields that source them."""
    lines = [
        f"school demand {demand if demand is not None else settings.school_demand_mbps:g} "
        f"Mbit/s unless a school's demand_mbps says otherwise ({settings.source or 'default'})",
    ]
    for gid, count in settings.antennas.items():
        lines.append(f"gateway {gid}: {count} antennas, one feeder link each")
    for cname, c in named.items():
        sat = "unlimited" if c.satellite_capacity_gbps is None else f"{c.satellite_capacity_gbps:g}"
        isl = "none" if c.isl_capacity_gbps is None else f"{c.isl_capacity_gbps:g} Gbit/s"
        lines.append(
            f"{cname}: satellite user capacity {sat} Gbit/s, user link "
            f"{c.user_link_capacity_gbps:g} Gbit/s per school, feeder link "
            f"{c.feeder_capacity_gbps:g} Gbit/s, laser links {isl} (sources and assumptions on "
            "the Constellation object)"
        )
    lines.append(
        "latencies are one-way propagation (RTT = 2 x one-way, propagation only); capacities "
        "are forward (download) figures; min-cost routing in whole kbit/s"
    )
    return tuple(lines)
