"""Walker shells and constellations: the parameters, their validation and the orbital constants.

Geometry model (used by every function in :mod:`routecore.constellation`):

* **Spherical Earth** of radius :data:`routecore.geo.EARTH_RADIUS_KM` (the IUGG mean radius,
  6,371.0088 km, the one radius of the whole package). Latitudes are treated as geocentric
  latitudes on that sphere, so a WGS-84 geodetic latitude is off by at most 0.19 deg (about 21 km
  on the ground, at 45 deg) and altitudes are above the sphere, not the ellipsoid. This keeps
  "altitude = |r| - R" and "the sub-satellite point sees the satellite at 90 deg" exact.
* **Circular Keplerian orbits** with :data:`MU_EARTH_KM3_S2`; no J2 precession, drag or station
  keeping. A shell's period is ``2 pi sqrt(a^3 / mu)`` with ``a = R + altitude_km``.
* **Earth rotation** at the sidereal rate :data:`EARTH_ROTATION_RAD_S` about the z axis. At the
  model epoch ``t = 0`` the inertial (ECI) and Earth-fixed (ECEF) frames coincide; ``t_s`` is
  seconds since that epoch. ``Constellation.epoch`` (optional) pins it to a UTC instant, so that
  calendar times can be used and the shells exported as TLE text (:meth:`Constellation.to_tle`);
  without it, shift ``raan_offset_deg`` to move the shell against the Earth.
* **Real orbits**: a :class:`~routecore.constellation.TleSet` in place of a Walker shell (built
  by :func:`~routecore.constellation.from_tle`) is propagated with SGP4 instead
  (:mod:`routecore.constellation._orbits`: mean elements, J2-J4, drag; TEME turned Earth-fixed
  with GMST). Both kinds flow through the same position function, so snapshots and analyses take
  either.
* **Propagation** at the speed of light in vacuum, :data:`routecore.geo.SPEED_OF_LIGHT_KM_S`
  (exact, SI), for user, feeder and inter-satellite links.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
from dataclasses import dataclass, field
from typing import Any, Literal

from ..errors import ConstellationError
from ..geo import EARTH_RADIUS_KM
from ._clock import utc_datetime
from ._tle import TleSet

__all__ = [
    "EARTH_ROTATION_RAD_S",
    "MU_EARTH_KM3_S2",
    "Constellation",
    "ConstellationError",
    "Shell",
    "orbital_period_s",
]

MU_EARTH_KM3_S2 = 398600.4418
"""Earth's standard gravitational parameter GM in km^3/s^2 (WGS-84 / EGM96 value)."""

EARTH_ROTATION_RAD_S = 7.2921159e-5
"""Earth's sidereal rotation rate in rad/s (one turn per 86,164.1 s)."""


def _real(
    owner: str,
    name: str,
    value: Any,
    lo: float,
    hi: float,
    *,
    lo_open: bool = False,
    hi_open: bool = False,
) -> float:
    """``value`` as a finite float in the interval [lo, hi] (bounds open where asked)."""
    if isinstance(value, bool | str | bytes):
        raise ConstellationError(f"{owner}.{name} must be a real number, got {value!r}")
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ConstellationError(f"{owner}.{name} must be a real number, got {value!r}") from None
    below = x <= lo if lo_open else x < lo
    above = x >= hi if hi_open else x > hi
    if not math.isfinite(x) or below or above:
        interval = f"{'(' if lo_open else '['}{lo:g}, {hi:g}{')' if hi_open else ']'}"
        raise ConstellationError(f"{owner}.{name} must be finite and in {interval}, got {value!r}")
    return x


def _integer(owner: str, name: str, value: Any, lo: int, hi: int | None = None) -> int:
    """``value`` as an int in [lo, hi]."""
    if isinstance(value, bool):
        raise ConstellationError(f"{owner}.{name} must be an integer, got {value!r}")
    try:
        n = operator.index(value)
    except TypeError:
        raise ConstellationError(f"{owner}.{name} must be an integer, got {value!r}") from None
    if n < lo or (hi is not None and n > hi):
        bound = f">= {lo}" if hi is None else f"in [{lo}, {hi}]"
        raise ConstellationError(f"{owner}.{name} must be {bound}, got {n}")
    return n


def orbital_period_s(altitude_km: float) -> float:
    """Period of a circular orbit at ``altitude_km`` above the spherical Earth (Kepler's third law).

    ``T = 2 pi sqrt(a^3 / mu)`` with ``a = EARTH_RADIUS_KM + altitude_km``.

    Examples
    --------
    >>> round(orbital_period_s(550.0))
    5730
    """
    a = EARTH_RADIUS_KM + _real(
        "orbital_period_s", "altitude_km", altitude_km, 0.0, math.inf, lo_open=True, hi_open=True
    )
    return 2.0 * math.pi * math.sqrt(a**3 / MU_EARTH_KM3_S2)


@dataclass(frozen=True)
class Shell:
    """One Walker shell: ``num_planes`` circular orbital planes of ``sats_per_plane`` satellites.

    In Walker notation the shell is ``inclination: T/P/F`` with ``T = num_planes *
    sats_per_plane``, ``P = num_planes`` and ``F = phasing``. Plane ``p`` has its ascending node
    at ``raan_offset_deg + p * spread / P`` (``spread`` = 360 deg for ``pattern="delta"``, 180 deg
    for ``pattern="star"``), and satellite ``j`` of plane ``p`` starts at argument of latitude
    ``360 * (j / sats_per_plane + phasing * p / T)`` deg at ``t = 0``.

    Parameters
    ----------
    name : str
        Label, e.g. ``"starlink-shell1"``.
    altitude_km : float
        Orbit altitude above the spherical Earth, > 0.
    inclination_deg : float
        Orbit inclination in [0, 180]; above 90 is retrograde.
    num_planes, sats_per_plane : int
        Plane count P >= 1 and satellites per plane >= 1.
    phasing : int, default 0
        Walker phasing factor F in [0, P - 1]: each plane is shifted ``F * 360 / T`` deg along
        track relative to the previous one.
    pattern : {"delta", "star"}, default "delta"
        ``"delta"`` spreads the ascending nodes over 360 deg (inclined shells). ``"star"`` spreads
        them over 180 deg (near-polar shells), so the first and last planes are neighbours moving
        in opposite directions (the "seam").
    raan_offset_deg : float, default 0
        Right ascension of the ascending node of plane 0; shifts the whole shell in longitude.

    Raises
    ------
    ConstellationError
        A parameter out of range; the message names it and its value.

    Examples
    --------
    >>> shell = Shell("demo", 550.0, 53.0, num_planes=72, sats_per_plane=22, phasing=1)
    >>> shell.num_satellites, round(shell.period_s)
    (1584, 5730)
    """

    name: str
    altitude_km: float
    inclination_deg: float
    num_planes: int
    sats_per_plane: int
    phasing: int = 0
    pattern: Literal["delta", "star"] = "delta"
    raan_offset_deg: float = 0.0

    def __post_init__(self) -> None:
        owner = f"Shell {self.name!r}"
        if not isinstance(self.name, str):
            raise ConstellationError(f"Shell.name must be a str, got {self.name!r}")
        values: dict[str, Any] = {
            "altitude_km": _real(owner, "altitude_km", self.altitude_km, 0.0, 1e6, lo_open=True),
            "inclination_deg": _real(owner, "inclination_deg", self.inclination_deg, 0.0, 180.0),
            "num_planes": _integer(owner, "num_planes", self.num_planes, 1),
            "sats_per_plane": _integer(owner, "sats_per_plane", self.sats_per_plane, 1),
            "raan_offset_deg": _real(owner, "raan_offset_deg", self.raan_offset_deg, -360.0, 360.0),
        }
        values["phasing"] = _integer(owner, "phasing", self.phasing, 0, values["num_planes"] - 1)
        if self.pattern not in ("delta", "star"):
            raise ConstellationError(
                f"{owner}.pattern must be 'delta' or 'star', got {self.pattern!r}"
            )
        if values["num_planes"] * values["sats_per_plane"] > 10_000_000:
            raise ConstellationError(f"{owner} has more than 10 million satellites")
        for key, value in values.items():
            object.__setattr__(self, key, value)

    @property
    def num_satellites(self) -> int:
        """``num_planes * sats_per_plane``."""
        return self.num_planes * self.sats_per_plane

    @property
    def radius_km(self) -> float:
        """Orbit radius ``EARTH_RADIUS_KM + altitude_km``."""
        return EARTH_RADIUS_KM + self.altitude_km

    @property
    def period_s(self) -> float:
        """Orbital period in seconds (Kepler's third law, see :func:`orbital_period_s`)."""
        return orbital_period_s(self.altitude_km)

    @property
    def raan_spread_deg(self) -> float:
        """Range of ascending nodes: 360 deg for a delta pattern, 180 deg for a star pattern."""
        return 360.0 if self.pattern == "delta" else 180.0


@dataclass(frozen=True)
class Constellation:
    """A satellite system: one or more Walker shells (or TLE sets) plus its link parameters.

    Satellites are numbered shell by shell, and inside a shell plane by plane: satellite ``j`` of
    plane ``p`` of a shell starting at index ``o`` is ``o + p * sats_per_plane + j``. The
    satellites of a :class:`~routecore.constellation.TleSet` keep their file order.

    Parameters
    ----------
    name : str
        Label, e.g. ``"starlink-shell1"``.
    shells : tuple of Shell or TleSet
        At least one orbit source: Walker shells (circular Keplerian) or TLE sets (SGP4, see
        :func:`~routecore.constellation.from_tle`), in any mix.
    min_elevation_user_deg : float
        Lowest elevation at which a user terminal may use a satellite, in [0, 90).
    min_elevation_feeder_deg : float
        Lowest elevation for a gateway (feeder link), in [0, 90).
    user_link_capacity_gbps : float
        Capacity of one terminal <-> satellite link, >= 0.
    feeder_capacity_gbps : float
        Capacity of one gateway <-> satellite feeder link, >= 0.
    isl_capacity_gbps : float or None, default None
        Capacity of one inter-satellite laser link; ``None`` means the system has no ISLs.
    satellite_capacity_gbps : float or None, default None
        A satellite's total user-link throughput (all its beams together), > 0; ``None``: not
        limited. The capacity analyses (:func:`routecore.analyses.school_capacity`) enforce it
        by splitting each satellite node in two, invisibly to the user; laser relay traffic
        does not count against it.
    beam_capacity_gbps : float or None, default None
        Capacity of one user beam, > 0; ``None``: beams not modelled. Terminals in one beam
        cell (``beam_cell_km``) share one beam of each satellite they use: the capacity
        analyses add a beam node per (satellite, cell) between the terminals and the satellite.
    beam_cell_km : float or None, default None
        Side of the square ground cells a beam serves (km, > 0); set with
        ``beam_capacity_gbps`` (both or neither).
    sources : str, default ""
        Where the figures come from.
    assumptions : tuple of str, default ()
        Every figure not confirmed by a source, stated as an assumption.
    epoch : datetime, optional
        The UTC instant of ``t_s = 0`` (timezone-aware; a naive datetime is refused). Needed for
        calendar times (:func:`time_grid` with a datetime start) and :meth:`to_tle`; a
        constellation with TLE sets always has one.

    Notes
    -----
    Capacities are per link, except ``satellite_capacity_gbps``. A satellite's total
    throughput is enforced only by the capacity analyses; the snapshot graph has no node
    capacities.

    Use :func:`dataclasses.replace` for sensitivity studies, e.g.
    ``replace(ONEWEB, min_elevation_user_deg=50.0)``.

    Examples
    --------
    >>> shell = Shell("demo", 550.0, 53.0, num_planes=6, sats_per_plane=10, phasing=1)
    >>> c = Constellation("demo", (shell,), min_elevation_user_deg=25.0,
    ...                   min_elevation_feeder_deg=25.0, user_link_capacity_gbps=0.2,
    ...                   feeder_capacity_gbps=20.0, isl_capacity_gbps=100.0)
    >>> c.num_satellites
    60
    """

    name: str
    shells: tuple[Shell | TleSet, ...]
    min_elevation_user_deg: float
    min_elevation_feeder_deg: float
    user_link_capacity_gbps: float
    feeder_capacity_gbps: float
    isl_capacity_gbps: float | None = None
    sources: str = ""
    assumptions: tuple[str, ...] = field(default=())
    epoch: dt.datetime | None = None
    satellite_capacity_gbps: float | None = None
    beam_capacity_gbps: float | None = None
    beam_cell_km: float | None = None

    def __post_init__(self) -> None:
        owner = f"Constellation {self.name!r}"
        if not isinstance(self.name, str):
            raise ConstellationError(f"Constellation.name must be a str, got {self.name!r}")
        shells = self.shells
        if isinstance(shells, Shell | TleSet):
            shells = (shells,)
        shells = tuple(shells)
        if not shells:
            raise ConstellationError(f"{owner}.shells must hold at least one Shell, got none")
        for i, shell in enumerate(shells):
            if not isinstance(shell, Shell | TleSet):
                raise ConstellationError(
                    f"{owner}.shells[{i}] must be a Shell or a TleSet, got {shell!r}"
                )
        object.__setattr__(self, "shells", shells)
        if self.epoch is not None:
            object.__setattr__(self, "epoch", utc_datetime(self.epoch, f"{owner}.epoch"))
        tle = [s.name for s in shells if isinstance(s, TleSet)]
        if tle and self.epoch is None:
            raise ConstellationError(
                f"{owner} has TLE set {tle[0]!r}, which needs an epoch (the time origin)"
            )
        if tle and self.isl_capacity_gbps is not None:
            raise ConstellationError(
                f"{owner}: TLE set {tle[0]!r} has no plane / slot structure, so no +grid laser "
                f"links; isl_capacity_gbps must be None, got {self.isl_capacity_gbps!r}"
            )
        for name in ("min_elevation_user_deg", "min_elevation_feeder_deg"):
            value = _real(owner, name, getattr(self, name), 0.0, 90.0, hi_open=True)
            object.__setattr__(self, name, value)
        for name in ("user_link_capacity_gbps", "feeder_capacity_gbps"):
            value = _real(owner, name, getattr(self, name), 0.0, math.inf, hi_open=True)
            object.__setattr__(self, name, value)
        if self.isl_capacity_gbps is not None:
            value = _real(
                owner, "isl_capacity_gbps", self.isl_capacity_gbps, 0.0, math.inf, hi_open=True
            )
            object.__setattr__(self, "isl_capacity_gbps", value)
        if self.satellite_capacity_gbps is not None:
            value = _real(
                owner,
                "satellite_capacity_gbps",
                self.satellite_capacity_gbps,
                0.0,
                math.inf,
                lo_open=True,
                hi_open=True,
            )
            object.__setattr__(self, "satellite_capacity_gbps", value)
        if (self.beam_capacity_gbps is None) != (self.beam_cell_km is None):
            raise ConstellationError(
                f"{owner}: beam_capacity_gbps ({self.beam_capacity_gbps!r}) and beam_cell_km "
                f"({self.beam_cell_km!r}) go together: give both or neither"
            )
        for name in ("beam_capacity_gbps", "beam_cell_km"):
            if getattr(self, name) is not None:
                value = _real(
                    owner, name, getattr(self, name), 0.0, math.inf, lo_open=True, hi_open=True
                )
                object.__setattr__(self, name, value)
        if not isinstance(self.sources, str):
            raise ConstellationError(f"{owner}.sources must be a str, got {self.sources!r}")
        assumptions = (
            (self.assumptions,) if isinstance(self.assumptions, str) else tuple(self.assumptions)
        )
        for i, text in enumerate(assumptions):
            if not isinstance(text, str):
                raise ConstellationError(f"{owner}.assumptions[{i}] must be a str, got {text!r}")
        object.__setattr__(self, "assumptions", assumptions)

    @property
    def num_satellites(self) -> int:
        """Total number of satellites over all shells."""
        return sum(shell.num_satellites for shell in self.shells)

    @property
    def has_isl(self) -> bool:
        """Whether the system has inter-satellite links (``isl_capacity_gbps`` is set)."""
        return self.isl_capacity_gbps is not None

    def to_tle(self, *, first_number: int = 1) -> str:
        """The satellites as TLE text (3-line records) at :attr:`epoch`, for SGP4 or any tool.

        Each Walker satellite becomes a circular record (eccentricity 0, no drag) whose mean
        motion is the Keplerian one and whose node is turned from the model's inertial frame
        into TEME with the Greenwich sidereal time of the epoch. A constellation built from TLE
        gives its records back unchanged. Satellite numbers count from ``first_number``.

        SGP4 reads these numbers as mean elements and adds J2 terms the Keplerian model has
        not, so the two agree to about 10 km at the epoch (tested: ``tests/test_tle.py``) and
        part company by tens of km per hour after it.

        Raises
        ------
        ConstellationError
            No :attr:`epoch`, or more than 99,999 satellites.

        Examples
        --------
        >>> import datetime as dt
        >>> c = Constellation("demo", (Shell("demo", 550.0, 53.0, 2, 3),), 25.0, 25.0, 0.2, 20.0,
        ...                   epoch=dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc))
        >>> print(c.to_tle().splitlines()[2])
        2 00001  53.0000 158.8141 0000000   0.0000   0.0000 15.07817084    00
        """
        from ._orbits import walker_tle  # (the exporter needs the geometry module)

        return walker_tle(self, first_number=first_number)
