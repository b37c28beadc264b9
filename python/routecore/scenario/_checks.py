"""Checks and normalisation of scenario tables and metadata, with errors that say where.

Every problem raises :class:`~routecore.errors.ScenarioError` naming the file (or table), the
row, the line in the file and the column or key.
"""

from __future__ import annotations

import math
from collections.abc import Sequence, Set
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import ScenarioError
from ..geo import C_KM_PER_MS, DEFAULT_FIBER_GROUP_INDEX, great_circle_km
from ._schema import (
    _COUNTRY,
    _LINK_OVERRIDES,
    _UNITS,
    DEFAULT_ROUTE_SLACK,
    GUIDED_MEDIA,
    MEDIA,
    NODE_KINDS,
    derived_latency_ms,
)

LENGTH_TOLERANCE_KM = 1.0
"""A given ``length_km`` may fall short of the great-circle distance by this much (rounding)..."""

LENGTH_TOLERANCE_REL = 0.006
"""...or by this share of it, whichever is larger: the spherical great-circle distance differs
from the WGS-84 ellipsoidal one by up to about 0.5 %, so a length measured on the ellipsoid may
be that much shorter."""

LATENCY_TOLERANCE_MS = 0.0005
"""A given ``latency_ms`` may fall short of the speed-of-light bound by this much (a value
rounded to 3 decimals), besides a relative 1e-9 for floating-point error."""

try:
    import pandas as pd
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        'routecore.scenario needs pandas; install the domain extras: pip install "routecore[geo]"'
    ) from exc


@dataclass(frozen=True)
class _Where:
    """Where a table came from, to name the file, row, line and column in errors."""

    file: str
    lines: Sequence[int] | None = None  # file line of each data row; None for in-memory tables

    def error(self, pos: int | None, column: str | None, message: str) -> ScenarioError:
        parts = [self.file]
        row = line = None
        if pos is not None:
            if self.lines is None:
                row = pos
                parts.append(f"row {pos}")
            else:
                row, line = pos + 1, self.lines[pos]
                parts.append(f"row {row} (line {line})")
        if column is not None:
            word = "key" if self.file.endswith((".toml", "metadata")) else "column"
            parts.append(f"{word} {column!r}")
        return ScenarioError(
            f"{', '.join(parts)}: {message}", file=self.file, row=row, line=line, column=column
        )


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _text_column(
    df: pd.DataFrame, column: str, where: _Where, *, required: bool
) -> npt.NDArray[np.object_]:
    """A column as trimmed Python strings ('' for missing cells)."""
    if column not in df.columns:
        if required:
            raise where.error(None, column, f"missing column (the columns are: {_cols(df)})")
        return np.full(len(df), "", dtype=object)
    values = df[column].to_numpy(dtype=object)
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        out[i] = "" if _is_missing(v) else str(v).strip()
    if required:
        empty = np.flatnonzero(out == "")
        if empty.size:
            raise where.error(int(empty[0]), column, "empty cell; a value is required")
    return out


def _float_column(
    df: pd.DataFrame,
    column: str,
    where: _Where,
    *,
    required: bool,
    low: float = 0.0,
    high: float = math.inf,
    rule: str = "must be a finite number >= 0",
) -> npt.NDArray[np.float64]:
    """A column as float64; NaN marks an empty cell of an optional column."""
    if column not in df.columns:
        if required:
            raise where.error(None, column, f"missing column (the columns are: {_cols(df)})")
        return np.full(len(df), np.nan)
    raw = df[column].to_numpy(dtype=object)
    out = np.empty(len(raw), dtype=np.float64)
    for i, v in enumerate(raw):
        if _is_missing(v):
            if required:
                raise where.error(i, column, f"empty cell; a number is required ({rule})")
            out[i] = math.nan
            continue
        try:
            # float() parses exactly the shortest repr that save() writes, so files round-trip.
            out[i] = float(v.strip() if isinstance(v, str) else v)
        except (TypeError, ValueError):
            raise where.error(i, column, f"{_excerpt(v)} is not a number ({rule})") from None
        x = float(out[i])
        if not (math.isfinite(x) and low <= x <= high):
            raise where.error(i, column, f"{x!r} is out of range; it {rule}")
    return out


def _excerpt(value: Any, limit: int = 40) -> str:
    """``value`` quoted for an error message, cut to ``limit`` characters: a message never
    echoes more than a short excerpt of a file it was pointed at.

    >>> _excerpt("x" * 100)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' (100 characters)"
    """
    text = str(value)
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit] + '...'!r} ({len(text)} characters)"


def _cols(df: pd.DataFrame) -> str:
    names = [_excerpt(c, 20) for c in df.columns[:8]]
    more = f" and {len(df.columns) - 8} more" if len(df.columns) > 8 else ""
    return ", ".join(names) + more or "none"


def _check_choice(
    values: npt.NDArray[np.object_], allowed: Sequence[str], column: str, where: _Where
) -> None:
    bad = np.flatnonzero(~np.isin(values, np.asarray(allowed, dtype=object)))
    if bad.size:
        i = int(bad[0])
        raise where.error(
            i, column, f"unknown {column} {_excerpt(values[i])}; use one of {allowed}"
        )


def _check_unique(values: npt.NDArray[np.object_], column: str, where: _Where) -> None:
    seen: dict[str, int] = {}
    for i, v in enumerate(values):
        first = seen.setdefault(v, i)
        if first != i:
            other = f"row {first + 1}" if where.lines is not None else f"row {first}"
            raise where.error(
                i, column, f"duplicate {column} {_excerpt(v)} (already used by {other})"
            )


def _normalise_nodes(df: pd.DataFrame, where: _Where) -> pd.DataFrame:
    ids = _text_column(df, "id", where, required=True)
    _check_unique(ids, "id", where)
    names = _text_column(df, "name", where, required=True)
    kinds = _text_column(df, "kind", where, required=True)
    _check_choice(kinds, NODE_KINDS, "kind", where)
    countries = _text_column(df, "country", where, required=True)
    for i, c in enumerate(countries):
        if not _COUNTRY.fullmatch(c):
            raise where.error(
                i, "country", f"{_excerpt(c)} is not an ISO 3166-1 alpha-2 code like 'KZ'"
            )
    lat = _float_column(
        df, "lat", where, required=True, low=-90, high=90, rule="must be within [-90, 90]"
    )
    lon = _float_column(
        df, "lon", where, required=True, low=-180, high=180, rule="must be within [-180, 180]"
    )
    source = _text_column(df, "source", where, required=False)
    out = pd.DataFrame(
        {
            "id": ids,
            "name": names,
            "kind": kinds,
            "country": countries,
            "lat": lat,
            "lon": lon,
            "source": source,
        }
    )
    return _with_extras(out, df)


def _normalise_links(
    df: pd.DataFrame,
    node_ids: pd.Index,
    fiber_index: float,
    where: _Where,
    *,
    lat: npt.NDArray[np.float64] | None = None,
    lon: npt.NDArray[np.float64] | None = None,
    route_slack: float = DEFAULT_ROUTE_SLACK,
) -> pd.DataFrame:
    """Normalise a link table; with node coordinates (``lat``/``lon`` by node row) also fill a
    missing length from the great-circle distance (x ``route_slack`` for fibre and submarine
    cable) and reject lengths below the great-circle distance and latencies below the
    speed-of-light bound of the medium."""
    a = _text_column(df, "a", where, required=True)
    b = _text_column(df, "b", where, required=True)
    rows = []
    for column, ends in (("a", a), ("b", b)):
        pos = node_ids.get_indexer(ends)
        bad = np.flatnonzero(pos < 0)
        if bad.size:
            i = int(bad[0])
            raise where.error(i, column, f"unknown node id {_excerpt(ends[i])}")
        rows.append(pos)
    loops = np.flatnonzero(a == b)
    if loops.size:
        i = int(loops[0])
        raise where.error(i, "b", f"the link joins {_excerpt(a[i])} to itself")
    medium = _text_column(df, "medium", where, required=True)
    _check_choice(medium, MEDIA, "medium", where)
    length = _float_column(df, "length_km", where, required=lat is None or lon is None)
    capacity = _float_column(df, "capacity_gbps", where, required=True)
    latency = _float_column(df, "latency_ms", where, required=False)
    if lat is not None and lon is not None:
        _check_physics(
            length, latency, medium, (a, b), rows, (lat, lon), fiber_index, route_slack, where
        )
    if "latency_given" in df.columns and df["latency_given"].dtype == bool:
        given = df["latency_given"].to_numpy(dtype=bool) & ~np.isnan(latency)
    else:
        given = ~np.isnan(latency)
    latency = np.where(given, latency, derived_latency_ms(length, medium, fiber_index))
    ids = _text_column(df, "id", where, required=False)
    _fill_link_ids(ids, a, b)
    _check_unique(ids, "id", where)
    out = pd.DataFrame(
        {
            "id": ids,
            "a": a,
            "b": b,
            "medium": medium,
            "length_km": length,
            "capacity_gbps": capacity,
            "latency_ms": latency,
            "latency_given": given,
            "operator": _text_column(df, "operator", where, required=False),
            "source": _text_column(df, "source", where, required=False),
        }
    )
    return _with_extras(out, df)


def _check_physics(
    length: npt.NDArray[np.float64],
    latency: npt.NDArray[np.float64],
    medium: npt.NDArray[np.object_],
    ends: tuple[npt.NDArray[np.object_], npt.NDArray[np.object_]],
    rows: list[npt.NDArray[np.intp]],
    coords: tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]],
    fiber_index: float,
    route_slack: float,
    where: _Where,
) -> None:
    """Fill missing lengths (in place) and check lengths and latencies against physics."""
    lat, lon = coords
    gc = great_circle_km(lat[rows[0]], lon[rows[0]], lat[rows[1]], lon[rows[1]])
    guided = np.isin(medium, list(GUIDED_MEDIA))
    missing = np.isnan(length)
    length[missing] = (gc * np.where(guided, route_slack, 1.0))[missing]
    tol = np.maximum(LENGTH_TOLERANCE_KM, LENGTH_TOLERANCE_REL * gc)
    short = np.flatnonzero(length < gc - tol)
    if short.size:
        i = int(short[0])
        raise where.error(
            i,
            "length_km",
            f"{length[i]:g} km is shorter than the great-circle distance between "
            f"{ends[0][i]!r} and {ends[1][i]!r}, {gc[i]:.1f} km (bound {gc[i] - tol[i]:.1f} km "
            f"after a tolerance of 1 km or 0.6 %)",
        )
    bound = length * np.where(guided, fiber_index, 1.0) / C_KM_PER_MS
    fast = np.flatnonzero(latency < bound * (1 - 1e-9) - LATENCY_TOLERANCE_MS)  # NaN: no
    if fast.size:
        i = int(fast[0])
        speed = f"c / {fiber_index:g} in glass" if guided[i] else "c in vacuum"
        raise where.error(
            i,
            "latency_ms",
            f"{latency[i]:g} ms is faster than light: {length[i]:g} km of {medium[i]} needs at "
            f"least {bound[i]:.3f} ms one way at {speed}",
        )


def _fill_link_ids(
    ids: npt.NDArray[np.object_], a: npt.NDArray[np.object_], b: npt.NDArray[np.object_]
) -> None:
    taken = set(ids[ids != ""])
    for i in np.flatnonzero(ids == ""):
        base = f"{a[i]}--{b[i]}"
        name, k = base, 1
        while name in taken:
            k += 1
            name = f"{base}#{k}"
        ids[i] = name
        taken.add(name)


def _with_extras(out: pd.DataFrame, df: pd.DataFrame) -> pd.DataFrame:
    for column in df.columns:
        if column not in out.columns:
            out[column] = df[column].to_numpy()
    return out


def _check_meta_basics(meta: dict[str, Any], where: _Where) -> float:
    """Checks that do not need the tables; returns the fibre group index."""
    name = meta.get("name")
    if not isinstance(name, str) or not name.strip():
        raise where.error(None, "name", "the scenario needs a non-empty text 'name'")
    units = meta.get("units", {})
    if not isinstance(units, dict):
        raise where.error(None, "units", "'units' must be a table")
    for key, value in units.items():
        expected = _UNITS.get(key)
        if expected is not None and value != expected:
            raise where.error(
                None, f"units.{key}", f"{value!r} is not supported; {key} is in {expected}"
            )
    params = meta.get("parameters", {})
    if not isinstance(params, dict):
        raise where.error(None, "parameters", "'parameters' must be a table")
    index = params.get("fiber_group_index", DEFAULT_FIBER_GROUP_INDEX)
    if isinstance(index, bool) or not isinstance(index, int | float) or not 1.0 <= index < 3.0:
        raise where.error(
            None, "parameters.fiber_group_index", f"{index!r} must be a number in [1, 3)"
        )
    slack = params.get("route_slack", DEFAULT_ROUTE_SLACK)
    if isinstance(slack, bool) or not isinstance(slack, int | float) or not 1.0 <= slack <= 10.0:
        raise where.error(None, "parameters.route_slack", f"{slack!r} must be a number in [1, 10]")
    return float(index)


def _check_meta_references(
    meta: dict[str, Any], node_ids: Set[str], link_ids: Set[str], where: _Where
) -> None:
    """Node and link ids named in variants and analysis defaults must exist."""
    variants = meta.get("variants", {})
    if not isinstance(variants, dict):
        raise where.error(None, "variants", "'variants' must be a table of tables")
    for vname, spec in variants.items():
        key = f"variants.{vname}"
        if not isinstance(spec, dict):
            raise where.error(None, key, "a variant must be a table")
        for field, known, what in (
            ("remove_nodes", node_ids, "node"),
            ("remove_links", link_ids, "link"),
        ):
            values = spec.get(field, [])
            if not isinstance(values, list):
                raise where.error(None, f"{key}.{field}", "must be a list of ids")
            for v in values:
                if not isinstance(v, str) or v not in known:  # (a list is unhashable)
                    raise where.error(None, f"{key}.{field}", f"unknown {what} id {v!r}")
        overrides = spec.get("links", {})
        if not isinstance(overrides, dict):
            raise where.error(None, f"{key}.links", "must be a table keyed by link id")
        for link_id, changes in overrides.items():
            lkey = f"{key}.links.{link_id}"
            if link_id not in link_ids:
                raise where.error(None, lkey, f"unknown link id {link_id!r}")
            if not isinstance(changes, dict):
                raise where.error(None, lkey, "must be a table of column = value")
            for field, value in changes.items():
                if field not in _LINK_OVERRIDES:
                    raise where.error(
                        None,
                        f"{lkey}.{field}",
                        f"cannot override {field!r}; use one of {sorted(_LINK_OVERRIDES)}",
                    )
                numeric = field in {"capacity_gbps", "length_km", "latency_ms"}
                if numeric and (
                    isinstance(value, bool)
                    or not isinstance(value, int | float)
                    or not (math.isfinite(value) and value >= 0)
                ):
                    raise where.error(
                        None, f"{lkey}.{field}", f"{value!r} must be a finite number >= 0"
                    )
                if not numeric and not isinstance(value, str):
                    raise where.error(None, f"{lkey}.{field}", f"{value!r} must be text")
    analysis = meta.get("analysis", {})
    if not isinstance(analysis, dict):
        raise where.error(None, "analysis", "'analysis' must be a table")
    for field in ("internet_exchanges", "transit_sources", "transit_sinks"):
        values = analysis.get(field, [])
        if not isinstance(values, list):
            raise where.error(None, f"analysis.{field}", "must be a list of node ids")
        for v in values:
            if not isinstance(v, str) or v not in node_ids:  # (a list is unhashable)
                raise where.error(None, f"analysis.{field}", f"unknown node id {v!r}")
    for field in ("home_country",):
        value = analysis.get(field)
        if value is not None and (not isinstance(value, str) or not _COUNTRY.fullmatch(value)):
            raise where.error(None, f"analysis.{field}", f"{value!r} is not a country code")
