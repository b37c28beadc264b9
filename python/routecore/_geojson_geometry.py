"""RFC 7946 values and positions for :mod:`routecore.geojson`: JSON-safe property values,
rounded coordinates, and lines cut at the antimeridian."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

PRECISION = 6
"""Decimals kept in coordinates (1e-6 degree is about 0.11 m at the equator)."""


def json_value(value: Any) -> Any:
    """``value`` as a JSON value: numpy scalars unwrapped, NaN and infinity as ``None``."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, Mapping):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, list | tuple | set | frozenset):
        return [json_value(v) for v in value]
    return str(value)


def json_properties(props: Mapping[str, Any]) -> dict[str, Any]:
    return {str(k): json_value(v) for k, v in props.items()}


def round_coordinate(x: float) -> float:
    return round(float(x), PRECISION) + 0.0  # + 0.0 turns -0.0 into 0.0


def wrap_lon(lon: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Longitudes into [-180, 180] (180 stays 180)."""
    wrapped = np.mod(lon + 180.0, 360.0) - 180.0
    return np.where((wrapped == -180.0) & (lon > 0), 180.0, wrapped)


def line_geometry(lon: npt.ArrayLike, lat: npt.ArrayLike) -> dict[str, Any]:
    """A ``LineString`` through the points, or a ``MultiLineString`` cut at the antimeridian.

    A step between consecutive points whose longitudes differ by more than 180 degrees is
    taken as the short way across +-180: the line ends at the crossing and a new part starts
    on the other side (RFC 7946, section 3.1.9).

    Parameters
    ----------
    lon, lat : array_like of float
        Degrees, at least two points; latitudes in [-90, 90].

    Returns
    -------
    dict
        A GeoJSON geometry.

    Raises
    ------
    ValueError
        Fewer than two points, different lengths, or a coordinate that is not finite or a
        latitude out of range.

    Examples
    --------
    >>> line_geometry([76.9, 71.4], [43.2, 51.2])["type"]
    'LineString'
    >>> geom = line_geometry([170.0, -170.0], [10.0, 20.0])
    >>> geom["type"], geom["coordinates"]
    ('MultiLineString', [[[170.0, 10.0], [180.0, 15.0]], [[-180.0, 15.0], [-170.0, 20.0]]])
    """
    x = wrap_lon(np.asarray(lon, dtype=np.float64).ravel())
    y = np.asarray(lat, dtype=np.float64).ravel()
    if x.size != y.size or x.size < 2:
        raise ValueError(f"a line needs two or more points, got {x.size} lon and {y.size} lat")
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise ValueError("a line's coordinates must be finite")
    if np.abs(y).max() > 90.0:
        raise ValueError(f"latitude {y[np.argmax(np.abs(y))]} is outside [-90, 90]")
    step = np.diff(x)
    crossings = set(np.flatnonzero(np.abs(step) > 180.0).tolist())
    parts: list[list[list[float]]] = []
    current = [[round_coordinate(x[0]), round_coordinate(y[0])]]
    for k in range(x.size - 1):
        if k in crossings:
            east = step[k] < 0  # e.g. 170 -> -170 goes east across +180
            edge = 180.0 if east else -180.0
            x_next = x[k + 1] + (360.0 if east else -360.0)
            t = (edge - x[k]) / (x_next - x[k])
            y_cross = round_coordinate(y[k] + t * (y[k + 1] - y[k]))
            current.append([edge, y_cross])
            parts.append(current)
            current = [[-edge, y_cross]]
        current.append([round_coordinate(x[k + 1]), round_coordinate(y[k + 1])])
    parts.append(current)
    if len(parts) == 1:
        return {"type": "LineString", "coordinates": parts[0]}
    return {"type": "MultiLineString", "coordinates": parts}
