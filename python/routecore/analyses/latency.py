"""What the latency figures mean: one-way propagation, round trips, and declared delays.

Every ``latency_ms`` the analyses report is the **one-way propagation** delay: length over the
speed of light in the medium (fibre, vacuum for radio and laser links), with no processing,
queuing or scheduling. A round trip over the same path takes twice that (``*_propagation_rtt_ms``).
Measured round-trip times are larger: a satellite system adds scheduling and processing at the
terminal, the satellite and the gateway, and every router adds a little. A scenario may declare
such delays as listed assumptions in a ``[delays]`` table of ``scenario.toml``::

    [delays]
    assumption = "A-delays"   # the [[assumptions]] id that gives the figures and their basis
    per_hop_ms = 0.05         # one-way, per link of a route whose links are known
    [delays.per_system_ms]    # one-way, once per route over that satellite system
    "Starlink shell 1" = 10.0

Then ``*_rtt_ms`` = 2 x (one-way propagation + the declared one-way delays on the route):
``per_system_ms`` applies to every satellite route of that system (school connectivity and
gateway siting), ``per_hop_ms`` to the ground routes whose links are listed (the transit routes).
Without a ``[delays]`` table ``*_rtt_ms`` equals ``*_propagation_rtt_ms``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import ScenarioError
from ..scenario import Network

__all__ = ["LATENCY_BASIS", "DelayAssumptions", "delay_assumptions"]

LATENCY_BASIS = (
    "one-way propagation (length / speed of light in the medium); no processing, queuing or "
    "scheduling delay unless the scenario declares one in [delays]"
)
"""What every ``latency_ms`` figure is, in words for tables and JSON."""


@dataclass(frozen=True)
class DelayAssumptions:
    """Fixed one-way processing / scheduling delays a scenario declares (``[delays]``).

    Attributes
    ----------
    per_hop_ms : float
        One-way delay per link of a route whose links are known.
    per_system_ms : mapping of str to float
        One-way delay per route over a satellite system, by the system's name (its key in the
        mapping of constellations an analysis is given, or its ``Constellation.name``).
    assumption : str
        The id of the ``[[assumptions]]`` entry that gives the figures ("" if none declared).

    Examples
    --------
    >>> d = DelayAssumptions(per_hop_ms=0.5, per_system_ms={"OneWeb": 10.0}, assumption="A9")
    >>> d.rtt_ms(20.0, system="OneWeb", hops=4)
    64.0
    >>> DelayAssumptions().rtt_ms(20.0, system="OneWeb", hops=4)
    40.0
    """

    per_hop_ms: float = 0.0
    per_system_ms: Mapping[str, float] = field(default_factory=dict)
    assumption: str = ""

    @property
    def declared(self) -> bool:
        """Whether the scenario declares any delay."""
        return self.per_hop_ms > 0 or any(v > 0 for v in self.per_system_ms.values())

    def one_way_ms(self, *, system: str | None = None, hops: int = 0) -> float:
        """The declared one-way delay of a route over ``system`` with ``hops`` known links."""
        extra = self.per_hop_ms * hops
        if system is not None:
            extra += float(self.per_system_ms.get(system, 0.0))
        return extra

    def rtt_ms(self, one_way_ms: Any, *, system: str | None = None, hops: Any = 0) -> Any:
        """Round trip: 2 x (one-way propagation + declared one-way delays). Works on arrays."""
        return 2 * (one_way_ms + self.per_hop_ms * hops + self.one_way_ms(system=system))

    def system_name(self, key: str, name: str) -> str:
        """Which name a system's delay is declared under: its key in the caller's mapping of
        constellations, else its own ``Constellation.name``."""
        return key if key in self.per_system_ms else name

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "per_hop_ms": self.per_hop_ms,
            "per_system_ms": dict(self.per_system_ms),
            "assumption": self.assumption,
        }


def _number(value: Any, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ScenarioError(f"scenario key {key!r}: {value!r} must be a finite number of ms >= 0")
    if value < 0:
        raise ScenarioError(f"scenario key {key!r}: {value!r} must be a finite number of ms >= 0")
    return float(value)


def delay_assumptions(network: Network) -> DelayAssumptions:
    """The scenario's declared delays (``[delays]`` in ``scenario.toml``; none: all zero).

    Raises :class:`~routecore.ScenarioError` naming the key for a value that is not a finite
    number >= 0, an unknown key, or delays without an ``assumption`` id that the scenario
    lists in ``[[assumptions]]``.

    Examples
    --------
    >>> from routecore.scenario import load_scenario
    >>> delay_assumptions(load_scenario("central-asia")).declared
    False
    """
    spec = network.meta.get("delays")
    if spec is None:
        return DelayAssumptions()
    if not isinstance(spec, dict):
        raise ScenarioError("scenario key 'delays' must be a table")
    unknown = set(spec) - {"per_hop_ms", "per_system_ms", "assumption"}
    if unknown:
        raise ScenarioError(
            f"scenario key 'delays.{sorted(unknown)[0]}' is unknown; "
            "known: per_hop_ms, per_system_ms, assumption"
        )
    per_hop = _number(spec.get("per_hop_ms", 0.0), "delays.per_hop_ms")
    systems = spec.get("per_system_ms", {})
    if not isinstance(systems, dict):
        raise ScenarioError("scenario key 'delays.per_system_ms' must be a table: system = ms")
    per_system = {str(k): _number(v, f"delays.per_system_ms.{k}") for k, v in systems.items()}
    assumption = spec.get("assumption", "")
    listed = {str(a.get("id")) for a in network.meta.get("assumptions", [])}
    if not isinstance(assumption, str) or assumption not in listed:
        raise ScenarioError(
            f"scenario key 'delays.assumption': {assumption!r} must name an [[assumptions]] id "
            "that gives the delays and their basis"
        )
    return DelayAssumptions(per_hop, per_system, assumption)
