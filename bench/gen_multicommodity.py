"""Multi-commodity flow instances for bench/bench_multicommodity.py.

``central_asia``
    The shipped scenario's ground network (``load_scenario("central-asia")``: fibre and
    microwave links, capacity_gbps, latency_ms), without the school terminals; demands: every
    pair of its ``pop`` nodes, 1 Gbit/s each ([ASSUMED] a uniform city-pair matrix, for timing
    and accuracy only).
``starlink``
    A Starlink shell-1 snapshot (72 x 22 satellites, +Grid laser links) at t = 0 with
    ``stations`` ground stations that both send and relay (terminal and gateway roles, the
    snapshot's radio-link capacities); demands: every pair of stations, 1 Gbit/s each. The
    stations are generated, not real cities: a fixed random sample of positions between 50 S
    and 60 N (seeded), so that the instance needs no data file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
from bench.conftest import smoke

import routecore as rc


@dataclass(frozen=True)
class MultiInstance:
    name: str
    graph: rc.Graph
    source: np.ndarray
    target: np.ndarray
    amount: np.ndarray

    @property
    def description(self) -> str:
        g = self.graph
        return f"{g.num_nodes} nodes, {g.num_edges} edges, {self.source.size} demands"


def _all_pairs(nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a, b = np.triu_indices(nodes.size, k=1)
    return nodes[a].astype(np.int64), nodes[b].astype(np.int64)


@cache
def central_asia() -> MultiInstance:
    from routecore.scenario import load_scenario

    net = load_scenario("central-asia")
    keep = np.flatnonzero(net.column("nodes", "kind") != "terminal")
    a, b = net.link_ends()
    inside = np.isin(a, keep) & np.isin(b, keep)
    renumber = np.full(net.num_nodes, -1, dtype=np.int64)
    renumber[keep] = np.arange(keep.size)
    cap = net.column("links", "capacity_gbps").astype(np.float64)[inside]
    lat = net.column("links", "latency_ms").astype(np.float64)[inside]
    g = rc.Graph(
        keep.size,
        renumber[a[inside]],
        renumber[b[inside]],
        weight=lat,
        capacity=cap,
        directed=False,
    )
    pops = renumber[np.flatnonzero(net.column("nodes", "kind") == "pop")]
    s, t = _all_pairs(pops)
    return MultiInstance("central_asia", g, s, t, np.ones(s.size))


def station_count() -> int:
    return 8 if smoke() else 40


@cache
def starlink(stations: int) -> MultiInstance:
    from routecore import constellation as cs

    rng = np.random.default_rng(20260101)
    lat = rng.uniform(-50.0, 60.0, stations)
    lon = rng.uniform(-180.0, 180.0, stations)
    role = np.full(stations, int(cs.GroundRole.TERMINAL | cs.GroundRole.GATEWAY))
    snap = cs.snapshot(cs.STARLINK_SHELL1, 0.0, lat, lon, role)
    s, t = _all_pairs(np.arange(stations))
    return MultiInstance(f"starlink_{stations}", snap.graph, s, t, np.ones(s.size))
