"""The capacity network of one time step: schools -> satellites -> gateways -> ground ->
internet exchange, as one directed routecore Graph, plus what its flows and cuts mean.

Node layout (``n`` ground nodes of the scenario, ``S`` satellites, ``G`` gateways)::

    [0, n)              the scenario's nodes (graph node i = nodes row i; schools among them)
    [n, n + S)          satellites
    [n + S, n + 2S)     the user side of each satellite (node splitting, see below)
    [n + 2S, n + 2S + G) each gateway's antennas
    n + 2S + G          the super source (one edge to every school, capacity = its demand)
    [n + 2S + G + 1, +B) the beams, when the system models them: one node per (satellite,
                        beam cell) pair that some school's user link uses, if those schools
                        can fill it

A beam whose schools' user links, each capped by the school's demand (the largest over the
policies), add up to at most the beam's capacity is left out (the user links go to the
satellite's user side): no flow can fill it, so every flow of the network without it is a flow
of the network with it, and a cut through it has a cut at least as close to the schools with
no larger capacity (its schools' demand or user-link edges); the maximum flow, the fair rates
and the cut closest to the schools are the same. Beams that bind anywhere stay.

Edges, in this order and kind (:class:`EdgeKind`): demand (super source -> school), user link
(school -> user side of a satellite, the system's per-terminal capacity; with beams, school ->
the beam of its cell on that satellite), beam (beam -> user side of its satellite,
``beam_capacity_gbps``: the schools of one cell share one beam of each satellite), satellite
(user side -> satellite, ``satellite_capacity_gbps``: the split that makes a satellite's total
a node capacity; laser relay traffic bypasses it), laser link (both ways, ``isl_capacity_gbps``),
feeder (satellite -> gateway antennas, one feeder link's capacity), antennas (antennas ->
gateway, ``antennas`` x one feeder link: one dish tracks one satellite) and ground (both ways,
``capacity_gbps``). Capacities are the forward (download) figures; traffic is modelled from the
schools towards the exchange, the reverse of the download, which has the same maximum flow and
minimum cuts on the reversed network. Costs are one-way propagation latency (ms), 0 on the
internal edges.
"""

from __future__ import annotations

import dataclasses
import enum
import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..constellation import Medium, Snapshot, ecef_to_lat_lon
from ..geo import EARTH_RADIUS_KM
from ..graph import Graph

KBPS_PER_GBPS = 1_000_000
"""Min-cost flow needs whole-number capacities: Gbit/s are scaled to kbit/s and rounded down
(so a flow never exceeds a capacity by rounding; at most 1 kbit/s per edge is lost)."""

COUNTRY_NAMES = {
    "KZ": "Kazakhstan",
    "AZ": "Azerbaijan",
    "GE": "Georgia",
    "RU": "Russia",
    "CN": "China",
    "TR": "Turkey",
    "UZ": "Uzbekistan",
    "KG": "Kyrgyzstan",
}
"""Country names for bottleneck labels (other codes are shown as the code)."""


PRUNE_IDLE_BEAMS = True
"""Whether beams that their schools cannot fill are left out of the capacity network (exact; off
only to check that in the tests)."""


class EdgeKind(enum.IntEnum):
    """What an edge of the capacity network is (stored as int8)."""

    DEMAND = 0
    USER_LINK = 1
    SATELLITE = 2
    ISL = 3
    FEEDER = 4
    ANTENNAS = 5
    GROUND = 6
    BEAM = 7


@dataclass(frozen=True)
class GroundPart:
    """The policy-dependent, time-independent part of the capacity network.

    ``ground_*``: directed ground arcs (both directions of every link); ``link`` the scenario
    link row of each arc, ``link_ok`` per link whether the policy allows it. ``demand_gbps``
    per school (0 where the policy excludes the school); ``gateway_ok`` per gateway;
    ``sinks`` the allowed exchanges' rows.
    """

    ground_src: npt.NDArray[np.int32]
    ground_dst: npt.NDArray[np.int32]
    ground_latency: npt.NDArray[np.float64]
    ground_capacity: npt.NDArray[np.float64]
    link: npt.NDArray[np.int64]
    demand_gbps: npt.NDArray[np.float64]
    gateway_ok: npt.NDArray[np.bool_]
    sinks: npt.NDArray[np.int32]
    link_ok: npt.NDArray[np.bool_]


class StepEdges:
    """The edges of a capacity network as arrays (edge-id order), and its directed
    :class:`~routecore.Graph` (weight = cost, capacity = ``capacity``), built on first use and
    then kept: a sweep without latency under load never needs the step's full graph (only the
    merged one), and the policy views of a step share one graph."""

    __slots__ = ("_graph", "capacity", "cost", "dst", "num_nodes", "src")

    def __init__(
        self,
        num_nodes: int,
        src: npt.NDArray[np.int32],
        dst: npt.NDArray[np.int32],
        cost: npt.NDArray[np.float64],
        capacity: npt.NDArray[np.float64],
    ) -> None:
        self.num_nodes, self.src, self.dst = num_nodes, src, dst
        self.cost, self.capacity = cost, capacity
        self._graph: Graph | None = None

    def graph(self) -> Graph:
        """The Graph of these edges (built once; a second build in a race is the same)."""
        if self._graph is None:
            self._graph = Graph(
                self.num_nodes,
                self.src,
                self.dst,
                weight=self.cost,
                capacity=self.capacity,
                directed=True,
            )
        return self._graph


@dataclass(frozen=True, eq=False)
class StepNetwork:
    """One step's capacity network under one policy (see the module notes).

    ``edges`` holds the edge arrays and the graph (:attr:`graph`, built on first use);
    ``src`` / ``dst`` are the edges' ends as int32 arrays in edge-id order."""

    edges: StepEdges
    kind: npt.NDArray[np.int8]
    owner: npt.NDArray[np.int64]  # satellite / gateway index / scenario link row per edge
    capacity: npt.NDArray[np.float64]
    cost: npt.NDArray[np.float64]
    super_source: int
    schools: npt.NDArray[np.int32]  # graph nodes of the schools (= scenario rows)
    sinks: npt.NDArray[np.int32]
    sat_lon: npt.NDArray[np.float64]

    @property
    def graph(self) -> Graph:
        """The directed graph (capacity: every policy's; weight: ``cost``)."""
        return self.edges.graph()

    @property
    def src(self) -> npt.NDArray[np.int32]:
        return self.edges.src

    @property
    def dst(self) -> npt.NDArray[np.int32]:
        return self.edges.dst


def step_network(
    snap: Snapshot,
    part: GroundPart,
    *,
    num_nodes: int,
    schools: npt.NDArray[np.int32],
    gateways: npt.NDArray[np.int32],
    user_gbps: float,
    satellite_gbps: float | None,
    isl_gbps: float | None,
    feeder_gbps: npt.NDArray[np.float64],
    antennas: npt.NDArray[np.float64],
    beam_gbps: float | None = None,
    school_cell: npt.NDArray[np.int64] | None = None,
    may_fill: npt.NDArray[np.bool_] | None = None,
) -> StepNetwork:
    """The capacity network of ``snap`` (built over schools then gateways, as the sky sweep
    builds it) under the policy ``part``; unlimited capacities become a bound no flow reaches
    (twice the total demand plus 1 Gbit/s). With ``beam_gbps``, ``school_cell`` gives each
    school's beam cell (:func:`beam_cells`) and ``may_fill`` whether that cell's schools
    could fill a beam (:func:`cells_that_may_fill`; computed here when not given)."""
    n, s_count, g_count = num_nodes, snap.num_satellites, gateways.size
    n_s = schools.size
    big = 2.0 * float(part.demand_gbps.sum()) + 1.0
    sat0, side0, ant0, sup = n, n + s_count, n + 2 * s_count, n + 2 * s_count + g_count
    # A snapshot's edges come by medium (ground, user, feeder, laser links): each a block.
    bounds = np.searchsorted(
        snap.medium, [Medium.USER_LINK, Medium.FEEDER, Medium.ISL, len(Medium)]
    ).tolist()
    user, feed, isl = (slice(a, b) for a, b in itertools.pairwise(bounds))
    sky_n = snap.num_ground
    u_school = snap.src[user].astype(np.int64)
    u_sat = snap.dst[user].astype(np.int64) - sky_n
    f_gw = snap.src[feed].astype(np.int64) - n_s
    f_sat = snap.dst[feed].astype(np.int64) - sky_n
    keep = part.gateway_ok[f_gw]
    f_gw, f_sat, f_lat = f_gw[keep], f_sat[keep], snap.latency_ms[feed][keep]
    i_a = snap.src[isl].astype(np.int64) - sky_n
    i_b = snap.dst[isl].astype(np.int64) - sky_n
    has_demand = np.flatnonzero(part.demand_gbps > 0)
    sats = np.arange(s_count, dtype=np.int64)
    # Where each user link ends, and what owns it: the satellite's user side (owner: the
    # satellite), or with beams the beam of the school's cell (owner: S + the beam's index).
    u_head, u_owner = side0 + u_sat, u_sat
    beam_sat = np.zeros(0, dtype=np.int64)
    if beam_gbps is not None and school_cell is not None:
        width = int(school_cell.max(initial=0)) + 1
        # A beam its schools cannot fill (their user links, each capped by the school's
        # demand, add up to at most the beam) limits no flow: left out, which changes no
        # maximum flow, fair rate or cut closest to the schools (see the module notes). Only
        # the links from cells whose schools together could fill a beam are looked at.
        most_of = np.minimum(user_gbps, part.demand_gbps)
        if may_fill is None:
            may_fill = cells_that_may_fill(school_cell, most_of, beam_gbps)
        look = np.flatnonzero(may_fill[u_school] if PRUNE_IDLE_BEAMS else np.ones_like(u_school))
        pairs, which = np.unique(
            u_sat[look] * width + school_cell[u_school[look]], return_inverse=True
        )
        which = which.reshape(-1)
        most = most_of[u_school[look]]
        binding = np.bincount(which, weights=most, minlength=pairs.size) > beam_gbps
        if PRUNE_IDLE_BEAMS is False:
            binding[:] = True
        index = np.cumsum(binding) - 1
        via_beam = binding[which]
        u_head, u_owner = u_head.copy(), u_owner.copy()
        u_head[look[via_beam]] = sup + 1 + index[which[via_beam]]
        u_owner[look[via_beam]] = s_count + index[which[via_beam]]
        beam_sat = pairs[binding] // width
    beams = np.arange(beam_sat.size, dtype=np.int64)
    gws = np.arange(g_count, dtype=np.int64)
    blocks: list[tuple[Any, ...]] = [
        # (src, dst, capacity, cost, kind, owner)
        (
            np.full(has_demand.size, sup),
            schools[has_demand],
            part.demand_gbps[has_demand],
            0.0,
            EdgeKind.DEMAND,
            has_demand,
        ),
        (
            schools[u_school],
            u_head,
            user_gbps,
            snap.latency_ms[user],
            EdgeKind.USER_LINK,
            u_owner,
        ),
        (sup + 1 + beams, side0 + beam_sat, beam_gbps or big, 0.0, EdgeKind.BEAM, beam_sat),
        (side0 + sats, sat0 + sats, satellite_gbps or big, 0.0, EdgeKind.SATELLITE, sats),
        (
            np.concatenate([sat0 + i_a, sat0 + i_b]),
            np.concatenate([sat0 + i_b, sat0 + i_a]),
            isl_gbps or 0.0,
            np.tile(snap.latency_ms[isl], 2),
            EdgeKind.ISL,
            np.concatenate([i_a, i_b]),
        ),
        (sat0 + f_sat, ant0 + f_gw, feeder_gbps[f_gw], f_lat, EdgeKind.FEEDER, f_gw),
        (
            ant0 + gws,
            gateways.astype(np.int64),
            # inf antennas (no limit) x a 0 Gbit/s feeder would be NaN: multiply finite only
            np.where(
                np.isfinite(antennas),
                np.where(np.isfinite(antennas), antennas, 0.0) * feeder_gbps,
                big,
            ),
            0.0,
            EdgeKind.ANTENNAS,
            gws,
        ),
        (
            part.ground_src,
            part.ground_dst,
            part.ground_capacity,
            part.ground_latency,
            EdgeKind.GROUND,
            part.link,
        ),
    ]
    sizes = [len(b[0]) for b in blocks]
    src = np.concatenate([np.asarray(b[0], np.int64) for b in blocks]).astype(np.int32)
    dst = np.concatenate([np.asarray(b[1], np.int64) for b in blocks]).astype(np.int32)
    cap = np.concatenate(
        [np.broadcast_to(np.asarray(b[2], float), k) for b, k in zip(blocks, sizes, strict=True)]
    )
    cost = np.concatenate(
        [np.broadcast_to(np.asarray(b[3], float), k) for b, k in zip(blocks, sizes, strict=True)]
    )
    kind = np.repeat(np.array([int(b[4]) for b in blocks], np.int8), sizes)
    owner = np.concatenate([np.asarray(b[5], np.int64) for b in blocks])
    cap = np.minimum(cap, big)
    edges = StepEdges(sup + 1 + beam_sat.size, src, dst, cost, cap)
    _, sat_lon = ecef_to_lat_lon(snap.satellite_ecef_km)
    return StepNetwork(
        edges, kind, owner, cap, cost, sup, schools, part.sinks, np.asarray(sat_lon, float)
    )


def cells_that_may_fill(
    school_cell: npt.NDArray[np.int64], most: npt.NDArray[np.float64], beam_gbps: float
) -> npt.NDArray[np.bool_]:
    """Per school, whether the schools of its beam cell, each sending at most ``most``, could
    together fill one beam. A beam of a (satellite, cell) pair carries at most what the cell's
    schools with a link to that satellite send, a part of the cell's total; a cell whose total
    stays below the beam (with a margin far above float rounding, so that no sum of a part
    taken in another order can exceed the beam) has no beam that binds."""
    _, cell = np.unique(school_cell, return_inverse=True)
    total = np.bincount(cell.reshape(-1), weights=most)
    may: npt.NDArray[np.bool_] = (total > beam_gbps * (1.0 - 1e-9))[cell.reshape(-1)]
    return may


def beam_cells(
    lat: npt.NDArray[np.float64], lon: npt.NDArray[np.float64], cell_km: float
) -> npt.NDArray[np.int64]:
    """Each point's beam cell: squares of ``cell_km`` a side, in rows of latitude and, inside a
    row, columns of longitude measured along the row's middle parallel (so a cell is about
    ``cell_km`` wide at any latitude). A cell id is ``row * columns + column``, >= 0."""
    km_per_deg = math.pi * EARTH_RADIUS_KM / 180.0
    row = np.floor((np.asarray(lat, np.float64) + 90.0) * km_per_deg / cell_km).astype(np.int64)
    middle = np.clip((row + 0.5) * cell_km / km_per_deg - 90.0, -89.999, 89.999)
    around = 360.0 * km_per_deg  # the equator's length: the most columns any row has
    columns = int(around // cell_km) + 1
    width_deg = cell_km / (km_per_deg * np.cos(np.radians(middle)))
    column = np.floor((np.asarray(lon, np.float64) + 180.0) / width_deg).astype(np.int64)
    cell: npt.NDArray[np.int64] = row * columns + np.minimum(column, columns - 1)
    return cell


def policy_view(base: StepNetwork, part: GroundPart) -> StepNetwork:
    """``base`` (built with every policy's edges) under one policy: the same graph, with
    capacity 0 on the ground links, feeders and school demands the policy does not allow, and
    the policy's sinks. A zero-capacity edge carries no flow, so this equals removing them."""
    cap = base.capacity.copy()
    kind, owner = base.kind, base.owner
    demand = kind == EdgeKind.DEMAND
    cap[demand] = np.minimum(cap[demand], part.demand_gbps[owner[demand]])
    feeder = kind == EdgeKind.FEEDER
    cap[feeder] = np.where(part.gateway_ok[owner[feeder]], cap[feeder], 0.0)
    ground = kind == EdgeKind.GROUND
    cap[ground] = np.where(part.link_ok[owner[ground]], cap[ground], 0.0)
    return dataclasses.replace(base, capacity=cap, sinks=part.sinks)


def integer_capacity(capacity_gbps: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """Capacities in whole kbit/s, rounded down (:data:`KBPS_PER_GBPS`)."""
    return np.floor(capacity_gbps * KBPS_PER_GBPS + 1e-6).astype(np.int64)


def flow_weighted_latency(net: StepNetwork, edge_flow: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
    """Per school, the flow-weighted mean latency (ms) from the school to the exchange over the
    flow ``edge_flow`` (NaN where the school sends nothing).

    At every node the traffic that arrives leaves along its outgoing flow in proportion to it
    (traffic absorbed at an exchange travels no further), so ``L(v) = sum_out f_e (c_e +
    L(head_e)) / inflow(v)``. A minimum-cost flow with positive latencies has no flow cycle,
    so the iteration is exact after as many rounds as the longest path has edges.
    """
    f = np.asarray(edge_flow, dtype=np.float64)
    used = f > 0
    u_src, u_dst = net.src[used].astype(np.int64), net.dst[used].astype(np.int64)
    u_f, u_c = f[used], net.cost[used]
    n = net.edges.num_nodes
    inflow = np.bincount(u_dst, weights=u_f, minlength=n)
    here = np.bincount(u_src, weights=u_f * u_c, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        inv = np.where(inflow > 0, 1.0 / inflow, 0.0)
    lat = np.zeros(n)
    for _ in range(n + 1):
        new: npt.NDArray[np.float64] = np.asarray(
            (here + np.bincount(u_src, weights=u_f * lat[u_dst], minlength=n)) * inv, np.float64
        )
        if np.array_equal(new, lat):
            break
        lat = new
    else:  # pragma: no cover - a flow cycle (impossible for a minimum-cost flow)
        raise RuntimeError("flow_weighted_latency: the flow has a cycle")
    out = lat[net.schools]
    return np.where(inflow[net.schools] > 0, out, np.nan)


def bottleneck_labels(
    net: StepNetwork,
    cut_edges: npt.NDArray[np.int32],
    *,
    gateway_names: npt.NDArray[Any],
    link_ids: npt.NDArray[Any],
    home_country: str | None,
    school_lon: tuple[float, float],
) -> list[tuple[str, float]]:
    """The minimum cut in the planner's words: ``(label, Gbit/s of the cut)`` per group of cut
    edges, largest first; demand edges (schools that get their full demand) and edges the
    policy closed (capacity 0) are left out."""
    cut = np.asarray(cut_edges, dtype=np.int64)
    cut = cut[(net.kind[cut] != EdgeKind.DEMAND) & (net.capacity[cut] > 0)]
    kind, owner, cap = net.kind[cut].astype(np.int64), net.owner[cut], net.capacity[cut]
    country = COUNTRY_NAMES.get(home_country or "", home_country or "the region")
    lo, hi = school_lon
    third = (hi - lo) / 3.0 or 1.0
    # One key per group: the kind (feeders and antennas together), then what names the group
    # (the region of a satellite's sub-point, the gateway, the ground link).
    # Satellite and beam edges are owned by their satellite.
    by_satellite = (kind == EdgeKind.SATELLITE) | (kind == EdgeKind.BEAM)
    lon = net.sat_lon[np.where(by_satellite, owner, 0)] if cut.size else owner
    region = np.where(lon < lo + third, 0, np.where(lon > hi - third, 2, 1))
    detail = np.select([by_satellite, kind >= EdgeKind.FEEDER], [region, owner], 0)
    group = np.where(kind == EdgeKind.ANTENNAS, EdgeKind.FEEDER, kind)
    keys, where = np.unique(np.stack([group, detail]), axis=1, return_inverse=True)
    gbps = np.bincount(where.reshape(-1), weights=cap, minlength=keys.shape[1])
    regions = ("west", "central", "east")
    out = []
    for (k, d), total in zip(keys.T.tolist(), gbps.tolist(), strict=True):
        if k == EdgeKind.USER_LINK:
            label = "school terminals' user links"
        elif k == EdgeKind.SATELLITE:
            label = f"satellite user capacity over {regions[d]} {country}"
        elif k == EdgeKind.BEAM:
            label = f"satellite beams over {regions[d]} {country}"
        elif k == EdgeKind.ISL:
            label = "laser links"
        elif k == EdgeKind.FEEDER:
            label = f"{gateway_names[d]} feeder links"
        else:
            label = f"ground backhaul {link_ids[d]}"
        out.append((label, total))
    return sorted(out, key=lambda item: (-item[1], item[0]))
