"""Physical constants and great-circle distance: the one home of each.

Every other module (the A* lower bound in :mod:`routecore.paths`, the scenario model, the
constellation geometry, the analyses) imports these names instead of restating them, so a figure
computed in one place agrees with the same figure computed in another.

>>> round(float(great_circle_km(0.0, 0.0, 0.0, 1.0)), 2)
111.2
>>> round(C_KM_PER_MS * 1000.0) == round(SPEED_OF_LIGHT_KM_S)
True
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

__all__ = [
    "C_KM_PER_MS",
    "DEFAULT_FIBER_GROUP_INDEX",
    "EARTH_RADIUS_KM",
    "SPEED_OF_LIGHT_KM_S",
    "great_circle_km",
]

SPEED_OF_LIGHT_KM_S: Final = 299792.458
"""Speed of light in vacuum in km per second (exact, SI)."""
C_KM_PER_MS: Final = SPEED_OF_LIGHT_KM_S / 1000.0
"""Speed of light in vacuum in km per millisecond (exact, SI)."""
DEFAULT_FIBER_GROUP_INDEX: Final = 1.468
"""Group index of single-mode fibre (G.652) at 1550 nm: light in glass covers a km in 4.897 us."""
EARTH_RADIUS_KM: Final = 6371.0088
"""Mean Earth radius (IUGG R1) of the spherical Earth used everywhere: great-circle distances,
the A* lower bound, ground-station and satellite positions."""


def great_circle_km(
    lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """Great-circle distance in km on a sphere of radius :data:`EARTH_RADIUS_KM`.

    Coordinates are in degrees and broadcast against each other. Uses the atan2 (Vincenty
    sphere) form, which stays accurate for nearby and for antipodal points alike (haversine
    loses precision next to antipodes).

    >>> round(float(great_circle_km(0.0, 0.0, 0.0, 1.0)), 2)
    111.2
    >>> great_circle_km([0.0, 0.0], [0.0, 0.0], 0.0, [0.0, 180.0]).round(1).tolist()
    [0.0, 20015.1]
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlam = np.radians(np.asarray(lon2, dtype=np.float64) - np.asarray(lon1, dtype=np.float64))
    sin1, cos1, sin2, cos2 = np.sin(p1), np.cos(p1), np.sin(p2), np.cos(p2)
    cross = np.hypot(cos2 * np.sin(dlam), cos1 * sin2 - sin1 * cos2 * np.cos(dlam))
    dot = sin1 * sin2 + cos1 * cos2 * np.cos(dlam)
    return np.asarray(EARTH_RADIUS_KM * np.arctan2(cross, dot), dtype=np.float64)
