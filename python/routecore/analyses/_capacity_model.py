"""The inputs of :func:`~routecore.analyses.school_capacity`: its checked work (what every
chunk of the sweep shares), each policy's ground part, and a snapshot's capacity network."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..constellation import Constellation
from ..errors import ScenarioError
from ..executor import PerProcessCache
from ..scenario import Network, capacity_settings, school_demand_mbps
from . import _capacity_graph
from ._capacity_graph import GroundPart, StepNetwork, beam_cells, step_network
from ._common import _analysis_defaults, _rows
from ._sky import _SkyWork
from .schools import POLICIES, _keep_in

__all__ = [
    "MERGE_IDENTICAL_SCHOOLS",
    "CapacityWork",
    "capacity_work",
    "network_at",
    "policy_part",
]

MERGE_IDENTICAL_SCHOOLS = True
"""Whether the maximum flow and the fair share run on the network with identical schools merged
(:mod:`~routecore.analyses._capacity_groups`; exact, the tables are the same). Off only to
check that in the tests."""


@dataclass(frozen=True, eq=False)
class CapacityWork(_SkyWork):
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
    merge_schools: bool = True  # see MERGE_IDENTICAL_SCHOOLS


def policy_part(
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


def network_at(work: CapacityWork, snap: Any, cname: str) -> StepNetwork:
    """The capacity network of one snapshot with every policy's edges (one graph per step:
    :func:`policy_view` gives each policy its capacities)."""
    c = work.constellations[cname]
    cells, may_fill = None, None
    if c.beam_cell_km is not None and c.beam_capacity_gbps is not None:
        cells, may_fill = _beam_cells.get(work, cname, lambda: _school_cells(work, c))
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
        beam_gbps=c.beam_capacity_gbps,
        school_cell=cells,
        may_fill=may_fill,
    )


_beam_cells: PerProcessCache[tuple[Any, Any]] = PerProcessCache()
"""Per sweep and constellation, each school's beam cell and whether the cell could fill a beam
(:func:`_school_cells`): the same at every step."""


def _school_cells(work: CapacityWork, c: Constellation) -> tuple[Any, Any]:
    """Each school's beam cell, and whether its cell's schools could fill a beam at their
    largest demand (:func:`~._capacity_graph.cells_that_may_fill`)."""
    n_s = work.num_schools
    assert c.beam_cell_km is not None and c.beam_capacity_gbps is not None
    cells = beam_cells(work.lat[:n_s], work.lon[:n_s], c.beam_cell_km)
    most = np.minimum(c.user_link_capacity_gbps, work.demand_gbps)
    return cells, _capacity_graph.cells_that_may_fill(cells, most, c.beam_capacity_gbps)


def capacity_work(
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
) -> tuple[CapacityWork, Any]:
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
    work = CapacityWork(
        named,
        lat[rows],
        lon[rows],
        role,
        int(schools.size),
        np.zeros((1, gateways.size)),
        max_user_links,
        threads,
        parts=tuple(policy_part(network, p, home, ixp, schools, demand) for p in policies),
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
        merge_schools=MERGE_IDENTICAL_SCHOOLS,
    )
    return work, settings
