"""Scenarios: a ground network of named places and links, and its on-disk format.

A :class:`Network` is two pandas tables and a metadata dictionary:

``nodes`` (one row per place; graph node ``i`` is row ``i``)
    ``id`` (unique text key), ``name``, ``kind`` (one of :data:`NODE_KINDS`), ``country``
    (ISO 3166-1 alpha-2 code, e.g. ``KZ``), ``lat`` and ``lon`` (WGS-84 decimal degrees),
    ``source`` (where the coordinates come from: ids of entries in the scenario's ``sources`` or
    ``assumptions`` lists, separated by ``;``).
``links`` (one row per undirected link; graph edge ``e`` is row ``e``)
    ``id`` (unique text key), ``a`` and ``b`` (node ids), ``medium`` (one of :data:`MEDIA`),
    ``length_km``, ``capacity_gbps`` (per direction), ``latency_ms`` (one way),
    ``latency_given`` (``False`` where ``latency_ms`` was derived from the length and medium:
    fibre and submarine cable at c / 1.468, radio and laser at c), ``operator``, ``source``.
``meta``
    The parsed ``scenario.toml``: ``name``, ``description``, ``units``, ``parameters``,
    ``sources``, ``assumptions``, ``variants`` and ``analysis`` (see below).

On disk a scenario is a directory a person can edit with a spreadsheet and a text editor::

    nodes.csv       id,name,kind,country,lat,lon,source
    links.csv       id,a,b,medium,length_km,capacity_gbps,latency_ms,operator,source
    scenario.toml   name = "...", [units], [parameters], [[sources]], [[assumptions]],
                    [variants.NAME], [analysis]

CSV files are UTF-8 with a header row; cells are trimmed of surrounding blanks; extra columns
are kept as text and written back. In ``links.csv`` an empty ``latency_ms`` means "derive it";
an empty or missing ``id`` becomes ``A--B`` (``A--B#2`` for a parallel link). ``units`` may only
state the units the model uses (``length = "km"``, ``capacity = "Gbit/s"``, ``latency = "ms"``),
so a file written for other units is refused instead of misread. A variant changes the base
network by name::

    [variants.tcfo-6tbps]
    description = "Trans-Caspian cable at its 6 Tbit/s design capacity"
    remove_links = []                 # link ids
    remove_nodes = []                 # node ids (their links go too)
    [variants.tcfo-6tbps.links.tcfo]  # per-link overrides: capacity_gbps, length_km,
    capacity_gbps = 6000              # latency_ms, operator, source

``[analysis]`` names the nodes the analyses use by default (``internet_exchanges``,
``transit_sources``, ``transit_sinks``; each a list of node ids), the ``home_country`` whose
gateways the in-country policy allows, and ``avoid_countries`` for the "without Russia" case.

Loading checks everything and raises :class:`~routecore.errors.ScenarioError` naming the file,
row, line and column of the first problem. :meth:`Network.save` writes each file to a temporary
file in the target directory and moves it into place with :func:`os.replace`, so a crash never
leaves a half-written file; ``scenario.toml`` is written back byte for byte (comments included)
unless the metadata changed.

Examples
--------
>>> from routecore.scenario import load_scenario
>>> net = load_scenario("central-asia")
>>> g = net.to_graph()                      # weight = latency_ms, capacity = capacity_gbps
>>> int(net.node_index(["almaty"])[0]) == net.find_node("Almaty")
True
"""

from __future__ import annotations

import copy
import csv
import io
import math
import os
import re
import tempfile
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from .errors import ScenarioError

try:
    import pandas as pd
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        'routecore.scenario needs pandas; install the domain extras: pip install "routecore[geo]"'
    ) from exc

if TYPE_CHECKING:
    from .graph import Graph

__all__ = [
    "C_KM_PER_MS",
    "DEFAULT_FIBER_GROUP_INDEX",
    "EARTH_RADIUS_KM",
    "LINK_COLUMNS",
    "MEDIA",
    "NODE_COLUMNS",
    "NODE_KINDS",
    "Network",
    "bundled_scenarios",
    "great_circle_km",
    "load_network",
    "load_scenario",
]

NODE_KINDS = ("terminal", "gateway", "pop", "datacenter", "cable_landing", "ixp")
"""Allowed values of ``nodes.kind``."""
MEDIA = ("fiber", "submarine", "microwave", "feeder", "user_link", "isl")
"""Allowed values of ``links.medium``."""
GUIDED_MEDIA = frozenset({"fiber", "submarine"})
"""Media in glass: light travels at c / group index; the others (radio, laser) at c."""

C_KM_PER_MS = 299.792458
"""Speed of light in vacuum in km per millisecond (exact, SI)."""
DEFAULT_FIBER_GROUP_INDEX = 1.468
"""Group index of single-mode fibre (G.652) at 1550 nm; 4.897 us/km."""
EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG R1), for great-circle distances."""

NODE_COLUMNS = ("id", "name", "kind", "country", "lat", "lon", "source")
"""Node table columns in file order (``source`` may be absent from a file)."""
LINK_COLUMNS = (
    "id",
    "a",
    "b",
    "medium",
    "length_km",
    "capacity_gbps",
    "latency_ms",
    "latency_given",
    "operator",
    "source",
)
"""Link table columns (``latency_given`` is not a file column: it is an empty ``latency_ms``)."""

_NODE_REQUIRED = ("id", "name", "kind", "country", "lat", "lon")
_LINK_REQUIRED = ("a", "b", "medium", "length_km", "capacity_gbps")
_LINK_FILE_COLUMNS = tuple(c for c in LINK_COLUMNS if c != "latency_given")
_UNITS = {"length": "km", "capacity": "Gbit/s", "latency": "ms"}
_LINK_OVERRIDES = frozenset({"capacity_gbps", "length_km", "latency_ms", "operator", "source"})
_COUNTRY = re.compile(r"[A-Z]{2}")
_BUNDLED = "data"


# ----------------------------------------------------------------------------- error context
@dataclass(frozen=True)
class _Where:
    """Where a table came from, to name the file, row, line and column in errors."""

    file: str
    lines: Sequence[int] | None = None  # file line of each data row; None for in-memory tables

    def error(self, pos: int | None, column: str | None, message: str) -> ScenarioError:
        parts = [self.file]
        row = line = None
        if pos is not None:
            if self.lines is None:
                row = pos
                parts.append(f"row {pos}")
            else:
                row, line = pos + 1, self.lines[pos]
                parts.append(f"row {row} (line {line})")
        if column is not None:
            word = "key" if self.file.endswith((".toml", "metadata")) else "column"
            parts.append(f"{word} {column!r}")
        return ScenarioError(
            f"{', '.join(parts)}: {message}", file=self.file, row=row, line=line, column=column
        )


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _text_column(
    df: pd.DataFrame, column: str, where: _Where, *, required: bool
) -> npt.NDArray[np.object_]:
    """A column as trimmed Python strings ('' for missing cells)."""
    if column not in df.columns:
        if required:
            raise where.error(None, column, f"missing column (the columns are: {_cols(df)})")
        return np.full(len(df), "", dtype=object)
    values = df[column].to_numpy(dtype=object)
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        out[i] = "" if _is_missing(v) else str(v).strip()
    if required:
        empty = np.flatnonzero(out == "")
        if empty.size:
            raise where.error(int(empty[0]), column, "empty cell; a value is required")
    return out


def _float_column(
    df: pd.DataFrame,
    column: str,
    where: _Where,
    *,
    required: bool,
    low: float = 0.0,
    high: float = math.inf,
    rule: str = "must be a finite number >= 0",
) -> npt.NDArray[np.float64]:
    """A column as float64; NaN marks an empty cell of an optional column."""
    if column not in df.columns:
        if required:
            raise where.error(None, column, f"missing column (the columns are: {_cols(df)})")
        return np.full(len(df), np.nan)
    raw = df[column].to_numpy(dtype=object)
    out = np.empty(len(raw), dtype=np.float64)
    for i, v in enumerate(raw):
        if _is_missing(v):
            if required:
                raise where.error(i, column, f"empty cell; a number is required ({rule})")
            out[i] = math.nan
            continue
        try:
            # float() parses exactly the shortest repr that save() writes, so files round-trip.
            out[i] = float(v.strip() if isinstance(v, str) else v)
        except (TypeError, ValueError):
            raise where.error(i, column, f"{v!r} is not a number ({rule})") from None
        x = float(out[i])
        if not (math.isfinite(x) and low <= x <= high):
            raise where.error(i, column, f"{x!r} is out of range; it {rule}")
    return out


def _cols(df: pd.DataFrame) -> str:
    return ", ".join(str(c) for c in df.columns) or "none"


def _check_choice(
    values: npt.NDArray[np.object_], allowed: Sequence[str], column: str, where: _Where
) -> None:
    bad = np.flatnonzero(~np.isin(values, np.asarray(allowed, dtype=object)))
    if bad.size:
        i = int(bad[0])
        raise where.error(i, column, f"unknown {column} {values[i]!r}; use one of {allowed}")


def _check_unique(values: npt.NDArray[np.object_], column: str, where: _Where) -> None:
    seen: dict[str, int] = {}
    for i, v in enumerate(values):
        first = seen.setdefault(v, i)
        if first != i:
            other = f"row {first + 1}" if where.lines is not None else f"row {first}"
            raise where.error(i, column, f"duplicate {column} {v!r} (already used by {other})")


# ------------------------------------------------------------------------------ the model
def _normalise_nodes(df: pd.DataFrame, where: _Where) -> pd.DataFrame:
    ids = _text_column(df, "id", where, required=True)
    _check_unique(ids, "id", where)
    names = _text_column(df, "name", where, required=True)
    kinds = _text_column(df, "kind", where, required=True)
    _check_choice(kinds, NODE_KINDS, "kind", where)
    countries = _text_column(df, "country", where, required=True)
    for i, c in enumerate(countries):
        if not _COUNTRY.fullmatch(c):
            raise where.error(i, "country", f"{c!r} is not an ISO 3166-1 alpha-2 code like 'KZ'")
    lat = _float_column(
        df, "lat", where, required=True, low=-90, high=90, rule="must be within [-90, 90]"
    )
    lon = _float_column(
        df, "lon", where, required=True, low=-180, high=180, rule="must be within [-180, 180]"
    )
    source = _text_column(df, "source", where, required=False)
    out = pd.DataFrame(
        {
            "id": ids,
            "name": names,
            "kind": kinds,
            "country": countries,
            "lat": lat,
            "lon": lon,
            "source": source,
        }
    )
    return _with_extras(out, df)


def _normalise_links(
    df: pd.DataFrame, node_ids: pd.Index, fiber_index: float, where: _Where
) -> pd.DataFrame:
    a = _text_column(df, "a", where, required=True)
    b = _text_column(df, "b", where, required=True)
    for column, ends in (("a", a), ("b", b)):
        pos = node_ids.get_indexer(ends)
        bad = np.flatnonzero(pos < 0)
        if bad.size:
            i = int(bad[0])
            raise where.error(i, column, f"unknown node id {ends[i]!r}")
    loops = np.flatnonzero(a == b)
    if loops.size:
        i = int(loops[0])
        raise where.error(i, "b", f"the link joins {a[i]!r} to itself")
    medium = _text_column(df, "medium", where, required=True)
    _check_choice(medium, MEDIA, "medium", where)
    length = _float_column(df, "length_km", where, required=True)
    capacity = _float_column(df, "capacity_gbps", where, required=True)
    latency = _float_column(df, "latency_ms", where, required=False)
    if "latency_given" in df.columns and df["latency_given"].dtype == bool:
        given = df["latency_given"].to_numpy(dtype=bool) & ~np.isnan(latency)
    else:
        given = ~np.isnan(latency)
    latency = np.where(given, latency, derived_latency_ms(length, medium, fiber_index))
    ids = _text_column(df, "id", where, required=False)
    _fill_link_ids(ids, a, b)
    _check_unique(ids, "id", where)
    out = pd.DataFrame(
        {
            "id": ids,
            "a": a,
            "b": b,
            "medium": medium,
            "length_km": length,
            "capacity_gbps": capacity,
            "latency_ms": latency,
            "latency_given": given,
            "operator": _text_column(df, "operator", where, required=False),
            "source": _text_column(df, "source", where, required=False),
        }
    )
    return _with_extras(out, df)


def _fill_link_ids(
    ids: npt.NDArray[np.object_], a: npt.NDArray[np.object_], b: npt.NDArray[np.object_]
) -> None:
    taken = set(ids[ids != ""])
    for i in np.flatnonzero(ids == ""):
        base = f"{a[i]}--{b[i]}"
        name, k = base, 1
        while name in taken:
            k += 1
            name = f"{base}#{k}"
        ids[i] = name
        taken.add(name)


def _with_extras(out: pd.DataFrame, df: pd.DataFrame) -> pd.DataFrame:
    for column in df.columns:
        if column not in out.columns:
            out[column] = df[column].to_numpy()
    return out


def derived_latency_ms(
    length_km: npt.ArrayLike,
    medium: npt.ArrayLike,
    fiber_group_index: float = DEFAULT_FIBER_GROUP_INDEX,
) -> npt.NDArray[np.float64]:
    """One-way propagation delay in ms: fibre/submarine at c / group index, radio/laser at c.

    >>> derived_latency_ms([1000.0, 1000.0], ["fiber", "isl"]).round(3)
    array([4.897, 3.336])
    """
    length = np.asarray(length_km, dtype=np.float64)
    guided = np.isin(np.asarray(medium, dtype=object), list(GUIDED_MEDIA))
    return np.asarray(length * np.where(guided, fiber_group_index, 1.0) / C_KM_PER_MS)


def great_circle_km(
    lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """Great-circle distance in km on a sphere of radius :data:`EARTH_RADIUS_KM`.

    Uses the atan2 (Vincenty sphere) form, which stays accurate for nearby and for antipodal
    points alike (haversine loses precision next to antipodes).

    >>> round(float(great_circle_km(0.0, 0.0, 0.0, 1.0)), 2)
    111.2
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlam = np.radians(np.asarray(lon2, dtype=np.float64) - np.asarray(lon1, dtype=np.float64))
    sin1, cos1, sin2, cos2 = np.sin(p1), np.cos(p1), np.sin(p2), np.cos(p2)
    cross = np.hypot(cos2 * np.sin(dlam), cos1 * sin2 - sin1 * cos2 * np.cos(dlam))
    dot = sin1 * sin2 + cos1 * cos2 * np.cos(dlam)
    return np.asarray(EARTH_RADIUS_KM * np.arctan2(cross, dot))


class Network:
    """A scenario: places (nodes), links between them and the metadata that explains them.

    Parameters
    ----------
    nodes, links : pandas.DataFrame
        Tables with at least the required columns (see the module docstring). Any dtypes
        that convert are accepted; the network keeps normalised copies (text columns as
        ``str``, numbers as float64, a fresh ``RangeIndex``).
    meta : mapping, optional
        The ``scenario.toml`` content; ``name`` defaults to ``"unnamed"``.

    Raises
    ------
    ScenarioError
        A missing column, empty required cell, unknown kind / medium / node id, duplicate id,
        negative or non-finite number, coordinate out of range, or bad metadata. The message
        names the table (or file), row and column.

    Notes
    -----
    Treat a network as immutable: the ``nodes`` and ``links`` properties return copies.
    Graph node ``i`` is ``nodes`` row ``i`` and graph edge ``e`` is ``links`` row ``e``;
    :meth:`node_index` and :meth:`link_index` map ids to rows.
    """

    __slots__ = ("_links", "_meta", "_node_pos", "_nodes", "_toml")

    def __init__(
        self,
        nodes: pd.DataFrame,
        links: pd.DataFrame,
        meta: Mapping[str, Any] | None = None,
        *,
        _where: tuple[_Where, _Where, _Where] | None = None,
        _toml: tuple[str, dict[str, Any]] | None = None,
    ) -> None:
        w_nodes, w_links, w_meta = _where or (
            _Where("nodes table"),
            _Where("links table"),
            _Where("scenario metadata"),
        )
        meta_dict: dict[str, Any] = (
            copy.deepcopy(dict(meta)) if meta is not None else {"name": "unnamed"}
        )
        fiber_index = _check_meta_basics(meta_dict, w_meta)
        self._nodes = _normalise_nodes(nodes, w_nodes)
        self._node_pos = pd.Index(self._nodes["id"].to_numpy(dtype=object))
        self._links = _normalise_links(links, self._node_pos, fiber_index, w_links)
        _check_meta_references(meta_dict, self, w_meta)
        self._meta = meta_dict
        # The file text is written back verbatim (comments and all) while meta is unchanged.
        self._toml = _toml

    # ------------------------------------------------------------------------ properties
    @property
    def nodes(self) -> pd.DataFrame:
        """The node table (a copy)."""
        return self._nodes.copy()

    @property
    def links(self) -> pd.DataFrame:
        """The link table (a copy)."""
        return self._links.copy()

    @property
    def meta(self) -> dict[str, Any]:
        """The scenario metadata (a deep copy of the parsed ``scenario.toml``)."""
        return copy.deepcopy(self._meta)

    @property
    def name(self) -> str:
        """The scenario name from the metadata."""
        return str(self._meta.get("name", "unnamed"))

    @property
    def num_nodes(self) -> int:
        """Number of nodes (rows of ``nodes``)."""
        return len(self._nodes)

    @property
    def num_links(self) -> int:
        """Number of links (rows of ``links``)."""
        return len(self._links)

    @property
    def variant_names(self) -> list[str]:
        """Names of the variants defined in the metadata, in file order."""
        return list(self._meta.get("variants", {}))

    @property
    def fiber_group_index(self) -> float:
        """Group index used for fibre latencies (``parameters.fiber_group_index``)."""
        params: dict[str, Any] = self._meta.get("parameters", {})
        return float(params.get("fiber_group_index", DEFAULT_FIBER_GROUP_INDEX))

    def column(self, table: str, name: str) -> npt.NDArray[Any]:
        """One column of ``nodes`` or ``links`` as a read-only numpy array (no table copy)."""
        frame = {"nodes": self._nodes, "links": self._links}.get(table)
        if frame is None:
            raise ScenarioError(f"table must be 'nodes' or 'links', got {table!r}")
        if name not in frame.columns:
            raise ScenarioError(f"{table} has no column {name!r}", column=name)
        arr: npt.NDArray[Any] = frame[name].to_numpy(
            dtype=object if frame[name].dtype.kind in "OUT" else None, copy=True
        )
        arr.flags.writeable = False
        return arr

    def __repr__(self) -> str:
        return (
            f"<routecore.scenario.Network {self.name!r}: {self.num_nodes} nodes, "
            f"{self.num_links} links>"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Network):
            return NotImplemented
        return (
            self._meta == other._meta
            and self._nodes.equals(other._nodes)
            and self._links.equals(other._links)
        )

    __hash__ = None  # type: ignore[assignment]

    # ------------------------------------------------------------------------ look-ups
    def node_index(self, ids: str | Iterable[str]) -> npt.NDArray[np.int32]:
        """Rows (graph node ids) of the given node ids, vectorised.

        Raises
        ------
        ScenarioError
            An id that is not in the network.
        """
        keys = np.asarray([ids] if isinstance(ids, str) else list(ids), dtype=object)
        pos = self._node_pos.get_indexer(keys) if keys.size else np.zeros(0, dtype=np.intp)
        bad = np.flatnonzero(pos < 0)
        if bad.size:
            raise ScenarioError(f"unknown node id {keys[int(bad[0])]!r}", column="id")
        return pos.astype(np.int32)

    def link_index(self, ids: str | Iterable[str]) -> npt.NDArray[np.int32]:
        """Rows (graph edge ids) of the given link ids, vectorised."""
        keys = np.asarray([ids] if isinstance(ids, str) else list(ids), dtype=object)
        index = pd.Index(self._links["id"].to_numpy(dtype=object))
        pos = index.get_indexer(keys) if keys.size else np.zeros(0, dtype=np.intp)
        bad = np.flatnonzero(pos < 0)
        if bad.size:
            raise ScenarioError(f"unknown link id {keys[int(bad[0])]!r}", column="id")
        return pos.astype(np.int32)

    def find_node(self, key: str) -> int:
        """The row of the node whose id is ``key``, or else whose name matches (any case).

        Raises
        ------
        ScenarioError
            No node has that id or name, or several nodes share the name.
        """
        pos = self._node_pos.get_indexer([key])[0]
        if pos >= 0:
            return int(pos)
        names = self._nodes["name"].str.casefold().to_numpy(dtype=object)
        hits = np.flatnonzero(names == key.strip().casefold())
        if hits.size == 1:
            return int(hits[0])
        if hits.size > 1:
            which = ", ".join(str(self._nodes["id"].iat[int(i)]) for i in hits[:5])
            raise ScenarioError(f"the name {key!r} matches several nodes ({which}); use an id")
        raise ScenarioError(f"no node has the id or name {key!r}")

    def nodes_where(
        self, *, kind: str | None = None, country: str | None = None
    ) -> npt.NDArray[np.int32]:
        """Rows of the nodes with the given kind and/or country, as an int32 array."""
        mask = np.ones(self.num_nodes, dtype=bool)
        if kind is not None:
            if kind not in NODE_KINDS:
                raise ScenarioError(f"unknown kind {kind!r}; use one of {NODE_KINDS}")
            mask &= self._nodes["kind"].to_numpy(dtype=object) == kind
        if country is not None:
            mask &= self._nodes["country"].to_numpy(dtype=object) == country
        return np.flatnonzero(mask).astype(np.int32)

    def link_ends(self) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]:
        """Rows of the ``a`` and ``b`` end of every link (graph edge endpoints)."""
        a = self._node_pos.get_indexer(self._links["a"].to_numpy(dtype=object))
        b = self._node_pos.get_indexer(self._links["b"].to_numpy(dtype=object))
        return a.astype(np.int32), b.astype(np.int32)

    def link_great_circle_km(self) -> npt.NDArray[np.float64]:
        """Great-circle distance between the two ends of every link."""
        a, b = self.link_ends()
        lat = self._nodes["lat"].to_numpy()
        lon = self._nodes["lon"].to_numpy()
        return great_circle_km(lat[a], lon[a], lat[b], lon[b])

    # ------------------------------------------------------------------------ conversion
    def to_graph(
        self,
        *,
        weight: str | None = "latency_ms",
        capacity: str | None = "capacity_gbps",
    ) -> Graph:
        """The network as an undirected :class:`routecore.Graph`.

        Node ``i`` is ``nodes`` row ``i`` and edge ``e`` is ``links`` row ``e``. ``weight`` and
        ``capacity`` name numeric link columns (``None`` leaves them out: hop counts / no
        capacities).

        >>> from routecore.scenario import load_scenario
        >>> net = load_scenario("central-asia")
        >>> g = net.to_graph()
        >>> (g.num_nodes, g.num_edges) == (net.num_nodes, net.num_links)
        True
        """
        from .graph import Graph

        a, b = self.link_ends()
        w = None if weight is None else self.column("links", weight).astype(np.float64)
        c = None if capacity is None else self.column("links", capacity).astype(np.float64)
        return Graph(self.num_nodes, a, b, weight=w, capacity=c, directed=False)

    def variant(self, name: str) -> Network:
        """The network with variant ``name`` from ``scenario.toml`` applied.

        The result's metadata keeps everything but ``variants`` and records
        ``derived_from = {scenario = ..., variant = ...}``.
        """
        variants: dict[str, Any] = self._meta.get("variants", {})
        if name not in variants:
            known = ", ".join(variants) or "none"
            raise ScenarioError(f"unknown variant {name!r} (the scenario defines: {known})")
        spec: dict[str, Any] = variants[name]
        nodes = self._nodes.copy()
        links = self._links.copy()
        drop_nodes = set(spec.get("remove_nodes", []))
        if drop_nodes:
            nodes = nodes[~nodes["id"].isin(drop_nodes)]
            links = links[~(links["a"].isin(drop_nodes) | links["b"].isin(drop_nodes))]
        drop_links = set(spec.get("remove_links", []))
        if drop_links:
            links = links[~links["id"].isin(drop_links)]
        for link_id, changes in spec.get("links", {}).items():
            rows = links.index[links["id"] == link_id]
            for field, value in changes.items():
                links.loc[rows, field] = value
                if field == "latency_ms":
                    links.loc[rows, "latency_given"] = True
        meta: dict[str, Any] = copy.deepcopy(
            {k: v for k, v in self._meta.items() if k != "variants"}
        )
        meta["derived_from"] = {"scenario": self.name, "variant": name}
        analysis = meta.get("analysis", {})
        for key in ("internet_exchanges", "transit_sources", "transit_sinks"):
            if key in analysis:
                analysis[key] = [n for n in analysis[key] if n not in drop_nodes]
        return Network(nodes.reset_index(drop=True), links.reset_index(drop=True), meta)

    def with_links(self, links: pd.DataFrame) -> Network:
        """A network with the same nodes and metadata and a new link table."""
        return Network(self._nodes, links, self._meta)

    # ------------------------------------------------------------------------ files
    @classmethod
    def load(cls, directory: str | os.PathLike[str]) -> Network:
        """Read ``nodes.csv``, ``links.csv`` and ``scenario.toml`` from ``directory``."""
        return load_network(directory)

    def save(self, directory: str | os.PathLike[str]) -> Path:
        """Write the scenario into ``directory`` (created if needed); returns its path.

        Each file is written to a temporary file in ``directory`` first and then moved into
        place with :func:`os.replace`, so readers never see a partly written file.
        """
        target = Path(directory)
        target.mkdir(parents=True, exist_ok=True)
        texts = {
            "nodes.csv": _csv_text(self._nodes, NODE_COLUMNS),
            "links.csv": _csv_text(_links_for_file(self._links), _LINK_FILE_COLUMNS),
            "scenario.toml": self._toml_text(),
        }
        staged: list[tuple[str, Path]] = []
        try:
            for name, text in texts.items():
                fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=target)
                staged.append((name, Path(tmp_name)))
                # mkstemp makes the file private (0600); give it the mode of the file it
                # replaces, or an ordinary 0644.
                old = target / name
                os.chmod(fd, old.stat().st_mode & 0o777 if old.exists() else 0o644)
                with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                    fh.write(text)
                    fh.flush()
                    os.fsync(fh.fileno())
            for name, tmp in staged:
                os.replace(tmp, target / name)
        finally:
            for _, tmp in staged:
                tmp.unlink(missing_ok=True)
        return target

    def _toml_text(self) -> str:
        if self._toml is not None and self._toml[1] == self._meta:
            return self._toml[0]
        try:
            import tomli_w
        except ImportError as exc:
            raise ImportError(
                'saving changed scenario metadata needs tomli-w: pip install "routecore[geo]"'
            ) from exc
        return str(tomli_w.dumps(self._meta))


# ------------------------------------------------------------------------------ metadata
def _check_meta_basics(meta: dict[str, Any], where: _Where) -> float:
    """Checks that do not need the tables; returns the fibre group index."""
    name = meta.get("name")
    if not isinstance(name, str) or not name.strip():
        raise where.error(None, "name", "the scenario needs a non-empty text 'name'")
    units = meta.get("units", {})
    if not isinstance(units, dict):
        raise where.error(None, "units", "'units' must be a table")
    for key, value in units.items():
        expected = _UNITS.get(key)
        if expected is not None and value != expected:
            raise where.error(
                None, f"units.{key}", f"{value!r} is not supported; {key} is in {expected}"
            )
    params = meta.get("parameters", {})
    if not isinstance(params, dict):
        raise where.error(None, "parameters", "'parameters' must be a table")
    index = params.get("fiber_group_index", DEFAULT_FIBER_GROUP_INDEX)
    if isinstance(index, bool) or not isinstance(index, int | float) or not 1.0 <= index < 3.0:
        raise where.error(
            None, "parameters.fiber_group_index", f"{index!r} must be a number in [1, 3)"
        )
    return float(index)


def _check_meta_references(meta: dict[str, Any], net: Network, where: _Where) -> None:
    """Node and link ids named in variants and analysis defaults must exist."""
    node_ids = set(net._nodes["id"])
    link_ids = set(net._links["id"])
    variants = meta.get("variants", {})
    if not isinstance(variants, dict):
        raise where.error(None, "variants", "'variants' must be a table of tables")
    for vname, spec in variants.items():
        key = f"variants.{vname}"
        if not isinstance(spec, dict):
            raise where.error(None, key, "a variant must be a table")
        for field, known, what in (
            ("remove_nodes", node_ids, "node"),
            ("remove_links", link_ids, "link"),
        ):
            values = spec.get(field, [])
            if not isinstance(values, list):
                raise where.error(None, f"{key}.{field}", "must be a list of ids")
            for v in values:
                if not isinstance(v, str) or v not in known:  # (a list is unhashable)
                    raise where.error(None, f"{key}.{field}", f"unknown {what} id {v!r}")
        overrides = spec.get("links", {})
        if not isinstance(overrides, dict):
            raise where.error(None, f"{key}.links", "must be a table keyed by link id")
        for link_id, changes in overrides.items():
            lkey = f"{key}.links.{link_id}"
            if link_id not in link_ids:
                raise where.error(None, lkey, f"unknown link id {link_id!r}")
            if not isinstance(changes, dict):
                raise where.error(None, lkey, "must be a table of column = value")
            for field, value in changes.items():
                if field not in _LINK_OVERRIDES:
                    raise where.error(
                        None,
                        f"{lkey}.{field}",
                        f"cannot override {field!r}; use one of {sorted(_LINK_OVERRIDES)}",
                    )
                numeric = field in {"capacity_gbps", "length_km", "latency_ms"}
                if numeric and (
                    isinstance(value, bool)
                    or not isinstance(value, int | float)
                    or not (math.isfinite(value) and value >= 0)
                ):
                    raise where.error(
                        None, f"{lkey}.{field}", f"{value!r} must be a finite number >= 0"
                    )
                if not numeric and not isinstance(value, str):
                    raise where.error(None, f"{lkey}.{field}", f"{value!r} must be text")
    analysis = meta.get("analysis", {})
    if not isinstance(analysis, dict):
        raise where.error(None, "analysis", "'analysis' must be a table")
    for field in ("internet_exchanges", "transit_sources", "transit_sinks"):
        values = analysis.get(field, [])
        if not isinstance(values, list):
            raise where.error(None, f"analysis.{field}", "must be a list of node ids")
        for v in values:
            if not isinstance(v, str) or v not in node_ids:  # (a list is unhashable)
                raise where.error(None, f"analysis.{field}", f"unknown node id {v!r}")
    for field in ("home_country",):
        value = analysis.get(field)
        if value is not None and (not isinstance(value, str) or not _COUNTRY.fullmatch(value)):
            raise where.error(None, f"analysis.{field}", f"{value!r} is not a country code")


# ------------------------------------------------------------------------------ files
def _read_csv(path: Path) -> tuple[pd.DataFrame, _Where]:
    """Parse a CSV file into a table of strings, remembering each row's line number."""
    label = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ScenarioError(f"{label}: file not found", file=label) from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{label}: not UTF-8 text ({exc})", file=label) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    start = 1
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = [cell.strip() for cell in record]
                continue
            if len(record) != len(header):
                raise ScenarioError(
                    f"{label}: row {len(rows) + 1} (line {line}): {len(record)} fields, but "
                    f"the header has {len(header)} columns",
                    file=label,
                    row=len(rows) + 1,
                    line=line,
                )
            rows.append(record)
            lines.append(line)
    except csv.Error as exc:
        raise ScenarioError(f"{label}: line {reader.line_num}: {exc}", file=label) from None
    if header is None:
        raise ScenarioError(f"{label}: the file is empty; it needs a header row", file=label)
    for i, column in enumerate(header):
        if not column:
            raise ScenarioError(f"{label}: header column {i + 1} has no name", file=label, line=1)
        if column in header[:i]:
            raise ScenarioError(
                f"{label}: column {column!r}: appears twice in the header",
                file=label,
                column=column,
            )
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(header)
    df = pd.DataFrame(
        {name: np.asarray(col, dtype=object) for name, col in zip(header, columns, strict=True)}
    )
    return df, _Where(label, lines)


def load_network(directory: str | os.PathLike[str]) -> Network:
    """Load a scenario directory (``nodes.csv``, ``links.csv``, ``scenario.toml``).

    Raises
    ------
    ScenarioError
        A missing or malformed file, or any problem :class:`Network` checks; the message names
        the file, row, line and column.
    """
    root = Path(directory)
    if not root.is_dir():
        raise ScenarioError(f"{root}: not a scenario directory", file=str(root))
    toml_path = root / "scenario.toml"
    label = str(toml_path)
    try:
        toml_text = toml_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"{label}: file not found", file=label) from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{label}: not UTF-8 text ({exc})", file=label) from None
    try:
        meta = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{label}: not valid TOML: {exc}", file=label) from None
    nodes, w_nodes = _read_csv(root / "nodes.csv")
    links, w_links = _read_csv(root / "links.csv")
    return Network(
        nodes,
        links,
        meta,
        _where=(w_nodes, w_links, _Where(label)),
        _toml=(toml_text, copy.deepcopy(meta)),
    )


def _bundled_root() -> Path:
    # Beside this module both in a wheel and in an editable install (whose importlib.resources
    # view multiplexes the build tree and the source tree).
    return Path(__file__).resolve().parent / _BUNDLED


def bundled_scenarios() -> list[str]:
    """Names of the scenarios shipped inside the package (e.g. ``central-asia``)."""
    root = _bundled_root()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / "scenario.toml").is_file())


def load_scenario(name_or_path: str | os.PathLike[str]) -> Network:
    """Load a scenario directory, or a bundled scenario by name (``"central-asia"``)."""
    path = Path(name_or_path)
    if path.is_dir():
        return load_network(path)
    key = str(name_or_path)
    if key in bundled_scenarios():
        return load_network(_bundled_root() / key)
    raise ScenarioError(
        f"{key}: neither a scenario directory nor a bundled scenario "
        f"(bundled: {', '.join(bundled_scenarios()) or 'none'})",
        file=key,
    )


def _format_cell(value: Any) -> str:
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, float | np.floating):
        x = float(value)
        if math.isnan(x):
            return ""
        if x.is_integer() and abs(x) < 1e15:
            return str(int(x))
        return repr(x)  # the shortest text that float() reads back exactly
    return "" if _is_missing(value) else str(value)


def _links_for_file(links: pd.DataFrame) -> pd.DataFrame:
    out = links.drop(columns=["latency_given"])
    out["latency_ms"] = np.where(links["latency_given"], links["latency_ms"], np.nan)
    return out


def _csv_text(df: pd.DataFrame, known: Sequence[str]) -> str:
    columns = [c for c in known if c in df.columns] + [c for c in df.columns if c not in known]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    data = [df[c].to_numpy(dtype=object) for c in columns]
    for i in range(len(df)):
        writer.writerow([_format_cell(col[i]) for col in data])
    return buf.getvalue()
