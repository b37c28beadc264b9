"""Join a constellation and a ground network into one routecore Graph per time step."""

from __future__ import annotations

import enum
import functools
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from .. import _core
from .._validation import edge_values, node_id_array, read_only_view, thread_count
from ..graph import Graph, graph_from_csr
from ._geometry import (
    FloatArray,
    IntArray,
    _float_array,
    _optional_count,
    _times,
    lat_lon_to_ecef,
    satellite_ecef_km,
)
from ._links import MS_PER_KM, isl_pairs, latency_ms
from ._model import Constellation, ConstellationError
from ._visibility import _GroundIndex, _tile_size

__all__ = [
    "GroundRole",
    "Medium",
    "Snapshot",
    "SnapshotBuilder",
    "snapshot",
    "snapshots",
]


class Medium(enum.IntEnum):
    """What an edge of a :class:`Snapshot` is; stored as int8 codes in ``Snapshot.medium``."""

    GROUND = 0
    """An edge of the ground network passed in (fibre, submarine cable, microwave...)."""
    USER_LINK = 1
    """Terminal <-> satellite."""
    FEEDER = 2
    """Gateway <-> satellite."""
    ISL = 3
    """Satellite <-> satellite laser link."""


class GroundRole(enum.IntFlag):
    """Which radio links a ground node may have; combine with ``|``.

    Build a role array from node kinds with numpy, e.g.
    ``np.where(kind == "terminal", GroundRole.TERMINAL, np.where(kind == "gateway",
    GroundRole.GATEWAY, GroundRole.NONE))``.
    """

    NONE = 0
    """No radio link (a PoP, data centre, cable landing...)."""
    TERMINAL = 1
    """User links to every satellite above ``min_elevation_user_deg``."""
    GATEWAY = 2
    """Feeder links to every satellite above ``min_elevation_feeder_deg``."""


@dataclass(frozen=True, eq=False)
class Snapshot:
    """The ground network and the constellation at one time step, as one undirected Graph.

    Node ``i < num_ground`` is ground node ``i``; satellite ``s`` is node ``num_ground + s``.
    Edges come in this order: the ground links (edge ``e`` is ground link ``e``), then user links,
    feeder links and ISLs. Every per-edge array is read-only and in edge-id order.

    Attributes
    ----------
    t_s : float
        Seconds since the model epoch.
    graph : Graph
        Undirected; ``weight`` = one-way latency in ms, ``capacity`` = capacity in Gbit/s
        (float64). Built on first use (on the snapshot's ``threads``), so sweeps that derive
        their own graph from the edge arrays do not pay for it.
    num_ground, num_satellites : int
    src, dst : ndarray of int32, shape (M,)
        Edge endpoints (for radio links ``src`` is the ground node, for ISLs the lower-numbered
        end is not guaranteed).
    medium : ndarray of int8, shape (M,)
        :class:`Medium` code of each edge.
    length_km : ndarray of float64, shape (M,)
        Edge length; NaN for ground links given without lengths.
    elevation_deg : ndarray of float64, shape (M,)
        Elevation of the satellite for user and feeder links; NaN for other edges.
    satellite_ecef_km : ndarray of float64, shape (S, 3)
        Satellite positions at ``t_s``.
    latency_ms : ndarray of float64, shape (M,)
        One-way latency of each edge (the graph's ``weight``, in edge-id order).
    """

    t_s: float
    num_ground: int
    num_satellites: int
    src: npt.NDArray[np.int32]
    dst: npt.NDArray[np.int32]
    medium: npt.NDArray[np.int8]
    length_km: FloatArray
    elevation_deg: FloatArray
    satellite_ecef_km: FloatArray
    latency_ms: FloatArray
    # For the graph: the ground links' capacities, then one capacity per user, feeder and ISL
    # link (Gbit/s); and the threads to build it on.
    _capacity: tuple[FloatArray, float, float, float] = field(repr=False)
    _threads: int = field(repr=False)

    @functools.cached_property
    def graph(self) -> Graph:
        """The undirected Graph of the snapshot (see the class attributes), built once."""
        ground, user, feeder, isl = self._capacity
        bounds = np.searchsorted(self.medium, [Medium.USER_LINK, Medium.FEEDER, Medium.ISL])
        capacity = np.empty(self.medium.shape[0])
        parts = np.split(capacity, bounds)
        parts[0][:] = ground
        for part, value in zip(parts[1:], (user, feeder, isl), strict=True):
            part.fill(value)
        return _graph_from_edges(
            self.num_ground + self.num_satellites,
            self.src,
            self.dst,
            self.latency_ms,
            capacity,
            directed=False,
            threads=self._threads,
        )

    def edges_of(self, medium: Medium) -> IntArray:
        """Edge ids of one :class:`Medium`, ascending.

        Examples
        --------
        >>> from routecore.constellation import STARLINK_SHELL1, snapshot, GroundRole
        >>> snap = snapshot(STARLINK_SHELL1, 0.0, [43.25], [76.91], [GroundRole.TERMINAL])
        >>> bool((snap.src[snap.edges_of(Medium.USER_LINK)] == 0).all())
        True
        """
        return np.flatnonzero(self.medium == Medium(medium)).astype(np.int64)


GroundLinks = tuple[npt.ArrayLike, npt.ArrayLike, npt.ArrayLike, npt.ArrayLike]


class SnapshotBuilder:
    """The ground side of a sweep, checked and spatially indexed once; :meth:`build` makes the
    :class:`Snapshot` of one time step.

    Use it instead of :func:`snapshot` when the time steps are not known up front or come in
    blocks: the arguments (the same as :func:`snapshot`'s) are checked and the ground points
    indexed here, so each :meth:`build` costs one propagation, two visibility searches and the
    edge arrays. :func:`snapshots` is this class driven over a time grid.

    Examples
    --------
    >>> from routecore.constellation import STARLINK_SHELL1, GroundRole
    >>> builder = SnapshotBuilder(STARLINK_SHELL1, [43.25], [76.91], [GroundRole.TERMINAL])
    >>> [builder.build(t).num_satellites for t in (0.0, 60.0)]
    [1584, 1584]
    """

    def __init__(
        self,
        constellation: Constellation,
        ground_lat_deg: npt.ArrayLike,
        ground_lon_deg: npt.ArrayLike,
        ground_role: npt.ArrayLike,
        ground_links: GroundLinks | None = None,
        *,
        ground_length_km: npt.ArrayLike | None = None,
        isl: bool | None = None,
        max_user_links: int | None = None,
        max_feeder_links: int | None = None,
        tile_size: int = 256,
        threads: int | None = None,
    ) -> None:
        if not isinstance(constellation, Constellation):
            raise ConstellationError(
                f"constellation must be a Constellation, got {constellation!r}"
            )
        self.constellation = constellation
        lat = _float_array(ground_lat_deg, "ground_lat_deg")
        lon = _float_array(ground_lon_deg, "ground_lon_deg")
        if lat.ndim != 1 or lat.shape != lon.shape:
            raise ConstellationError(
                "ground_lat_deg and ground_lon_deg must be 1-D arrays of the same length, got "
                f"shapes {lat.shape} and {lon.shape}"
            )
        bad = np.flatnonzero((lat < -90.0) | (lat > 90.0))
        if bad.size:
            i = int(bad[0])
            raise ConstellationError(f"ground_lat_deg[{i}] = {lat[i]} is outside [-90, 90]")
        n = lat.shape[0]
        self.num_ground = n
        self.num_satellites = constellation.num_satellites
        if n + self.num_satellites > 2**31 - 1:
            raise ConstellationError("too many ground nodes and satellites for 32-bit node ids")
        role = self._roles(ground_role, n)
        size = _tile_size(tile_size)
        xyz = lat_lon_to_ecef(lat, lon).reshape(-1, 3)
        self.terminals = np.flatnonzero(role & GroundRole.TERMINAL).astype(np.int64)
        self.gateways = np.flatnonzero(role & GroundRole.GATEWAY).astype(np.int64)
        # Searches report node ids, so their pairs go straight into the edge arrays.
        self.terminal_index = _GroundIndex(xyz[self.terminals], size, self.terminals, n)
        self.gateway_index = _GroundIndex(xyz[self.gateways], size, self.gateways, n)
        self.max_user = _optional_count(max_user_links, "max_user_links")
        self.max_feeder = _optional_count(max_feeder_links, "max_feeder_links")
        self.threads = thread_count(threads)
        self._ground_links(ground_links, ground_length_km, n)
        if isl is None:
            isl = constellation.has_isl
        if isl and constellation.isl_capacity_gbps is None:
            raise ConstellationError(
                f"isl=True but constellation {constellation.name!r} has no inter-satellite links "
                "(isl_capacity_gbps is None)"
            )
        if isl:
            self.isl_a, self.isl_b = isl_pairs(constellation)
        else:
            self.isl_a = self.isl_b = np.zeros(0, dtype=np.int32)

    @staticmethod
    def _roles(ground_role: Any, n: int) -> npt.NDArray[np.int64]:
        try:
            role = np.asarray(ground_role)
        except (TypeError, ValueError) as exc:
            raise ConstellationError(f"ground_role: cannot convert to an array ({exc})") from exc
        if role.shape != (n,):
            raise ConstellationError(
                f"ground_role must have one entry per ground node, shape ({n},), got {role.shape}"
            )
        if n == 0:
            return np.zeros(0, dtype=np.int64)
        if role.dtype == np.bool_ or not np.issubdtype(role.dtype, np.integer):
            raise ConstellationError(
                f"ground_role must hold GroundRole values (integers 0-3), got dtype {role.dtype}"
            )
        bad = np.flatnonzero((role < 0) | (role > int(GroundRole.TERMINAL | GroundRole.GATEWAY)))
        if bad.size:
            i = int(bad[0])
            raise ConstellationError(
                f"ground_role[{i}] = {role[i]} is not a GroundRole (NONE=0, TERMINAL=1, "
                "GATEWAY=2, both=3)"
            )
        return role.astype(np.int64)

    def _ground_links(self, links: GroundLinks | None, length_km: Any, n: int) -> None:
        if links is None:
            if length_km is not None:
                raise ConstellationError("ground_length_km given without ground_links")
            links = (np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0), np.zeros(0))
        if not isinstance(links, tuple | list) or len(links) != 4:
            raise ConstellationError(
                "ground_links must be a tuple (a, b, latency_ms, capacity_gbps) of arrays"
            )
        a = node_id_array(links[0], n, "ground_links a")
        b = node_id_array(links[1], n, "ground_links b")
        m = a.shape[0]
        if b.shape[0] != m:
            raise ConstellationError(
                f"ground_links: a has {m} entries but b has {b.shape[0]}; one per link"
            )
        self.ground_a, self.ground_b = a, b
        self.ground_latency = edge_values(links[2], m, "ground_links latency_ms", kind="weight")
        self.ground_capacity = np.asarray(
            edge_values(links[3], m, "ground_links capacity_gbps", kind="capacity"),
            dtype=np.float64,
        )
        if length_km is None:
            self.ground_length = np.full(m, np.nan)
        else:
            self.ground_length = edge_values(length_km, m, "ground_length_km", kind="weight")
            # Nothing is faster than light: a ground latency below length / c is a data error.
            bad = np.flatnonzero(self.ground_latency < latency_ms(self.ground_length) * (1 - 1e-12))
            if bad.size:
                i = int(bad[0])
                raise ConstellationError(
                    f"ground_links latency_ms[{i}] = {self.ground_latency[i]} ms is below the "
                    f"light-speed time {float(latency_ms(self.ground_length[i])):.6g} ms over "
                    f"ground_length_km[{i}] = {self.ground_length[i]} km"
                )

    def build(self, t_s: float) -> Snapshot:
        """The :class:`Snapshot` at ``t_s`` seconds since the model epoch (or at a calendar
        time, for a constellation with an ``epoch``)."""
        c = self.constellation
        t_s = float(_times(t_s, c))
        n = self.num_ground
        sat = satellite_ecef_km(c, t_s)
        user = self.terminal_index.search(
            sat, c.min_elevation_user_deg, self.max_user, self.threads
        )
        feed = self.gateway_index.search(
            sat, c.min_elevation_feeder_deg, self.max_feeder, self.threads
        )
        isl_len = np.linalg.norm(sat[self.isl_a] - sat[self.isl_b], axis=1)
        # Edge blocks: ground links, user links, feeder links, ISLs. Each array is allocated
        # once and filled block by block; the radio links are written in place by the search.
        sizes = (self.ground_a.shape[0], user.num_pairs, feed.num_pairs, len(isl_len))
        bounds = np.cumsum((0, *sizes)).tolist()
        ground, users, feeders, isls = (slice(a, b) for a, b in itertools.pairwise(bounds))
        m = bounds[-1]
        src = np.empty(m, dtype=np.int32)
        dst = np.empty(m, dtype=np.int32)
        length = np.empty(m)
        elevation = np.empty(m)
        for found, block in ((user, users), (feed, feeders)):
            found.write(src[block], dst[block], elevation[block], length[block], n, self.threads)
        src[ground], dst[ground] = self.ground_a, self.ground_b
        src[isls], dst[isls] = self.isl_a + n, self.isl_b + n
        length[ground], length[isls] = self.ground_length, isl_len
        elevation[ground], elevation[isls] = np.nan, np.nan
        weight = np.empty(m)
        weight[ground] = self.ground_latency
        np.multiply(length[bounds[1] :], MS_PER_KM, out=weight[bounds[1] :])
        medium = np.repeat(np.array([kind.value for kind in Medium], dtype=np.int8), sizes)
        # Read-only views: the lazily built graph trusts src/dst, so no caller may edit them.
        ro = read_only_view
        arrays = (ro(src), ro(dst), ro(medium), ro(length), ro(elevation), ro(sat), ro(weight))
        capacity = (
            self.ground_capacity,
            c.user_link_capacity_gbps,
            c.feeder_capacity_gbps,
            c.isl_capacity_gbps or 0.0,
        )
        return Snapshot(float(t_s), n, self.num_satellites, *arrays, capacity, self.threads)


def _graph_from_edges(
    num_nodes: int,
    src: npt.NDArray[np.int32],
    dst: npt.NDArray[np.int32],
    weight: FloatArray,
    capacity: FloatArray | None,
    *,
    directed: bool,
    threads: int,
) -> Graph:
    """The Graph ``Graph(num_nodes, src, dst, weight=, capacity=, directed=)`` of edge arrays
    that this package assembled itself (values finite and >= 0, checked with the CSR by
    graph_from_csr); the CSR is built on ``threads`` threads (``routecore/csr.h``, the same
    arrays as the serial build). The node ids are checked first (O(num_edges)): the C++ build
    writes where they point, and a builder's public attributes can be replaced."""
    src = node_id_array(src, num_nodes, "src")
    dst = node_id_array(dst, num_nodes, "dst")
    first_out, head, arc_edge, arc_weight, arc_capacity = _core.build_csr_parallel(
        num_nodes, src, dst, directed, weight, capacity, threads
    )
    return graph_from_csr(
        first_out,
        head,
        arc_edge,
        num_edges=src.shape[0],
        directed=directed,
        arc_weight=arc_weight,
        arc_capacity=arc_capacity,
    )


def snapshots(
    constellation: Constellation,
    times_s: npt.ArrayLike,
    ground_lat_deg: npt.ArrayLike,
    ground_lon_deg: npt.ArrayLike,
    ground_role: npt.ArrayLike,
    ground_links: GroundLinks | None = None,
    *,
    ground_length_km: npt.ArrayLike | None = None,
    isl: bool | None = None,
    max_user_links: int | None = None,
    max_feeder_links: int | None = None,
    tile_size: int = 256,
    threads: int | None = None,
) -> Iterator[Snapshot]:
    """One :class:`Snapshot` per time step, lazily (a generator over ``times_s``).

    The arguments are checked, and the ground side indexed, once when this function is called;
    each step then costs one propagation, two visibility searches and one Graph build (see
    :class:`SnapshotBuilder`). See
    :func:`snapshot` for the parameters and :func:`time_grid` for a time grid.

    Examples
    --------
    >>> from routecore.constellation import STARLINK_SHELL1, GroundRole, time_grid
    >>> times = time_grid(STARLINK_SHELL1.shells[0].period_s, 4)
    >>> snaps = snapshots(STARLINK_SHELL1, times, [43.25], [76.91], [GroundRole.TERMINAL])
    >>> [s.graph.num_nodes for s in snaps]
    [1585, 1585, 1585, 1585]
    """
    times = _times(times_s, constellation if isinstance(constellation, Constellation) else None)
    times = times.reshape(-1)
    builder = SnapshotBuilder(
        constellation,
        ground_lat_deg,
        ground_lon_deg,
        ground_role,
        ground_links,
        ground_length_km=ground_length_km,
        isl=isl,
        max_user_links=max_user_links,
        max_feeder_links=max_feeder_links,
        tile_size=tile_size,
        threads=threads,
    )
    return (builder.build(float(t)) for t in times)


def snapshot(
    constellation: Constellation,
    t_s: float,
    ground_lat_deg: npt.ArrayLike,
    ground_lon_deg: npt.ArrayLike,
    ground_role: npt.ArrayLike,
    ground_links: GroundLinks | None = None,
    *,
    ground_length_km: npt.ArrayLike | None = None,
    isl: bool | None = None,
    max_user_links: int | None = None,
    max_feeder_links: int | None = None,
    tile_size: int = 256,
    threads: int | None = None,
) -> Snapshot:
    """The ground network plus the constellation at time ``t_s`` as one undirected Graph.

    Parameters
    ----------
    constellation : Constellation
    t_s : float or datetime
        Seconds since the model epoch; or a calendar time (aware datetime, numpy datetime64)
        for a constellation with an ``epoch``.
    ground_lat_deg, ground_lon_deg : array_like of float, shape (N,)
        Ground node positions; ground node ``i`` keeps node id ``i``.
    ground_role : array_like of int, shape (N,)
        :class:`GroundRole` flags: ``TERMINAL`` nodes get user links, ``GATEWAY`` nodes feeder
        links, ``TERMINAL | GATEWAY`` both, ``NONE`` neither.
    ground_links : tuple (a, b, latency_ms, capacity_gbps), optional
        The ground network: arrays with one entry per link, ``a`` and ``b`` ground node ids,
        latency finite and >= 0, capacity finite and >= 0. Ground link ``e`` is edge ``e``.
    ground_length_km : array_like of float, optional
        Lengths of the ground links, for ``Snapshot.length_km`` (NaN where not given). Each
        latency must be at least the time light needs over the length.
    isl : bool, optional
        Add the +grid laser links (:func:`isl_pairs`). Default: when the constellation has them.
    max_user_links, max_feeder_links : int, optional
        Keep only the highest-elevation satellites per terminal / gateway. Default: all visible.
    tile_size : int, default 256
        Ground points per visibility tile (see :func:`visible_pairs`).
    threads : int, optional
        Threads for the visibility search (C++, GIL released). Default: every available core.
        The snapshot does not depend on it.

    Returns
    -------
    Snapshot

    Raises
    ------
    ConstellationError
        Mismatched shapes, latitudes outside [-90, 90], unknown roles, ``isl=True`` for a system
        without ISLs, bad counts. Ground link ids out of range raise
        :class:`routecore.NodeIndexError`, bad latencies or capacities
        :class:`routecore.GraphError`.

    Examples
    --------
    >>> from routecore.constellation import STARLINK_SHELL1, GroundRole, Medium
    >>> lat, lon = [43.25, 51.18], [76.91, 71.45]  # a school near Almaty, a gateway at Astana
    >>> roles = [GroundRole.TERMINAL, GroundRole.GATEWAY]
    >>> snap = snapshot(STARLINK_SHELL1, 0.0, lat, lon, roles, ([0], [1], [12.0], [100.0]))
    >>> snap.graph.num_nodes, int(snap.medium[0]) == Medium.GROUND
    (1586, True)
    """
    t = _times(t_s, constellation if isinstance(constellation, Constellation) else None)
    if t.ndim != 0:
        raise ConstellationError(f"t_s must be a single time, got shape {t.shape}; see snapshots()")
    return next(
        snapshots(
            constellation,
            t.reshape(1),
            ground_lat_deg,
            ground_lon_deg,
            ground_role,
            ground_links,
            ground_length_km=ground_length_km,
            isl=isl,
            max_user_links=max_user_links,
            max_feeder_links=max_feeder_links,
            tile_size=tile_size,
            threads=threads,
        )
    )
