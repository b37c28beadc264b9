"""The capacity model a scenario declares: per-school demand and gateway antennas.

``scenario.toml`` may hold a ``[capacity]`` table::

    [capacity]
    school_demand_mbps = 20.0     # default demand of every school (terminal node)
    source = "kz-school-norm"     # ids of [[sources]] / [[assumptions]] behind it

    [capacity.gateways.kokterek]
    antennas = 8                  # dishes: one feeder link (one satellite) each
    feeder_gbps = 7.2             # optional: capacity of one feeder link (default: the system's)
    source = "A22"

A variant may override any of it (``[variants.NAME.capacity.gateways.kokterek]``); the override
is merged into the base table key by key. A terminal's own ``demand_mbps`` node column (see
:func:`~routecore.scenario.with_terminals`) overrides ``school_demand_mbps`` where given.

The satellites' capacities are properties of the system, not of the scenario: they live on
:class:`~routecore.constellation.Constellation` (``user_link_capacity_gbps``,
``feeder_capacity_gbps``, ``isl_capacity_gbps``, ``satellite_capacity_gbps``).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ..errors import ScenarioError

if TYPE_CHECKING:
    from ._keys import TomlLines
    from ._model import Network

__all__ = [
    "DEFAULT_SCHOOL_DEMAND_MBPS",
    "CapacitySettings",
    "capacity_settings",
    "school_demand_mbps",
]

DEFAULT_SCHOOL_DEMAND_MBPS = 20.0
"""A school's demand when neither the scenario nor the terminal says: the Kazakh norm, at least
20 Mbit/s for a 400-place school (plus 1 Mbit/s per 20 pupils above 400; Ministry of
Enlightenment via inform.kz 2024), the same as the ITU/UN 2030 target of 20 Mbit/s per school
(Giga, WSIS 2023). Domain fact sheet, section 8."""

CAPACITY_KEYS = ("school_demand_mbps", "source", "gateways")
GATEWAY_KEYS = ("antennas", "feeder_gbps", "source")


@dataclass(frozen=True)
class CapacitySettings:
    """The ``[capacity]`` table of a scenario, checked.

    Attributes
    ----------
    school_demand_mbps : float
        Default demand per school (:data:`DEFAULT_SCHOOL_DEMAND_MBPS` when not declared).
    antennas : dict of str -> int
        Gateway id -> number of antennas (feeder links at once); gateways not listed are not
        limited beyond their feeder links.
    feeder_gbps : dict of str -> float
        Gateway id -> capacity of one of its feeder links, where the scenario overrides the
        system's ``feeder_capacity_gbps``.
    source : str
        The ids cited for the demand figure.
    """

    school_demand_mbps: float = DEFAULT_SCHOOL_DEMAND_MBPS
    antennas: dict[str, int] = field(default_factory=dict)
    feeder_gbps: dict[str, float] = field(default_factory=dict)
    source: str = ""


def _number(value: Any, where: str, *, integer: bool = False, positive: bool = False) -> Any:
    ok = isinstance(value, int if integer else int | float) and not isinstance(value, bool)
    if ok:
        ok = math.isfinite(value) and (value > 0 if positive else value >= 0)
    if not ok:
        kind = "an integer" if integer else "a finite number"
        rule = "> 0" if positive else ">= 0"
        raise ScenarioError(f"{where} = {value!r} must be {kind} {rule}")
    return value


def check_capacity_keys(
    value: Any, path: tuple[Any, ...], file: str, lines: TomlLines | None
) -> None:
    """Reject unknown keys and bad values in a ``[capacity]`` table (base or variant)."""
    from ._keys import _table, _unknown, key_error

    _table(value, path, file, lines)
    _unknown(value, CAPACITY_KEYS, path, file, lines)
    try:
        if "school_demand_mbps" in value:
            _number(value["school_demand_mbps"], "school_demand_mbps")
        gateways = value.get("gateways", {})
        _table(gateways, (*path, "gateways"), file, lines)
        for gid, spec in gateways.items():
            here = (*path, "gateways", gid)
            _table(spec, here, file, lines)
            _unknown(spec, GATEWAY_KEYS, here, file, lines)
            if "antennas" in spec:
                _number(spec["antennas"], "antennas", integer=True)
            if "feeder_gbps" in spec:
                _number(spec["feeder_gbps"], "feeder_gbps", positive=True)
    except ScenarioError as exc:
        raise key_error(file, lines, path, str(exc)) from None


def merge_capacity(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with a variant's ``override`` merged in key by key (gateway by gateway)."""
    out = copy.deepcopy(dict(base))
    for key, value in override.items():
        if key == "gateways":
            gateways = out.setdefault("gateways", {})
            for gid, spec in value.items():
                gateways[gid] = {**gateways.get(gid, {}), **spec}
        else:
            out[key] = value
    return out


def capacity_settings(network: Network) -> CapacitySettings:
    """The scenario's ``[capacity]`` table, with gateway ids checked against the nodes.

    Examples
    --------
    >>> from routecore.scenario import load_scenario
    >>> net = load_scenario("central-asia")
    >>> capacity_settings(net).school_demand_mbps
    20.0
    >>> capacity_settings(net.variant("kokterek-4-antennas")).antennas["kokterek"]
    4
    """
    table: dict[str, Any] = network.meta.get("capacity", {})
    kind = dict(zip(network.column("nodes", "id"), network.column("nodes", "kind"), strict=True))
    antennas: dict[str, int] = {}
    feeder: dict[str, float] = {}
    for gid, spec in table.get("gateways", {}).items():
        if kind.get(gid) != "gateway":
            what = "not a node" if gid not in kind else f"a {kind[gid]}, not a gateway"
            raise ScenarioError(f"scenario capacity.gateways.{gid}: {gid!r} is {what}")
        if "antennas" in spec:
            antennas[gid] = int(spec["antennas"])
        if "feeder_gbps" in spec:
            feeder[gid] = float(spec["feeder_gbps"])
    return CapacitySettings(
        float(table.get("school_demand_mbps", DEFAULT_SCHOOL_DEMAND_MBPS)),
        antennas,
        feeder,
        str(table.get("source", "")),
    )


def school_demand_mbps(
    network: Network, rows: npt.ArrayLike, default: float | None = None
) -> npt.NDArray[np.float64]:
    """Demand (Mbit/s) of the terminal nodes ``rows``: the node's ``demand_mbps`` cell where
    given, else ``default`` (else the scenario's ``capacity.school_demand_mbps``, else
    :data:`DEFAULT_SCHOOL_DEMAND_MBPS`).

    Raises :class:`~routecore.errors.ScenarioError` for a negative or non-finite demand,
    naming the node.

    >>> from routecore.scenario import load_scenario
    >>> net = load_scenario("central-asia")
    >>> school_demand_mbps(net, net.nodes_where(kind="terminal")[:2]).tolist()
    [20.0, 20.0]
    """
    idx = np.asarray(rows, dtype=np.int64)
    base = capacity_settings(network).school_demand_mbps if default is None else default
    base = float(base)
    if not (math.isfinite(base) and base >= 0):
        raise ScenarioError(f"demand_mbps = {base!r} must be a finite number >= 0")
    out = np.full(idx.size, base)
    if "demand_mbps" in network.nodes.columns:
        cells = network.column("nodes", "demand_mbps")[idx]
        for k, cell in enumerate(cells):
            text = str(cell).strip() if cell is not None else ""
            if text in ("", "nan"):
                continue
            try:
                value = float(text)
            except ValueError:
                value = math.nan
            if not (math.isfinite(value) and value >= 0):
                node = network.column("nodes", "id")[idx[k]]
                raise ScenarioError(
                    f"node {node!r}: demand_mbps = {cell!r} must be a finite number >= 0"
                )
            out[k] = value
    return out
