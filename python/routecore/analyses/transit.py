"""Asia -> Europe transit: max flow, min cut, utilisation and best routes per variant."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ..paths import nearest_source, shortest_path
from ..scenario import Network
from ._common import _analysis_defaults, _country_mask, _ids, _rows
from .latency import delay_assumptions
from .routes import _route_from_path, flow_between

try:
    import pandas as pd
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        'routecore.analyses needs pandas; install the domain extras: pip install "routecore[geo]"'
    ) from exc

if TYPE_CHECKING:
    from ..graph import Graph

__all__ = ["TransitResult", "transit_capacity"]


def transit_cases(
    network: Network,
    variants: Sequence[str | None] | None,
    avoid_countries: Iterable[str] | None,
) -> tuple[list[str | None], list[tuple[str, ...]]]:
    """The transit analyses' cases: the cable variants (default: every ``tcfo-*`` variant, or
    the base network when there is none) and the routing policies (all routes, then avoiding
    ``avoid_countries``, default from the scenario's analysis settings)."""
    if variants is None:
        variants = [v for v in network.variant_names if v.startswith("tcfo-")] or [None]
    if avoid_countries is None:
        avoid_countries = list(_analysis_defaults(network).get("avoid_countries", []))
    policies: list[tuple[str, ...]] = [()]
    avoid = tuple(avoid_countries)
    if avoid:
        policies.append(avoid)
    return list(variants), policies


@dataclass(frozen=True)
class TransitResult:
    """Result of :func:`transit_capacity`: three tables.

    Attributes
    ----------
    cases : pandas.DataFrame
        One row per (variant, policy): ``variant``, ``policy`` (``"all routes"`` or
        ``"avoid RU"`` etc.), ``max_flow_gbps``, ``cut_capacity_gbps`` (equal to the flow),
        ``cut_links`` (tuple of link ids: the minimum cut closest to the sources, also as
        ``cut_links_closest_to_sources``), ``cut_links_closest_to_sinks``, ``critical_links``
        (in every minimum cut: the only single links whose upgrade raises the flow),
        ``cut_is_unique`` (the two cuts agree), ``best_sink``, ``best_latency_ms`` (one-way
        propagation; also as ``best_one_way_propagation_ms``), ``best_propagation_rtt_ms``
        (twice that), ``best_rtt_ms`` (with the declared delays), ``best_route`` (tuple of
        node ids from the nearest source).
    routes : pandas.DataFrame
        One row per (variant, policy, sink): ``source`` (the nearest source), ``sink``,
        ``latency_ms`` (one-way propagation; also as ``one_way_propagation_ms``),
        ``propagation_rtt_ms`` (twice that), ``rtt_ms`` (round trip with the scenario's
        declared per-hop delays, :mod:`~routecore.analyses.latency`), ``hops``,
        ``length_km``, ``route`` (node ids), ``links`` (link ids); latency is ``inf`` and the
        route empty when the sink cannot be reached.
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
    variants, policies = transit_cases(network, variants, avoid_countries)
    case_rows, route_rows, link_tables = [], [], []
    delays = delay_assumptions(network)
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
                r["one_way_propagation_ms"] = r["latency_ms"]
                r["propagation_rtt_ms"] = 2 * r["latency_ms"]
                r["hops"] = len(r["links"])
                r["rtt_ms"] = delays.rtt_ms(r["latency_ms"], hops=r["hops"])
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
                    "cut_links_closest_to_sources": report.cut_links,
                    "cut_links_closest_to_sinks": report.cut_links_closest_to_sinks,
                    "critical_links": report.critical_links,
                    "cut_is_unique": report.cut_is_unique,
                    "best_sink": best["sink"],
                    "best_latency_ms": best["latency_ms"],
                    "best_one_way_propagation_ms": best["latency_ms"],
                    "best_propagation_rtt_ms": best["propagation_rtt_ms"],
                    "best_rtt_ms": best["rtt_ms"],
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
