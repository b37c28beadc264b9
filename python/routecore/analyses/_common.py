"""Helpers every analysis uses: scenario defaults, id <-> row look-ups, country masks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ..errors import ScenarioError
from ..geo import C_KM_PER_MS
from ..scenario import Network

if TYPE_CHECKING:
    from ..constellation import Constellation


def _analysis_defaults(net: Network) -> dict[str, Any]:
    analysis: dict[str, Any] = net.meta.get("analysis", {})
    return analysis


def _rows(net: Network, ids: Iterable[str] | None, key: str) -> npt.NDArray[np.int32]:
    if ids is None:
        ids = _analysis_defaults(net).get(key)
        if not ids:
            raise ScenarioError(
                f"no {key.replace('_', ' ')} given and the scenario has no analysis.{key}"
            )
    return net.node_index(list(ids))


def _country_mask(net: Network, countries: Iterable[str]) -> npt.NDArray[np.bool_]:
    wanted = list(countries)
    return np.isin(net.column("nodes", "country"), np.asarray(wanted, dtype=object))


def _ids(net: Network, rows: Iterable[int]) -> tuple[str, ...]:
    ids = net.column("nodes", "id")
    return tuple(str(ids[int(r)]) for r in rows)


def _named(
    constellations: Mapping[str, Constellation] | Sequence[Constellation],
) -> dict[str, Constellation]:
    if isinstance(constellations, Mapping):
        return dict(constellations)
    return {c.name: c for c in constellations}


def latency_floor_ms(distance_km: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """The physical lower bound on one-way latency over ``distance_km``: light in vacuum.

    >>> latency_floor_ms([0.0, 299.792458]).tolist()
    [0.0, 1.0]
    """
    return np.asarray(np.asarray(distance_km, dtype=np.float64) / C_KM_PER_MS)
