"""The batched visibility search: which satellites every ground point sees, tile by tile.

Ground points are packed into spatially compact tiles (:class:`_GroundIndex`) so that the C++
search (``routecore/visibility.h``) can skip whole tiles below a satellite's horizon.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .. import _core
from .._validation import thread_count
from ._geometry import (
    FloatArray,
    IntArray,
    _elevation_limit,
    _ground_points,
    _optional_count,
    _points,
)
from ._model import ConstellationError

__all__ = ["VisiblePairs", "visible_pairs"]


@dataclass(frozen=True, eq=False)
class VisiblePairs:
    """Ground point / satellite pairs with the satellite at or above a minimum elevation.

    Sorted by ground index, then by decreasing elevation, then by satellite index.

    Attributes
    ----------
    ground : ndarray of int64, shape (K,)
        Row of the ground point in the input.
    satellite : ndarray of int64, shape (K,)
        Row of the satellite in the input.
    elevation_deg : ndarray of float64, shape (K,)
    range_km : ndarray of float64, shape (K,)
        Slant range.
    """

    ground: IntArray
    satellite: IntArray
    elevation_deg: FloatArray
    range_km: FloatArray


def _tile_order(lat: FloatArray, lon: FloatArray, tile_size: int) -> IntArray:
    """Order points so that each run of ``tile_size`` covers a compact lat/lon rectangle.

    Sort-tile-recursive packing (as for R-tree bulk loading): cut the points into about
    sqrt(#tiles) latitude strips of equal count, then sort each strip by longitude.
    """
    n = lat.shape[0]
    num_tiles = -(-n // tile_size)
    num_strips = max(1, round(math.sqrt(num_tiles)))
    per_strip = -(-num_tiles // num_strips) * tile_size
    rank = np.empty(n, dtype=np.int64)
    rank[np.argsort(lat, kind="stable")] = np.arange(n)
    return np.lexsort((lon, rank // per_strip)).astype(np.int64)


class _GroundIndex:
    """Ground points grouped into spatially compact tiles for the C++ visibility search.

    The points are reordered once (sort-tile-recursive packing, :func:`_tile_order`) and kept as
    unit vectors and radii; every search then runs in ``routecore/visibility.h``, one tile per
    task on a thread pool, and reports each pair under its point's id: ``ids[row]`` (default: the
    row), ids distinct and below ``num_ids``.
    """

    __slots__ = ("ids", "num_ids", "radius", "tile_start", "unit")

    def __init__(
        self,
        ground_ecef_km: FloatArray,
        tile_size: int,
        ids: IntArray | None = None,
        num_ids: int | None = None,
    ) -> None:
        n = ground_ecef_km.shape[0]
        radius = np.linalg.norm(ground_ecef_km, axis=1)
        unit = ground_ecef_km / radius[:, None]
        lat = np.arcsin(np.clip(unit[:, 2], -1.0, 1.0))
        lon = np.arctan2(unit[:, 1], unit[:, 0])
        order = _tile_order(lat, lon, tile_size)
        self.unit = np.ascontiguousarray(unit[order])
        self.radius = np.ascontiguousarray(radius[order])
        self.ids = order if ids is None else np.ascontiguousarray(ids[order], dtype=np.int64)
        self.num_ids = n if num_ids is None else num_ids
        self.tile_start = np.append(np.arange(0, n, tile_size, dtype=np.int64), n)

    def search(
        self,
        sat_ecef_km: FloatArray,
        min_elevation_deg: float,
        max_per_ground: int | None,
        threads: int,
    ) -> _core.VisibilitySearch:
        """The pairs at or above ``min_elevation_deg`` (validated by the caller), found on
        ``threads`` threads; ``.num_pairs`` of them, ``.write(...)`` puts them in order."""
        return _core.VisibilitySearch(
            np.ascontiguousarray(sat_ecef_km, dtype=np.float64),
            self.unit,
            self.radius,
            self.ids,
            self.tile_start,
            self.num_ids,
            float(min_elevation_deg),
            0 if max_per_ground is None else int(max_per_ground),
            threads,
        )

    def visible(
        self,
        sat_ecef_km: FloatArray,
        min_elevation_deg: float,
        max_per_ground: int | None,
        threads: int,
    ) -> VisiblePairs:
        """The pairs sorted by ground id, decreasing elevation, then satellite index."""
        found = self.search(sat_ecef_km, min_elevation_deg, max_per_ground, threads)
        k = found.num_pairs
        pairs = VisiblePairs(
            np.empty(k, dtype=np.int64), np.empty(k, dtype=np.int64), np.empty(k), np.empty(k)
        )
        found.write(pairs.ground, pairs.satellite, pairs.elevation_deg, pairs.range_km, 0, threads)
        return pairs


def _tile_size(value: Any) -> int:
    size = _optional_count(value, "tile_size")
    if size is None:
        raise ConstellationError("tile_size must be a positive integer, got None")
    return size


def visible_pairs(
    ground_ecef_km: npt.ArrayLike,
    sat_ecef_km: npt.ArrayLike,
    min_elevation_deg: float,
    *,
    max_per_ground: int | None = None,
    tile_size: int = 256,
    threads: int | None = None,
) -> VisiblePairs:
    """Every (ground point, satellite) pair with the satellite at or above ``min_elevation_deg``.

    Scales to 10^5 ground points x 10^4 satellites. Ground points are grouped into compact tiles
    of ``tile_size`` points (sort-tile-recursive packing by latitude, then longitude), each
    bounded by a spherical cap; a tile tests only the satellites within the horizon angle of its
    cap, and elevations and ranges are computed for the hits only (with ``max_per_ground``, for
    the best few), so the work grows with the number of visible pairs rather than with
    ``N x S``. The search runs in C++ (``routecore/visibility.h``), one tile per task on
    ``threads`` threads with the GIL released; the result does not depend on ``threads`` or
    ``tile_size``.

    Parameters
    ----------
    ground_ecef_km : array_like, shape (N, 3)
    sat_ecef_km : array_like, shape (S, 3)
    min_elevation_deg : float
        In [0, 90).
    max_per_ground : int, optional
        Keep only this many pairs per ground point, the highest elevations first (equal
        elevations: the lower satellite index first). Default: all visible satellites.
    tile_size : int, default 256
        Ground points per tile; 256 works well for both dense (one country) and sparse (global)
        point sets.
    threads : int, optional
        Threads for the search. Default: every available core.

    Returns
    -------
    VisiblePairs
        Sorted by ground index, then by decreasing elevation (equal elevations: the lower
        satellite index first).

    Examples
    --------
    >>> from routecore.constellation import STARLINK_SHELL1, satellite_ecef_km, lat_lon_to_ecef
    >>> ground = lat_lon_to_ecef([43.25, 51.18], [76.91, 71.45])  # Almaty, Astana
    >>> pairs = visible_pairs(ground, satellite_ecef_km(STARLINK_SHELL1, 0.0), 25.0)
    >>> bool((pairs.elevation_deg >= 25.0).all())
    True
    """
    g = _ground_points(ground_ecef_km, "ground_ecef_km", ndim=2)
    s = _points(sat_ecef_km, "sat_ecef_km", ndim=2)
    limit = _elevation_limit(min_elevation_deg)
    k = _optional_count(max_per_ground, "max_per_ground")
    workers = thread_count(threads)
    return _GroundIndex(g, _tile_size(tile_size)).visible(s, limit, k, workers)
