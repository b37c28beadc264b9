"""Links at a time step: ground <-> satellite radio links and +grid inter-satellite laser links."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .._validation import thread_count
from ..geo import SPEED_OF_LIGHT_KM_S
from ._geometry import (
    FloatArray,
    IntArray,
    _float_array,
    _optional_count,
    _times,
    lat_lon_to_ecef,
    satellite_ecef_km,
)
from ._model import Constellation, ConstellationError, Shell
from ._visibility import VisiblePairs, _GroundIndex, _tile_size

__all__ = [
    "IslLinks",
    "RadioLinks",
    "feeder_links",
    "isl_links",
    "isl_pairs",
    "latency_ms",
    "user_links",
]


MS_PER_KM = 1000.0 / SPEED_OF_LIGHT_KM_S
"""One-way delay per km at the speed of light in vacuum (ms)."""


def latency_ms(length_km: npt.ArrayLike) -> FloatArray:
    """One-way propagation delay (ms) over ``length_km`` at the speed of light in vacuum.

    Examples
    --------
    >>> round(float(latency_ms(299.792458)), 12)
    1.0
    """
    return np.asarray(_float_array(length_km, "length_km") * MS_PER_KM)


@dataclass(frozen=True, eq=False)
class RadioLinks:
    """Ground <-> satellite links at one time step.

    Sorted by ground index, then by decreasing elevation.

    Attributes
    ----------
    ground : ndarray of int64, shape (K,)
        Index of the ground point in the arrays passed in.
    satellite : ndarray of int64, shape (K,)
        Satellite index (see :func:`satellite_layout`).
    elevation_deg : ndarray of float64, shape (K,)
        Elevation of the satellite seen from the ground point.
    length_km : ndarray of float64, shape (K,)
        Slant range.
    latency_ms : ndarray of float64, shape (K,)
        ``length_km`` at the speed of light.
    """

    ground: IntArray
    satellite: IntArray
    elevation_deg: FloatArray
    length_km: FloatArray
    latency_ms: FloatArray

    @classmethod
    def _from_pairs(cls, pairs: VisiblePairs, ground_ids: IntArray | None = None) -> RadioLinks:
        ground = pairs.ground if ground_ids is None else ground_ids[pairs.ground]
        return cls(
            ground, pairs.satellite, pairs.elevation_deg, pairs.range_km, latency_ms(pairs.range_km)
        )


def _lat_lon_index(lat_deg: Any, lon_deg: Any, tile_size: Any) -> _GroundIndex:
    lat = _float_array(lat_deg, "ground_lat_deg")
    lon = _float_array(lon_deg, "ground_lon_deg")
    if lat.ndim != 1 or lat.shape != lon.shape:
        raise ConstellationError(
            f"ground_lat_deg and ground_lon_deg must be 1-D arrays of the same length, got shapes "
            f"{lat.shape} and {lon.shape}"
        )
    bad = np.flatnonzero((lat < -90.0) | (lat > 90.0))
    if bad.size:
        i = int(bad[0])
        raise ConstellationError(f"ground_lat_deg[{i}] = {lat[i]} is outside [-90, 90]")
    return _GroundIndex(lat_lon_to_ecef(lat, lon).reshape(-1, 3), _tile_size(tile_size))


def _radio_links(
    constellation: Constellation,
    t_s: float,
    lat_deg: Any,
    lon_deg: Any,
    min_elevation_deg: float,
    max_per_ground: Any,
    name: str,
    tile_size: Any,
    threads: Any,
) -> RadioLinks:
    t = _times(t_s, constellation)
    if t.ndim != 0:
        raise ConstellationError(f"t_s must be a single time, got shape {t.shape}")
    k = _optional_count(max_per_ground, name)
    workers = thread_count(threads)
    index = _lat_lon_index(lat_deg, lon_deg, tile_size)
    sat = satellite_ecef_km(constellation, float(t))
    pairs = index.visible(sat, min_elevation_deg, k, workers)
    return RadioLinks._from_pairs(pairs)


def user_links(
    constellation: Constellation,
    t_s: float,
    ground_lat_deg: npt.ArrayLike,
    ground_lon_deg: npt.ArrayLike,
    *,
    max_per_terminal: int | None = None,
    tile_size: int = 256,
    threads: int | None = None,
) -> RadioLinks:
    """Terminal <-> satellite links at time ``t_s``, above ``min_elevation_user_deg``.

    Parameters
    ----------
    constellation : Constellation
    t_s : float
        Seconds since the model epoch.
    ground_lat_deg, ground_lon_deg : array_like, shape (N,)
        Terminal positions (sea level on the spherical Earth).
    max_per_terminal : int, optional
        Keep only the highest-elevation satellites per terminal (bounds the graph size).
        Default: every visible satellite.
    tile_size : int, default 256
        Ground points handled together (see :func:`visible_pairs`).
    threads : int, optional
        Threads for the visibility search. Default: every available core.

    Returns
    -------
    RadioLinks

    Examples
    --------
    >>> from routecore.constellation import STARLINK_SHELL1
    >>> links = user_links(STARLINK_SHELL1, 0.0, [43.25], [76.91], max_per_terminal=3)
    >>> len(links.satellite) <= 3 and bool((links.elevation_deg >= 25.0).all())
    True
    """
    return _radio_links(
        constellation,
        t_s,
        ground_lat_deg,
        ground_lon_deg,
        constellation.min_elevation_user_deg,
        max_per_terminal,
        "max_per_terminal",
        tile_size,
        threads,
    )


def feeder_links(
    constellation: Constellation,
    t_s: float,
    ground_lat_deg: npt.ArrayLike,
    ground_lon_deg: npt.ArrayLike,
    *,
    max_per_gateway: int | None = None,
    tile_size: int = 256,
    threads: int | None = None,
) -> RadioLinks:
    """Gateway <-> satellite feeder links at time ``t_s``, above ``min_elevation_feeder_deg``.

    Same as :func:`user_links` with the feeder elevation limit.

    Examples
    --------
    >>> from routecore.constellation import ONEWEB
    >>> links = feeder_links(ONEWEB, 0.0, [43.4], [77.0])  # Kokterek (approximate)
    >>> bool((links.elevation_deg >= ONEWEB.min_elevation_feeder_deg).all())
    True
    """
    return _radio_links(
        constellation,
        t_s,
        ground_lat_deg,
        ground_lon_deg,
        constellation.min_elevation_feeder_deg,
        max_per_gateway,
        "max_per_gateway",
        tile_size,
        threads,
    )


def isl_pairs(
    constellation: Constellation,
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]:
    """The +grid inter-satellite links of every shell: (satellite a, satellite b) per link.

    Each satellite links to the satellites before and after it in its plane and to the
    satellites with the same slot in the two neighbouring planes, so it has 4 links. For a
    ``"delta"`` shell the last plane links to the first across the seam, to slot ``(j + F) mod
    sats_per_plane`` (the satellite with the same phase, given the Walker shift ``F``). A
    ``"star"`` shell has no cross-seam links (its first and last planes move in opposite
    directions), so the satellites of its first and last planes have 3. Links never cross shells.
    The ring (wrap-around) links are left out where a plane or ring has fewer than 3 members, so
    there are no self-loops or duplicate links.

    The topology does not depend on time; see :func:`isl_links` for the lengths. It is defined
    for every constellation; ``snapshot`` uses it only when the system has ISLs.

    Returns
    -------
    a, b : ndarray of int32, shape (L,)
        Intra-plane links first (shell by shell), then the inter-plane links.

    Examples
    --------
    >>> from routecore.constellation import STARLINK_SHELL1
    >>> a, b = isl_pairs(STARLINK_SHELL1)
    >>> len(a) == 2 * STARLINK_SHELL1.num_satellites
    True
    """
    a_parts: list[npt.NDArray[np.int64]] = []
    b_parts: list[npt.NDArray[np.int64]] = []
    offset = 0
    inter_a: list[npt.NDArray[np.int64]] = []
    inter_b: list[npt.NDArray[np.int64]] = []
    for shell in constellation.shells:
        if not isinstance(shell, Shell):
            raise ConstellationError(
                f"isl_pairs: {shell.name!r} of {constellation.name!r} is a TLE set, which has no "
                "plane / slot structure for +grid laser links"
            )
        planes, per_plane = shell.num_planes, shell.sats_per_plane
        p, j = np.divmod(np.arange(shell.num_satellites, dtype=np.int64), per_plane)
        idx = offset + p * per_plane + j
        # Intra-plane ring: j -> j + 1, wrapping only when the ring has 3 or more members.
        ring = j < per_plane - 1 if per_plane < 3 else np.ones_like(j, dtype=bool)
        a_parts.append(idx[ring])
        b_parts.append(offset + p[ring] * per_plane + (j[ring] + 1) % per_plane)
        # Inter-plane: plane p -> p + 1, and across the seam for delta shells of 3+ planes.
        inner = p < planes - 1
        inter_a.append(idx[inner])
        inter_b.append(idx[inner] + per_plane)
        if shell.pattern == "delta" and planes >= 3:
            last = p == planes - 1
            inter_a.append(idx[last])
            inter_b.append(offset + (j[last] + shell.phasing) % per_plane)
        offset += shell.num_satellites
    a = np.concatenate(a_parts + inter_a).astype(np.int32)
    b = np.concatenate(b_parts + inter_b).astype(np.int32)
    return a, b


@dataclass(frozen=True, eq=False)
class IslLinks:
    """Inter-satellite laser links at one time step.

    Attributes
    ----------
    sat_a, sat_b : ndarray of int32, shape (L,)
        The two satellites of each link (see :func:`isl_pairs`).
    length_km : ndarray of float64, shape (L,)
        Straight-line distance at the time step.
    latency_ms : ndarray of float64, shape (L,)
        ``length_km`` at the speed of light.
    """

    sat_a: npt.NDArray[np.int32]
    sat_b: npt.NDArray[np.int32]
    length_km: FloatArray
    latency_ms: FloatArray


def isl_links(constellation: Constellation, t_s: float) -> IslLinks:
    """The +grid laser links (:func:`isl_pairs`) with their lengths at time ``t_s``.

    Lengths are chords between the satellites; for the +grid neighbours of the preset shells the
    chord stays hundreds of km above the Earth, so no link is blocked by the Earth.

    Examples
    --------
    >>> from routecore.constellation import STARLINK_SHELL1
    >>> links = isl_links(STARLINK_SHELL1, 0.0)
    >>> bool((links.length_km > 0).all())
    True
    """
    t = _times(t_s, constellation)
    if t.ndim != 0:
        raise ConstellationError(f"t_s must be a single time, got shape {t.shape}")
    a, b = isl_pairs(constellation)
    xyz = satellite_ecef_km(constellation, float(t))
    length = np.linalg.norm(xyz[a] - xyz[b], axis=1)
    return IslLinks(a, b, length, latency_ms(length))
