"""The three scenario analyses, plus the route and flow queries behind the command line.

Every graph computation goes through the C++ core (:func:`routecore.shortest_path_lengths`,
:func:`routecore.shortest_path`, :func:`routecore.nearest_source`, :func:`routecore.max_flow`);
this module only prepares arrays and turns results into pandas tables.

``school_connectivity``
    Per school and time step, the latency from the school to the nearest internet exchange
    over the satellites, a gateway and the ground network, under two gateway policies.
``transit_capacity``
    Asia -> Europe maximum flow, minimum cut, per-link utilisation and lowest-latency routes,
    with and without the countries to avoid, for each capacity variant.
``failure_sweep``
    Every single link failure (optionally every pair) ranked by lost transit capacity and
    added latency.

Conventions: latencies are one-way, in ms; capacities and flows in Gbit/s; ``inf`` / NaN mean
"not connected". Node and link columns hold scenario ids (text), never graph indices.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import math
import threading
import uuid
import weakref
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, overload

import numpy as np
import numpy.typing as npt

from ._validation import thread_count
from .errors import ScenarioError
from .flow import max_flow
from .paths import nearest_source, shortest_path, shortest_path_lengths
from .scenario import C_KM_PER_MS, Network
from .sweep import (
    ChunkRun,
    ProgressArg,
    chunk_size_for,
    chunk_slices,
    lengths_under_failures,
    max_flow_under_failures,
    run_chunks,
    task_threads,
)

try:
    import pandas as pd
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        'routecore.analyses needs pandas; install the domain extras: pip install "routecore[geo]"'
    ) from exc

if TYPE_CHECKING:
    from .constellation import Constellation
    from .graph import Graph

__all__ = [
    "POLICIES",
    "FlowReport",
    "Route",
    "TransitResult",
    "failure_sweep",
    "flow_between",
    "gateway_siting",
    "route_between",
    "school_connectivity",
    "school_route",
    "transit_capacity",
]

POLICIES = ("home", "any", "abroad")
"""Gateway policies: ``home`` allows only gateways in the scenario's home country (the
Kazakh rule that non-GSO gateways must be in-country); ``any`` allows every gateway;
``abroad`` only gateways outside the home country (a system without an in-country gateway,
as Starlink in Kazakhstan today)."""


def _analysis_defaults(net: Network) -> dict[str, Any]:
    analysis: dict[str, Any] = net.meta.get("analysis", {})
    return analysis


def _rows(net: Network, ids: Iterable[str] | None, key: str) -> npt.NDArray[np.int32]:
    if ids is None:
        ids = _analysis_defaults(net).get(key)
        if not ids:
            raise ScenarioError(
                f"no {key.replace('_', ' ')} given and the scenario has no analysis.{key}"
            )
    return net.node_index(list(ids))


def _country_mask(net: Network, countries: Iterable[str]) -> npt.NDArray[np.bool_]:
    wanted = list(countries)
    return np.isin(net.column("nodes", "country"), np.asarray(wanted, dtype=object))


def _ids(net: Network, rows: Iterable[int]) -> tuple[str, ...]:
    ids = net.column("nodes", "id")
    return tuple(str(ids[int(r)]) for r in rows)


# ---------------------------------------------------------------------------- routes
@dataclass(frozen=True)
class Route:
    """A path through the ground network.

    Attributes
    ----------
    nodes : tuple of str
        Node ids from source to destination.
    links : tuple of str
        Link ids, one fewer than ``nodes``.
    latency_ms : float
        Sum of the link latencies (one way).
    length_km : float
        Sum of the link lengths.
    """

    nodes: tuple[str, ...]
    links: tuple[str, ...]
    latency_ms: float
    length_km: float
    _hops: tuple[dict[str, Any], ...] = field(default=(), repr=False, compare=False)

    def hops(self) -> list[dict[str, Any]]:
        """One dict per link: from, to, link, medium, length_km, latency_ms, capacity_gbps."""
        return [dict(h) for h in self._hops]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "src": self.nodes[0],
            "dst": self.nodes[-1],
            "latency_ms": self.latency_ms,
            "length_km": self.length_km,
            "nodes": list(self.nodes),
            "links": list(self.links),
            "hops": self.hops(),
        }


def _route_from_path(net: Network, node_rows: Sequence[int], edge_rows: Sequence[int]) -> Route:
    links = net.links
    ids = net.column("nodes", "id")
    hops = []
    for k, e in enumerate(edge_rows):
        hops.append(
            {
                "from": str(ids[int(node_rows[k])]),
                "to": str(ids[int(node_rows[k + 1])]),
                "link": str(links["id"].iat[int(e)]),
                "medium": str(links["medium"].iat[int(e)]),
                "length_km": float(links["length_km"].iat[int(e)]),
                "latency_ms": float(links["latency_ms"].iat[int(e)]),
                "capacity_gbps": float(links["capacity_gbps"].iat[int(e)]),
            }
        )
    e_idx = np.asarray(edge_rows, dtype=np.int64)
    return Route(
        nodes=_ids(net, node_rows),
        links=tuple(str(links["id"].iat[int(e)]) for e in e_idx),
        latency_ms=float(links["latency_ms"].to_numpy()[e_idx].sum()),
        length_km=float(links["length_km"].to_numpy()[e_idx].sum()),
        _hops=tuple(hops),
    )


def route_between(
    network: Network,
    src: int | str,
    dst: int | str,
    *,
    weight: str | None = "latency_ms",
    avoid_countries: Iterable[str] = (),
    graph: Graph | None = None,
) -> Route | None:
    """The best route from ``src`` to ``dst`` (rows, ids or names), or ``None``.

    ``weight`` names the link column to minimise (``None``: fewest links). Nodes in
    ``avoid_countries`` are not passed through (the end points themselves are allowed).

    >>> from routecore.scenario import load_scenario
    >>> net = load_scenario("central-asia")
    >>> r = route_between(net, "khorgos", "frankfurt", avoid_countries=["RU"])
    >>> "moscow" in r.nodes, r.nodes[-1]
    (False, 'frankfurt')
    """
    s = src if isinstance(src, int) else network.find_node(src)
    t = dst if isinstance(dst, int) else network.find_node(dst)
    g = graph if graph is not None else network.to_graph(weight=weight, capacity=None)
    forbidden = _country_mask(network, avoid_countries)
    forbidden[[s, t]] = False
    path = shortest_path(g, s, t, forbidden_nodes=forbidden if forbidden.any() else None)
    if path is None:
        return None
    return _route_from_path(network, list(path.nodes), list(path.edges))


# ---------------------------------------------------------------------------- flows
@dataclass(frozen=True)
class FlowReport:
    """Maximum flow between two node sets, with its minimum cut and per-link flows.

    Attributes
    ----------
    value_gbps : float
        The maximum flow.
    cut_links : tuple of str
        Link ids of a minimum cut (their capacities add up to ``value_gbps``).
    links : pandas.DataFrame
        One row per link: ``link``, ``a``, ``b``, ``medium``, ``capacity_gbps`` (as used, so 0
        for avoided links), ``flow_gbps`` (>= 0), ``direction`` (``"a->b"``, ``"b->a"`` or
        ``""``), ``utilisation`` (flow / capacity, NaN for zero capacity), ``in_cut``.
    sources, sinks : tuple of str
    """

    value_gbps: float
    cut_links: tuple[str, ...]
    links: pd.DataFrame = field(repr=False)
    sources: tuple[str, ...] = ()
    sinks: tuple[str, ...] = ()

    def cut_rows(self) -> list[dict[str, Any]]:
        """The cut links as dicts (link, a, b, medium, capacity_gbps)."""
        cut = self.links[self.links["in_cut"]]
        rows: list[dict[str, Any]] = cut[["link", "a", "b", "medium", "capacity_gbps"]].to_dict(
            orient="records"
        )
        return rows

    def busiest(self, n: int = 10) -> list[dict[str, Any]]:
        """The ``n`` links with the highest utilisation that carry flow."""
        used = self.links[self.links["flow_gbps"] > 0]
        top = used.sort_values(["utilisation", "flow_gbps"], ascending=False).head(n)
        rows: list[dict[str, Any]] = top[
            ["link", "flow_gbps", "capacity_gbps", "utilisation"]
        ].to_dict(orient="records")
        return rows

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "sources": list(self.sources),
            "sinks": list(self.sinks),
            "max_flow_gbps": self.value_gbps,
            "cut_links": list(self.cut_links),
            "cut_capacity_gbps": float(self.links.loc[self.links["in_cut"], "capacity_gbps"].sum()),
            "links": self.links.to_dict(orient="records"),
        }


def _avoid_capacity(
    network: Network,
    capacity: npt.NDArray[np.float64],
    avoid_countries: Iterable[str],
    keep: npt.NDArray[np.int32],
) -> npt.NDArray[np.float64]:
    """Capacity with every link that touches an avoided node set to 0 (``keep`` rows exempt)."""
    avoid = _country_mask(network, avoid_countries)
    avoid[keep] = False
    if not avoid.any():
        return capacity
    a, b = network.link_ends()
    return np.where(avoid[a] | avoid[b], 0.0, capacity)


def flow_between(
    network: Network,
    sources: Iterable[str] | None = None,
    sinks: Iterable[str] | None = None,
    *,
    avoid_countries: Iterable[str] = (),
    graph: Graph | None = None,
    capacity: npt.NDArray[np.float64] | None = None,
) -> FlowReport:
    """Maximum flow from ``sources`` to ``sinks`` (node ids; default: the scenario's transit
    end points), giving no capacity to links that touch ``avoid_countries``.

    >>> from routecore.scenario import load_scenario
    >>> rep = flow_between(load_scenario("central-asia"), ["khorgos"], ["istanbul"])
    >>> rep.value_gbps > 0
    True
    """
    src = _rows(network, sources, "transit_sources")
    dst = _rows(network, sinks, "transit_sinks")
    g = graph if graph is not None else network.to_graph()
    cap = (
        network.column("links", "capacity_gbps").astype(np.float64)
        if capacity is None
        else (np.asarray(capacity, dtype=np.float64))
    )
    cap = _avoid_capacity(network, cap, avoid_countries, np.concatenate([src, dst]))
    result = max_flow(g, src, dst, capacity=cap)
    return _flow_report(network, result, cap, src, dst)


def _flow_report(
    network: Network,
    result: Any,
    cap: npt.NDArray[np.float64],
    src: npt.NDArray[np.int32],
    dst: npt.NDArray[np.int32],
) -> FlowReport:
    flow = np.asarray(result.edge_flow, dtype=np.float64)
    cut = np.asarray(result.cut_edges, dtype=np.int64)
    # Links given no capacity (avoided countries) cross the cut too but are not bottlenecks.
    cut = cut[cap[cut] > 0]
    in_cut = np.zeros(network.num_links, dtype=bool)
    in_cut[cut] = True
    with np.errstate(divide="ignore", invalid="ignore"):
        util = np.where(cap > 0, np.abs(flow) / cap, np.nan)
    links = pd.DataFrame(
        {
            "link": network.column("links", "id"),
            "a": network.column("links", "a"),
            "b": network.column("links", "b"),
            "medium": network.column("links", "medium"),
            "capacity_gbps": cap,
            "flow_gbps": np.abs(flow),
            "direction": np.where(flow > 0, "a->b", np.where(flow < 0, "b->a", "")),
            "utilisation": util,
            "in_cut": in_cut,
        }
    )
    ids = network.column("links", "id")
    return FlowReport(
        value_gbps=float(result.value),
        cut_links=tuple(str(ids[e]) for e in cut),
        links=links,
        sources=_ids(network, src),
        sinks=_ids(network, dst),
    )


# ---------------------------------------------------------------------------- transit capacity
@dataclass(frozen=True)
class TransitResult:
    """Result of :func:`transit_capacity`: three tables.

    Attributes
    ----------
    cases : pandas.DataFrame
        One row per (variant, policy): ``variant``, ``policy`` (``"all routes"`` or
        ``"avoid RU"`` etc.), ``max_flow_gbps``, ``cut_capacity_gbps`` (equal to the flow),
        ``cut_links`` (tuple of link ids), ``best_sink``, ``best_latency_ms``, ``best_route``
        (tuple of node ids from the nearest source).
    routes : pandas.DataFrame
        One row per (variant, policy, sink): ``source`` (the nearest source), ``sink``,
        ``latency_ms``, ``length_km``, ``route`` (node ids), ``links`` (link ids); latency is
        ``inf`` and the route empty when the sink cannot be reached.
    links : pandas.DataFrame
        One row per (variant, policy, link): the :class:`FlowReport` link columns.
    """

    cases: pd.DataFrame
    routes: pd.DataFrame
    links: pd.DataFrame


def _policy_name(avoid: Sequence[str]) -> str:
    return f"avoid {', '.join(avoid)}" if avoid else "all routes"


def transit_capacity(
    network: Network,
    *,
    sources: Iterable[str] | None = None,
    sinks: Iterable[str] | None = None,
    variants: Sequence[str | None] | None = None,
    avoid_countries: Sequence[str] | None = None,
) -> TransitResult:
    """Asia -> Europe transit: max flow, min cut, utilisation and best routes.

    Parameters
    ----------
    network : Network
    sources, sinks : iterable of node ids, optional
        Default: ``analysis.transit_sources`` / ``transit_sinks`` of the scenario (Khorgos and
        Urumqi to Frankfurt and Istanbul for ``central-asia``).
    variants : sequence of variant names, optional
        Default: every variant whose name starts with ``tcfo-`` (the cable capacity bounds), or
        the base network when there is none. ``None`` inside the list means the base network.
    avoid_countries : sequence of ISO codes, optional
        Each case is computed with all routes and again without these countries (no capacity
        on links touching them, no route through them). Default: ``analysis.avoid_countries``.

    Returns
    -------
    TransitResult

    >>> from routecore.scenario import load_scenario
    >>> res = transit_capacity(load_scenario("central-asia"))
    >>> bool((res.cases["max_flow_gbps"] == res.cases["cut_capacity_gbps"]).all())
    True
    """
    defaults = _analysis_defaults(network)
    if variants is None:
        variants = [v for v in network.variant_names if v.startswith("tcfo-")] or [None]
    if avoid_countries is None:
        avoid_countries = list(defaults.get("avoid_countries", []))
    policies: list[tuple[str, ...]] = [()]
    if avoid_countries:
        policies.append(tuple(avoid_countries))
    case_rows, route_rows, link_tables = [], [], []
    for variant in variants:
        net = network.variant(variant) if variant else network
        src = _rows(net, sources, "transit_sources")
        dst = _rows(net, sinks, "transit_sinks")
        g = net.to_graph()
        for avoid in policies:
            report = flow_between(
                net, _ids(net, src), _ids(net, dst), avoid_countries=avoid, graph=g
            )
            name = _policy_name(avoid)
            routes = _best_routes(net, g, src, dst, avoid)
            for r in routes:
                route_rows.append({"variant": variant or "base", "policy": name, **r})
            best = min(routes, key=lambda r: r["latency_ms"])
            cut_cap = float(report.links.loc[report.links["in_cut"], "capacity_gbps"].sum())
            case_rows.append(
                {
                    "variant": variant or "base",
                    "policy": name,
                    "max_flow_gbps": report.value_gbps,
                    "cut_capacity_gbps": cut_cap,
                    "cut_links": report.cut_links,
                    "best_sink": best["sink"],
                    "best_latency_ms": best["latency_ms"],
                    "best_route": best["route"],
                }
            )
            link_tables.append(report.links.assign(variant=variant or "base", policy=name))
    links = pd.concat(link_tables, ignore_index=True)
    front = ["variant", "policy"]
    links = links[front + [c for c in links.columns if c not in front]]
    return TransitResult(
        cases=pd.DataFrame(case_rows), routes=pd.DataFrame(route_rows), links=links
    )


def _best_routes(
    net: Network,
    g: Graph,
    src: npt.NDArray[np.int32],
    dst: npt.NDArray[np.int32],
    avoid: Sequence[str],
) -> list[dict[str, Any]]:
    """For each sink, the lowest-latency route from the nearest source (one search)."""
    forbidden = _country_mask(net, avoid)
    forbidden[np.concatenate([src, dst])] = False
    mask = forbidden if forbidden.any() else None
    lengths, nearest = nearest_source(g, src, forbidden_nodes=mask)
    rows = []
    for t in dst:
        if not np.isfinite(lengths[t]):
            rows.append(
                {
                    "source": "",
                    "sink": _ids(net, [t])[0],
                    "latency_ms": math.inf,
                    "length_km": math.inf,
                    "route": (),
                    "links": (),
                }
            )
            continue
        s = int(nearest[t])
        path = shortest_path(g, s, int(t), forbidden_nodes=mask)
        assert path is not None  # reachable by the search above
        route = _route_from_path(net, list(path.nodes), list(path.edges))
        rows.append(
            {
                "source": route.nodes[0],
                "sink": route.nodes[-1],
                "latency_ms": route.latency_ms,
                "length_km": route.length_km,
                "route": route.nodes,
                "links": route.links,
            }
        )
    return rows


# ---------------------------------------------------------------------------- failure sweep
@dataclass(frozen=True)
class _FailureWork:
    """What every chunk of a failure sweep needs: the ground graph as CSR arrays and the
    per-link base values (a few kB for ``central-asia``; the Network itself never travels)."""

    graph: Graph
    sources: npt.NDArray[np.int32]
    sinks: npt.NDArray[np.int32]
    capacity: npt.NDArray[np.float64]
    latency: npt.NDArray[np.float64]
    forbidden: npt.NDArray[np.bool_] | None
    threads: int


def _failure_chunk(
    work: _FailureWork,
    chunk: tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_], npt.NDArray[np.bool_]],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Max flow and best latency of a block of failure cases (NaN where not asked for): two
    batched C++ calls, each running its cases on ``work.threads`` threads."""
    failed, need_flow, need_latency = chunk
    flow = np.full(failed.shape[0], np.nan)
    latency = np.full(failed.shape[0], np.nan)
    if need_flow.any():
        flow[need_flow] = max_flow_under_failures(
            work.graph,
            work.sources,
            work.sinks,
            failed[need_flow],
            capacity=work.capacity,
            threads=work.threads,
        )
    if need_latency.any():
        lengths = lengths_under_failures(
            work.graph,
            work.sources,
            work.sinks,
            failed[need_latency],
            weight=work.latency,
            forbidden_nodes=work.forbidden,
            threads=work.threads,
        )
        latency[need_latency] = lengths.min(axis=1)
    return flow, latency


def failure_sweep(
    network: Network,
    *,
    sources: Iterable[str] | None = None,
    sinks: Iterable[str] | None = None,
    avoid_countries: Sequence[str] = (),
    pairs: bool = False,
    links: Iterable[str] | None = None,
    threads: int | None = None,
    executor: Any = None,
    progress: ProgressArg = None,
    chunk_size: int | None = None,
) -> pd.DataFrame:
    """Every single link failure (and optionally every pair), ranked by harm.

    A failed link gets capacity 0 for the max-flow and is closed (deleted) for the route
    search. The cases run in blocks; each block is two batched C++ calls (every case's max
    flow, every case's shortest routes) on ``threads`` threads, and the blocks run here or on
    ``executor`` (see :mod:`routecore.sweep`). The result does not depend on ``threads``,
    ``executor`` or ``chunk_size``.

    Parameters
    ----------
    network : Network
    sources, sinks : iterable of node ids, optional
        Default: the scenario's transit end points.
    avoid_countries : sequence of ISO codes
        Compute with these countries avoided, as in :func:`transit_capacity`.
    pairs : bool, default False
        Also fail every pair of links (``m (m - 1) / 2`` cases).
    links : iterable of link ids, optional
        The candidate links (default: all).
    threads : int, optional
        Threads per batched call. Default: every core here, 1 per task with an executor.
    executor : concurrent.futures.Executor or dask.distributed.Client, optional
        Where the blocks run (default: here, nothing to start).
    progress : callable(done, total) or True, optional
        Called with the number of cases done after each block; ``True`` draws a terminal bar.
    chunk_size : int, optional
        Cases per block (default: about 20 blocks here, a few per worker on an executor).

    Returns
    -------
    pandas.DataFrame
        One row per failure case, most harmful first: ``failed`` (tuple of link ids),
        ``max_flow_gbps`` (after the failure), ``lost_gbps`` (base flow - flow after, >= 0),
        ``lost_share`` (of the base flow), ``latency_ms`` (best route after; ``inf`` when every
        sink is cut off), ``added_latency_ms`` (``inf`` when cut off), ``disconnected`` (no
        sink reachable). Sorted by ``lost_gbps`` and then ``added_latency_ms``, descending.
        ``attrs``: ``base_flow_gbps``, ``base_latency_ms``, ``partial`` (``True`` when Ctrl-C
        stopped the sweep: the rows are then the cases finished so far), ``cases_done``,
        ``cases_total``.

    Notes
    -----
    A link that carries no flow in a maximum flow cannot lower the maximum when it fails (the
    same flow stays feasible), and one that is not on the best route cannot lengthen it; such
    single failures are filled in without a solver call. Pairs are always computed.

    >>> from routecore.scenario import load_scenario
    >>> sweep = failure_sweep(load_scenario("central-asia"))
    >>> bool((sweep["lost_gbps"] >= 0).all())
    True
    """
    src = _rows(network, sources, "transit_sources")
    dst = _rows(network, sinks, "transit_sinks")
    g = network.to_graph()
    ends = np.concatenate([src, dst])
    cap0 = _avoid_capacity(
        network,
        network.column("links", "capacity_gbps").astype(np.float64),
        avoid_countries,
        ends,
    )
    w0 = network.column("links", "latency_ms").astype(np.float64)
    forbidden = _country_mask(network, avoid_countries)
    forbidden[ends] = False
    mask = forbidden if forbidden.any() else None

    # The intact network, by the same batched calls as the cases, plus one flow and one route
    # to tell which links can matter at all.
    base_work = _FailureWork(g, src, dst, cap0, w0, mask, thread_count(threads))
    none = np.full((1, 1), -1, dtype=np.int64)
    yes = np.ones(1, dtype=bool)
    flow0, latency0 = _failure_chunk(base_work, (none, yes, yes))
    base_flow, base_latency = float(flow0[0]), float(latency0[0])
    carries = np.abs(np.asarray(max_flow(g, src, dst, capacity=cap0).edge_flow)) > 0
    on_route = np.zeros(network.num_links, dtype=bool)
    lengths, nearest = nearest_source(g, src, weight=w0, forbidden_nodes=mask)
    if math.isfinite(base_latency):
        t = int(dst[np.argmin(lengths[dst])])
        path = shortest_path(g, int(nearest[t]), t, weight=w0, forbidden_nodes=mask)
        assert path is not None  # reachable by the search above
        on_route[path.edges] = True

    candidates = np.arange(network.num_links) if links is None else network.link_index(list(links))
    candidates = candidates.astype(np.int64)
    failed = np.stack([candidates, np.full(candidates.size, -1, dtype=np.int64)], axis=1)
    if pairs:
        a, b = np.triu_indices(candidates.size, k=1)
        failed = np.concatenate([failed, np.stack([candidates[a], candidates[b]], axis=1)])
    single = failed[:, 1] < 0
    need_flow = ~single | carries[failed[:, 0]]
    need_latency = ~single | on_route[failed[:, 0]]

    k = failed.shape[0]
    size = chunk_size or chunk_size_for(k, executor, local=max(256, math.ceil(k / 20)))
    slices = chunk_slices(k, size)
    work = _FailureWork(g, src, dst, cap0, w0, mask, task_threads(threads, executor))
    run = run_chunks(
        _failure_chunk,
        work,
        [(failed[s], need_flow[s], need_latency[s]) for s in slices],
        sizes=[s.stop - s.start for s in slices],
        executor=executor,
        progress=progress,
        description="link failures",
    )
    keep = np.zeros(k, dtype=bool)
    flow = np.full(k, base_flow)
    latency = np.full(k, base_latency)
    for s, done, result in zip(slices, run.finished, run.results, strict=True):
        if not done:
            continue
        keep[s] = True
        f, lat = result
        flow[s] = np.where(np.isnan(f), base_flow, f)
        latency[s] = np.where(np.isnan(lat), base_latency, lat)
    ids = network.column("links", "id")
    rows = np.flatnonzero(keep)
    flow, latency, failed = flow[rows], latency[rows], failed[rows]
    with np.errstate(invalid="ignore"):
        added = latency - base_latency
    out = pd.DataFrame(
        {
            "failed": [tuple(str(ids[e]) for e in case if e >= 0) for case in failed.tolist()],
            "max_flow_gbps": flow,
            "lost_gbps": np.maximum(base_flow - flow, 0.0),
            "lost_share": (base_flow - flow) / base_flow if base_flow > 0 else np.zeros(rows.size),
            "latency_ms": latency,
            "added_latency_ms": added,
            "disconnected": ~np.isfinite(latency),
        }
    )
    out = out.sort_values(
        ["lost_gbps", "added_latency_ms"], ascending=False, kind="stable"
    ).reset_index(drop=True)
    out.attrs.update(
        base_flow_gbps=base_flow,
        base_latency_ms=base_latency,
        partial=not run.complete,
        cases_done=int(rows.size),
        cases_total=int(k),
    )
    return out


# ---------------------------------------------------------------------------- schools
@dataclass(frozen=True, eq=False)
class _SkyWork:
    """What every chunk of a satellite sweep needs: positions and radio roles of the schools
    and gateway sites, each site's ground latency to its exchange, and the constellations
    (tens of kB for 2,000 schools; the Network and the snapshots never travel).

    Ground rows: schools ``0 .. num_schools - 1``, then the gateway sites.
    """

    constellations: dict[str, Constellation]
    lat: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    role: npt.NDArray[np.int64]
    num_schools: int
    to_exchange: npt.NDArray[np.float64]
    max_user_links: int | None
    threads: int
    allowed: npt.NDArray[np.bool_] | None = None  # school_connectivity: (policies, sites)
    existing: npt.NDArray[np.bool_] | None = None  # gateway_siting "added": (sites,)
    candidates: npt.NDArray[np.int64] | None = None  # gateway_siting: site index per candidate
    # The sweep's name, the same in every copy: a concurrent.futures executor sends each block
    # its own pickled copy, and a worker process finds the sweep's ground index by it.
    token: str = field(default_factory=lambda: uuid.uuid4().hex)
    received: bool = False  # True in a process that got this work pickled

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state, received=True)


_prepared_cache: weakref.WeakKeyDictionary[_SkyWork, dict[str, Any]] = weakref.WeakKeyDictionary()
# For work received pickled: the ground indexes of the latest sweep only, by token.
_received_sweep: dict[str, dict[str, Any]] = {}
_prepared_lock = threading.Lock()


def _prepared(work: _SkyWork, cname: str) -> Any:
    """The ground side of ``work`` for constellation ``cname`` (validated, spatially indexed),
    built once per sweep in this process: a sweep runs one block per time step or a few, and
    indexing 10^5 schools again for every block would cost more than a step's search.

    Here a sweep's blocks share one work object (cached weakly, freed with it). A worker
    process of a concurrent.futures executor gets a new copy with every block, so there the
    latest sweep's indexes are also kept by the work's token."""
    from routecore.constellation._snapshot import _Prepared

    # Built under the lock: blocks running side by side all need it, so they wait for one
    # build rather than each doing its own.
    with _prepared_lock:
        per_work = _prepared_cache.get(work)
        if per_work is None:
            if work.received and work.token not in _received_sweep:
                _received_sweep.clear()  # a new sweep: drop the previous one's
            per_work = _received_sweep.setdefault(work.token, {}) if work.received else {}
            _prepared_cache[work] = per_work
        if cname not in per_work:
            per_work[cname] = _Prepared(
                work.constellations[cname],
                ground_lat_deg=work.lat,
                ground_lon_deg=work.lon,
                ground_role=work.role,
                ground_links=None,
                ground_length_km=None,
                isl=None,
                max_user_links=work.max_user_links,
                max_feeder_links=None,
                tile_size=256,
                threads=work.threads,
            )
        return per_work[cname]


def _site_latency(work: _SkyWork, cname: str, times: npt.NDArray[np.float64]) -> Any:
    """Per time step, ``total[g, s]``: school ``s`` -> satellites -> site ``g`` -> exchange.

    One batched search from every site over the directed access graph per step (feeder links
    leave the sites, user links only enter schools, so neither relays traffic), on
    ``work.threads`` threads.
    """
    n_s, n_g = work.num_schools, work.to_exchange.size
    prepared = _prepared(work, cname)
    for t in times.tolist():
        access = _access_graph(prepared.build(t), threads=work.threads)
        sat_part = shortest_path_lengths(access, np.arange(n_s, n_s + n_g), threads=work.threads)
        del access  # before the next step allocates its own (memory is reused, not grown)
        yield np.asarray(sat_part)[:, :n_s] + work.to_exchange[:, None]


def _policy_chunk(
    work: _SkyWork, chunk: tuple[str, npt.NDArray[np.float64]]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int16]]:
    """Best latency and gateway (site index, -1 if none) per policy, step and school."""
    cname, times = chunk
    allowed = work.allowed
    assert allowed is not None
    n_p, n_s = allowed.shape[0], work.num_schools
    best = np.full((n_p, times.size, n_s), np.inf)
    via = np.full((n_p, times.size, n_s), -1, dtype=np.int16)
    for k, total in enumerate(_site_latency(work, cname, times)):
        for p in range(n_p):
            masked = np.where(allowed[p][:, None], total, np.inf)
            pick = np.argmin(masked, axis=0)
            val = masked[pick, np.arange(n_s)]
            best[p, k] = val
            via[p, k] = np.where(np.isfinite(val), pick, -1)
    return best, via


def _siting_chunk(
    work: _SkyWork, chunk: tuple[str, npt.NDArray[np.float64]]
) -> npt.NDArray[np.float64]:
    """Latency per candidate site, step and school, with that site as the only gateway (or
    added to the existing ones)."""
    cname, times = chunk
    candidates = work.candidates
    assert candidates is not None
    out = np.full((candidates.size, times.size, work.num_schools), np.inf)
    for k, total in enumerate(_site_latency(work, cname, times)):
        out[:, k] = total[candidates]
        if work.existing is not None and work.existing.any():
            out[:, k] = np.minimum(out[:, k], total[work.existing].min(axis=0))
    return out


def _named(
    constellations: Mapping[str, Constellation] | Sequence[Constellation],
) -> dict[str, Constellation]:
    if isinstance(constellations, Mapping):
        return dict(constellations)
    return {c.name: c for c in constellations}


def _run_sky(
    task: Any,
    work: Any,
    named: Mapping[str, Constellation],
    times: npt.NDArray[np.float64],
    *,
    chunk_size: int | None,
    executor: Any,
    progress: ProgressArg,
    description: str,
) -> tuple[ChunkRun, list[tuple[str, slice]]]:
    """Run ``task`` over blocks of consecutive time steps, constellation by constellation.

    Here (no executor) with ``work.threads`` > 1, up to 4 blocks run side by side on a thread
    pool, each on its share of the threads: a step's numpy glue and memory-bound parts (edge
    arrays, graph builds) then overlap with another step's C++ work, where one step on all
    threads would leave cores idle in them. Results do not depend on it.

    Returns the run and, per block, which constellation and time-step slice it covered."""
    size = chunk_size or chunk_size_for(len(named) * times.size, executor, local=1)
    chunks, where = [], []
    for cname in named:
        for sl in chunk_slices(times.size, size):
            chunks.append((cname, times[sl]))
            where.append((cname, sl))
    side_by_side = min(work.threads, 4, len(chunks)) if executor is None else 1
    if side_by_side > 1:
        work = dataclasses.replace(work, threads=max(1, work.threads // side_by_side))
    with (
        ThreadPoolExecutor(side_by_side, thread_name_prefix="routecore-sweep")
        if side_by_side > 1
        else contextlib.nullcontext(executor)
    ) as runner:
        run = run_chunks(
            task,
            work,
            chunks,
            sizes=[c[1].size for c in chunks],
            executor=runner,  # the caller's executor, our side-by-side pool, or None (here)
            progress=progress,
            description=description,
        )
    return run, where


def _school_sites(
    network: Network, sites: npt.NDArray[np.int32], internet_exchanges: Iterable[str] | None
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float64], npt.NDArray[Any], Any]:
    """Schools, each site's ground latency to its nearest exchange and that exchange, and
    the access-sweep ground arrays (lat, lon, role) for schools + sites."""
    from routecore.constellation import GroundRole

    kind = network.column("nodes", "kind")
    schools = np.flatnonzero(kind == "terminal").astype(np.int32)
    if schools.size == 0 or sites.size == 0:
        raise ScenarioError("the satellite analyses need terminal nodes and gateway sites")
    ixp = _rows(network, internet_exchanges, "internet_exchanges")
    # Ground part, once: each site's latency to its nearest exchange.
    g_len, g_near = nearest_source(network.to_graph(capacity=None), ixp)
    to_ix = np.asarray(g_len, dtype=np.float64)[sites]
    ix_of_site = np.asarray(g_near)[sites]
    rows = np.concatenate([schools, sites])
    role = np.concatenate(
        [
            np.full(schools.size, int(GroundRole.TERMINAL), dtype=np.int64),
            np.full(sites.size, int(GroundRole.GATEWAY), dtype=np.int64),
        ]
    )
    lat = network.column("nodes", "lat").astype(np.float64)[rows]
    lon = network.column("nodes", "lon").astype(np.float64)[rows]
    return schools, to_ix, ix_of_site, (lat, lon, role)


def school_connectivity(
    network: Network,
    constellations: Mapping[str, Constellation] | Sequence[Constellation],
    times_s: npt.ArrayLike,
    *,
    policies: Sequence[str] = ("home", "any"),
    internet_exchanges: Iterable[str] | None = None,
    home_country: str | None = None,
    max_user_links: int | None = None,
    threads: int | None = None,
    executor: Any = None,
    progress: ProgressArg = None,
    chunk_size: int | None = None,
) -> pd.DataFrame:
    """Latency from every school to the internet exchange over the satellites, per policy.

    A school reaches the exchange as school -> satellite (user link) [-> satellite (laser
    links, where the system has them)] -> gateway (feeder link) -> ground network -> exchange.
    Per time step, one batched search from all gateways over a directed access graph (feeder
    links leave gateways, user links only enter schools, so neither relays traffic) gives the
    satellite part for every school at once; the ground part from each gateway to its nearest
    exchange is computed once. The best gateway per school and policy is then an ``argmin``
    over the allowed gateways. No per-school query runs in Python.

    The time steps run in blocks, here or on ``executor`` (see :mod:`routecore.sweep`); the
    result does not depend on ``threads``, ``executor`` or ``chunk_size``.

    Parameters
    ----------
    network : Network
        Terminals (``kind == "terminal"``) are the schools; ``kind == "gateway"`` nodes are the
        gateways.
    constellations : mapping name -> Constellation, or a sequence (named by ``.name``)
    times_s : array_like of float
        Time steps (seconds since the constellation epoch).
    policies : sequence of {"home", "any", "abroad"}, default ("home", "any")
        ``home``: only gateways in ``home_country``; ``any``: every gateway; ``abroad``: only
        gateways outside ``home_country``.
    internet_exchanges : iterable of node ids, optional
        Default: ``analysis.internet_exchanges`` (Almaty IX for ``central-asia``).
    home_country : str, optional
        Default: ``analysis.home_country``.
    max_user_links : int, optional
        Satellites per school per step (highest first); default every visible satellite.
    threads : int, optional
        Threads for the snapshots (visibility search, graph build) and the batched search.
        Here, with 2 or more, up to 4 time steps run side by side and share them. Default:
        every core here, 1 per task with an executor.
    executor : concurrent.futures.Executor or dask.distributed.Client, optional
        Where the blocks of time steps run (default: here, nothing to start).
    progress : callable(done, total) or True, optional
        Called with the number of (constellation, time step) pairs done after each block;
        ``True`` draws a terminal bar.
    chunk_size : int, optional
        Time steps per block (default: 1 here, a few blocks per worker on an executor).

    Returns
    -------
    pandas.DataFrame
        One row per (constellation, policy, school): ``constellation``, ``policy``, ``school``
        (node id), ``lat``, ``lon``, ``connected_share`` (share of time steps with a route),
        ``median_latency_ms`` and ``p95_latency_ms`` (over connected steps; NaN if never),
        ``min_latency_ms``, ``gateway`` (most used gateway id, ``""`` if never connected),
        ``gateway_share`` (share of connected steps on that gateway), ``gateway_country``,
        ``exchange`` (the exchange reached through that gateway). ``attrs``: ``partial``
        (``True`` when Ctrl-C stopped the sweep: statistics then cover the steps finished, and
        constellations without any are left out), ``steps_done`` (per constellation),
        ``times_done`` (per constellation, the time steps the statistics cover: blocks that
        run side by side can finish out of order, so after Ctrl-C these need not be the first
        ones), ``steps_total``.
    """
    defaults = _analysis_defaults(network)
    home = home_country or defaults.get("home_country")
    unknown = [p for p in policies if p not in POLICIES]
    if unknown:
        raise ScenarioError(f"unknown policy {unknown[0]!r}; use one of {POLICIES}")
    if not home and set(policies) & {"home", "abroad"}:
        raise ScenarioError(
            "policies 'home' and 'abroad' need home_country (or analysis.home_country)"
        )
    named = _named(constellations)
    times = np.atleast_1d(np.asarray(times_s, dtype=np.float64))
    kind = network.column("nodes", "kind")
    gateways = np.flatnonzero(kind == "gateway").astype(np.int32)
    if not (kind == "terminal").any() or gateways.size == 0:
        raise ScenarioError("school_connectivity needs terminal and gateway nodes")
    schools, to_ix, ix_of_gw, (lat, lon, role) = _school_sites(
        network, gateways, internet_exchanges
    )
    country = network.column("nodes", "country")
    allowed = {
        "home": country[gateways] == home,
        "any": np.ones(gateways.size, dtype=bool),
        "abroad": country[gateways] != home,
    }
    work = _SkyWork(
        named,
        lat,
        lon,
        role,
        int(schools.size),
        to_ix,
        max_user_links,
        task_threads(threads, executor),
        allowed=np.array([allowed[p] for p in policies], dtype=bool).reshape(len(policies), -1),
    )
    run, where = _run_sky(
        _policy_chunk,
        work,
        named,
        times,
        chunk_size=chunk_size,
        executor=executor,
        progress=progress,
        description="satellite time steps",
    )
    n_p, n_s = len(policies), schools.size
    best = {c: np.full((n_p, times.size, n_s), np.inf) for c in named}
    via = {c: np.full((n_p, times.size, n_s), -1, dtype=np.int64) for c in named}
    done = {c: np.zeros(times.size, dtype=bool) for c in named}
    for (cname, sl), finished, result in zip(where, run.finished, run.results, strict=True):
        if finished:
            best[cname][:, sl], via[cname][:, sl] = result
            done[cname][sl] = True
    frames = []
    for cname in named:
        steps = done[cname]
        if not steps.any():
            continue
        for p, policy in enumerate(policies):
            frames.append(
                _school_table(
                    network,
                    cname,
                    policy,
                    schools,
                    gateways,
                    ix_of_gw,
                    best[cname][p, steps],
                    via[cname][p, steps],
                )
            )
    out = pd.concat(frames, ignore_index=True) if frames else _school_table_empty()
    out.attrs.update(
        partial=not run.complete,
        steps_done={c: int(done[c].sum()) for c in named},
        times_done={c: times[done[c]].tolist() for c in named},
        steps_total=int(times.size),
    )
    return out


def _school_table_empty() -> pd.DataFrame:
    columns = [
        "constellation",
        "policy",
        "school",
        "lat",
        "lon",
        "connected_share",
        "median_latency_ms",
        "p95_latency_ms",
        "min_latency_ms",
        "gateway",
        "gateway_share",
        "gateway_country",
        "exchange",
    ]
    return pd.DataFrame({c: [] for c in columns})


# ---------------------------------------------------------------------------- gateway siting
SITING_MODES = ("single", "added")
"""``single``: the candidate is the only gateway; ``added``: it joins the existing gateways."""


def gateway_siting(
    network: Network,
    constellations: Mapping[str, Constellation] | Sequence[Constellation],
    times_s: npt.ArrayLike,
    *,
    candidates: Iterable[str] | None = None,
    mode: str = "single",
    existing: Iterable[str] | None = None,
    internet_exchanges: Iterable[str] | None = None,
    home_country: str | None = None,
    max_user_links: int | None = None,
    threads: int | None = None,
    executor: Any = None,
    progress: ProgressArg = None,
    chunk_size: int | None = None,
) -> pd.DataFrame:
    """Score candidate in-country gateway sites by the school latency they give.

    Every candidate site is made a gateway (feeder links to the satellites it sees, its ground
    latency to the nearest exchange added); per time step one batched search from all
    candidates gives, for every school, the latency over each site. ``mode="single"`` scores
    each site as the only gateway, ``mode="added"`` as one more gateway next to the existing
    ones (a school then uses whichever is faster). The time steps run in blocks, here or on
    ``executor``, as in :func:`school_connectivity`.

    Parameters
    ----------
    network : Network
    constellations : mapping name -> Constellation, or a sequence (named by ``.name``)
    times_s : array_like of float
    candidates : iterable of node ids, optional
        Default: every gateway and PoP in ``home_country`` (for ``central-asia`` the Kokterek
        and Akkol space communications centres and the Kazakh cities).
    mode : {"single", "added"}, default "single"
    existing : iterable of node ids, optional
        The current gateways for ``mode="added"``. Default: the gateways in ``home_country``.
    internet_exchanges, home_country, max_user_links, threads, executor, progress, chunk_size
        As in :func:`school_connectivity`.

    Returns
    -------
    pandas.DataFrame
        One row per (constellation, site), best first within each constellation:
        ``constellation``, ``mode``, ``rank`` (1 = best), ``site`` (node id), ``name``,
        ``kind``, ``lat``, ``lon``, ``exchange`` (nearest exchange over the ground network),
        ``ground_latency_ms`` (site -> exchange), ``connected_share`` (share of school x time
        step samples with a route), ``median_latency_ms``, ``p95_latency_ms`` (over the
        connected samples; NaN if none), ``worst_school_connected_share`` (the least covered
        school's share of connected steps). Ranked by ``connected_share`` (descending), then
        ``median_latency_ms`` and ``p95_latency_ms`` (ascending). ``attrs``: ``partial``,
        ``steps_done``, ``times_done``, ``steps_total`` as in :func:`school_connectivity`.

    Examples
    --------
    >>> from routecore import constellation as cs
    >>> from routecore.scenario import load_scenario
    >>> net = load_scenario("central-asia")
    >>> top = gateway_siting(net, [cs.STARLINK_SHELL1], [0.0], candidates=["akkol", "almaty"])
    >>> sorted(top["site"])
    ['akkol', 'almaty']
    """
    if mode not in SITING_MODES:
        raise ScenarioError(f"unknown mode {mode!r}; use one of {SITING_MODES}")
    defaults = _analysis_defaults(network)
    home = home_country or defaults.get("home_country")
    kind = network.column("nodes", "kind")
    country = network.column("nodes", "country")
    if candidates is None:
        if not home:
            raise ScenarioError("candidates default to home_country sites; give home_country")
        cand = np.flatnonzero(np.isin(kind, ["gateway", "pop"]) & (country == home))
    else:
        cand = network.node_index(list(candidates)).astype(np.int64)
    if cand.size == 0:
        raise ScenarioError("no candidate gateway sites")
    if mode == "added":
        if existing is None:
            old = np.flatnonzero((kind == "gateway") & (country == home))
        else:
            old = network.node_index(list(existing)).astype(np.int64)
    else:
        old = np.zeros(0, dtype=np.int64)
    sites, inverse = np.unique(np.concatenate([cand, old]), return_inverse=True)
    sites = sites.astype(np.int32)
    named = _named(constellations)
    times = np.atleast_1d(np.asarray(times_s, dtype=np.float64))
    schools, to_ix, ix_of_site, (lat, lon, role) = _school_sites(network, sites, internet_exchanges)
    existing_mask = np.zeros(sites.size, dtype=bool)
    existing_mask[inverse[cand.size :]] = True
    work = _SkyWork(
        named,
        lat,
        lon,
        role,
        int(schools.size),
        to_ix,
        max_user_links,
        task_threads(threads, executor),
        existing=existing_mask if mode == "added" else None,
        candidates=inverse[: cand.size].astype(np.int64),
    )
    run, where = _run_sky(
        _siting_chunk,
        work,
        named,
        times,
        chunk_size=chunk_size,
        executor=executor,
        progress=progress,
        description="gateway sites x time steps",
    )
    latency = {c: np.full((cand.size, times.size, schools.size), np.inf) for c in named}
    done = {c: np.zeros(times.size, dtype=bool) for c in named}
    for (cname, sl), finished, result in zip(where, run.finished, run.results, strict=True):
        if finished:
            latency[cname][:, sl] = result
            done[cname][sl] = True
    ids = network.column("nodes", "id")
    frames = []
    for cname in named:
        steps = done[cname]
        if not steps.any():
            continue
        lat_c = latency[cname][:, steps].reshape(cand.size, -1)
        connected = np.isfinite(lat_c)
        per_school = np.isfinite(latency[cname][:, steps]).mean(axis=1)
        median, p95, _ = _column_quantiles(np.where(connected, lat_c, np.nan).T)
        site_of = inverse[: cand.size]
        table = pd.DataFrame(
            {
                "constellation": cname,
                "mode": mode,
                "site": ids[cand],
                "name": network.column("nodes", "name")[cand],
                "kind": kind[cand],
                "lat": network.column("nodes", "lat")[cand],
                "lon": network.column("nodes", "lon")[cand],
                "exchange": np.where(
                    np.isfinite(to_ix[site_of]), ids[np.maximum(ix_of_site[site_of], 0)], ""
                ),
                "ground_latency_ms": to_ix[site_of],
                "connected_share": connected.mean(axis=1),
                "median_latency_ms": median,
                "p95_latency_ms": p95,
                "worst_school_connected_share": per_school.min(axis=1),
            }
        )
        table["_order"] = -table["connected_share"]
        table = table.sort_values(
            ["_order", "median_latency_ms", "p95_latency_ms"], kind="stable", na_position="last"
        ).drop(columns="_order")
        table.insert(2, "rank", np.arange(1, len(table) + 1))
        frames.append(table)
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    out.attrs.update(
        partial=not run.complete,
        steps_done={c: int(done[c].sum()) for c in named},
        times_done={c: times[done[c]].tolist() for c in named},
        steps_total=int(times.size),
    )
    return out


def school_route(
    network: Network,
    constellation: Constellation,
    t_s: float,
    school: str,
    *,
    policy: str = "home",
    internet_exchanges: Iterable[str] | None = None,
    home_country: str | None = None,
) -> Route | None:
    """The full route of one school at one time step, as :func:`school_connectivity` sees it.

    Satellites appear in ``Route.nodes`` as ``"sat:<index>"`` and radio hops in
    ``Route.links`` as ``"user_link"``, ``"isl"`` or ``"feeder"``; the ground part uses link
    ids. Meant for inspecting single schools (it runs one search per allowed gateway); use
    :func:`school_connectivity` for many.

    Returns ``None`` when the school has no route under the policy at ``t_s``.
    """
    from .constellation import GroundRole, Medium, snapshot

    defaults = _analysis_defaults(network)
    home = home_country or defaults.get("home_country")
    kind = network.column("nodes", "kind")
    country = network.column("nodes", "country")
    row = int(network.node_index([school])[0])
    if kind[row] != "terminal":
        raise ScenarioError(f"{school!r} is a {kind[row]}, not a terminal")
    gateways = np.flatnonzero(kind == "gateway").astype(np.int32)
    allowed = {
        "home": country[gateways] == home,
        "any": np.ones(gateways.size, dtype=bool),
        "abroad": country[gateways] != home,
    }.get(policy)
    if allowed is None:
        raise ScenarioError(f"unknown policy {policy!r}; use one of {POLICIES}")
    ixp = _rows(network, internet_exchanges, "internet_exchanges")
    ground = network.to_graph(capacity=None)
    g_len, g_near = nearest_source(ground, ixp)
    # Access graph as in school_connectivity: node 0 is the school, then the gateways.
    ground_rows = np.concatenate([[row], gateways])
    role = [int(GroundRole.TERMINAL)] + [int(GroundRole.GATEWAY)] * gateways.size
    lat = network.column("nodes", "lat").astype(np.float64)[ground_rows]
    lon = network.column("nodes", "lon").astype(np.float64)[ground_rows]
    snap = snapshot(constellation, float(t_s), lat, lon, role)
    access, access_medium = _access_graph(snap, with_medium=True)
    best: tuple[float, Any, int] | None = None
    for k, gw_row in enumerate(gateways.tolist()):
        if not allowed[k] or not np.isfinite(g_len[gw_row]):
            continue
        up = shortest_path(access, 1 + k, 0)
        if up is not None and (best is None or up.length + g_len[gw_row] < best[0]):
            best = (float(up.length + g_len[gw_row]), up, gw_row)
    if best is None:
        return None
    _, up, gw = best
    ids = network.column("nodes", "id")
    n_ground = ground_rows.size
    # The access path runs gateway -> satellites -> school; turn it round.
    sky_nodes = [
        str(ids[ground_rows[v]]) if v < n_ground else f"sat:{v - n_ground}"
        for v in reversed(list(up.nodes))
    ]
    sky_links = [Medium(int(access_medium[e])).name.lower() for e in reversed(list(up.edges))]
    down = shortest_path(ground, gw, int(g_near[gw]))
    assert down is not None  # g_len[gw] is finite
    tail = _route_from_path(network, list(down.nodes), list(down.edges))
    return Route(
        nodes=(*sky_nodes, *tail.nodes[1:]),
        links=(*sky_links, *tail.links),
        latency_ms=float(up.length) + tail.latency_ms,
        length_km=math.nan,
    )


@overload
def _access_graph(snap: Any, *, threads: int | None = None) -> Graph: ...
@overload
def _access_graph(
    snap: Any, *, with_medium: Literal[True], threads: int | None = None
) -> tuple[Graph, npt.NDArray[np.int8]]: ...
def _access_graph(snap: Any, *, with_medium: bool = False, threads: int | None = None) -> Any:
    """Directed graph of one snapshot in which only satellites relay traffic.

    Feeder links point from the gateway to the satellite, user links from the satellite to
    the terminal, laser links both ways. Searching from a gateway therefore reaches schools
    only through satellites, and never through another school or gateway. With
    ``with_medium`` also returns the :class:`~routecore.constellation.Medium` of each edge.
    Edges: the user links, the feeder links, the laser links forward, then backward (each in
    snapshot order); the CSR is built on ``threads`` threads (default: every core).
    """
    from routecore.constellation import Medium
    from routecore.constellation._snapshot import _graph_from_edges

    # A snapshot's edges come in blocks by medium (ground, user, feeder, ISL).
    bounds = np.searchsorted(snap.medium, [Medium.USER_LINK, Medium.FEEDER, Medium.ISL, 4])
    user, feeder, isl = (slice(int(a), int(b)) for a, b in itertools.pairwise(bounds))
    src, dst, latency = snap.src, snap.dst, snap.latency_ms
    # User links are stored ground -> satellite: reverse them. Feeders keep their direction.
    tails = np.concatenate([dst[user], src[feeder], src[isl], dst[isl]])
    heads = np.concatenate([src[user], dst[feeder], dst[isl], src[isl]])
    weight = np.concatenate([latency[user], latency[feeder], latency[isl], latency[isl]])
    graph = _graph_from_edges(
        snap.num_ground + snap.num_satellites,
        tails,
        heads,
        weight,
        None,
        directed=True,
        threads=thread_count(threads),
    )
    if not with_medium:
        return graph
    medium = np.concatenate(
        [snap.medium[user], snap.medium[feeder], snap.medium[isl], snap.medium[isl]]
    )
    return graph, medium


def _column_quantiles(
    samples: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Per column (NaN = no sample): the median, the 95th percentile and the minimum, NaN for
    a column without samples.

    The same numbers as ``np.nanmedian`` / ``np.nanpercentile(..., 95)`` (linear method,
    numpy's interpolation formula) / ``np.nanmin`` along axis 0, with one sort instead of a
    Python-level call per column (those take seconds for 100,000 schools).
    """
    rows, cols = samples.shape
    # Sorted per column, one contiguous row per column (sorting along a strided axis is slower).
    ordered = np.sort(np.ascontiguousarray(samples.T), axis=1)  # NaN last
    n = np.count_nonzero(~np.isnan(ordered), axis=1)
    col = np.arange(cols)

    def at(index: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        return np.asarray(ordered[col, np.clip(index, 0, max(rows - 1, 0))], dtype=np.float64)

    half = n // 2
    median = np.where(n % 2 == 1, at((n - 1) // 2), (at(half - 1) + at(half)) / 2)
    virtual = (n - 1) * 0.95
    below = np.floor(virtual).astype(np.int64)
    a, b = at(below), at(np.minimum(below + 1, n - 1))
    gamma = virtual - below
    diff = b - a
    p95 = np.where(gamma >= 0.5, b - diff * (1 - gamma), a + diff * gamma)
    empty = n == 0
    low = at(np.zeros(cols, dtype=np.int64)) if rows else np.full(cols, np.nan)
    return (
        np.where(empty, np.nan, median),
        np.where(empty, np.nan, p95),
        np.where(empty, np.nan, low),
    )


def _school_table(
    network: Network,
    cname: str,
    policy: str,
    schools: npt.NDArray[np.int32],
    gateways: npt.NDArray[np.int32],
    ix_of_gw: npt.NDArray[Any],
    latency: npt.NDArray[np.float64],
    via: npt.NDArray[np.int64],
) -> pd.DataFrame:
    """Per-school statistics over the time axis (axis 0), vectorised."""
    n_s = latency.shape[1]
    connected = np.isfinite(latency)
    share = connected.mean(axis=0)
    median, p95, low = _column_quantiles(np.where(connected, latency, np.nan))
    k_idx, s_idx = np.nonzero(via >= 0)
    flat = s_idx.astype(np.int64) * gateways.size + via[k_idx, s_idx]
    counts = np.bincount(flat, minlength=n_s * gateways.size).reshape(n_s, gateways.size)
    top = counts.argmax(axis=1)
    used = counts.max(axis=1)
    ids = network.column("nodes", "id")
    country = network.column("nodes", "country")
    gw_ids = np.where(used > 0, ids[gateways][top], "")
    with np.errstate(divide="ignore", invalid="ignore"):
        gw_share = np.where(used > 0, used / np.maximum(connected.sum(axis=0), 1), np.nan)
    return pd.DataFrame(
        {
            "constellation": cname,
            "policy": policy,
            "school": ids[schools],
            "lat": network.column("nodes", "lat")[schools],
            "lon": network.column("nodes", "lon")[schools],
            "connected_share": share,
            "median_latency_ms": median,
            "p95_latency_ms": p95,
            "min_latency_ms": low,
            "gateway": gw_ids,
            "gateway_share": gw_share,
            "gateway_country": np.where(used > 0, country[gateways][top], ""),
            "exchange": np.where(used > 0, ids[ix_of_gw][top], ""),
        }
    )


def latency_floor_ms(distance_km: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """The physical lower bound on one-way latency over ``distance_km``: light in vacuum."""
    return np.asarray(np.asarray(distance_km, dtype=np.float64) / C_KM_PER_MS)
