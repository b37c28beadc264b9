"""Independent reference answers for the tests (scipy, networkx, plain Python): the one home of
every oracle, so each reference is written once.

Nothing here calls routecore's algorithms: the oracles start from the raw edge lists (the
scenario oracles from the network's tables and one constellation snapshot).
``same_result`` compares two routecore results exactly (for the determinism tests); the
``check_*`` helpers assert a certificate (a valid path, a cut) against the raw edge list.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Hashable, Iterable
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order, dijkstra, maximum_flow

import routecore as rc
from routecore.geo import EARTH_RADIUS_KM

if TYPE_CHECKING:
    from routecore import constellation as cs
    from routecore.scenario import Network

    from .strategies import EdgeList, FairProblem, FlowProblem, McfProblem


def arcs(
    num_nodes: int,
    src: np.ndarray,
    dst: np.ndarray,
    weight: np.ndarray,
    directed: bool,
    removed: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The arcs (tail, head, weight) of an edge list; undirected edges give both directions.
    Arcs touching a node in ``removed`` (boolean mask) are dropped."""
    tails, heads, w = src, dst, weight
    if not directed:
        tails = np.concatenate([src, dst])
        heads = np.concatenate([dst, src])
        w = np.concatenate([weight, weight])
    if removed is not None:
        keep = ~(removed[tails] | removed[heads])
        tails, heads, w = tails[keep], heads[keep], w[keep]
    return tails.astype(np.int64), heads.astype(np.int64), w.astype(np.float64)


def scipy_lengths(
    num_nodes: int,
    src: np.ndarray,
    dst: np.ndarray,
    weight: np.ndarray,
    directed: bool,
    sources: np.ndarray,
    removed: np.ndarray | None = None,
) -> np.ndarray:
    """scipy.sparse.csgraph.dijkstra distances, shape (len(sources), n).

    A sparse matrix sums duplicate entries, so parallel arcs are first reduced to their minimum
    weight. Self-loops never shorten a path and are dropped (a zero entry on the diagonal is
    harmless but scipy keeps explicit zeros only if we ask). Zero weights are kept as explicit
    zeros, which csgraph treats as edges for sparse input.
    """
    t, h, w = arcs(num_nodes, src, dst, weight, directed, removed)
    loop = t == h
    t, h, w = t[~loop], h[~loop], w[~loop]
    order = np.lexsort((w, h, t))
    t, h, w = t[order], h[order], w[order]
    first = np.ones(t.shape[0], dtype=bool)
    first[1:] = (t[1:] != t[:-1]) | (h[1:] != h[:-1])
    matrix = sp.csr_array((w[first], (t[first], h[first])), shape=(num_nodes, num_nodes))
    out = dijkstra(matrix, directed=True, indices=np.asarray(sources, dtype=np.int64))
    out = np.atleast_2d(out)
    if removed is not None:
        out[:, removed] = np.inf
    return out


def networkx_graph(
    num_nodes: int,
    src: np.ndarray,
    dst: np.ndarray,
    weight: np.ndarray,
    directed: bool,
    removed: np.ndarray | None = None,
) -> nx.MultiDiGraph | nx.MultiGraph:
    g: nx.MultiDiGraph | nx.MultiGraph = nx.MultiDiGraph() if directed else nx.MultiGraph()
    g.add_nodes_from(range(num_nodes))
    for u, v, w in zip(src.tolist(), dst.tolist(), weight.tolist(), strict=True):
        if removed is not None and (removed[u] or removed[v]):
            continue
        g.add_edge(u, v, weight=w)
    return g


def networkx_lengths(g: nx.Graph, source: int, *, weighted: bool = True) -> np.ndarray:
    n = g.number_of_nodes()
    out = np.full(n, np.inf)
    if weighted:
        found = nx.single_source_dijkstra_path_length(g, source, weight="weight")
    else:
        found = nx.single_source_shortest_path_length(g, source)
    for v, d in found.items():
        out[v] = d
    return out


def bfs_hops(
    num_nodes: int, src: np.ndarray, dst: np.ndarray, directed: bool, source: int
) -> np.ndarray:
    """Hop counts by a textbook breadth-first search over adjacency lists."""
    adj: list[list[int]] = [[] for _ in range(num_nodes)]
    for u, v in zip(src.tolist(), dst.tolist(), strict=True):
        adj[u].append(v)
        if not directed:
            adj[v].append(u)
    out = np.full(num_nodes, np.inf)
    out[source] = 0
    queue = deque([source])
    while queue:
        u = queue.popleft()
        for v in adj[u]:
            if out[v] == np.inf:
                out[v] = out[u] + 1
                queue.append(v)
    return out


def haversine_km(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    """Great-circle distance by the haversine formula (a different formula from routecore's)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def geo_bound(el: EdgeList, lat: np.ndarray, lon: np.ndarray) -> float:
    """The largest cost per km that every edge of ``el`` respects (a valid A* bound), from the
    haversine distances."""
    km = haversine_km(lat[el.src], lon[el.src], lat[el.dst], lon[el.dst])
    positive = km > 1e-6
    if not positive.any():
        return 1.0
    bound = float(np.min(el.weight[positive] / km[positive])) * (1 - 1e-9)
    # Below the smallest normal float the products cost * km lose their relative precision
    # (hypothesis found weights of 2.2e-313), so the 1e-9 margin no longer covers rounding;
    # a cost of 0 is always a valid bound.
    return bound if bound >= np.finfo(np.float64).tiny else 0.0


def unit_vector(lat_deg: float, lon_deg: float) -> np.ndarray:
    """The unit vector (x, y, z) of a point on the sphere, Earth-centred, z through the pole."""
    la, lo = math.radians(lat_deg), math.radians(lon_deg)
    return np.array([math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la)])


def elevation_deg(ground: np.ndarray, sat: np.ndarray) -> Any:
    """Elevation of ``sat`` seen from ``ground`` (Earth-centred xyz, broadcast): 90 deg minus the
    angle between the line of sight and the local vertical."""
    los = sat - ground
    up = ground / np.linalg.norm(ground, axis=-1, keepdims=True)
    sin_el = np.sum(los * up, axis=-1) / np.linalg.norm(los, axis=-1)
    return np.degrees(np.arcsin(np.clip(sin_el, -1.0, 1.0)))


def left_sum(values: np.ndarray) -> float:
    """Sum from the first element to the last, one addition at a time."""
    total = 0.0
    for x in values.tolist():
        total += x
    return total


def same_result(a: Any, b: Any) -> bool:
    """Exactly equal results: arrays of the same dtype and values, containers item by item,
    FlowResult / MinCut / ShortestPathTree field by field, anything else by type and ==."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (
            isinstance(a, np.ndarray)
            and isinstance(b, np.ndarray)
            and a.dtype == b.dtype
            and np.array_equal(a, b)
        )
    if isinstance(a, tuple | list):
        return type(a) is type(b) and len(a) == len(b) and all(map(same_result, a, b))
    if isinstance(a, rc.FlowResult | rc.MinCut | rc.ShortestPathTree):
        return type(a) is type(b) and all(
            same_result(getattr(a, f), getattr(b, f)) for f in a.__dataclass_fields__
        )
    return bool(type(a) is type(b) and a == b)


def lengths_of(
    el: EdgeList,
    weight: np.ndarray | None,
    sources: np.ndarray,
    removed: np.ndarray | None = None,
    *,
    reverse: bool = False,
    closed: np.ndarray | None = None,
) -> np.ndarray:
    """scipy distances on an :class:`EdgeList` (``weight`` None: unit weights); ``removed``:
    node mask, ``closed``: edge mask of deleted edges, ``reverse``: every edge turned round."""
    w = np.ones(len(el.src)) if weight is None else np.asarray(weight, dtype=np.float64)
    src, dst = (el.dst, el.src) if reverse else (el.src, el.dst)
    if closed is not None:
        src, dst, w = src[~closed], dst[~closed], w[~closed]
    if len(sources) == 0:
        return np.zeros((0, el.num_nodes))
    return scipy_lengths(el.num_nodes, src, dst, w, el.directed, sources, removed)


def node_mask(forbidden: Any, n: int) -> np.ndarray | None:
    """A set of ids or a boolean mask as a boolean mask of length ``n`` (None stays None)."""
    if forbidden is None:
        return None
    arr = np.asarray(forbidden)
    if arr.dtype == bool:
        return arr.copy()
    mask = np.zeros(n, dtype=bool)
    mask[arr.reshape(-1).astype(np.int64)] = True
    return mask


def check_path(
    el: EdgeList, weight: np.ndarray | None, s: int, t: int, p: rc.Path, removed: Any
) -> None:
    """A path from s to t along real edges, avoiding removed nodes, its length the sum of its
    edges' weights."""
    assert p.nodes[0] == s and p.nodes[-1] == t
    assert len(p.edges) == len(p.nodes) - 1
    w = np.ones(len(el.src)) if weight is None else weight
    for i, e in enumerate(p.edges.tolist()):
        u, v = int(p.nodes[i]), int(p.nodes[i + 1])
        ends = (int(el.src[e]), int(el.dst[e]))
        assert ends == (u, v) or (not el.directed and ends == (v, u))
    if removed is not None:
        assert not removed[p.nodes].any()
    assert p.length == sum(float(w[e]) for e in p.edges.tolist())


# ------------------------------------------------------------------------------ max-flow
_SUPER_SOURCE = ("oracle", "super source")
_SUPER_SINK = ("oracle", "super sink")


def networkx_flow_value(
    edges: Iterable[tuple[Hashable, Hashable, Any]],
    sources: Iterable[Hashable],
    sinks: Iterable[Hashable],
    *,
    directed: bool,
) -> Any:
    """THE networkx max-flow reference (preflow-push; exact for Python ints).

    ``edges`` are (u, v, capacity) with any hashable node labels. Parallel edges are merged by
    summing, undirected edges count in both directions, self-loops are dropped, and a super
    source / super sink joins the terminals by uncapacitated (infinite) edges.
    """
    g = nx.DiGraph()

    def add(u: Hashable, v: Hashable, c: Any) -> None:
        if g.has_edge(u, v):
            g[u][v]["capacity"] += c
        else:
            g.add_edge(u, v, capacity=c)

    for u, v, c in edges:
        if u == v:
            continue
        add(u, v, c)
        if not directed:
            add(v, u, c)
    for s in sources:
        g.add_edge(_SUPER_SOURCE, s)
    for t in sinks:
        g.add_edge(t, _SUPER_SINK)
    return nx.maximum_flow_value(g, _SUPER_SOURCE, _SUPER_SINK)


def flow_value(
    el: EdgeList | FlowProblem,
    capacity: np.ndarray,
    sources: np.ndarray,
    sinks: np.ndarray,
) -> Any:
    """:func:`networkx_flow_value` of an edge list with the given per-edge capacities (pass an
    object array of Python ints for an exact value beyond float precision)."""
    edges = zip(el.src.tolist(), el.dst.tolist(), capacity.tolist(), strict=True)
    return networkx_flow_value(edges, sources.tolist(), sinks.tolist(), directed=el.directed)


def problem_flow_value(p: FlowProblem, capacity: np.ndarray | None = None) -> Any:
    """:func:`networkx_flow_value` of a :class:`FlowProblem` (its own capacities by default)."""
    cap = p.capacity if capacity is None else capacity
    return flow_value(p, cap, p.source_ids, p.sink_ids)


def scipy_flow_value(p: FlowProblem) -> int:
    """Max-flow value by scipy (Dinic, int32 only), with super terminals added here."""
    n = p.num_nodes
    src, dst, cap = p.src, p.dst, p.capacity
    if not p.directed:
        src, dst, cap = np.r_[src, dst], np.r_[dst, src], np.r_[cap, cap]
    big = int(min(cap.sum() + 1, 2**31 - 1))
    s_ids, t_ids = p.source_ids, p.sink_ids
    rows = np.r_[src, np.full(len(s_ids), n), t_ids]
    cols = np.r_[dst, s_ids, np.full(len(t_ids), n + 1)]
    data = np.r_[cap, np.full(len(s_ids) + len(t_ids), big)]
    keep = rows != cols
    matrix = sp.csr_array(
        (data[keep].astype(np.int32), (rows[keep], cols[keep])), shape=(n + 2, n + 2)
    )
    return int(maximum_flow(matrix, n, n + 1).flow_value)


def residual_reach(p: FlowProblem, edge_flow: np.ndarray, *, towards_sinks: bool) -> np.ndarray:
    """Nodes reachable from a source (or, with towards_sinks, that reach a sink) along arcs with
    positive residual, computed independently from the edge flows."""
    n = p.num_nodes
    src, dst, c, f = p.src, p.dst, p.capacity, edge_flow
    lower = np.zeros_like(c) if p.directed else -c
    tails = np.r_[src[f < c], dst[f > lower]]
    heads = np.r_[dst[f < c], src[f > lower]]
    if towards_sinks:
        tails, heads = heads, tails
        starts = p.sink_ids
    else:
        starts = p.source_ids
    tails = np.r_[tails, np.full(len(starts), n)]
    heads = np.r_[heads, starts]
    adj = sp.csr_array((np.ones(len(tails)), (tails, heads)), shape=(n + 1, n + 1))
    reached = breadth_first_order(adj, n, directed=True, return_predecessors=False)
    mask = np.zeros(n + 1, dtype=bool)
    mask[reached] = True
    return mask[:n]


def check_cut(
    el: EdgeList, cap: np.ndarray, side: np.ndarray, cut: np.ndarray, value: Any, sources: Any
) -> None:
    """``cut`` is exactly the edges leaving ``side`` (either way if undirected), its capacity is
    ``value`` and every source is on ``side``."""
    s_side, d_side = side[el.src], side[el.dst]
    crossing = (s_side & ~d_side) if el.directed else (s_side != d_side)
    assert np.array_equal(cut, np.flatnonzero(crossing))
    assert cap[cut].sum() == value
    assert side[np.asarray(sources)].all()


# ------------------------------------------------------------------------------ scenarios
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


# ------------------------------------------------------------------------ min-cost flow (issue 12)
def mcf_arcs(p: McfProblem) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The problem as directed arcs (tail, head, capacity with -1 = none, cost): an undirected
    edge becomes two opposite arcs (its cost is >= 0, so the optimum is the same)."""
    if p.directed:
        return p.src, p.dst, p.capacity, p.cost
    return (
        np.concatenate([p.src, p.dst]),
        np.concatenate([p.dst, p.src]),
        np.concatenate([p.capacity, p.capacity]),
        np.concatenate([p.cost, p.cost]),
    )


def networkx_min_cost(p: McfProblem) -> tuple[str, int | None]:
    """(status, optimal cost) by networkx.network_simplex; every arc goes through a middle node
    of its own so that parallel arcs and self-loops survive a DiGraph."""
    tail, head, cap, cost = mcf_arcs(p)
    g = nx.DiGraph()
    for v in range(p.num_nodes):
        g.add_node(v, demand=-int(p.supply[v]))
    for i in range(tail.size):
        mid = ("arc", i)
        g.add_node(mid, demand=0)
        attrs = {} if cap[i] < 0 else {"capacity": int(cap[i])}
        g.add_edge(int(tail[i]), mid, weight=int(cost[i]), **attrs)
        g.add_edge(mid, int(head[i]), weight=0)
    try:
        value, _ = nx.network_simplex(g)
    except nx.NetworkXUnfeasible:
        return "infeasible", None
    except nx.NetworkXUnbounded:
        return "unbounded", None
    return "optimal", int(value)


def ortools_min_cost(p: McfProblem) -> tuple[str, int | None]:
    """(status, optimal cost) by OR-Tools SimpleMinCostFlow (finite capacities only)."""
    from ortools.graph.python import min_cost_flow

    tail, head, cap, cost = mcf_arcs(p)
    assert (cap >= 0).all(), "OR-Tools has no uncapacitated arcs"
    s = min_cost_flow.SimpleMinCostFlow()
    if tail.size:
        s.add_arcs_with_capacity_and_unit_cost(tail, head, cap, cost)
    for v in range(p.num_nodes):
        s.set_node_supply(v, int(p.supply[v]))
    status = s.solve()
    if status == s.OPTIMAL:
        return "optimal", int(s.optimal_cost())
    if status in (s.INFEASIBLE, s.UNBALANCED):
        return "infeasible", None
    return f"ortools status {status}", None


def lemon_min_cost(p: McfProblem) -> tuple[str, int | None]:
    """(status, optimal cost) by pylmcf (LEMON's network simplex; costs >= 0, finite caps)."""
    from pylmcf import pylmcf_cpp

    tail, head, cap, cost = mcf_arcs(p)
    assert (cap >= 0).all() and (cost >= 0).all()
    if int(p.supply.sum()) != 0:
        return "infeasible", None
    i64 = lambda a: np.ascontiguousarray(a, dtype=np.int64)  # noqa: E731
    try:
        flow = pylmcf_cpp.lmcf(i64(p.supply), i64(tail), i64(head), i64(cap), i64(cost))
    except RuntimeError as e:
        if "INFEASIBLE" in str(e):
            return "infeasible", None
        raise
    return "optimal", int((np.asarray(flow, dtype=object) * cost.astype(object)).sum())


def check_min_cost_certificate(
    p: McfProblem, edge_flow: np.ndarray, potentials: np.ndarray, *, tol: float = 0.0
) -> int:
    """Asserts that (edge_flow, potentials) is an optimal flow and its dual: conservation
    against the supplies, 0 <= flow <= capacity per direction, and complementary slackness of
    the reduced cost rc = cost + pi[tail] - pi[head] of each arc (>= -tol where the arc can
    take more, <= tol where it carries flow). Returns the flow's cost, computed here."""
    f = np.asarray(edge_flow).astype(object)
    net = np.zeros(p.num_nodes, dtype=object)
    np.add.at(net, p.src, f)
    np.add.at(net, p.dst, -f)
    assert (net == p.supply.astype(object)).all(), "flow conservation violated"
    if p.directed:
        forward, backward = f, None
        assert (f >= 0).all()
    else:
        forward, backward = np.maximum(f, 0), np.maximum(-f, 0)
    pi = np.asarray(potentials)
    for arc_flow, tail, head in ((forward, p.src, p.dst), (backward, p.dst, p.src)):
        if arc_flow is None:
            continue
        capped = p.capacity >= 0
        assert (arc_flow[capped] <= p.capacity[capped].astype(object)).all(), "over capacity"
        rc_ = p.cost.astype(object) + pi[tail].astype(object) - pi[head].astype(object)
        room = ~capped | (arc_flow < p.capacity.astype(object))
        assert (rc_[room] >= -tol).all(), "an arc with spare capacity has negative reduced cost"
        assert (rc_[arc_flow > 0] <= tol).all(), "an arc with flow has positive reduced cost"
    return int((np.abs(f) * p.cost.astype(object)).sum())


def networkx_multi_sink_max_flow(
    src: np.ndarray, dst: np.ndarray, capacity: np.ndarray, source: int, sinks: np.ndarray
) -> float:
    """Maximum flow value of a directed multigraph (parallel arcs summed) from ``source`` to
    the set ``sinks``, by networkx (preflow push) with a super sink."""
    g = nx.DiGraph()
    for a, b, c in zip(src.tolist(), dst.tolist(), capacity.tolist(), strict=True):
        if g.has_edge(a, b):
            g[a][b]["capacity"] += c
        else:
            g.add_edge(a, b, capacity=c)
    for t in sinks.tolist():
        g.add_edge(t, "super-sink")  # no capacity attribute: unlimited
    g.add_node(source)
    return float(nx.maximum_flow_value(g, source, "super-sink"))


def ortools_min_cost_max_flow(
    src: np.ndarray,
    dst: np.ndarray,
    capacity: np.ndarray,
    cost: np.ndarray,
    source: int,
    sinks: np.ndarray,
) -> tuple[int, int]:
    """(max-flow value, its minimum cost) by OR-Tools: the value from SimpleMaxFlow, then
    SimpleMinCostFlow with that supply (integer capacities and costs, a super sink)."""
    from ortools.graph.python import max_flow, min_cost_flow

    n = int(max(src.max(), dst.max(), source, sinks.max())) + 1
    sink = n
    tail = np.concatenate([src, sinks]).astype(np.int64)
    head = np.concatenate([dst, np.full(sinks.size, sink)]).astype(np.int64)
    big = int(capacity.sum()) + 1
    cap = np.concatenate([capacity, np.full(sinks.size, big)]).astype(np.int64)
    arc_cost = np.concatenate([cost, np.zeros(sinks.size)]).astype(np.int64)
    mf = max_flow.SimpleMaxFlow()
    mf.add_arcs_with_capacity(tail, head, cap)
    assert mf.solve(source, sink) == mf.OPTIMAL
    value = int(mf.optimal_flow())
    mc = min_cost_flow.SimpleMinCostFlow()
    mc.add_arcs_with_capacity_and_unit_cost(tail, head, cap, arc_cost)
    mc.set_node_supply(source, value)
    mc.set_node_supply(sink, -value)
    assert mc.solve() == mc.OPTIMAL
    return value, int(mc.optimal_cost())


# ------------------------------------------------------------ max-min fair share (issue 12)
def _water_level(demand: list[float], budget: Fraction) -> Fraction | float:
    """The largest ``lam`` with ``sum(min(lam, d)) <= budget`` (exact; ``inf`` if unbounded)."""
    if budget <= 0:
        return Fraction(0)
    ranked = sorted(demand)
    below = Fraction(0)
    for j, d in enumerate(ranked):
        left = len(ranked) - j
        if d == math.inf or below + left * Fraction(d) >= budget:
            return (budget - below) / left
        below += Fraction(d)
    return math.inf


def exact_fair_rates(p: FairProblem) -> list[Fraction]:
    """Max-min fair rates by brute-force progressive filling over every subset of sources, in
    exact rationals (integer capacities): the feasible rates are ``r(Y) <= rank(Y)`` (the
    networkx max-flow from the sources ``Y``) for every subset ``Y``, and ``r <= demand``.
    Each round raises the active rates together to the lowest level a subset allows and
    freezes the sources capped by demand or in a subset tight at that level."""
    fp = p.flow
    ids = fp.source_ids.tolist()
    k = len(ids)
    demand = p.demand_per_source.tolist()
    edges = list(zip(fp.src.tolist(), fp.dst.tolist(), fp.capacity.tolist(), strict=True))
    sinks = fp.sink_ids.tolist()
    subsets = [frozenset(i for i in range(k) if mask >> i & 1) for mask in range(1, 1 << k)]
    rank = {
        y: Fraction(networkx_flow_value(edges, [ids[i] for i in y], sinks, directed=fp.directed))
        for y in subsets
    }
    rates: list[Fraction | None] = [None] * k
    while any(r is None for r in rates):
        active = {i for i in range(k) if rates[i] is None}
        roots: dict[frozenset[int], Fraction | float] = {}
        for y in subsets:
            if y & active:
                fixed = sum((rates[i] for i in y - active), Fraction(0))  # type: ignore[misc]
                roots[y] = _water_level([demand[i] for i in y & active], rank[y] - fixed)
        lam = min(min(roots.values()), max(demand[i] for i in active))
        for i in active:
            if demand[i] <= lam:
                rates[i] = Fraction(demand[i])
        for y, root in roots.items():
            if root == lam:
                for i in y & active:
                    if rates[i] is None:
                        rates[i] = Fraction(lam)
    return [r for r in rates if r is not None]


def highs_fair_rates(p: FairProblem) -> np.ndarray:
    """Max-min fair rates by the standard sequence of HiGHS LPs: maximise the smallest active
    rate ``t``; freeze the active sources that reached their demand, and those that cannot
    exceed ``t`` while every other active source keeps at least ``t`` (one LP per source,
    maximising its rate); repeat with the frozen rates fixed.

    Variables: a flow per edge (``0..c``, or ``-c..c`` undirected), a rate per source
    (``0..demand``) and ``t``; rows: conservation at each non-sink node (outflow - inflow - the
    node's rate = 0) and ``rate_i - t >= 0`` for the active sources."""
    import highspy

    fp = p.flow
    n, m = fp.num_nodes, fp.src.size
    ids = fp.source_ids
    k = ids.size
    demand = p.demand_per_source
    cap = fp.capacity.astype(np.float64)
    num_col = m + k + 1
    t_col = m + k
    base_lower = np.r_[np.zeros(m) if fp.directed else -cap, np.zeros(k), 0.0]
    base_upper = np.r_[cap, demand, math.inf]
    not_sink = np.ones(n, dtype=bool)
    not_sink[fp.sink_ids] = False
    rows = np.r_[fp.src, fp.dst, ids]
    cols = np.r_[np.arange(m), np.arange(m), m + np.arange(k)]
    vals = np.r_[np.ones(m), -np.ones(m), -np.ones(k)]
    flow_rows = sp.csr_array((vals, (rows, cols)), shape=(n, num_col))[not_sink]
    pairs = np.arange(k)
    rate_rows = sp.csr_array(
        (
            np.r_[np.ones(k), -np.ones(k)],
            (np.r_[pairs, pairs], np.r_[m + pairs, np.full(k, t_col)]),
        ),
        shape=(k, num_col),
    )
    tol = 1e-7 * max(1.0, float(cap.max(initial=0.0)))

    def solve(column: int, fixed: np.ndarray, ties: np.ndarray, floor: float) -> float:
        """Maximise one column with the frozen rates fixed, ``rate_i >= t`` rows for
        ``ties`` and every unfrozen rate at least ``min(floor, demand)``."""
        lower, upper = base_lower.copy(), base_upper.copy()
        frozen = ~np.isnan(fixed)
        lower[m:t_col][frozen] = upper[m:t_col][frozen] = fixed[frozen]
        lower[m:t_col][~frozen] = np.minimum(floor, demand[~frozen])
        matrix = sp.vstack([flow_rows, rate_rows[ties]]).tocsc()
        num_row = matrix.shape[0]
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = num_col, num_row
        lp.col_cost_ = (np.arange(num_col) == column).astype(np.float64)
        lp.col_lower_, lp.col_upper_ = lower, upper
        lp.row_lower_ = np.zeros(num_row)
        lp.row_upper_ = np.r_[np.zeros(flow_rows.shape[0]), np.full(int(ties.sum()), math.inf)]
        lp.sense_ = highspy.ObjSense.kMaximize
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = matrix.indptr
        lp.a_matrix_.index_ = matrix.indices
        lp.a_matrix_.value_ = matrix.data
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.passModel(lp)
        h.run()
        status = h.getModelStatus()
        assert status == highspy.HighsModelStatus.kOptimal, h.modelStatusToString(status)
        return float(h.getInfo().objective_function_value)

    fixed = np.full(k, np.nan)
    while np.isnan(fixed).any():
        active = np.isnan(fixed)
        t = solve(t_col, fixed, active, 0.0)
        capped = active & (demand <= t + tol)
        fixed[capped] = demand[capped]
        top = {
            int(i): solve(m + int(i), fixed, np.zeros(k, bool), t)
            for i in np.flatnonzero(active & ~capped)
        }
        stuck = [i for i, v in top.items() if v <= t + tol]
        if not stuck and not capped.any():  # rounding: the lowest ceiling freezes
            stuck = [min(top, key=top.__getitem__)]
        fixed[stuck] = t
    return fixed


def capped_flow_value(p: FlowProblem, demand: np.ndarray) -> Any:
    """:func:`networkx_flow_value` with each source fed by its own edge of capacity
    ``demand[i]`` (``inf``: more than every capacity together) from one super source.

    Exact arithmetic throughout (ints, floats as Fractions): networkx's preflow-push mixing
    2**62-sized ints with floats never terminated (its excesses never reached exactly 0)."""
    caps = [Fraction(c) if isinstance(c, float) else c for c in p.capacity.tolist()]
    big = sum(caps) + 1
    arcs = list(zip(p.src.tolist(), p.dst.tolist(), caps, strict=True))
    if not p.directed:
        arcs += [(v, u, c) for u, v, c in arcs]
    feed = ("oracle", "demand")
    arcs += [
        (feed, s, big if math.isinf(d) else min(Fraction(d), big))
        for s, d in zip(p.source_ids.tolist(), demand.tolist(), strict=True)
    ]
    return networkx_flow_value(arcs, [feed], p.sink_ids.tolist(), directed=True)


def residual_closure(
    p: FlowProblem, edge_flow: np.ndarray, start: int, *, tol: float
) -> np.ndarray:
    """The nodes reachable from ``start`` along graph edges with spare capacity (more than
    ``tol``) under ``edge_flow``: the set a source could push more flow into."""
    n = p.num_nodes
    src, dst, c, f = p.src, p.dst, p.capacity.astype(np.float64), edge_flow
    lower = np.zeros_like(c) if p.directed else -c
    forward, backward = f < c - tol, f > lower + tol
    tails = np.r_[src[forward], dst[backward]]
    heads = np.r_[dst[forward], src[backward]]
    adj = sp.csr_array((np.ones(len(tails)), (tails, heads)), shape=(n, n))
    reached = breadth_first_order(adj, start, directed=True, return_predecessors=False)
    mask = np.zeros(n, dtype=bool)
    mask[reached] = True
    return mask


# ------------------------------------------------------------- multi-commodity flow (issue 13)
def multicommodity_lp(
    num_nodes: int,
    src: np.ndarray,
    dst: np.ndarray,
    capacity: np.ndarray,
    directed: bool,
    source: np.ndarray,
    target: np.ndarray,
    amount: np.ndarray,
    objective: str,
    *,
    by_source: bool = False,
) -> float:
    """The exact optimum of a multi-commodity flow LP, solved with HiGHS (highspy).

    See :func:`multicommodity_lp_model` for the formulation.
    """
    import highspy

    h, offset = multicommodity_lp_model(
        num_nodes,
        src,
        dst,
        capacity,
        directed,
        source,
        target,
        amount,
        objective,
        by_source=by_source,
    )
    if h is None:
        return offset
    h.run()
    status = h.getModelStatus()
    assert status == highspy.HighsModelStatus.kOptimal, h.modelStatusToString(status)
    return float(h.getInfo().objective_function_value) + offset


def multicommodity_lp_model(
    num_nodes: int,
    src: np.ndarray,
    dst: np.ndarray,
    capacity: np.ndarray,
    directed: bool,
    source: np.ndarray,
    target: np.ndarray,
    amount: np.ndarray,
    objective: str,
    *,
    by_source: bool = False,
) -> tuple[Any, float]:
    """A HiGHS model (not yet run) of a multi-commodity flow LP and the constant to add to its
    optimum; ``(None, value)`` when no demand needs an edge.

    Edge-flow formulation: one flow variable per (commodity, arc), an undirected edge giving two
    arcs that share its capacity; conservation per commodity and node; capacity per edge.
    ``concurrent`` maximises lambda with every commodity sending lambda * amount; ``total``
    maximises the sum of per-commodity flows f_j <= amount_j. With ``by_source`` the
    commodities of one source share one flow (the same optimum, fewer variables: a flow from
    one source to several sinks decomposes into per-sink paths). Demands from a node to
    itself or of amount 0 are left out (they need no edge); the total adds the former back.
    """
    import highspy

    src, dst = np.asarray(src, np.int64), np.asarray(dst, np.int64)
    cap = np.asarray(capacity, np.float64)
    keep = (np.asarray(source) != np.asarray(target)) & (np.asarray(amount) > 0)
    free = float(np.asarray(amount)[np.asarray(source) == np.asarray(target)].sum())
    s, t, d = np.asarray(source)[keep], np.asarray(target)[keep], np.asarray(amount)[keep]
    tail = src if directed else np.concatenate([src, dst])
    head = dst if directed else np.concatenate([dst, src])
    arc_edge = np.arange(src.size) if directed else np.concatenate([np.arange(src.size)] * 2)
    k = s.size
    if k == 0:
        return None, (free if objective == "total" else math.inf)
    groups = np.unique(s) if by_source else np.arange(k)
    group_of = np.searchsorted(groups, s) if by_source else np.arange(k)
    g, a = groups.size, tail.size
    # Columns: flow (g * a), then lambda (concurrent) or f_j (total).
    extra = 1 if objective == "concurrent" else k
    ncol = g * a + extra
    rows, cols, vals = [], [], []
    # Conservation: row (group, node): out - in - (commodity terms) = 0.
    flow_col = np.arange(g * a).reshape(g, a)
    for gi in range(g):
        rows += [gi * num_nodes + tail, gi * num_nodes + head]
        cols += [flow_col[gi], flow_col[gi]]
        vals += [np.ones(a), -np.ones(a)]
    for j in range(k):
        col = g * a + (0 if objective == "concurrent" else j)
        coef = d[j] if objective == "concurrent" else 1.0
        rows += [np.array([group_of[j] * num_nodes + s[j], group_of[j] * num_nodes + t[j]])]
        cols += [np.array([col, col])]
        vals += [np.array([-coef, coef])]
    n_cons = g * num_nodes
    # Capacity: row per edge.
    for gi in range(g):
        rows += [n_cons + arc_edge]
        cols += [flow_col[gi]]
        vals += [np.ones(a)]
    nrow = n_cons + src.size
    mat = sp.csc_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(nrow, ncol)
    )
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = ncol, nrow
    obj = np.zeros(ncol)
    obj[g * a :] = 1.0
    upper = np.full(ncol, highspy.kHighsInf)
    if objective == "total":
        upper[g * a :] = d
    lp.col_cost_ = obj
    lp.col_lower_ = np.zeros(ncol)
    lp.col_upper_ = upper
    lp.row_lower_ = np.concatenate([np.zeros(n_cons), np.full(src.size, -highspy.kHighsInf)])
    lp.row_upper_ = np.concatenate([np.zeros(n_cons), cap])
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = mat.indptr
    lp.a_matrix_.index_ = mat.indices
    lp.a_matrix_.value_ = mat.data
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(lp)
    return h, (free if objective == "total" else 0.0)


def check_multicommodity_flow(
    num_nodes: int,
    src: np.ndarray,
    dst: np.ndarray,
    capacity: np.ndarray,
    directed: bool,
    source: np.ndarray,
    target: np.ndarray,
    amount: np.ndarray,
    result: Any,
    *,
    rel: float = 1e-9,
) -> None:
    """Asserts that a MulticommodityFlow is a feasible flow: per-commodity conservation (the
    sparse table's net flow leaves the source and enters the target at the reported rate),
    edge loads within capacity, every path a valid walk of its commodity, and (concurrent)
    every commodity delivering value * amount."""
    k = np.asarray(source).size
    scale = max(1.0, float(np.max(amount[np.isfinite(amount)], initial=0.0)))
    tol = rel * scale * max(1, len(src))
    net = np.zeros((k, num_nodes))
    fc, fe, f = result.flow_commodity, result.flow_edge, result.flow
    if directed:
        assert (f >= -tol).all(), "negative flow on a directed edge"
    np.add.at(net, (fc, src[fe]), f)
    np.add.at(net, (fc, dst[fe]), -f)
    for j in range(k):
        want = np.zeros(num_nodes)
        if source[j] != target[j]:
            want[source[j]] += result.commodity_flow[j]
            want[target[j]] -= result.commodity_flow[j]
        assert np.allclose(net[j], want, atol=tol), f"conservation of commodity {j}"
    load = np.zeros(len(src))
    np.add.at(load, fe, np.abs(f))
    assert (load <= capacity * (1 + rel) + tol).all(), "over capacity"
    assert (result.edge_load <= capacity * (1 + rel) + tol).all(), "edge_load over capacity"
    for i in range(result.path_flow.size):
        p = result.path(i)
        j = result.path_commodity[i]
        assert p.nodes[0] == source[j] and p.nodes[-1] == target[j]
        for h, e in enumerate(p.edges):
            a, b = p.nodes[h], p.nodes[h + 1]
            assert (src[e], dst[e]) == (a, b) or (not directed and (src[e], dst[e]) == (b, a))
    if result.objective == "concurrent" and result.status != "unreachable":
        expect = result.value * np.asarray(amount)
        assert np.allclose(result.commodity_flow, expect, rtol=1e-9, atol=tol)
    else:
        assert (result.commodity_flow <= np.asarray(amount) * (1 + rel) + tol).all()


# ------------------------------------------------------------------ k paths, disjoint paths
def subdivided(
    el: EdgeList, weight: np.ndarray | None, removed: np.ndarray | None = None
) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """A simple graph whose simple s-t paths are the loopless edge sequences of ``el``: edge e
    (u, v) becomes u -> x_e (its weight) and x_e -> v (0), x_e = n + e. Self-loops and edges
    touching a ``removed`` node are dropped. Returns (nodes, tails, heads, weights)."""
    n, m = el.num_nodes, len(el.src)
    w = np.ones(m) if weight is None else np.asarray(weight, dtype=np.float64)
    keep = el.src != el.dst
    if removed is not None:
        keep &= ~(removed[el.src] | removed[el.dst])
    e = np.flatnonzero(keep)
    x = n + e
    tails = np.concatenate([el.src[e], x])
    heads = np.concatenate([x, el.dst[e]])
    weights = np.concatenate([w[e], np.zeros(e.size)])
    return n + m, tails.astype(np.int64), heads.astype(np.int64), weights


def scipy_k_lengths(
    el: EdgeList, weight: np.ndarray | None, s: int, t: int, k: int, removed: Any = None
) -> np.ndarray:
    """scipy.sparse.csgraph.yen lengths on :func:`subdivided` (explicit zeros are edges)."""
    from scipy.sparse.csgraph import yen

    nodes, tails, heads, w = subdivided(el, weight, removed)
    if tails.size == 0:  # scipy 1.17's yen fails on a graph without edges
        return np.zeros(1 if s == t else 0)
    matrix = sp.csr_matrix((w, (tails, heads)), shape=(nodes, nodes))
    matrix.indices = matrix.indices.astype(np.int32)
    matrix.indptr = matrix.indptr.astype(np.int32)
    return np.asarray(yen(matrix, s, t, k, directed=el.directed), dtype=np.float64)


def networkx_k_lengths(
    el: EdgeList, weight: np.ndarray | None, s: int, t: int, k: int, removed: Any = None
) -> np.ndarray:
    """networkx.shortest_simple_paths lengths on :func:`subdivided`."""
    from itertools import islice

    nodes, tails, heads, w = subdivided(el, weight, removed)
    g: nx.Graph = nx.DiGraph() if el.directed else nx.Graph()
    g.add_nodes_from(range(nodes))
    g.add_weighted_edges_from(zip(tails.tolist(), heads.tolist(), w.tolist(), strict=True))
    if removed is not None and removed[s]:
        return np.zeros(0)
    try:
        paths = list(islice(nx.shortest_simple_paths(g, s, t, weight="weight"), k))
    except nx.NetworkXNoPath:
        return np.zeros(0)
    return np.array([nx.path_weight(g, p, "weight") for p in paths], dtype=np.float64)


def networkx_disjoint(
    el: EdgeList, weight: np.ndarray | None, s: int, t: int, k: int, *, node_mode: bool
) -> tuple[int, float]:
    """(number of paths, min total length) of at most k edge- or node-disjoint s-t paths: the
    min-cost max-flow from a super source feeding s with k units, unit capacities (on nodes
    other than s and t by splitting them, in node mode)."""
    w = np.ones(len(el.src)) if weight is None else weight
    g = nx.DiGraph()
    split = (lambda v, side: (v, side)) if node_mode else (lambda v, side: (v, "x"))
    g.add_nodes_from(split(v, side) for v in (s, t) for side in ("in", "out"))
    touched = set(el.src.tolist()) | set(el.dst.tolist()) | {s, t}
    for v in sorted(touched) if node_mode else ():
        g.add_edge(split(v, "in"), split(v, "out"), capacity=(k if v in (s, t) else 1), weight=0)
    for e in range(len(el.src)):
        u, v = int(el.src[e]), int(el.dst[e])
        if u == v:
            continue
        pairs = [(u, v)] if el.directed else [(u, v), (v, u)]
        for a, b in pairs:  # through a node of its own: networkx's flows refuse multigraphs
            g.add_edge(split(a, "out"), ("edge", e, a), capacity=1, weight=float(w[e]))
            g.add_edge(("edge", e, a), split(b, "in"), capacity=1, weight=0)
    g.add_edge("S", split(s, "in"), capacity=k, weight=0)
    flow = nx.max_flow_min_cost(g, "S", split(t, "out"))
    value = flow["S"][split(s, "in")]
    return int(value), float(nx.cost_of_flow(g, flow))


def brute_group_pair(
    el: EdgeList, weight: np.ndarray, groups: np.ndarray, s: int, t: int
) -> float | None:
    """The least total length of two s-t loopless paths sharing no group (each -1 edge its own
    group), by listing every loopless path; None if no such pair exists."""
    adj: dict[int, list[int]] = {}
    for e in range(len(el.src)):
        u, v = int(el.src[e]), int(el.dst[e])
        adj.setdefault(u, []).append(e)
        if not el.directed and u != v:
            adj.setdefault(v, []).append(e)
    gid = [int(g) if g >= 0 else -1 - e for e, g in enumerate(groups.tolist())]
    found: list[tuple[float, frozenset[int]]] = []

    def walk(u: int, seen: set[int], length: float, used: list[int]) -> None:
        if u == t:
            found.append((length, frozenset(gid[e] for e in used)))
            return
        for e in adj.get(u, []):
            a, b = int(el.src[e]), int(el.dst[e])
            v = b if a == u else a
            if v in seen:
                continue
            seen.add(v)
            used.append(e)
            walk(v, seen, length + float(weight[e]), used)
            used.pop()
            seen.discard(v)

    walk(s, {s}, 0.0, [])
    best = None
    for i, (la, ga) in enumerate(found):
        for lb, gb in found[i + 1 :]:
            if not ga & gb and (best is None or la + lb < best):
                best = la + lb
    return best


def path_multicommodity_lp(
    capacity: np.ndarray,
    paths: list[list[np.ndarray]],
    amount: np.ndarray,
    objective: str,
    is_trivial: np.ndarray,
) -> float:
    """The exact optimum of the path-based multi-commodity LP (HiGHS): ``paths[j]`` lists the
    edge ids of each path demand ``j`` may use (an edge at most once per path; both directions of
    an undirected edge share its capacity). One variable per path, capacity rows per edge;
    ``concurrent``: max lambda with each non-trivial demand's paths summing to lambda *
    amount (0 when such a demand has no path); ``total``: max sum of path flows, demand j's at
    most ``amount[j]``, plus the amounts of the demands from a node to itself (``is_trivial``:
    source == target; they need no path). Zero amounts need nothing."""
    import highspy

    amount = np.asarray(amount, np.float64)
    need = ~is_trivial & (amount > 0)
    free = float(amount[is_trivial].sum()) if objective == "total" else 0.0
    if objective == "concurrent" and any(need[j] and not paths[j] for j in range(amount.size)):
        return 0.0
    cols = [(j, e) for j in range(amount.size) if need[j] for e in paths[j]]
    if not cols:
        return free if objective == "total" else math.inf
    ncol = len(cols) + (1 if objective == "concurrent" else 0)
    m = np.asarray(capacity).size
    rows: list[int] = []
    cidx: list[int] = []
    vals: list[float] = []
    for c, (_, edges) in enumerate(cols):
        for e in edges:
            rows.append(int(e))
            cidx.append(c)
            vals.append(1.0)
    # Demand rows, one per non-trivial demand: sum_q f_q (- lambda d_j) in [lo, hi].
    demand_rows = [j for j in range(amount.size) if need[j]]
    lower = [-highspy.kHighsInf] * m
    upper = [float(c) for c in np.asarray(capacity, np.float64)]
    for r, j in enumerate(demand_rows):
        for c, (jj, _) in enumerate(cols):
            if jj == j:
                rows.append(m + r)
                cidx.append(c)
                vals.append(1.0)
        if objective == "concurrent":
            rows.append(m + r)
            cidx.append(len(cols))
            vals.append(-float(amount[j]))
            lower.append(0.0)
            upper.append(0.0)
        else:
            lower.append(-highspy.kHighsInf)
            upper.append(float(amount[j]) if np.isfinite(amount[j]) else highspy.kHighsInf)
    nrow = m + len(demand_rows)
    mat = sp.csc_matrix((vals, (rows, cidx)), shape=(nrow, ncol))
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = ncol, nrow
    obj = np.zeros(ncol)
    if objective == "concurrent":
        obj[-1] = 1.0
    else:
        obj[:] = 1.0
    lp.col_cost_ = obj
    lp.col_lower_ = np.zeros(ncol)
    lp.col_upper_ = np.full(ncol, highspy.kHighsInf)
    lp.row_lower_ = np.array(lower)
    lp.row_upper_ = np.array(upper)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = mat.indptr
    lp.a_matrix_.index_ = mat.indices
    lp.a_matrix_.value_ = mat.data
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(lp)
    h.run()
    status = h.getModelStatus()
    assert status == highspy.HighsModelStatus.kOptimal, h.modelStatusToString(status)
    return float(h.getInfo().objective_function_value) + free
