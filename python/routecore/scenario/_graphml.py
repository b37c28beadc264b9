"""Networks from elsewhere: Internet Topology Zoo-style GraphML files and networkx graphs."""

from __future__ import annotations

import math
import os
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ScenarioError
from ._checks import _Where
from ._csv import _read_file_text
from ._model import Network
from ._schema import LINK_COLUMNS, MEDIA, NODE_COLUMNS

if TYPE_CHECKING:
    import networkx as nx

try:
    import pandas as pd
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        'routecore.scenario needs pandas; install the domain extras: pip install "routecore[geo]"'
    ) from exc

__all__ = ["from_graphml", "network_from_networkx", "network_to_networkx"]

UNKNOWN_COUNTRY = "ZZ"
"""Country code given to nodes when none is known (ISO 3166-1 keeps ``ZZ`` for user use)."""

_NETWORKX_HINT = (
    "networkx is needed for Network.from_networkx / to_networkx; install it with "
    'pip install networkx (it is part of the test extra: pip install "routecore[test]")'
)


def _import_networkx() -> Any:
    try:
        import networkx
    except ImportError as exc:
        raise ImportError(_NETWORKX_HINT) from exc
    return networkx


def _local(tag: str) -> str:
    """An element's tag without its XML namespace."""
    return tag.rsplit("}", 1)[-1]


def _number(text: str | None, what: str, label: str) -> float:
    """``text`` as a finite float, or a :class:`ScenarioError` naming ``what``."""
    try:
        value = float(text.strip()) if text is not None else math.nan
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ScenarioError(f"{label}: {what}: {text!r} is not a finite number", file=label)
    return value


def _parse_root(text: str, label: str) -> ET.Element:
    # Entities live only in a document type declaration; refusing any DTD rules out entity
    # expansion bombs ("billion laughs") and external entities before the parser sees them.
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise ScenarioError(
            f"{label}: a GraphML file must not contain a DOCTYPE or ENTITY declaration",
            file=label,
        )
    try:
        return ET.fromstring(text)
    except ET.ParseError as exc:
        line, col = exc.position
        raise ScenarioError(
            f"{label}: not valid XML (line {line}, column {col + 1}): {exc}", file=label, line=line
        ) from None


def _keys(root: ET.Element) -> dict[str, tuple[str, str, str | None]]:
    """GraphML ``<key>`` declarations: id -> (domain, attribute name, default text)."""
    out: dict[str, tuple[str, str, str | None]] = {}
    for key in root:
        if _local(key.tag) != "key":
            continue
        default = next((c.text for c in key if _local(c.tag) == "default"), None)
        kid = key.get("id", "")
        out[kid] = (key.get("for", "all"), key.get("attr.name", kid), default)
    return out


def _data(
    element: ET.Element, keys: Mapping[str, tuple[str, str, str | None]], domain: str
) -> dict[str, str]:
    """An element's attributes by name, declared defaults first."""
    values = {
        name: default
        for dom, name, default in keys.values()
        if default is not None and dom in (domain, "all")
    }
    for child in element:
        if _local(child.tag) == "data":
            kid = child.get("key", "")
            values[keys[kid][1] if kid in keys else kid] = child.text or ""
    return values


def from_graphml(
    path: str | os.PathLike[str],
    *,
    country: str | None = None,
    medium: str = "fiber",
    default_capacity_gbps: float | None = None,
    kind: str = "pop",
    name: str | None = None,
    drop_unplaced: bool = False,
) -> Network:
    """Load an Internet Topology Zoo-style GraphML file as a :class:`Network`.

    Nodes need ``Latitude`` and ``Longitude``; their ``label`` becomes the node name. A link's
    capacity is its ``LinkSpeedRaw`` (bit/s) in Gbit/s, or ``default_capacity_gbps`` where
    the file gives none. Lengths are the great-circle distance times the scenario route slack
    (:data:`~routecore.scenario.DEFAULT_ROUTE_SLACK`) for fibre; the network then passes the
    same checks as a loaded scenario and can be written with :meth:`Network.save`.

    Parameters
    ----------
    path : path-like
        The GraphML file (a regular file of at most 64 MiB, like every scenario file).
    country : str, optional
        ISO 3166-1 alpha-2 code for every node; by default a node's ``Country`` attribute
        when it is such a code, else ``"ZZ"`` (unknown).
    medium : str
        Medium of every link (one of :data:`~routecore.scenario.MEDIA`).
    default_capacity_gbps : float, optional
        Capacity of links without ``LinkSpeedRaw``; without it such a link is an error.
    kind : str
        Node kind of every node.
    name : str, optional
        Scenario name; by default the file's ``Network`` attribute, else the file name.
    drop_unplaced : bool
        Leave out nodes without coordinates (and their edges) instead of raising; many Zoo
        files have such nodes for external networks.

    Raises
    ------
    ScenarioError
        Not a readable regular file, not XML, a DTD or entity declaration, a node without
        coordinates, a bad number, a duplicate node id, an unknown link endpoint, a link
        without capacity, or anything :class:`Network` rejects; the message names the file
        and the node or edge.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> text = '''<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
    ... <key id="lat" for="node" attr.name="Latitude" attr.type="double"/>
    ... <key id="lon" for="node" attr.name="Longitude" attr.type="double"/>
    ... <key id="bw" for="edge" attr.name="LinkSpeedRaw" attr.type="double"/>
    ... <graph edgedefault="undirected">
    ... <node id="0"><data key="lat">51.5</data><data key="lon">-0.13</data></node>
    ... <node id="1"><data key="lat">48.85</data><data key="lon">2.35</data></node>
    ... <edge source="0" target="1"><data key="bw">1e10</data></edge>
    ... </graph></graphml>'''
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = pathlib.Path(tmp, "two.graphml")
    ...     _ = p.write_text(text)
    ...     net = from_graphml(p, country="GB")
    >>> net.links[["capacity_gbps", "length_km"]].round(1).values.tolist()
    [[10.0, 446.5]]
    """
    file = Path(path)
    label = str(file)
    if medium not in MEDIA:
        raise ValueError(f"medium must be one of {MEDIA}, got {medium!r}")
    root = _parse_root(_read_file_text(file), label)
    if _local(root.tag) != "graphml":
        raise ScenarioError(f"{label}: not GraphML (root element <{_local(root.tag)}>)", file=label)
    keys = _keys(root)
    graph = next((g for g in root if _local(g.tag) == "graph"), None)
    if graph is None:
        raise ScenarioError(f"{label}: no <graph> element", file=label)
    graph_data = _data(graph, keys, "graph")
    nodes: list[dict[str, Any]] = []
    seen: set[str] = set()
    dropped: set[str] = set()
    for element in graph:
        if _local(element.tag) != "node":
            continue
        nid = element.get("id")
        if not nid:
            raise ScenarioError(f"{label}: node {len(nodes)} has no id", file=label)
        if nid in seen:
            raise ScenarioError(f"{label}: duplicate node id {nid!r}", file=label)
        seen.add(nid)
        data = _data(element, keys, "node")
        where = f"node {nid!r} ({data.get('label', 'no label')})"
        if "Latitude" not in data or "Longitude" not in data:
            if drop_unplaced:
                dropped.add(nid)
                continue
            raise ScenarioError(
                f"{label}: {where} has no coordinates (Latitude/Longitude); give them in the "
                "file or remove the node",
                file=label,
            )
        lat = _number(data["Latitude"], f"{where} Latitude", label)
        lon = _number(data["Longitude"], f"{where} Longitude", label)
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ScenarioError(f"{label}: {where}: ({lat}, {lon}) is off the globe", file=label)
        code = country or data.get("Country", "").strip()
        nodes.append(
            {
                "id": nid,
                "name": data.get("label", "").strip() or nid,
                "kind": kind,
                "country": code if len(code) == 2 and code.isupper() else UNKNOWN_COUNTRY,
                "lat": lat,
                "lon": lon,
                "source": label,
            }
        )
    links: list[dict[str, Any]] = []
    for element in graph:
        if _local(element.tag) != "edge":
            continue
        a, b = element.get("source"), element.get("target")
        where = f"edge {len(links)} ({a} -> {b})"
        for end in (a, b):
            if end not in seen:
                raise ScenarioError(f"{label}: {where}: unknown node id {end!r}", file=label)
        if a in dropped or b in dropped:
            continue
        data = _data(element, keys, "edge")
        if data.get("LinkSpeedRaw", "").strip():
            capacity = _number(data["LinkSpeedRaw"], f"{where} LinkSpeedRaw", label) / 1e9
            if capacity <= 0:
                raise ScenarioError(
                    f"{label}: {where}: LinkSpeedRaw {data['LinkSpeedRaw']!r} must be positive",
                    file=label,
                )
        elif default_capacity_gbps is not None:
            capacity = float(default_capacity_gbps)
        else:
            raise ScenarioError(
                f"{label}: {where} has no LinkSpeedRaw; pass default_capacity_gbps",
                file=label,
            )
        links.append(
            {
                "a": a,
                "b": b,
                "medium": medium,
                "length_km": math.nan,
                "capacity_gbps": capacity,
                "operator": "",
                "source": label,
            }
        )
    meta = {"name": name or graph_data.get("Network", "").strip() or file.stem}
    return Network(
        pd.DataFrame(nodes, columns=list(NODE_COLUMNS)),
        pd.DataFrame(
            links,
            columns=["a", "b", "medium", "length_km", "capacity_gbps", "operator", "source"],
        ),
        meta,
        _where=(_Where(f"{label} (nodes)"), _Where(f"{label} (edges)"), _Where(label)),
    )


def network_to_networkx(net: Network) -> nx.MultiGraph:
    """``net`` as a networkx ``MultiGraph`` (see :meth:`Network.to_networkx`)."""
    nx = _import_networkx()
    g = nx.MultiGraph(meta=net.meta, name=net.name)
    nodes = net.nodes
    for record in nodes.to_dict("records"):
        g.add_node(record["id"], **record)
    for record in net.links.to_dict("records"):
        g.add_edge(record["a"], record["b"], key=record["id"], **record)
    return g


def network_from_networkx(
    graph: Any,
    *,
    medium: str = "fiber",
    default_capacity_gbps: float | None = None,
    country: str | None = None,
    kind: str = "pop",
    meta: Mapping[str, Any] | None = None,
) -> Network:
    """A :class:`Network` from a networkx graph (see :meth:`Network.from_networkx`)."""
    _import_networkx()
    label = f"networkx graph {graph.name!r}" if getattr(graph, "name", "") else "networkx graph"
    nodes: list[dict[str, Any]] = []
    for nid, data in graph.nodes(data=True):
        row = dict(data)
        row["id"] = str(row.get("id", nid))
        for ours, theirs in (("lat", "Latitude"), ("lon", "Longitude")):
            if ours not in row and theirs in row:
                row[ours] = row[theirs]
            if ours not in row:
                raise ScenarioError(
                    f"{label}: node {nid!r} has no {ours!r} (or {theirs!r}) attribute",
                    file=label,
                )
        row.setdefault("name", str(row.get("label", row["id"])))
        row.setdefault("kind", kind)
        row.setdefault("country", country or UNKNOWN_COUNTRY)
        nodes.append(row)
    ids = {n: str(d.get("id", n)) for n, d in graph.nodes(data=True)}
    links: list[dict[str, Any]] = []
    for u, v, data in graph.edges(data=True):
        row = dict(data)
        if sorted(map(str, (row.get("a"), row.get("b")))) != sorted((ids[u], ids[v])):
            row["a"], row["b"] = ids[u], ids[v]  # else keep the link's own direction
        row.setdefault("medium", medium)
        if "capacity_gbps" not in row:
            if "LinkSpeedRaw" in row:
                row["capacity_gbps"] = (
                    _number(str(row["LinkSpeedRaw"]), f"edge ({u}, {v}) LinkSpeedRaw", label) / 1e9
                )
            elif default_capacity_gbps is not None:
                row["capacity_gbps"] = float(default_capacity_gbps)
            else:
                raise ScenarioError(
                    f"{label}: edge ({u!r}, {v!r}) has no capacity_gbps or LinkSpeedRaw; pass "
                    "default_capacity_gbps",
                    file=label,
                )
        links.append(row)
    if meta is None:
        meta = graph.graph.get("meta") or {"name": str(graph.graph.get("name") or "unnamed")}
    node_frame = pd.DataFrame(nodes)
    link_frame = pd.DataFrame(links)
    lead = [c for c in NODE_COLUMNS if c in node_frame.columns]
    node_frame = node_frame[lead + [c for c in node_frame.columns if c not in lead]]
    if link_frame.empty:
        link_frame = pd.DataFrame(columns=["a", "b", "medium", "length_km", "capacity_gbps"])
    lead = [c for c in LINK_COLUMNS if c in link_frame.columns]
    link_frame = link_frame[lead + [c for c in link_frame.columns if c not in lead]]
    return Network(
        node_frame,
        link_frame,
        meta,
        _where=(_Where(f"{label} nodes"), _Where(f"{label} edges"), _Where(label)),
    )
