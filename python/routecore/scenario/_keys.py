"""The keys ``scenario.toml`` may use, and the check that rejects every other key.

A misspelt key (``remove_link`` for ``remove_links``) used to be ignored silently, so a "cable
cut" variant reported full capacity. :func:`check_keys` walks the parsed metadata and raises
:class:`~routecore.errors.ScenarioError` for the first key the schema does not know, naming the
file, the line (when the metadata came from a file) and the closest valid key.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import ScenarioError
from ._capacity import check_capacity_keys
from ._schema import _COUNTRY, _LINK_FILE_COLUMNS, _LINK_OVERRIDES, NODE_COLUMNS

__all__ = ["TomlLines", "check_keys", "key_error"]

TOP_KEYS = (
    "name",
    "title",
    "description",
    "units",
    "parameters",
    "analysis",
    "variants",
    "sources",
    "assumptions",
    "outlines",
    "delays",
    "derived_from",
    "systems",
    "capacity",
    "risk_groups",
)
UNIT_KEYS = ("length", "capacity", "latency", "coordinates")
PARAMETER_KEYS = (
    "fiber_group_index",
    "route_slack",
    "metro_min_km",
    "school_count",
    "school_seed",
    "school_clearance_km",
    "school_link_gbps",
)
ANALYSIS_KEYS = (
    "home_country",
    "internet_exchanges",
    "transit_sources",
    "transit_sinks",
    "avoid_countries",
)
VARIANT_KEYS = (
    "description",
    "remove_nodes",
    "remove_links",
    "links",
    "add_nodes",
    "add_links",
    "capacity",
)
SOURCE_KEYS = ("id", "title", "url", "date", "note")
ASSUMPTION_KEYS = ("id", "subject", "value", "basis")
DERIVED_KEYS = ("scenario", "variant")
NODE_KEYS = NODE_COLUMNS
LINK_KEYS = _LINK_FILE_COLUMNS
SYSTEM_KEYS = (
    "like",
    "shells",
    "tle",
    "epoch",
    "min_elevation_user_deg",
    "min_elevation_feeder_deg",
    "laser_links",
    "user_link_capacity_gbps",
    "feeder_capacity_gbps",
    "isl_capacity_gbps",
    "satellite_capacity_gbps",
    "beam_capacity_gbps",
    "beam_cell_km",
    "sources",
    "assumptions",
)
"""Keys of a ``[systems.NAME]`` table (built by :mod:`routecore.scenario._systems`). The
capacity keys carry the :class:`~routecore.constellation.Constellation` field names and are
optional; a new constellation field becomes one more name here, passed through as it is."""
SHELL_KEYS = (
    "name",
    "altitude_km",
    "inclination_deg",
    "num_planes",
    "sats_per_plane",
    "phasing",
    "pattern",
    "raan_offset_deg",
)
"""Keys of a ``[[systems.NAME.shells]]`` entry: the :class:`~routecore.constellation.Shell`
fields."""


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(
    r"^\s*((?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'))*)\s*="
)
_PART = re.compile(r"\s*(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)\s*(?:\.|$)")


def _split(dotted: str) -> tuple[str, ...]:
    return tuple(m.group(1).strip("\"'") for m in _PART.finditer(dotted) if m.group(1))


class TomlLines:
    """First line of each key path in a TOML text (header and ``key = value`` lines).

    Array-of-tables entries get their index in the path (``("sources", 2, "url")``). Keys
    inside inline tables or multi-line values are not located; :meth:`line` then falls back to
    the nearest enclosing key.

    >>> lines = TomlLines('name = "x"\\n[variants.a]\\nremove_link = []\\n')
    >>> lines.line(("variants", "a", "remove_link")), lines.line(("variants", "a"))
    (3, 2)
    """

    def __init__(self, text: str) -> None:
        self._first: dict[tuple[Any, ...], int] = {}
        counts: dict[tuple[Any, ...], int] = {}
        table: tuple[Any, ...] = ()
        for number, raw in enumerate(text.splitlines(), start=1):
            header = _HEADER.match(raw)
            if header and not raw.lstrip().startswith(("#",)):
                parts = _split(header.group(2))
                if header.group(1) == "[[":
                    index = counts.get(parts, 0)
                    counts[parts] = index + 1
                    table = (*parts, index)
                else:
                    table = parts
                for k in range(1, len(table) + 1):
                    self._first.setdefault(table[:k], number)
                continue
            key = _KEY.match(raw)
            if key:
                path = (*table, *_split(key.group(1)))
                for k in range(len(table) + 1, len(path) + 1):
                    self._first.setdefault(path[:k], number)

    def line(self, path: Sequence[Any]) -> int | None:
        """The line of ``path``, else of its closest located ancestor (None: not found)."""
        key = tuple(path)
        while key:
            if key in self._first:
                return self._first[key]
            key = key[:-1]
        return None


def _dotted(path: Sequence[Any]) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def key_error(
    file: str, lines: TomlLines | None, path: Sequence[Any], message: str
) -> ScenarioError:
    """A :class:`ScenarioError` naming ``file``, the line of ``path`` (when known) and the key."""
    line = lines.line(path) if lines is not None else None
    where = file + (f", line {line}" if line is not None else "")
    key = _dotted(path)
    return ScenarioError(f"{where}, key {key!r}: {message}", file=file, line=line, column=key)


def _unknown(
    table: Mapping[str, Any],
    allowed: Sequence[str],
    path: tuple[Any, ...],
    file: str,
    lines: TomlLines | None,
) -> None:
    for key in table:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.5)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise key_error(
                file,
                lines,
                (*path, key),
                f"unknown key; {hint}(allowed here: {', '.join(allowed)})",
            )


def _table(value: Any, path: tuple[Any, ...], file: str, lines: TomlLines | None) -> None:
    if not isinstance(value, dict):
        raise key_error(file, lines, path, "must be a table")


def _entries(value: Any, path: tuple[Any, ...], file: str, lines: TomlLines | None) -> list[Any]:
    if not isinstance(value, list):
        raise key_error(file, lines, path, "must be an array of tables ([[...]])")
    for i, entry in enumerate(value):
        _table(entry, (*path, i), file, lines)
    return value


def _check_delays(value: Any, path: tuple[Any, ...], file: str, lines: TomlLines | None) -> None:
    """``[delays]``: numbers >= 0 (ms), an ``assumption`` id, and sub-tables of the same shape."""
    _table(value, path, file, lines)
    for key, v in value.items():
        here = (*path, key)
        if key == "assumption":
            if not isinstance(v, str):
                raise key_error(file, lines, here, f"{v!r} must be an assumption id (text)")
        elif isinstance(v, dict):
            _check_delays(v, here, file, lines)
        elif (
            isinstance(v, bool)
            or not isinstance(v, int | float)
            or not (math.isfinite(v) and v >= 0)
        ):
            raise key_error(file, lines, here, f"{v!r} must be a finite number of ms >= 0")


def check_keys(meta: Mapping[str, Any], file: str, lines: TomlLines | None) -> None:
    """Reject every key of ``meta`` that the scenario schema does not define, at every level.

    >>> check_keys({"name": "x", "variants": {"cut": {"remove_link": ["tcfo"]}}},
    ...            "scenario.toml", None)
    Traceback (most recent call last):
    ...
    routecore.errors.ScenarioError: scenario.toml, key 'variants.cut.remove_link': unknown key; \
did you mean 'remove_links'? (allowed here: description, remove_nodes, remove_links, links, \
add_nodes, add_links, capacity)
    """
    _unknown(meta, TOP_KEYS, (), file, lines)
    tables: tuple[tuple[str, Sequence[str]], ...] = (
        ("units", UNIT_KEYS),
        ("parameters", PARAMETER_KEYS),
        ("analysis", ANALYSIS_KEYS),
        ("derived_from", DERIVED_KEYS),
    )
    for key, allowed in tables:
        if key in meta:
            _table(meta[key], (key,), file, lines)
            _unknown(meta[key], allowed, (key,), file, lines)
    lists: tuple[tuple[str, Sequence[str]], ...] = (
        ("sources", SOURCE_KEYS),
        ("assumptions", ASSUMPTION_KEYS),
    )
    for key, allowed in lists:
        if key in meta:
            for i, entry in enumerate(_entries(meta[key], (key,), file, lines)):
                _unknown(entry, allowed, (key, i), file, lines)
    if "delays" in meta:
        _check_delays(meta["delays"], ("delays",), file, lines)
    if "capacity" in meta:
        check_capacity_keys(meta["capacity"], ("capacity",), file, lines)
    if "outlines" in meta:
        _table(meta["outlines"], ("outlines",), file, lines)
        for country, ring in meta["outlines"].items():
            if not _COUNTRY.fullmatch(str(country)) or not isinstance(ring, list):
                raise key_error(
                    file,
                    lines,
                    ("outlines", country),
                    "outlines maps a country code ('KZ') to a list of [lon, lat] points",
                )
    if "variants" in meta:
        _table(meta["variants"], ("variants",), file, lines)
        for name, spec in meta["variants"].items():
            path: tuple[Any, ...] = ("variants", name)
            _table(spec, path, file, lines)
            _unknown(spec, VARIANT_KEYS, path, file, lines)
            if "capacity" in spec:
                check_capacity_keys(spec["capacity"], (*path, "capacity"), file, lines)
            if "links" in spec:
                _table(spec["links"], (*path, "links"), file, lines)
                for link_id, changes in spec["links"].items():
                    here = (*path, "links", link_id)
                    _table(changes, here, file, lines)
                    _unknown(changes, sorted(_LINK_OVERRIDES), here, file, lines)
            added: tuple[tuple[str, Sequence[str]], ...] = (
                ("add_nodes", NODE_KEYS),
                ("add_links", LINK_KEYS),
            )
            for key, allowed in added:
                if key in spec:
                    for i, entry in enumerate(_entries(spec[key], (*path, key), file, lines)):
                        _unknown(entry, allowed, (*path, key, i), file, lines)
    if "systems" in meta:
        _table(meta["systems"], ("systems",), file, lines)
        for name, spec in meta["systems"].items():
            path = ("systems", name)
            _table(spec, path, file, lines)
            _unknown(spec, SYSTEM_KEYS, path, file, lines)
            if "shells" in spec:
                for i, entry in enumerate(_entries(spec["shells"], (*path, "shells"), file, lines)):
                    _unknown(entry, SHELL_KEYS, (*path, "shells", i), file, lines)
