"""LEO constellations: Walker shells and TLE sets, satellite positions, links, graph snapshots.

Everything is numpy, vectorised over satellites, ground points and times. The model (spherical
Earth of radius :data:`routecore.geo.EARTH_RADIUS_KM`, circular Keplerian orbits, Earth rotation,
propagation at c) is described in :mod:`routecore.constellation._model`. ``EARTH_RADIUS_KM`` and
``SPEED_OF_LIGHT_KM_S`` here are the :mod:`routecore.geo` constants, re-exported.

Typical use::

    from routecore import constellation as cs

    times = cs.time_grid(cs.STARLINK_SHELL1.shells[0].period_s, 96)
    for snap in cs.snapshots(cs.STARLINK_SHELL1, times, lat, lon, roles, ground_links):
        ...  # snap.graph is a routecore.Graph: weight = latency_ms, capacity = capacity_gbps

Real orbits: :func:`from_tle` reads a TLE file (SGP4 propagation, the ``routecore[tle]``
extra); a Walker constellation with an ``epoch`` exports its satellites as TLE text
(:meth:`Constellation.to_tle`). Both kinds go through the same position function, so every
function here takes either. Times are seconds since the constellation's ``epoch``;
:func:`time_grid` and :func:`seconds_since_epoch` turn UTC datetimes into those.

Satellite ``s`` is node ``num_ground + s`` of a snapshot; :func:`satellite_layout` tells its shell,
plane and slot.

For sweeps over many time steps, :class:`SnapshotBuilder` checks and indexes the ground side once
and builds one snapshot per step; :func:`access_graph` turns a snapshot into the directed graph
in which only satellites relay traffic (feeder links leave gateways, user links enter terminals),
so that one batched search from every gateway reaches every terminal.
"""

from __future__ import annotations

from ..geo import EARTH_RADIUS_KM, SPEED_OF_LIGHT_KM_S
from ._access import AccessGraph, access_graph
from ._geometry import (
    ecef_to_lat_lon,
    elevation_deg,
    horizon_central_angle_deg,
    lat_lon_to_ecef,
    max_slant_range_km,
    satellite_ecef_km,
    satellite_eci_km,
    satellite_layout,
    slant_range_km,
    subsatellite_lat_lon,
    visibility_mask,
)
from ._links import (
    IslLinks,
    RadioLinks,
    feeder_links,
    isl_links,
    isl_pairs,
    latency_ms,
    user_links,
)
from ._model import (
    EARTH_ROTATION_RAD_S,
    MU_EARTH_KM3_S2,
    Constellation,
    ConstellationError,
    Shell,
    orbital_period_s,
)
from ._orbits import from_tle
from ._presets import (
    ONEWEB,
    ONEWEB_35,
    ONEWEB_55,
    PRESETS,
    STARLINK_SHELL1,
    STARLINK_SHELL1_BENT_PIPE,
    STARLINK_SHELL1_LASER,
)
from ._snapshot import (
    GroundRole,
    Medium,
    Snapshot,
    SnapshotBuilder,
    snapshot,
    snapshots,
)
from ._tle import TleSet
from ._visibility import VisiblePairs, visible_pairs
from ._window import (
    ShortWindowWarning,
    seconds_since_epoch,
    slowest_period_s,
    time_grid,
    warn_short_window,
    window_note,
    window_s,
)

__all__ = [
    "EARTH_RADIUS_KM",
    "EARTH_ROTATION_RAD_S",
    "MU_EARTH_KM3_S2",
    "ONEWEB",
    "ONEWEB_35",
    "ONEWEB_55",
    "PRESETS",
    "SPEED_OF_LIGHT_KM_S",
    "STARLINK_SHELL1",
    "STARLINK_SHELL1_BENT_PIPE",
    "STARLINK_SHELL1_LASER",
    "AccessGraph",
    "Constellation",
    "ConstellationError",
    "GroundRole",
    "IslLinks",
    "Medium",
    "RadioLinks",
    "Shell",
    "ShortWindowWarning",
    "Snapshot",
    "SnapshotBuilder",
    "TleSet",
    "VisiblePairs",
    "access_graph",
    "ecef_to_lat_lon",
    "elevation_deg",
    "feeder_links",
    "from_tle",
    "horizon_central_angle_deg",
    "isl_links",
    "isl_pairs",
    "lat_lon_to_ecef",
    "latency_ms",
    "max_slant_range_km",
    "orbital_period_s",
    "satellite_ecef_km",
    "satellite_eci_km",
    "satellite_layout",
    "seconds_since_epoch",
    "slant_range_km",
    "slowest_period_s",
    "snapshot",
    "snapshots",
    "subsatellite_lat_lon",
    "time_grid",
    "user_links",
    "visibility_mask",
    "visible_pairs",
    "warn_short_window",
    "window_note",
    "window_s",
]
