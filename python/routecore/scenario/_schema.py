"""The scenario schema: node kinds, link media, table columns, and derived link latency."""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt

from ..geo import C_KM_PER_MS, DEFAULT_FIBER_GROUP_INDEX

__all__ = [
    "DEFAULT_ROUTE_SLACK",
    "GUIDED_MEDIA",
    "LINK_COLUMNS",
    "MEDIA",
    "NODE_COLUMNS",
    "NODE_KINDS",
    "derived_latency_ms",
]


NODE_KINDS = ("terminal", "gateway", "pop", "datacenter", "cable_landing", "ixp")
"""Allowed values of ``nodes.kind``."""


MEDIA = ("fiber", "submarine", "microwave", "feeder", "user_link", "isl")
"""Allowed values of ``links.medium``."""


GUIDED_MEDIA = frozenset({"fiber", "submarine"})
"""Media in glass: light travels at c / group index; the others (radio, laser) at c."""


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


_LINK_FILE_COLUMNS = tuple(c for c in LINK_COLUMNS if c != "latency_given")


DEFAULT_ROUTE_SLACK = 1.3
"""Fibre route length / great-circle distance used to fill an empty ``length_km`` of a fibre or
submarine link (``parameters.route_slack`` overrides it). [UNCERTAIN, typical engineering value]
Fibre paths run about 1.2-1.5 x the great circle (domain fact sheet, section 7); radio and laser
links get the great-circle distance itself."""


_UNITS = {"length": "km", "capacity": "Gbit/s", "latency": "ms"}


_LINK_OVERRIDES = frozenset({"capacity_gbps", "length_km", "latency_ms", "operator", "source"})


_COUNTRY = re.compile(r"[A-Z]{2}")


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
