"""The scenario model: :class:`Network`, a node table, a link table and their metadata."""

from __future__ import annotations

import copy
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ..errors import ScenarioError
from ..geo import DEFAULT_FIBER_GROUP_INDEX, great_circle_km
from ._checks import (
    _check_meta_basics,
    _check_meta_references,
    _normalise_links,
    _normalise_nodes,
    _Where,
)
from ._csv import _csv_text, _links_for_file, _save_scenario_files
from ._keys import TomlLines, check_keys
from ._risk_groups import check_risk_groups
from ._schema import _LINK_FILE_COLUMNS, DEFAULT_ROUTE_SLACK, NODE_COLUMNS, NODE_KINDS
from ._variants import variant_tables

try:
    import pandas as pd
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        'routecore.scenario needs pandas; install the domain extras: pip install "routecore[geo]"'
    ) from exc

if TYPE_CHECKING:
    from ..constellation import Constellation
    from ..graph import Graph

__all__ = ["Network"]


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

    Examples
    --------
    >>> import pandas as pd
    >>> nodes = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "kind": "pop",
    ...     "country": "KZ", "lat": [43.2, 51.2], "lon": [76.9, 71.4]})
    >>> links = pd.DataFrame({"a": ["a"], "b": ["b"], "medium": ["fiber"],
    ...     "length_km": [1300.0], "capacity_gbps": [100.0]})
    >>> net = Network(nodes, links, {"name": "two-cities"})
    >>> net.links["id"].tolist(), round(float(net.links["latency_ms"].iat[0]), 3)
    (['a--b'], 6.366)
    """

    __slots__ = ("_file", "_lines", "_links", "_meta", "_node_pos", "_nodes", "_toml")

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
        self._lines = TomlLines(_toml[0]) if _toml is not None else None
        self._file = w_meta.file
        check_keys(meta_dict, w_meta.file, self._lines)
        fiber_index = _check_meta_basics(meta_dict, w_meta)
        self._nodes = _normalise_nodes(nodes, w_nodes)
        self._node_pos = pd.Index(self._nodes["id"].to_numpy(dtype=object))
        self._links = _normalise_links(
            links,
            self._node_pos,
            fiber_index,
            w_links,
            lat=self._nodes["lat"].to_numpy(),
            lon=self._nodes["lon"].to_numpy(),
            route_slack=_route_slack(meta_dict),
        )
        _check_meta_references(meta_dict, set(self._node_pos), set(self._links["id"]), w_meta)
        check_risk_groups(
            meta_dict, set(self._node_pos), set(self._links["id"]), w_meta.file, self._lines
        )
        self._meta = meta_dict
        for name in self.variant_names:  # each variant is checked like the base tables
            self.variant(name)
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
        """One column of ``nodes`` or ``links`` as a read-only numpy array (no table copy).

        A ``table`` other than ``"nodes"`` or ``"links"`` raises :class:`ValueError`, an
        unknown column :class:`~routecore.errors.ScenarioError`.

        >>> from routecore.scenario import load_scenario
        >>> load_scenario("central-asia").column("nodes", "id")[:2].tolist()
        ['kokterek', 'akkol']
        """
        frame = {"nodes": self._nodes, "links": self._links}.get(table)
        if frame is None:
            raise ValueError(f"table must be 'nodes' or 'links', got {table!r}")
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

        >>> from routecore.scenario import load_scenario
        >>> load_scenario("central-asia").node_index(["kokterek", "akkol"]).tolist()
        [0, 1]

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

        >>> from routecore.scenario import load_scenario
        >>> net = load_scenario("central-asia")
        >>> net.find_node("ALMATY") == net.find_node("almaty")
        True

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
        """Rows of the nodes with the given kind and/or country, as an int32 array.

        ``kind`` must be one of :data:`NODE_KINDS` (else :class:`ValueError`).

        >>> from routecore.scenario import load_scenario
        >>> net = load_scenario("central-asia")
        >>> bool((net.column("nodes", "kind")[net.nodes_where(kind="gateway")] == "gateway").all())
        True
        """
        mask = np.ones(self.num_nodes, dtype=bool)
        if kind is not None:
            if kind not in NODE_KINDS:
                raise ValueError(f"kind must be one of {NODE_KINDS}, got {kind!r}")
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
        from ..graph import Graph

        a, b = self.link_ends()
        w = None if weight is None else self.column("links", weight).astype(np.float64)
        c = None if capacity is None else self.column("links", capacity).astype(np.float64)
        return Graph(self.num_nodes, a, b, weight=w, capacity=c, directed=False)

    def to_networkx(self) -> Any:
        """The network as a networkx ``MultiGraph`` (needs networkx, in the test extra).

        Nodes are keyed by id with every node column as attributes; each link is an edge keyed
        by its id with every link column as attributes; ``graph["meta"]`` holds the metadata.
        :meth:`from_networkx` reads it back.

        >>> from routecore.scenario import load_scenario
        >>> net = load_scenario("central-asia")
        >>> g = net.to_networkx()
        >>> (g.number_of_nodes(), g.number_of_edges()) == (net.num_nodes, net.num_links)
        True
        """
        from ._graphml import network_to_networkx

        return network_to_networkx(self)

    @classmethod
    def from_networkx(cls, graph: Any, **options: Any) -> Network:
        """A network from a networkx graph (needs networkx, in the test extra).

        Node attributes ``lat``/``lon`` (or ``Latitude``/``Longitude``), ``name`` (or
        ``label``), ``kind`` and ``country``; edge attributes ``capacity_gbps`` (or
        ``LinkSpeedRaw`` in bit/s), ``length_km``, ``medium`` and the other link columns.
        Options: ``medium``, ``default_capacity_gbps``, ``country``, ``kind`` (defaults for
        missing attributes) and ``meta`` (else ``graph.graph["meta"]``). Links follow networkx
        edge order. Bad input raises :class:`~routecore.errors.ScenarioError`.

        >>> from routecore.scenario import load_scenario
        >>> net = load_scenario("central-asia")
        >>> Network.from_networkx(net.to_networkx()).num_links == net.num_links
        True
        """
        from ._graphml import network_from_networkx

        return network_from_networkx(graph, **options)

    def variant(self, name: str) -> Network:
        """The network with variant ``name`` from ``scenario.toml`` applied.

        The result's metadata keeps everything but ``variants`` and records
        ``derived_from = {scenario = ..., variant = ...}``.

        >>> from routecore.scenario import load_scenario
        >>> net = load_scenario("central-asia")
        >>> net.variant(net.variant_names[0]).meta["derived_from"]["scenario"]
        'central-asia'
        """
        variants: dict[str, Any] = self._meta.get("variants", {})
        if name not in variants:
            known = ", ".join(variants) or "none"
            raise ScenarioError(f"unknown variant {name!r} (the scenario defines: {known})")
        nodes, links, meta = variant_tables(
            self._nodes,
            self._links,
            self._meta,
            name,
            file=self._file,
            lines=self._lines,
            fiber_index=self.fiber_group_index,
            route_slack=_route_slack(self._meta),
        )
        label = f"{self._file}: variant {name!r}"
        return Network(
            nodes,
            links,
            meta,
            _where=(_Where(f"{label}, nodes"), _Where(f"{label}, links"), _Where(self._file)),
        )

    def systems(self) -> dict[str, Constellation]:
        """The constellations declared in ``scenario.toml`` (``[systems.NAME]``), by name.

        Walker shells, a TLE file (relative to the scenario directory, confined to it) or a
        preset to start from; see :mod:`routecore.scenario._systems` for the keys. Empty when
        the scenario declares none.

        Raises
        ------
        ScenarioError
            A bad value or TLE file; the message names the file, line, key and value.

        Examples
        --------
        >>> from routecore.scenario import load_scenario
        >>> base = load_scenario("central-asia")
        >>> net = Network(base.nodes, base.links, {"name": "x", "systems": {"sparse": {
        ...     "like": "oneweb", "laser_links": False, "min_elevation_user_deg": 50.0}}})
        >>> s = net.systems()["sparse"]
        >>> s.min_elevation_user_deg, s.num_satellites
        (50.0, 588)
        """
        from ._systems import build_systems, scenario_directory

        return build_systems(self._meta, scenario_directory(self._file), self._file, self._lines)

    def demands(self) -> pd.DataFrame | None:
        """The scenario's demand matrix: ``demands.csv`` beside ``scenario.toml``, read by
        :func:`~routecore.scenario.load_demands` and checked against this network's node ids;
        ``None`` when there is no such file (or the network was built in memory).

        >>> from routecore.scenario import load_scenario
        >>> d = load_scenario("central-asia").demands()
        >>> len(d), str(d["name"].iloc[0])
        (8, '[ASSUMED] Almaty-Frankfurt')
        """
        from ._demands import load_demands
        from ._systems import scenario_directory

        directory = scenario_directory(self._file)
        if directory is None or not (directory / "demands.csv").exists():
            return None
        return load_demands(directory / "demands.csv", self)

    def with_links(self, links: pd.DataFrame) -> Network:
        """A network with the same nodes and metadata and a new link table."""
        return Network(self._nodes, links, self._meta)

    # ------------------------------------------------------------------------ files
    @classmethod
    def load(cls, directory: str | os.PathLike[str]) -> Network:
        """Read ``nodes.csv``, ``links.csv`` and ``scenario.toml`` from ``directory``."""
        from ._files import load_network  # (the loader builds Networks: imported when used)

        return load_network(directory)

    def save(self, directory: str | os.PathLike[str]) -> Path:
        """Write the scenario into ``directory`` (created if needed); returns its path.

        The TLE file of each ``[systems.NAME]`` that reads one (``tle = "orbits/x.tle"``) is
        copied along, to the same relative path, so the saved directory loads on its own.

        The save is all-or-nothing: the new files are written and flushed into a staging
        directory inside ``directory`` and moved into place only when all are complete; if a
        move fails, the files already moved are put back. A save killed midway is finished
        (or, if it had not committed, discarded) by the next save or load of ``directory``,
        which also removes temporary files an earlier version left. Other files in
        ``directory`` are not touched.

        Raises
        ------
        OSError
            The directory cannot be created or written (read-only, disk full); the scenario
            files in it are then unchanged.
        ScenarioError
            A system's TLE file cannot be copied (missing, outside the scenario directory, or
            a network built in memory whose ``directory`` lacks it); nothing is written.
        """
        from ._systems import scenario_directory, system_files

        target = Path(directory)
        texts: dict[str, str | bytes] = {
            "nodes.csv": _csv_text(self._nodes, NODE_COLUMNS),
            "links.csv": _csv_text(_links_for_file(self._links), _LINK_FILE_COLUMNS),
            "scenario.toml": self._toml_text(),
        }
        source = scenario_directory(self._file)
        texts.update(system_files(self._meta, source, target, self._file, self._lines))
        return _save_scenario_files(target, texts)

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


def _route_slack(meta: Mapping[str, Any]) -> float:
    params: dict[str, Any] = meta.get("parameters", {})
    return float(params.get("route_slack", DEFAULT_ROUTE_SLACK))
