"""How much each school gets: capacity from the schools to the internet exchange over time.

Per constellation, gateway policy and time step, one directed capacity network (schools ->
user links [-> beams] -> satellites [-> laser links] -> feeder links -> gateway antennas ->
ground network -> exchange; ``_capacity_graph`` describes it) answers four questions:

* **carried**: the most traffic all schools can send at once (a multi-source maximum flow,
  :func:`routecore.max_flow` in whole kbit/s, from a super source whose edge to each school is
  capped at the school's demand), and its share of the total demand;
* **fair share**: the max-min fair rates (:func:`routecore.max_min_fair`): the guaranteed
  minimum, the distribution, the schools that get their full demand;
* **bottleneck**: the minimum cut closest to the schools (``FlowResult.cut_edges``) in the
  planner's words ("Kokterek feeder links", "satellite user capacity over west Kazakhstan",
  "satellite beams over central Kazakhstan", "laser links", "ground backhaul
  kokterek-almaty");
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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..constellation import Constellation
from ..executor import ProgressArg, task_threads
from ..scenario import Network
from ._capacity_graph import StepNetwork, policy_view
from ._capacity_groups import school_groups
from ._capacity_model import CapacityWork, capacity_work, network_at
from ._capacity_solve import solve_step
from ._capacity_tables import capacity_tables
from ._common import _named
from ._sky import _prepared, _run_sky

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
    gateways : pandas.DataFrame
        One row per (constellation, policy, time step, gateway): ``carried_gbps`` (what the
        gateway carries in one maximum flow: the fair-share flow when it ran; a gateway in
        the minimum cut carries as much in every maximum flow), ``capacity_gbps`` (its
        antennas, or the feeder links open to it at that step when they are fewer; 0 where
        the policy closes it) and ``saturation`` (carried / capacity, NaN at capacity 0).
    """

    summary: Any
    steps: Any
    schools: Any
    assumptions: tuple[str, ...]
    partial: bool
    gateways: Any = None


def _capacity_chunk(work: CapacityWork, chunk: tuple[str, npt.NDArray[np.float64]]) -> Any:
    """Per time step of the chunk and per policy: :func:`solve_step`'s answers."""
    cname, times = chunk
    builder = _prepared(work, cname)
    demands = np.stack([part.demand_gbps for part in work.parts])
    out = []
    for t in times.tolist():
        base = network_at(work, builder.build(t), cname)
        groups = school_groups(base, demands) if work.merge_schools else None
        out.append([solve_step(work, base, p, groups) for p in range(len(work.parts))])
    return out


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
    work, _ = capacity_work(
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
    return policy_view(network_at(work, snap, constellation.name), work.parts[0])


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
    (40.0, 39.11, 'satellite beams over central Kazakhstan')
    """
    named = _named(constellations)
    times = np.atleast_1d(np.asarray(times_s, dtype=np.float64))
    work, settings = capacity_work(
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
    summary, steps, per_school, gateways = capacity_tables(
        named, policies, times, run, where, ids[work.schools], work.demand_gbps, ids[work.gateways]
    )
    assumptions = _assumptions(network, named, settings, demand_mbps)
    return SchoolCapacity(summary, steps, per_school, assumptions, not run.complete, gateways)


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
        beam = (
            "not modelled"
            if c.beam_capacity_gbps is None
            else f"{c.beam_capacity_gbps:g} Gbit/s per {c.beam_cell_km:g} km cell"
        )
        lines.append(
            f"{cname}: satellite user capacity {sat} Gbit/s, beams {beam}, user link "
            f"{c.user_link_capacity_gbps:g} Gbit/s per school, feeder link "
            f"{c.feeder_capacity_gbps:g} Gbit/s, laser links {isl} (sources and assumptions on "
            "the Constellation object)"
        )
    lines.append(
        "latencies are one-way propagation (RTT = 2 x one-way, propagation only); capacities "
        "are forward (download) figures; max-flow and min-cost routing in whole kbit/s"
    )
    return tuple(lines)
