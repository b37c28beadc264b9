"""Scenario references: the ground network in networkx, its max-flow, school latency from the
raw tables."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np

from ._flow import networkx_flow_value

if TYPE_CHECKING:
    from routecore import constellation as cs
    from routecore.scenario import Network


def nx_ground(
    network: Network,
    *,
    capacity: np.ndarray | None = None,
    drop_countries: tuple[str, ...] = (),
    keep: tuple[str, ...] = (),
) -> nx.Graph:
    """The ground network as an undirected networkx graph keyed by node id (edge attributes
    ``capacity``, ``latency`` and ``link``, the link id)."""
    g = nx.Graph()
    nodes = network.nodes
    skip = set(nodes.loc[nodes["country"].isin(drop_countries), "id"]) - set(keep)
    g.add_nodes_from(n for n in nodes["id"] if n not in skip)
    links = network.links
    cap = links["capacity_gbps"].to_numpy() if capacity is None else capacity
    for e, row in enumerate(links.itertuples()):
        if row.a in skip or row.b in skip:
            continue
        assert not g.has_edge(row.a, row.b), "the oracle assumes no parallel links"
        g.add_edge(row.a, row.b, capacity=float(cap[e]), latency=row.latency_ms, link=row.id)
    return g


def nx_max_flow(g: nx.Graph, sources: list[str], sinks: list[str]) -> float:
    """:func:`networkx_flow_value` on a graph built by :func:`nx_ground`."""
    edges = ((u, v, data["capacity"]) for u, v, data in g.edges(data=True))
    value: float = networkx_flow_value(edges, sources, sinks, directed=False)
    return value


def school_latency(
    network: Network, constellation: cs.Constellation, t: float, allowed_gateways: set[str]
) -> dict[str, float]:
    """Each school's latency (ms) to the exchange ``almaty-ix`` at time ``t``: one directed
    networkx graph of the ground network plus one snapshot's satellite links, school ->
    satellite only, satellite -> gateway only for the allowed gateways."""
    from routecore import constellation as cs

    nodes = network.nodes
    lat, lon = nodes["lat"].to_numpy(), nodes["lon"].to_numpy()
    role = np.where(
        nodes["kind"] == "terminal",
        int(cs.GroundRole.TERMINAL),
        np.where(nodes["kind"] == "gateway", int(cs.GroundRole.GATEWAY), int(cs.GroundRole.NONE)),
    )
    snap = cs.snapshot(constellation, t, lat, lon, role)
    ids = list(nodes["id"])
    name = [*ids, *(f"sat{i}" for i in range(snap.num_satellites))]
    g = nx.DiGraph()
    w = snap.graph.weight
    for e in range(len(snap.src)):
        u, v, m = name[snap.src[e]], name[snap.dst[e]], cs.Medium(int(snap.medium[e]))
        if m == cs.Medium.USER_LINK:  # school -> satellite only
            g.add_edge(u, v, w=w[e])
        elif m == cs.Medium.FEEDER:  # satellite -> gateway only, for allowed gateways
            if u in allowed_gateways:
                g.add_edge(v, u, w=w[e])
        else:
            g.add_edge(u, v, w=w[e])
            g.add_edge(v, u, w=w[e])
    for row in network.links.itertuples():
        g.add_edge(row.a, row.b, w=row.latency_ms)
        g.add_edge(row.b, row.a, w=row.latency_ms)
    # Reverse search from the exchange gives every school's distance to it.
    dist = nx.single_source_dijkstra_path_length(g.reverse(copy=False), "almaty-ix", weight="w")
    return {s: dist.get(s, math.inf) for s in nodes.loc[nodes["kind"] == "terminal", "id"]}
