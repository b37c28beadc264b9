"""Route diversity per city pair: :func:`route_diversity`.

For each pair, the ``k`` shortest loopless routes (:func:`routecore.k_shortest_paths`) and the
best pair of routes that share no link, no node, or no shared-risk group
(:func:`routecore.disjoint_paths`), with the latency penalty of protection: how much longer the
backup is than the fastest route.

Assumptions: latencies are one-way propagation in ms over the scenario's links (no processing
or queueing delay); the shared-risk groups are derived from the scenario's tables as described
under ``groups`` (a link belongs to one group).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import numpy.typing as npt

from ..disjoint import disjoint_paths
from ..errors import ScenarioError
from ..graph import Graph
from ..k_paths import k_shortest_paths
from ..scenario import Network
from ._common import _analysis_defaults, _country_mask, _ids

try:
    import pandas as pd
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        'routecore.analyses needs pandas; install the domain extras: pip install "routecore[geo]"'
    ) from exc

__all__ = ["RISK_GROUPS", "DiversityReport", "risk_groups", "route_diversity"]

RiskGroups = Literal["landing", "operator", "country"]
RISK_GROUPS: tuple[str, ...] = get_args(RiskGroups)
"""The ``groups=`` values of :func:`route_diversity` (see :func:`risk_groups`)."""


@dataclass(frozen=True)
class DiversityReport:
    """The outcome of :func:`route_diversity`.

    Attributes
    ----------
    routes : pandas.DataFrame
        One row per route: ``src``, ``dst``, ``rank`` (1 = fastest), ``latency_ms`` (one-way
        propagation), ``hops``, ``nodes`` and ``links`` (ids joined by ``" > "``).
    protection : pandas.DataFrame
        One row per pair and mode (``edge``, ``node``, ``group``): ``primary_ms`` and
        ``backup_ms`` (the two disjoint routes, faster first; NaN where fewer than two
        exist), ``fastest_ms`` (the pair's fastest route), ``penalty_ms`` (``backup_ms -
        fastest_ms``: the latency cost of protection), ``total_ms``, ``lower_bound_ms`` and
        ``optimal`` (group mode: whether the pair is proven best), ``backup_nodes`` and
        ``primary_nodes`` (node ids joined by ``" > "``; empty where fewer than two exist).
    groups : str
        How the shared-risk groups were formed.
    """

    routes: pd.DataFrame
    protection: pd.DataFrame
    groups: str


def risk_groups(network: Network, how: RiskGroups = "landing") -> npt.NDArray[np.int64]:
    """One shared-risk group id per link (``-1``: shares risk with no other link).

    ``"landing"``: the links that touch the same cable landing station (node kind
    ``cable_landing``) share its group. ``"operator"``: the links of one operator share a group
    (links without an operator share none). ``"country"``: the links with both ends in one
    country share that country's group, cross-border links share none (an approximation: a
    group is per link, so two routes may still pass through one country by its border links).

    >>> from routecore.scenario import load_scenario
    >>> g = risk_groups(load_scenario("central-asia"), "operator")
    >>> int((g >= 0).sum()) > 0
    True
    """
    if how not in RISK_GROUPS:
        raise ValueError(f"groups must be one of {RISK_GROUPS}; got {how!r}")
    a = network.node_index(network.column("links", "a").astype(str).tolist())
    b = network.node_index(network.column("links", "b").astype(str).tolist())
    out = np.full(a.shape[0], -1, dtype=np.int64)
    if how == "landing":
        landing = network.column("nodes", "kind") == "cable_landing"
        out = np.where(landing[b], b, out)
        out = np.where(landing[a], a, out)
    elif how == "operator":
        op = network.column("links", "operator").astype(str)
        named = np.array([s.strip() != "" and s != "nan" for s in op.tolist()], dtype=bool)
        codes = pd.factorize(pd.Series(op))[0]
        out = np.where(named, codes, -1).astype(np.int64)
    else:
        country = network.column("nodes", "country").astype(str)
        codes = pd.factorize(pd.Series(country))[0]
        out = np.where(country[a] == country[b], codes[a], -1).astype(np.int64)
    return out


def _pairs(network: Network, pairs: Iterable[Sequence[str]] | None) -> list[tuple[int, int]]:
    if pairs is None:
        defaults = _analysis_defaults(network)
        sources, sinks = defaults.get("transit_sources"), defaults.get("transit_sinks")
        if not sources or not sinks:
            raise ScenarioError(
                "no pairs given and the scenario has no analysis.transit_sources / transit_sinks"
            )
        pairs = [(s, t) for s in sources for t in sinks]
    out = []
    for i, pair in enumerate(pairs):
        if isinstance(pair, str) or len(pair) != 2:
            raise ScenarioError(f"pairs[{i}] = {pair!r} is not a (source, destination) pair")
        s, t = (network.find_node(str(x)) for x in pair)
        if s == t:
            raise ScenarioError(f"pairs[{i}] = {pair!r}: source and destination are one node")
        out.append((s, t))
    return out


def route_diversity(
    network: Network,
    pairs: Iterable[Sequence[str]] | None = None,
    *,
    k: int = 5,
    groups: RiskGroups = "landing",
    avoid_countries: Iterable[str] = (),
    max_paths: int = 2000,
) -> DiversityReport:
    """The k fastest routes and the best disjoint route pairs for each city pair.

    Parameters
    ----------
    network : Network
    pairs : iterable of (str, str), optional
        City pairs by node id or name. Default: every ``analysis.transit_sources`` x
        ``analysis.transit_sinks`` pair of the scenario.
    k : int, default 5
        Routes listed per pair.
    groups : {"landing", "operator", "country"}
        How links are put into shared-risk groups for the ``group`` mode (:func:`risk_groups`).
    avoid_countries : iterable of str
        Countries whose links no route may use (links with an end in them are closed; pairs
        whose ends lie there keep their own links).
    max_paths : int, default 2000
        Budget of the exact group-disjoint search (:func:`routecore.disjoint_paths`).

    Returns
    -------
    DiversityReport

    Examples
    --------
    >>> from routecore.scenario import load_scenario
    >>> net = load_scenario("central-asia")
    >>> r = route_diversity(net, [("khorgos", "frankfurt")], k=3)
    >>> r.routes["rank"].tolist(), sorted(r.protection["mode"])
    ([1, 2, 3], ['edge', 'group', 'node'])
    >>> bool((r.protection["penalty_ms"].dropna() >= 0).all())
    True
    """
    todo = _pairs(network, pairs)
    if groups not in RISK_GROUPS:
        raise ValueError(f"groups must be one of {RISK_GROUPS}; got {groups!r}")
    full = network.to_graph(weight="latency_ms", capacity=None)
    latency = np.asarray(network.column("links", "latency_ms"), dtype=np.float64)
    group_of = risk_groups(network, groups)
    avoided = _country_mask(network, avoid_countries)
    link_ids = network.column("links", "id").astype(str)
    route_rows, protection_rows = [], []
    for s, t in todo:
        closed = avoided.copy()
        closed[[s, t]] = False
        # The graph without the avoided countries' links; rows[e] is edge e's link row.
        rows = np.flatnonzero(~(closed[full.src] | closed[full.dst]))
        graph = Graph(
            full.num_nodes, full.src[rows], full.dst[rows], weight=latency[rows], directed=False
        )
        if not closed.any():
            graph, rows = full, np.arange(latency.size)
        src_id, dst_id = _ids(network, [s, t])
        paths = k_shortest_paths(graph, s, t, k)
        fastest = paths[0].length if paths else np.nan
        for rank, p in enumerate(paths, start=1):
            route_rows.append(
                {
                    "src": src_id,
                    "dst": dst_id,
                    "rank": rank,
                    "latency_ms": p.length,
                    "hops": int(p.edges.size),
                    "nodes": " > ".join(_ids(network, p.nodes.tolist())),
                    "links": " > ".join(link_ids[rows[p.edges]].tolist()),
                }
            )
        for mode in ("edge", "node", "group"):
            r = disjoint_paths(
                graph,
                s,
                t,
                2,
                mode=mode,
                groups=group_of[rows] if mode == "group" else None,
                max_paths=max_paths,
            )
            two = len(r.paths) == 2
            protection_rows.append(
                {
                    "src": src_id,
                    "dst": dst_id,
                    "mode": mode,
                    "fastest_ms": fastest,
                    "primary_ms": r.paths[0].length if two else np.nan,
                    "backup_ms": r.paths[1].length if two else np.nan,
                    "penalty_ms": r.paths[1].length - fastest if two else np.nan,
                    "total_ms": r.total_length if two else np.nan,
                    "lower_bound_ms": r.lower_bound if two else np.nan,
                    "optimal": r.optimal,
                    "backup_nodes": (
                        " > ".join(_ids(network, r.paths[1].nodes.tolist())) if two else ""
                    ),
                    "primary_nodes": (
                        " > ".join(_ids(network, r.paths[0].nodes.tolist())) if two else ""
                    ),
                }
            )
    return DiversityReport(pd.DataFrame(route_rows), pd.DataFrame(protection_rows), groups)
