"""GeoJSON (RFC 7946) output for routes, cuts, failure sweeps and school tables.

Every function returns a ``FeatureCollection`` as a plain dict that :func:`json.dumps` writes
as is (and :func:`write_geojson` writes atomically), so the result opens in QGIS, geopandas or
any web map. The rules of RFC 7946 that matter here:

- positions are ``[longitude, latitude]`` in WGS 84 degrees (section 3.1.1), rounded to
  :data:`PRECISION` decimals (about 0.1 m, section 11.2), longitudes in [-180, 180];
- a line that crosses the antimeridian is cut there into a ``MultiLineString`` whose parts
  end and start at +-180 (section 3.1.9), so no segment runs the long way round the globe;
  the crossing latitude is interpolated linearly in longitude and latitude;
- properties are JSON values: numpy numbers become Python numbers, tuples become lists, and
  NaN or infinity (which JSON cannot hold) become ``null``.

Links and routes are drawn as straight lines in longitude/latitude between their end nodes,
as the scenario's tables describe them (the real cable or fibre path is not known).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ._atomic import write_atomic
from ._geojson_geometry import (
    PRECISION,
    json_properties,
    line_geometry,
    round_coordinate,
    wrap_lon,
)

if TYPE_CHECKING:
    from .analyses import FlowReport, Route, TransitResult
    from .scenario import Network

__all__ = [
    "PRECISION",
    "diversity_to_geojson",
    "failures_to_geojson",
    "flow_to_geojson",
    "line_geometry",
    "route_to_geojson",
    "schools_to_geojson",
    "to_geojson",
    "write_geojson",
]

Feature = dict[str, Any]
FeatureCollection = dict[str, Any]


def _feature(geometry: dict[str, Any] | None, props: Mapping[str, Any]) -> Feature:
    return {"type": "Feature", "geometry": geometry, "properties": json_properties(props)}


def _collection(features: list[Feature], **meta: Any) -> FeatureCollection:
    out: FeatureCollection = {"type": "FeatureCollection", "features": features}
    if meta:  # foreign members (RFC 7946 section 6.1): what the collection shows
        out["routecore"] = json_properties(meta)
    return out


def _node_coords(
    network: Network, node_ids: Sequence[str]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    ids = [str(v) for v in network.column("nodes", "id")]
    where = {v: i for i, v in enumerate(ids)}
    missing = [n for n in node_ids if str(n) not in where]
    if missing:
        raise KeyError(f"node {missing[0]!r} is not in the network")
    rows = np.fromiter((where[str(n)] for n in node_ids), dtype=np.int64, count=len(node_ids))
    lat = np.asarray(network.column("nodes", "lat"), dtype=np.float64)[rows]
    lon = np.asarray(network.column("nodes", "lon"), dtype=np.float64)[rows]
    return lon, lat


def _link_geometry(network: Network, link_ids: Iterable[str]) -> dict[str, Any] | None:
    """The links' lines (a ``MultiLineString`` for several or a cut one), ``None`` for none."""
    all_ids = [str(v) for v in network.column("links", "id")]
    where = {v: i for i, v in enumerate(all_ids)}
    a = network.column("links", "a")
    b = network.column("links", "b")
    lines: list[list[list[float]]] = []
    for link in link_ids:
        if str(link) not in where:
            raise KeyError(f"link {link!r} is not in the network")
        e = where[str(link)]
        lon, lat = _node_coords(network, [str(a[e]), str(b[e])])
        geom = line_geometry(lon, lat)
        lines.extend([geom["coordinates"]] if geom["type"] == "LineString" else geom["coordinates"])
    if not lines:
        return None
    if len(lines) == 1:
        return {"type": "LineString", "coordinates": lines[0]}
    return {"type": "MultiLineString", "coordinates": lines}


def route_to_geojson(route: Route, network: Network) -> FeatureCollection:
    """A :class:`~routecore.analyses.Route` as one line feature.

    Parameters
    ----------
    route : Route
    network : Network
        The network the route was found in (it holds the node coordinates).

    Returns
    -------
    dict
        A ``FeatureCollection`` with one ``LineString`` (``MultiLineString`` when the route
        crosses the antimeridian); properties ``src``, ``dst``, ``nodes``, ``links``,
        ``latency_ms``, ``propagation_rtt_ms``, ``length_km``, ``hops``.

    Examples
    --------
    >>> from routecore.analyses import route_between
    >>> from routecore.scenario import load_scenario
    >>> net = load_scenario("central-asia")
    >>> fc = route_to_geojson(route_between(net, "almaty", "astana"), net)
    >>> feature = fc["features"][0]
    >>> feature["geometry"]["type"], feature["properties"]["src"]
    ('LineString', 'almaty')
    >>> len(feature["geometry"]["coordinates"]) == len(feature["properties"]["nodes"])
    True
    """
    lon, lat = _node_coords(network, route.nodes)
    props = {
        "src": route.nodes[0],
        "dst": route.nodes[-1],
        "latency_ms": route.latency_ms,
        "propagation_rtt_ms": 2 * route.latency_ms,
        "length_km": route.length_km,
        "hops": len(route.links),
        "nodes": list(route.nodes),
        "links": list(route.links),
    }
    geometry = line_geometry(lon, lat) if len(route.nodes) >= 2 else None
    if geometry is None:  # a route from a node to itself: a point
        geometry = {
            "type": "Point",
            "coordinates": [round_coordinate(lon[0]), round_coordinate(lat[0])],
        }
    return _collection([_feature(geometry, props)], kind="route")


_FLOW_FLAGS = ("in_cut", "in_sink_cut", "critical")


def flow_to_geojson(
    result: FlowReport | TransitResult, network: Network, *, all_links: bool = False
) -> FeatureCollection:
    """The minimum-cut and critical links of a flow report or transit result as lines.

    Parameters
    ----------
    result : FlowReport or TransitResult
        From :func:`~routecore.analyses.flow_between` or
        :func:`~routecore.analyses.transit_capacity` (then one feature per variant, policy
        and link, with ``variant`` and ``policy`` among the properties).
    network : Network
    all_links : bool, default False
        Every link, not only those in a minimum cut (``in_cut``, ``in_sink_cut`` or
        ``critical``); a map colours them by ``flow_gbps`` or ``utilisation``.

    Returns
    -------
    dict
        A ``FeatureCollection``, one feature per link, with the link table's columns as
        properties (``link``, ``a``, ``b``, ``medium``, ``capacity_gbps``, ``flow_gbps``,
        ``utilisation`` (``null`` for no capacity), ``in_cut``, ``in_sink_cut``,
        ``critical``...).

    Examples
    --------
    >>> from routecore.analyses import flow_between
    >>> from routecore.scenario import load_scenario
    >>> net = load_scenario("central-asia")
    >>> report = flow_between(net, ["khorgos"], ["frankfurt"])
    >>> fc = flow_to_geojson(report, net)
    >>> sorted(f["properties"]["link"] for f in fc["features"] if f["properties"]["in_cut"]) == (
    ...     sorted(report.cut_links))
    True
    """
    table = result.links
    keep = np.ones(len(table), dtype=bool)
    if not all_links:
        keep[:] = False
        for flag in _FLOW_FLAGS:
            if flag in table.columns:
                keep |= table[flag].to_numpy(dtype=bool)
    columns = list(table.columns)
    features = []
    for row in table.to_numpy(dtype=object)[keep]:
        props = dict(zip(columns, row, strict=True))
        features.append(_feature(_link_geometry(network, [str(props["link"])]), props))
    meta: dict[str, Any] = {"kind": "flow"}
    for name in ("value_gbps", "sources", "sinks"):
        if hasattr(result, name):
            meta[name] = getattr(result, name)
    return _collection(features, **meta)


def _failed_geometry(network: Network, ids: list[str], kind: str) -> dict[str, Any] | None:
    """Links as lines; for node and group failures, the failed nodes as points too."""
    if kind == "links":
        return _link_geometry(network, ids)
    node_ids = {str(v) for v in network.column("nodes", "id")}
    nodes = [i for i in ids if i in node_ids]
    lines = _link_geometry(network, [] if kind == "nodes" else [i for i in ids if i not in nodes])
    lon, lat = _node_coords(network, nodes)
    points = [
        [round_coordinate(x), round_coordinate(y)]
        for x, y in zip(lon.tolist(), lat.tolist(), strict=True)
    ]
    point = {"type": "MultiPoint", "coordinates": points} if points else None
    parts = [g for g in (lines, point) if g is not None]
    if len(parts) == 2:
        return {"type": "GeometryCollection", "geometries": parts}
    return parts[0] if parts else None


def failures_to_geojson(table: Any, network: Network) -> FeatureCollection:
    """A :func:`~routecore.analyses.failure_sweep` table as one feature per failure case.

    Parameters
    ----------
    table : pandas.DataFrame
        The sweep's result (a ``failed`` column of link-id tuples and the loss columns), or a
        node / risk-group sweep's (:func:`~routecore.analyses.node_failure_sweep`: the failed
        nodes as a ``MultiPoint``; :func:`~routecore.analyses.group_failure_sweep`: the
        members' lines and points).
    network : Network

    Returns
    -------
    dict
        A ``FeatureCollection`` in the table's order (most harmful first): the failed link's
        line (a ``MultiLineString`` for a pair), properties every column of the table
        (``failed`` as a list, ``lost_gbps``, ``lost_share``, ``added_latency_ms`` with
        ``null`` for a cut-off...). The table's ``attrs`` (base flow and latency) are kept
        under the collection's ``routecore`` member.

    Examples
    --------
    >>> from routecore.analyses import failure_sweep
    >>> from routecore.scenario import load_scenario
    >>> net = load_scenario("central-asia")
    >>> table = failure_sweep(net, sources=["khorgos"], sinks=["frankfurt"], threads=1)
    >>> fc = failures_to_geojson(table, net)
    >>> len(fc["features"]) == len(table), fc["features"][0]["properties"]["failed"] == list(
    ...     table["failed"].iat[0])
    (True, True)
    """
    columns = list(table.columns)
    features = []
    attrs = getattr(table, "attrs", {}) or {}
    # Node and risk-group sweeps (routecore.analyses.node_failures) say what ``failed`` holds.
    kind = attrs.get("failure_kind", "links")
    for row in table.to_numpy(dtype=object):
        props = dict(zip(columns, row, strict=True))
        failed = props["members"] if kind == "groups" else props["failed"]
        ids = [failed] if isinstance(failed, str) else [str(v) for v in failed]
        features.append(_feature(_failed_geometry(network, ids, kind), props))
    return _collection(features, kind="failures", **{str(k): v for k, v in attrs.items()})


def schools_to_geojson(table: Any) -> FeatureCollection:
    """A :func:`~routecore.analyses.school_connectivity` table as points, one per row.

    Parameters
    ----------
    table : pandas.DataFrame
        Needs ``lat`` and ``lon`` columns (degrees); every column becomes a property (NaN
        latencies of a never-connected school as ``null``).

    Returns
    -------
    dict
        A ``FeatureCollection`` of ``Point`` features in the table's order.

    Raises
    ------
    ValueError
        A row whose latitude or longitude is missing or out of range.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"school": ["s1"], "lat": [43.25], "lon": [76.95],
    ...                       "median_latency_ms": [float("nan")]})
    >>> feature = schools_to_geojson(table)["features"][0]
    >>> feature["geometry"], feature["properties"]["median_latency_ms"]
    ({'type': 'Point', 'coordinates': [76.95, 43.25]}, None)
    """
    lat = table["lat"].to_numpy(dtype=np.float64)
    lon = table["lon"].to_numpy(dtype=np.float64)
    bad = ~(np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 360))
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise ValueError(f"row {k}: lat {lat[k]}, lon {lon[k]} is not a position on Earth")
    lon = wrap_lon(lon)
    columns = list(table.columns)
    features = [
        _feature(
            {"type": "Point", "coordinates": [round_coordinate(x), round_coordinate(y)]},
            dict(zip(columns, row, strict=True)),
        )
        for x, y, row in zip(lon, lat, table.to_numpy(dtype=object), strict=True)
    ]
    return _collection(features, kind="schools")


def to_geojson(result: Any, network: Network | None = None) -> FeatureCollection:
    """Any supported result as a ``FeatureCollection`` (dispatch on its type).

    A :class:`~routecore.analyses.Route` (:func:`route_to_geojson`), a
    :class:`~routecore.analyses.FlowReport` or :class:`~routecore.analyses.TransitResult`
    (:func:`flow_to_geojson`), a failure-sweep table (:func:`failures_to_geojson`) or a
    school table (:func:`schools_to_geojson`, no network needed).

    Examples
    --------
    >>> from routecore.analyses import route_between
    >>> from routecore.scenario import load_scenario
    >>> net = load_scenario("central-asia")
    >>> to_geojson(route_between(net, "almaty", "astana"), net)["type"]
    'FeatureCollection'
    """
    columns = set(getattr(result, "columns", ()))
    if {"lat", "lon"} <= columns:
        return schools_to_geojson(result)
    if network is None:
        raise TypeError(f"to_geojson({type(result).__name__}) needs the network")
    if "failed" in columns:
        return failures_to_geojson(result, network)
    if hasattr(result, "nodes") and hasattr(result, "latency_ms"):
        return route_to_geojson(result, network)
    if hasattr(result, "links") and hasattr(result.links, "columns"):
        return flow_to_geojson(result, network)
    raise TypeError(f"no GeoJSON form for {type(result).__name__}")


def diversity_to_geojson(report: Any, network: Network) -> FeatureCollection:
    """A :class:`~routecore.analyses.DiversityReport` as line features: the ``k`` fastest
    routes of every pair, then both routes of every disjoint pair.

    Properties: ``src``, ``dst``, ``role`` (``"route"``, ``"primary"`` or ``"backup"``),
    ``rank`` (routes) or ``mode`` (``edge``, ``node``, ``group``: what the pair shares none
    of), ``latency_ms`` (one-way propagation), ``propagation_rtt_ms``, ``penalty_ms`` (backup:
    its latency minus the pair's fastest route), ``nodes``.

    Examples
    --------
    >>> from routecore.analyses import route_diversity
    >>> from routecore.scenario import load_scenario
    >>> net = load_scenario("central-asia")
    >>> fc = diversity_to_geojson(route_diversity(net, [("khorgos", "istanbul")], k=2), net)
    >>> [f["properties"]["role"] for f in fc["features"]][:3]
    ['route', 'route', 'primary']
    """
    features: list[Feature] = []

    def add(nodes_text: str, props: dict[str, Any]) -> None:
        nodes = nodes_text.split(" > ")
        lon, lat = _node_coords(network, nodes)
        latency = float(props["latency_ms"])
        props = {**props, "propagation_rtt_ms": 2 * latency, "nodes": nodes}
        features.append(_feature(line_geometry(lon, lat), props))

    for row in report.routes.to_dict(orient="records"):
        add(
            row["nodes"],
            {
                "src": row["src"],
                "dst": row["dst"],
                "role": "route",
                "rank": int(row["rank"]),
                "latency_ms": float(row["latency_ms"]),
            },
        )
    for row in report.protection.to_dict(orient="records"):
        if not row["backup_nodes"]:
            continue
        for role in ("primary", "backup"):
            props = {
                "src": row["src"],
                "dst": row["dst"],
                "role": role,
                "mode": row["mode"],
                "latency_ms": float(row[f"{role}_ms"]),
            }
            if role == "backup":
                props["penalty_ms"] = float(row["penalty_ms"])
            add(row[f"{role}_nodes"], props)
    return _collection(features, kind="route diversity", latency="one-way propagation, ms")


def write_geojson(path: str | os.PathLike[str], collection: FeatureCollection) -> Path:
    """Write ``collection`` to ``path`` atomically as UTF-8 JSON; returns the path.

    Refuses NaN or infinity (``allow_nan=False``), which no GeoJSON reader accepts.

    Examples
    --------
    >>> import json, tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = write_geojson(Path(tmp) / "a.geojson", {"type": "FeatureCollection",
    ...                                                    "features": []})
    ...     json.loads(out.read_text())["type"]
    'FeatureCollection'
    """
    text = json.dumps(collection, allow_nan=False, ensure_ascii=False, separators=(",", ":"))
    return write_atomic(path, text + "\n")
