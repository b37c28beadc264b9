"""The domain's own graphs as benchmark instances (need the ``geo`` extra: pandas).

``central_asia_flow``
    The shipped ``central-asia`` ground network (:func:`routecore.scenario.load_scenario`):
    links undirected with their capacity in Mbit/s (``capacity_gbps * 1000``, whole numbers);
    a super-source joined to the scenario's ``transit_sources`` and a super-sink joined to its
    ``transit_sinks`` by edges no cut would choose. ``terminals`` keeps every n-th school.
``satellite_flow``
    One snapshot (:func:`routecore.constellation.snapshot`, Starlink shell 1 at ``t_s``) over
    the scenario's places: gateways feed the constellation, every other place is a terminal;
    capacities in Mbit/s; a super-source joined to the gateways, every terminal joined to a
    super-sink with its user-link capacity.
``satellite_paths_graph``
    The same snapshot's undirected graph with one-way latency (ms) as weights.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .instances import FloatArray, FlowInstance, IntArray


def _places(every: int) -> tuple[Any, FloatArray, FloatArray, np.ndarray]:
    """(network, lat, lon, kind) of the scenario's places, keeping every ``every``-th school
    (none for ``every=0``)."""
    from routecore.scenario import Network, load_scenario

    net = load_scenario("central-asia")
    nodes = net.nodes
    school = (nodes["kind"] == "terminal").to_numpy()
    keep = ~school if every == 0 else ~school | (np.cumsum(school) % every == 0)
    net = Network(nodes[keep].reset_index(drop=True), net.links, net.meta)
    lat = net.column("nodes", "lat").astype(np.float64)
    lon = net.column("nodes", "lon").astype(np.float64)
    return net, lat, lon, net.column("nodes", "kind")


def _with_super_terminals(
    name: str,
    n: int,
    src: IntArray,
    dst: IntArray,
    cap: IntArray,
    sources: IntArray,
    sinks: IntArray,
    sink_cap: IntArray,
) -> FlowInstance:
    s, t = n, n + 1
    big = int(cap.sum()) + 1
    return FlowInstance(
        name,
        n + 2,
        np.concatenate([src, np.full(sources.size, s), sinks]).astype(np.int64),
        np.concatenate([dst, sources, np.full(sinks.size, t)]).astype(np.int64),
        np.concatenate([cap, np.full(sources.size, big), sink_cap]).astype(np.int64),
        False,
        s,
        t,
    )


def central_asia_flow() -> FlowInstance:
    """Transit capacity of the ``central-asia`` ground network (Mbit/s)."""
    net, _, _, _ = _places(0)
    a, b = net.link_ends()
    cap = np.rint(net.column("links", "capacity_gbps").astype(np.float64) * 1000).astype(np.int64)
    analysis = net.meta["analysis"]
    sources = net.node_index(analysis["transit_sources"]).astype(np.int64)
    sinks = net.node_index(analysis["transit_sinks"]).astype(np.int64)
    big = np.full(sinks.size, int(cap.sum()) + 1, dtype=np.int64)
    return _with_super_terminals(
        "central-asia",
        net.num_nodes,
        a.astype(np.int64),
        b.astype(np.int64),
        cap,
        sources,
        sinks,
        big,
    )


def _snapshot(every: int, t_s: float) -> tuple[Any, np.ndarray]:
    from routecore import constellation as cs

    _, lat, lon, kind = _places(every)
    gateway = kind == "gateway"
    role = np.where(gateway, int(cs.GroundRole.GATEWAY), int(cs.GroundRole.TERMINAL))
    return cs.snapshot(cs.STARLINK_SHELL1, t_s, lat, lon, role), gateway


def satellite_flow(every: int = 1, t_s: float = 0.0) -> FlowInstance:
    """Capacity from the gateways to the terminals over one Starlink shell-1 snapshot."""
    snap, gateway = _snapshot(every, t_s)
    cap = np.rint(snap.graph.capacity * 1000).astype(np.int64)
    src = snap.src.astype(np.int64)
    dst = snap.dst.astype(np.int64)
    terminals = np.flatnonzero(~gateway).astype(np.int64)
    user = np.rint(1000 * _user_link_gbps()) * np.ones(terminals.size)
    return _with_super_terminals(
        "satellite",
        snap.num_ground + snap.num_satellites,
        src,
        dst,
        cap,
        np.flatnonzero(gateway).astype(np.int64),
        terminals,
        user.astype(np.int64),
    )


def _user_link_gbps() -> float:
    from routecore import constellation as cs

    return float(cs.STARLINK_SHELL1.user_link_capacity_gbps)


def satellite_paths_graph(
    every: int = 1, t_s: float = 0.0
) -> tuple[int, IntArray, IntArray, FloatArray, bool]:
    """(num_nodes, src, dst, latency_ms, directed=False) of one snapshot."""
    snap, _ = _snapshot(every, t_s)
    return (
        snap.num_ground + snap.num_satellites,
        snap.src.astype(np.int64),
        snap.dst.astype(np.int64),
        np.asarray(snap.latency_ms, dtype=np.float64),
        False,
    )
