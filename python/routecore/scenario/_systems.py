"""Constellations declared in ``scenario.toml``: ``[systems.NAME]`` tables.

A system is Walker shells (``[[systems.NAME.shells]]``, the :class:`~routecore.constellation.Shell`
fields), a TLE file (``tle = "orbits/shell.tle"``, relative to the scenario directory and
confined to it), or a preset to start from (``like = "starlink-shell1"``, whose fields the
table's keys override). Per role, ``min_elevation_user_deg`` (terminals) and
``min_elevation_feeder_deg`` (gateways; default: the user value); ``laser_links`` on or off;
``epoch`` a TOML offset date-time (UTC instant of ``t = 0``). The capacity keys
(``user_link_capacity_gbps``, ``feeder_capacity_gbps``, ``isl_capacity_gbps``) are optional:
a system without them (and without ``like``) gets 0 Gbit/s placeholders, stated in its
``assumptions``, so latency analyses run and flow analyses say nothing false. The keys are
:data:`~routecore.scenario._keys.SYSTEM_KEYS`; new constellation fields (capacities per
satellite, say) extend that tuple and pass through to the constellation unchanged.

Example::

    [systems.my-shell]
    min_elevation_user_deg = 25.0
    laser_links = false
    [[systems.my-shell.shells]]
    name = "my-shell"
    altitude_km = 550.0
    inclination_deg = 53.0
    num_planes = 24
    sats_per_plane = 22
    phasing = 1

    [systems.tracked]
    tle = "orbits/tracked.tle"
    min_elevation_user_deg = 25.0
    min_elevation_feeder_deg = 10.0
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ConstellationError
from ._keys import TomlLines, key_error

if TYPE_CHECKING:
    from ..constellation import Constellation

__all__ = [
    "PLACEHOLDER_NOTE",
    "build_systems",
    "confined_path",
    "scenario_directory",
    "system_files",
]

PLACEHOLDER_NOTE = (
    "[PLACEHOLDER] {keys} not declared in the scenario: 0 Gbit/s, so flow results for this "
    "system mean nothing; latency and availability do not depend on them."
)

_PER_SATELLITE = ("satellite_capacity_gbps", "beam_capacity_gbps", "beam_cell_km")
"""Optional capacity keys that :func:`~routecore.constellation.from_tle` does not take: set on
the constellation it returns (and inherited from ``like``, as every Walker field is)."""
_NUMBERS = (
    "min_elevation_user_deg",
    "min_elevation_feeder_deg",
    "user_link_capacity_gbps",
    "feeder_capacity_gbps",
    "isl_capacity_gbps",
    *_PER_SATELLITE,
)
_CAPACITIES = ("user_link_capacity_gbps", "feeder_capacity_gbps")


def confined_path(
    directory: Path, value: Any, file: str, lines: TomlLines | None, key: tuple[Any, ...]
) -> Path:
    """``value`` (a relative path in ``scenario.toml``) resolved inside ``directory``.

    Absolute paths, ``..`` steps or symlinks that lead out of the scenario directory, and
    anything but a regular file are refused, naming the file, the key and the value.
    """
    if not isinstance(value, str) or not value.strip():
        raise key_error(file, lines, key, f"{value!r} must be a file path (text)")
    rel = Path(value)
    if rel.is_absolute() or rel.drive:
        raise key_error(
            file, lines, key, f"{value!r} is absolute; give a path relative to {directory}"
        )
    root = directory.resolve()
    try:
        target = (root / rel).resolve()
    except (OSError, RuntimeError) as exc:  # a symlink loop
        raise key_error(file, lines, key, f"{value!r} cannot be resolved ({exc})") from None
    if not target.is_relative_to(root):
        raise key_error(
            file,
            lines,
            key,
            f"{value!r} leads out of the scenario directory {root}; scenario files must stay "
            "inside it",
        )
    if not target.exists():
        raise key_error(file, lines, key, f"{value!r}: no such file in {root}")
    if not target.is_file():
        raise key_error(file, lines, key, f"{value!r} is not a regular file")
    return target


def _number(value: Any, file: str, lines: TomlLines | None, key: tuple[Any, ...]) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise key_error(file, lines, key, f"{value!r} must be a finite number")
    return float(value)


def _epoch(value: Any, file: str, lines: TomlLines | None, key: tuple[Any, ...]) -> dt.datetime:
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise key_error(
            file,
            lines,
            key,
            f"{value!r} must be an offset date-time, e.g. 2026-03-01T00:00:00Z (a local time "
            "without Z or an offset has no time zone)",
        )
    return value.astimezone(dt.UTC)


def _system(
    name: str,
    spec: Mapping[str, Any],
    directory: Path | None,
    file: str,
    lines: TomlLines | None,
) -> Constellation:
    from .. import constellation as cs

    here = ("systems", name)
    fields: dict[str, Any] = {}
    base: Constellation | None = None
    if "like" in spec:
        base = cs.PRESETS.get(spec["like"]) if isinstance(spec["like"], str) else None
        if base is None:
            raise key_error(
                file,
                lines,
                (*here, "like"),
                f"{spec['like']!r} is not a preset (presets: {', '.join(cs.PRESETS)})",
            )
    if "tle" in spec and "shells" in spec:
        raise key_error(file, lines, here, "give 'tle' or 'shells', not both")
    if base is None and "tle" not in spec and "shells" not in spec:
        raise key_error(file, lines, here, "needs its orbits: 'shells', 'tle' or 'like'")
    for key in _NUMBERS:
        if key in spec:
            fields[key] = _number(spec[key], file, lines, (*here, key))
    if "min_elevation_user_deg" not in fields and base is None:
        raise key_error(file, lines, here, "needs min_elevation_user_deg (or like = PRESET)")
    if "min_elevation_feeder_deg" not in fields and base is None:
        fields["min_elevation_feeder_deg"] = fields["min_elevation_user_deg"]
    lasers = spec.get("laser_links", None if base is None else base.has_isl)
    if lasers is not None and not isinstance(lasers, bool):
        raise key_error(file, lines, (*here, "laser_links"), f"{lasers!r} must be true or false")
    assumptions = list(base.assumptions) if base is not None else []
    if "assumptions" in spec:
        extra = spec["assumptions"]
        if not isinstance(extra, list) or not all(isinstance(a, str) for a in extra):
            raise key_error(
                file, lines, (*here, "assumptions"), f"{extra!r} must be a list of text"
            )
        assumptions.extend(extra)
    missing = [k for k in _CAPACITIES if k not in fields and base is None]
    if lasers and "isl_capacity_gbps" not in fields:
        if base is not None and base.isl_capacity_gbps is not None:
            fields["isl_capacity_gbps"] = base.isl_capacity_gbps
        else:
            missing.append("isl_capacity_gbps")
            fields["isl_capacity_gbps"] = 0.0
    if not lasers:
        fields["isl_capacity_gbps"] = None
    for key in missing:
        fields.setdefault(key, 0.0)
    if missing:
        assumptions.append(PLACEHOLDER_NOTE.format(keys=", ".join(missing)))
    if "sources" in spec:
        if not isinstance(spec["sources"], str):
            raise key_error(file, lines, (*here, "sources"), f"{spec['sources']!r} must be text")
        fields["sources"] = spec["sources"]
    if "epoch" in spec:
        fields["epoch"] = _epoch(spec["epoch"], file, lines, (*here, "epoch"))
    try:
        if "tle" in spec:
            if lasers:
                why = "a TLE set has no plane / slot structure for +grid laser links"
                if "laser_links" in spec:
                    raise key_error(file, lines, (*here, "laser_links"), f"true, but {why}")
                raise key_error(
                    file,
                    lines,
                    (*here, "like"),
                    f"{spec['like']!r} has laser links, but {why}: add laser_links = false "
                    "(or declare the shell as Walker shells)",
                )
            if directory is None:
                raise key_error(
                    file, lines, (*here, "tle"), "TLE paths need a scenario loaded from a directory"
                )
            path = confined_path(directory, spec["tle"], file, lines, (*here, "tle"))
            user = fields.pop("min_elevation_user_deg", None)
            feeder = fields.pop("min_elevation_feeder_deg", None)
            if base is not None:
                user = base.min_elevation_user_deg if user is None else user
                feeder = base.min_elevation_feeder_deg if feeder is None else feeder
                for key in _CAPACITIES:
                    fields.setdefault(key, getattr(base, key))
            fields.pop("isl_capacity_gbps", None)
            per_satellite = {k: fields.pop(k) for k in _PER_SATELLITE if k in fields}
            if base is not None:
                for key in _PER_SATELLITE:
                    per_satellite.setdefault(key, getattr(base, key))
            tle_system = cs.from_tle(
                path,
                name=name,
                min_elevation_deg=user,
                min_elevation_feeder_deg=feeder,
                assumptions=tuple(assumptions),
                **fields,
            )
            return dataclasses.replace(tle_system, **per_satellite)
        if "shells" in spec:
            shells = []
            for i, entry in enumerate(spec["shells"]):
                try:
                    shells.append(cs.Shell(**entry))
                except TypeError as exc:  # a missing field
                    raise key_error(file, lines, (*here, "shells", i), str(exc)) from None
                except ConstellationError as exc:
                    raise key_error(file, lines, (*here, "shells", i), str(exc)) from None
            fields["shells"] = tuple(shells)
        fields["assumptions"] = tuple(assumptions)
        if base is not None:
            return dataclasses.replace(base, name=name, **fields)
        return cs.Constellation(name=name, **fields)
    except ConstellationError as exc:
        raise key_error(file, lines, here, str(exc)) from None


def build_systems(
    meta: Mapping[str, Any], directory: Path | None, file: str, lines: TomlLines | None
) -> dict[str, Constellation]:
    """The constellations of ``meta["systems"]`` by name (empty when there are none).

    Raises
    ------
    ScenarioError
        A bad value, a system named like a preset, a TLE path outside the scenario directory,
        or a bad TLE file; the message names the file, the line and the key, and quotes the
        value (for a TLE file, its own file and line too).
    """
    from .. import constellation as cs

    systems = meta.get("systems", {})
    out: dict[str, Constellation] = {}
    for name, spec in systems.items():
        if name in cs.PRESETS:
            raise key_error(
                file,
                lines,
                ("systems", name),
                f"a preset has this name; choose another (or start from it: like = {name!r})",
            )
        out[str(name)] = _system(str(name), spec, directory, file, lines)
    return out


def system_files(
    meta: Mapping[str, Any],
    source: Path | None,
    target: Path,
    file: str,
    lines: TomlLines | None,
) -> dict[str, bytes]:
    """The files a save must copy with ``scenario.toml``: each system's TLE file, by its
    relative path as written in ``tle = ...``, with its bytes from ``source`` (the directory the
    scenario was loaded from), so that the saved directory loads anywhere on its own.

    A file that already is the one in ``target`` (saving over the loaded directory) is left
    out. A network built in memory has no directory to copy from: its TLE file must already be
    in ``target``.

    Raises
    ------
    ScenarioError
        A TLE path that leaves the scenario directory or names no regular file (as on load),
        or a network built in memory whose ``target`` lacks the file; the message names the
        system, the key and the path.
    """
    from ._csv import _read_file_text

    out: dict[str, bytes] = {}
    for name, spec in meta.get("systems", {}).items():
        if not isinstance(spec, Mapping) or "tle" not in spec:
            continue
        key = ("systems", name, "tle")
        value = spec["tle"]
        rel = Path(value) if isinstance(value, str) else None
        if rel is None or not rel.parts or rel.is_absolute() or rel.drive or ".." in rel.parts:
            raise key_error(
                file, lines, key, f"{value!r} must be a relative path inside the scenario directory"
            )
        if source is None:
            if not (target / rel).is_file():
                raise key_error(
                    file,
                    lines,
                    key,
                    f"{value!r}: this network was not loaded from a scenario directory, so its "
                    f"TLE file cannot be copied; put it at {target / rel} before saving",
                )
            continue
        path = confined_path(source, value, file, lines, key)
        if (target / rel).exists() and path == (target / rel).resolve():
            continue
        # latin-1 maps every byte to one character and back: the copy is byte-identical.
        out[rel.as_posix()] = _read_file_text(path, encoding="latin-1").encode("latin-1")
    return out


def scenario_directory(file: str) -> Path | None:
    """The directory of a loaded ``scenario.toml`` (``None`` for a network built in memory)."""
    path = Path(file)
    return path.parent if path.name == "scenario.toml" and os.path.isfile(path) else None
