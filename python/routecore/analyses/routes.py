"""Routes and flows on the ground network: :func:`route_between` and :func:`flow_between`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ..flow import max_flow
from ..paths import shortest_path
from ..scenario import Network
from ._common import _country_mask, _ids, _rows

try:
    import pandas as pd
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        'routecore.analyses needs pandas; install the domain extras: pip install "routecore[geo]"'
    ) from exc

if TYPE_CHECKING:
    from ..graph import Graph

__all__ = ["FlowReport", "Route", "flow_between", "route_between"]


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
        Sum of the link latencies: one-way propagation (no processing delay; ``to_dict`` also
        gives it as ``one_way_propagation_ms`` and its double as ``propagation_rtt_ms``).
    length_km : float
        Sum of the link lengths.

    Examples
    --------
    >>> from routecore.scenario import load_scenario
    >>> route = route_between(load_scenario("central-asia"), "almaty", "astana")
    >>> len(route.hops()) == len(route.links), route.to_dict()["src"]
    (True, 'almaty')
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
            "one_way_propagation_ms": self.latency_ms,
            "propagation_rtt_ms": 2 * self.latency_ms,
            "length_km": self.length_km,
            "nodes": list(self.nodes),
            "links": list(self.links),
            "hops": self.hops(),
        }

    def to_geojson(self, network: Network) -> dict[str, Any]:
        """The route as a GeoJSON FeatureCollection: :func:`routecore.geojson.route_to_geojson`."""
        from ..geojson import route_to_geojson

        return route_to_geojson(self, network)


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


@dataclass(frozen=True)
class FlowReport:
    """Maximum flow between two node sets, with its minimum cut and per-link flows.

    Attributes
    ----------
    value_gbps : float
        The maximum flow.
    cut_links : tuple of str
        Link ids of the minimum cut closest to the sources (their capacities add up to
        ``value_gbps``). Kept under this name; also :attr:`cut_links_closest_to_sources`.
    links : pandas.DataFrame
        One row per link: ``link``, ``a``, ``b``, ``medium``, ``capacity_gbps`` (as used, so 0
        for avoided links), ``flow_gbps`` (>= 0), ``direction`` (``"a->b"``, ``"b->a"`` or
        ``""``), ``utilisation`` (flow / capacity, NaN for zero capacity), ``in_cut`` (in the
        cut closest to the sources), ``in_sink_cut`` (in the cut closest to the sinks),
        ``critical`` (in every minimum cut).
    sources, sinks : tuple of str
    cut_links_closest_to_sinks : tuple of str
        Link ids of the minimum cut closest to the sinks. Every minimum cut lies between the
        two; when they differ the bottleneck is not unique.
    critical_links : tuple of str
        The links in every minimum cut: the only single links whose upgrade raises the maximum
        flow (links given no capacity, e.g. in avoided countries, are left out).

    Examples
    --------
    >>> from routecore.scenario import load_scenario
    >>> report = flow_between(load_scenario("central-asia"), ["khorgos"], ["frankfurt"])
    >>> cut = sum(row["capacity_gbps"] for row in report.cut_rows())
    >>> bool(abs(cut - report.value_gbps) < 1e-6), len(report.busiest(3)) <= 3
    (True, True)
    >>> set(report.critical_links) <= set(report.cut_links_closest_to_sinks)
    True
    """

    value_gbps: float
    cut_links: tuple[str, ...]
    links: pd.DataFrame = field(repr=False)
    sources: tuple[str, ...] = ()
    sinks: tuple[str, ...] = ()
    cut_links_closest_to_sinks: tuple[str, ...] = ()
    critical_links: tuple[str, ...] = ()

    @property
    def cut_links_closest_to_sources(self) -> tuple[str, ...]:
        """:attr:`cut_links` by a name that says which minimum cut it is."""
        return self.cut_links

    @property
    def cut_is_unique(self) -> bool:
        """Whether every minimum cut is made of the same links (of positive capacity)."""
        return set(self.cut_links) == set(self.cut_links_closest_to_sinks)

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
        """A JSON-ready dict (``cut_links`` is the cut closest to the sources, kept as before)."""
        return {
            "sources": list(self.sources),
            "sinks": list(self.sinks),
            "max_flow_gbps": self.value_gbps,
            "cut_links": list(self.cut_links),
            "cut_links_closest_to_sources": list(self.cut_links),
            "cut_links_closest_to_sinks": list(self.cut_links_closest_to_sinks),
            "critical_links": list(self.critical_links),
            "cut_is_unique": self.cut_is_unique,
            "cut_capacity_gbps": float(self.links.loc[self.links["in_cut"], "capacity_gbps"].sum()),
            "links": self.links.to_dict(orient="records"),
        }

    def to_geojson(self, network: Network, *, all_links: bool = False) -> dict[str, Any]:
        """The cut (or every) link as GeoJSON: :func:`routecore.geojson.flow_to_geojson`."""
        from ..geojson import flow_to_geojson

        return flow_to_geojson(self, network, all_links=all_links)


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
    result = max_flow(g, src, dst, capacity=cap, both_cuts=True)
    return _flow_report(network, result, cap, src, dst)


def _flow_report(
    network: Network,
    result: Any,
    cap: npt.NDArray[np.float64],
    src: npt.NDArray[np.int32],
    dst: npt.NDArray[np.int32],
) -> FlowReport:
    flow = np.asarray(result.edge_flow, dtype=np.float64)

    def positive(edges: Any) -> npt.NDArray[np.int64]:
        # Links given no capacity (avoided countries) cross cuts too but are not bottlenecks.
        e = np.asarray(edges, dtype=np.int64)
        return e[cap[e] > 0]

    def mask(edges: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        out = np.zeros(network.num_links, dtype=bool)
        out[edges] = True
        return out

    cut = positive(result.cut_edges)
    sink_cut = positive(result.cut_edges_closest_to_sinks)
    critical = positive(result.critical_edges)
    in_cut = mask(cut)
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
            "in_sink_cut": mask(sink_cut),
            "critical": mask(critical),
        }
    )
    ids = network.column("links", "id")
    return FlowReport(
        value_gbps=float(result.value),
        cut_links=tuple(str(ids[e]) for e in cut),
        links=links,
        sources=_ids(network, src),
        sinks=_ids(network, dst),
        cut_links_closest_to_sinks=tuple(str(ids[e]) for e in sink_cut),
        critical_links=tuple(str(ids[e]) for e in critical),
    )
