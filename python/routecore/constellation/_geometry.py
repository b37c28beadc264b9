"""Orbit propagation and ground geometry on numpy arrays (spherical Earth; see ``_model``).

Frames: ECI is inertial with z along Earth's rotation axis; ECEF rotates with the Earth and
equals ECI at ``t = 0``. Coordinates are km, angles degrees unless a name says ``_rad``.
"""

from __future__ import annotations

import functools
import math
import operator
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .._validation import read_only_view
from ..geo import EARTH_RADIUS_KM
from ._clock import seconds_since
from ._model import (
    EARTH_ROTATION_RAD_S,
    MU_EARTH_KM3_S2,
    Constellation,
    ConstellationError,
    Shell,
)
from ._orbits import tle_positions
from ._tle import TleSet

__all__ = [
    "ecef_to_lat_lon",
    "elevation_deg",
    "horizon_central_angle_deg",
    "lat_lon_to_ecef",
    "max_slant_range_km",
    "satellite_ecef_km",
    "satellite_eci_km",
    "satellite_layout",
    "slant_range_km",
    "subsatellite_lat_lon",
    "visibility_mask",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


# ------------------------------------------------------------------------------- validation
def _float_array(values: Any, name: str) -> FloatArray:
    """``values`` as a float64 array whose entries are all finite."""
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ConstellationError(f"{name}: expected real numbers ({exc})") from exc
    bad = np.flatnonzero(~np.isfinite(arr.reshape(-1)))
    if bad.size:
        i = int(bad[0])
        where = str(list(np.unravel_index(i, arr.shape))) if arr.ndim else ""
        raise ConstellationError(f"{name}{where} = {arr.reshape(-1)[i]} is not finite")
    return arr


def _points(values: Any, name: str, *, ndim: int | None = None) -> FloatArray:
    """Finite xyz points, shape ``(..., 3)`` (exactly ``(N, 3)`` when ``ndim=2``)."""
    arr = _float_array(values, name)
    if arr.ndim == 0 or arr.shape[-1] != 3 or (ndim is not None and arr.ndim != ndim):
        want = "(N, 3)" if ndim == 2 else "(..., 3)"
        raise ConstellationError(f"{name}: expected xyz points of shape {want}, got {arr.shape}")
    return arr


def _ground_points(values: Any, name: str, *, ndim: int | None = None) -> FloatArray:
    arr = _points(values, name, ndim=ndim)
    zero = np.flatnonzero(np.einsum("...i,...i->...", arr, arr).reshape(-1) == 0.0)
    if zero.size:
        i = int(zero[0])
        raise ConstellationError(
            f"{name}{list(np.unravel_index(i, arr.shape[:-1]))} is the Earth's centre; a ground "
            "point needs a direction 'up'"
        )
    return arr


def _times(t_s: Any, constellation: Constellation | None = None) -> FloatArray:
    """Times as float seconds; calendar times (datetimes) are taken relative to
    ``constellation.epoch`` (see :func:`routecore.constellation.seconds_since_epoch`)."""
    epoch = constellation.epoch if constellation is not None else None
    t = _float_array(seconds_since(epoch, t_s), "t_s")
    if t.ndim > 1:
        raise ConstellationError(f"t_s: expected a scalar or a 1-D array of times, got {t.shape}")
    return t


def _elevation_limit(value: Any, name: str = "min_elevation_deg") -> float:
    arr = _float_array(value, name)
    if arr.ndim != 0 or not 0.0 <= float(arr) < 90.0:
        raise ConstellationError(f"{name} must be a number in [0, 90), got {value!r}")
    return float(arr)


def _optional_count(value: Any, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ConstellationError(f"{name} must be a positive integer or None, got {value!r}")
    try:
        k = operator.index(value)
    except TypeError:
        raise ConstellationError(
            f"{name} must be a positive integer or None, got {value!r}"
        ) from None
    if k < 1:
        raise ConstellationError(f"{name} must be >= 1 or None, got {k}")
    return k


# ---------------------------------------------------------------------------- orbits
@dataclass(frozen=True)
class _Elements:
    """Per-satellite circular-orbit elements (read-only arrays, satellite order)."""

    radius_km: FloatArray
    cos_inclination: FloatArray
    sin_inclination: FloatArray
    raan_rad: FloatArray
    arg_latitude0_rad: FloatArray
    mean_motion_rad_s: FloatArray


@functools.lru_cache(maxsize=32)
def _elements(constellation: Constellation) -> _Elements:
    """The elements of the Walker shells, in satellite order (TLE sets left out)."""
    empty = np.zeros(0)
    radius, incl, raan, u0, motion = [empty], [empty], [empty], [empty], [empty]
    for shell in constellation.shells:
        if not isinstance(shell, Shell):
            continue
        p, j = np.divmod(np.arange(shell.num_satellites, dtype=np.int64), shell.sats_per_plane)
        n_sat = shell.num_satellites
        radius.append(np.full(n_sat, shell.radius_km))
        incl.append(np.full(n_sat, math.radians(shell.inclination_deg)))
        raan.append(
            np.radians(shell.raan_offset_deg + p * (shell.raan_spread_deg / shell.num_planes))
        )
        u0.append(2.0 * np.pi * (j / shell.sats_per_plane + shell.phasing * p / n_sat))
        motion.append(np.full(n_sat, math.sqrt(MU_EARTH_KM3_S2 / shell.radius_km**3)))
    inc = np.concatenate(incl)
    arrays = (
        np.concatenate(radius),
        np.cos(inc),
        np.sin(inc),
        np.concatenate(raan),
        np.concatenate(u0),
        np.concatenate(motion),
    )
    return _Elements(*(read_only_view(arr) for arr in arrays))


def satellite_layout(
    constellation: Constellation,
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32], npt.NDArray[np.int32]]:
    """Shell, plane and in-plane slot of every satellite, in satellite order.

    Returns
    -------
    shell, plane, slot : ndarray of int32, shape (S,)
        Satellite ``s`` is slot ``slot[s]`` of plane ``plane[s]`` of ``constellation.shells
        [shell[s]]``. A TLE set has no planes: its satellites get plane -1 and their record
        index in the file as slot.

    Examples
    --------
    >>> from routecore.constellation import STARLINK_SHELL1
    >>> shell, plane, slot = satellite_layout(STARLINK_SHELL1)
    >>> int(plane[22]), int(slot[22])
    (1, 0)
    """
    shell_ids, planes, slots = [], [], []
    for k, shell in enumerate(constellation.shells):
        if isinstance(shell, TleSet):
            p = np.full(shell.num_satellites, -1, dtype=np.int32)
            j = np.arange(shell.num_satellites, dtype=np.int32)
        else:
            p, j = np.divmod(np.arange(shell.num_satellites, dtype=np.int32), shell.sats_per_plane)
        shell_ids.append(np.full(shell.num_satellites, k, dtype=np.int32))
        planes.append(p.astype(np.int32))
        slots.append(j.astype(np.int32))
    return np.concatenate(shell_ids), np.concatenate(planes), np.concatenate(slots)


def _positions(constellation: Constellation, t_s: Any, *, earth_fixed: bool) -> FloatArray:
    """Positions of every satellite at ``t_s``: the one door through which both orbit kinds
    (Walker shells, TLE sets) reach snapshots, links and analyses."""
    t = _times(t_s, constellation)
    walker = _walker_positions(constellation, t, earth_fixed=earth_fixed)
    if all(isinstance(shell, Shell) for shell in constellation.shells):
        return walker
    assert constellation.epoch is not None  # checked by Constellation for TLE sets
    blocks, w = [], 0
    for shell in constellation.shells:
        if isinstance(shell, TleSet):
            blocks.append(tle_positions(shell, constellation.epoch, t, earth_fixed=earth_fixed))
        else:
            blocks.append(walker[..., w : w + shell.num_satellites, :])
            w += shell.num_satellites
    return np.concatenate(blocks, axis=-2)


def _walker_positions(
    constellation: Constellation, t_s: FloatArray, *, earth_fixed: bool
) -> FloatArray:
    t = t_s[..., None]  # broadcasts against the (S,) element arrays
    el = _elements(constellation)
    u = el.arg_latitude0_rad + el.mean_motion_rad_s * t
    # In ECEF the ascending node drifts west at the Earth's rotation rate.
    raan = el.raan_rad - EARTH_ROTATION_RAD_S * t if earth_fixed else el.raan_rad
    cos_u, sin_u = np.cos(u), np.sin(u)
    cos_o, sin_o = np.cos(raan), np.sin(raan)
    r = el.radius_km
    out = np.empty((*u.shape, 3), dtype=np.float64)
    out[..., 0] = r * (cos_o * cos_u - sin_o * sin_u * el.cos_inclination)
    out[..., 1] = r * (sin_o * cos_u + cos_o * sin_u * el.cos_inclination)
    out[..., 2] = r * (sin_u * el.sin_inclination)
    return out


def satellite_eci_km(constellation: Constellation, t_s: npt.ArrayLike) -> FloatArray:
    """Satellite positions in the inertial frame (ECI), in km.

    Parameters
    ----------
    constellation : Constellation
    t_s : float or array_like of float, shape (T,)
        Seconds since the model epoch (where ECI and ECEF coincide); or calendar times
        (aware datetimes, numpy datetime64) for a constellation with an ``epoch``.

    Returns
    -------
    ndarray of float64, shape (S, 3) for a scalar ``t_s``, (T, S, 3) for an array

    Examples
    --------
    >>> from routecore.constellation import STARLINK_SHELL1
    >>> satellite_eci_km(STARLINK_SHELL1, [0.0, 60.0]).shape
    (2, 1584, 3)
    """
    return _positions(constellation, t_s, earth_fixed=False)


def satellite_ecef_km(constellation: Constellation, t_s: npt.ArrayLike) -> FloatArray:
    """Satellite positions in the Earth-fixed frame (ECEF), Earth rotation included, in km.

    The ECI position rotated by ``-EARTH_ROTATION_RAD_S * t_s`` about the z axis.

    Parameters
    ----------
    constellation : Constellation
    t_s : float or array_like of float, shape (T,)
        Seconds since the model epoch, or calendar times as in :func:`satellite_eci_km`.

    Returns
    -------
    ndarray of float64, shape (S, 3) for a scalar ``t_s``, (T, S, 3) for an array

    Examples
    --------
    >>> import numpy as np
    >>> from routecore.constellation import STARLINK_SHELL1
    >>> xyz = satellite_ecef_km(STARLINK_SHELL1, 120.0)
    >>> bool(np.allclose(np.linalg.norm(xyz, axis=1), 6371.0088 + 550.0))
    True
    """
    return _positions(constellation, t_s, earth_fixed=True)


def ecef_to_lat_lon(xyz_km: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Latitude and longitude (deg) of points on the spherical Earth model.

    Parameters
    ----------
    xyz_km : array_like, shape (..., 3)

    Returns
    -------
    lat_deg, lon_deg : ndarray, shape (...)
        Geocentric latitude in [-90, 90] and longitude in [-180, 180].

    Examples
    --------
    >>> lat, lon = ecef_to_lat_lon([0.0, 7000.0, 0.0])
    >>> float(lat), float(lon)
    (0.0, 90.0)
    """
    p = _points(xyz_km, "xyz_km")
    lat = np.degrees(np.arctan2(p[..., 2], np.hypot(p[..., 0], p[..., 1])))
    lon = np.degrees(np.arctan2(p[..., 1], p[..., 0]))
    return lat, lon


def subsatellite_lat_lon(
    constellation: Constellation, t_s: npt.ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Latitude and longitude (deg) of the point under each satellite, Earth rotation included.

    Returns
    -------
    lat_deg, lon_deg : ndarray, shape (S,) or (T, S)

    Examples
    --------
    >>> from routecore.constellation import STARLINK_SHELL1
    >>> lat, lon = subsatellite_lat_lon(STARLINK_SHELL1, 0.0)
    >>> bool(abs(lat).max() <= 53.0 + 1e-9)
    True
    """
    return ecef_to_lat_lon(satellite_ecef_km(constellation, t_s))


# ---------------------------------------------------------------------------- ground
def lat_lon_to_ecef(
    lat_deg: npt.ArrayLike, lon_deg: npt.ArrayLike, alt_km: npt.ArrayLike = 0.0
) -> FloatArray:
    """Earth-fixed xyz (km) of points given by latitude, longitude and altitude.

    The Earth is a sphere of radius ``EARTH_RADIUS_KM``; the latitude is used as a geocentric
    latitude (a WGS-84 geodetic latitude differs by at most 0.19 deg, about 21 km).

    Parameters
    ----------
    lat_deg : array_like
        Latitude in [-90, 90].
    lon_deg : array_like
        Longitude, any finite value (east positive).
    alt_km : array_like, default 0
        Height above the sphere, > -EARTH_RADIUS_KM. The three arguments broadcast.

    Returns
    -------
    ndarray of float64, shape (..., 3)

    Examples
    --------
    >>> lat_lon_to_ecef(0.0, 0.0).tolist()
    [6371.0088, 0.0, 0.0]
    """
    lat = _float_array(lat_deg, "lat_deg")
    lon = _float_array(lon_deg, "lon_deg")
    alt = _float_array(alt_km, "alt_km")
    for name, arr, ok in (
        ("lat_deg", lat, (lat >= -90.0) & (lat <= 90.0)),
        ("alt_km", alt, alt > -EARTH_RADIUS_KM),
    ):
        bad = np.flatnonzero(~np.asarray(ok).reshape(-1))
        if bad.size:
            i = int(bad[0])
            where = list(np.unravel_index(i, arr.shape)) if arr.ndim else []
            limits = "in [-90, 90]" if name == "lat_deg" else f"> -{EARTH_RADIUS_KM}"
            raise ConstellationError(f"{name}{where} = {arr.reshape(-1)[i]} must be {limits}")
    try:
        lat, lon, alt = np.broadcast_arrays(lat, lon, alt)
    except ValueError as exc:
        raise ConstellationError(f"lat_deg, lon_deg and alt_km do not broadcast: {exc}") from exc
    phi, lam = np.radians(lat), np.radians(lon)
    r = EARTH_RADIUS_KM + alt
    out = np.empty((*phi.shape, 3), dtype=np.float64)
    out[..., 0] = r * np.cos(phi) * np.cos(lam)
    out[..., 1] = r * np.cos(phi) * np.sin(lam)
    out[..., 2] = r * np.sin(phi)
    return out


def _elevation_rad(sat: FloatArray, ground_unit: FloatArray, ground_r: FloatArray) -> FloatArray:
    """Elevation (rad) of ``sat`` seen from ``ground_r * ground_unit`` (arrays broadcast).

    ``atan2`` of the height above the local horizontal plane over the horizontal distance; the
    horizontal distance comes from a cross product, which stays accurate at the zenith (where
    ``sqrt(|s|^2 - (s . up)^2)`` or ``arcsin`` would lose half the digits).
    """
    vertical = np.einsum("...i,...i->...", sat, ground_unit) - ground_r
    horizontal = np.linalg.norm(np.cross(sat, ground_unit), axis=-1)
    return np.asarray(np.arctan2(vertical, horizontal), dtype=np.float64)


def elevation_deg(ground_ecef_km: npt.ArrayLike, sat_ecef_km: npt.ArrayLike) -> FloatArray:
    """Elevation angle (deg) of each satellite above each ground point's local horizon.

    "Up" is the radial direction of the spherical Earth. Inputs broadcast: pass
    ``ground[:, None, :]`` and ``sat[None, :, :]`` for the full (N, S) matrix (or use
    :func:`visible_pairs` for large inputs).

    Parameters
    ----------
    ground_ecef_km, sat_ecef_km : array_like, shape (..., 3)

    Returns
    -------
    ndarray of float64, broadcast shape without the last axis; values in [-90, 90]

    Examples
    --------
    >>> float(elevation_deg([6371.0, 0.0, 0.0], [6921.0, 0.0, 0.0]))
    90.0
    """
    g = _ground_points(ground_ecef_km, "ground_ecef_km")
    s = _points(sat_ecef_km, "sat_ecef_km")
    g_r = np.linalg.norm(g, axis=-1, keepdims=True)
    return np.degrees(_elevation_rad(s, g / g_r, g_r[..., 0]))


def slant_range_km(ground_ecef_km: npt.ArrayLike, sat_ecef_km: npt.ArrayLike) -> FloatArray:
    """Straight-line distance (km) between ground points and satellites (inputs broadcast).

    Examples
    --------
    >>> float(slant_range_km([6371.0, 0.0, 0.0], [6921.0, 0.0, 0.0]))
    550.0
    """
    g = _points(ground_ecef_km, "ground_ecef_km")
    s = _points(sat_ecef_km, "sat_ecef_km")
    return np.asarray(np.linalg.norm(s - g, axis=-1), dtype=np.float64)


def visibility_mask(
    ground_ecef_km: npt.ArrayLike, sat_ecef_km: npt.ArrayLike, min_elevation_deg: float
) -> npt.NDArray[np.bool_]:
    """Whether each satellite is at or above ``min_elevation_deg`` (inputs broadcast).

    Examples
    --------
    >>> bool(visibility_mask([6371.0, 0.0, 0.0], [6921.0, 0.0, 0.0], 25.0))
    True
    """
    limit = _elevation_limit(min_elevation_deg)
    return np.asarray(elevation_deg(ground_ecef_km, sat_ecef_km) >= limit)


def _radii(
    altitude_km: Any, min_elevation_deg: Any, ground_alt_km: Any
) -> tuple[FloatArray, FloatArray, FloatArray]:
    h = _float_array(altitude_km, "altitude_km")
    eps = _float_array(min_elevation_deg, "min_elevation_deg")
    hg = _float_array(ground_alt_km, "ground_alt_km")
    if np.any((eps < 0.0) | (eps > 90.0)):
        raise ConstellationError(f"min_elevation_deg must be in [0, 90], got {min_elevation_deg!r}")
    if np.any(hg <= -EARTH_RADIUS_KM) or np.any(h <= hg):
        raise ConstellationError(
            f"altitude_km ({altitude_km!r}) must be above ground_alt_km ({ground_alt_km!r}), "
            f"which must be > -{EARTH_RADIUS_KM}"
        )
    return EARTH_RADIUS_KM + h, EARTH_RADIUS_KM + hg, np.radians(eps)


def horizon_central_angle_deg(
    altitude_km: npt.ArrayLike, min_elevation_deg: npt.ArrayLike, *, ground_alt_km: float = 0.0
) -> FloatArray:
    """Largest Earth-central angle between a ground point and a satellite it sees.

    A satellite at radius ``r_s`` is seen from radius ``r_g`` at elevation ``>= eps`` exactly when
    the central angle between them is at most ``arccos(r_g cos(eps) / r_s) - eps`` (law of sines
    in the Earth-centre / ground / satellite triangle). Arguments broadcast.

    Examples
    --------
    >>> round(float(horizon_central_angle_deg(550.0, 25.0)), 3)
    8.459
    """
    r_s, r_g, eps = _radii(altitude_km, min_elevation_deg, ground_alt_km)
    return np.degrees(np.arccos(np.clip(r_g * np.cos(eps) / r_s, -1.0, 1.0)) - eps)


def max_slant_range_km(
    altitude_km: npt.ArrayLike, min_elevation_deg: npt.ArrayLike, *, ground_alt_km: float = 0.0
) -> FloatArray:
    """Distance (km) to a satellite seen exactly at ``min_elevation_deg`` (the farthest visible).

    From the law of cosines with the angle ``90 + eps`` at the ground point:
    ``d = sqrt(r_s^2 - r_g^2 cos^2(eps)) - r_g sin(eps)``. Arguments broadcast.

    Examples
    --------
    >>> round(float(max_slant_range_km(550.0, 90.0)), 6)
    550.0
    """
    r_s, r_g, eps = _radii(altitude_km, min_elevation_deg, ground_alt_km)
    return np.asarray(
        np.sqrt(r_s**2 - (r_g * np.cos(eps)) ** 2) - r_g * np.sin(eps), dtype=np.float64
    )
