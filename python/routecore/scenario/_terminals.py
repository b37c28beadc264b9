"""Terminals (schools): seeded sets placed inside a country outline, a ``terminals.csv``
import, and swapping a scenario's terminal nodes for such a set.

``terminals.csv`` is UTF-8 CSV with a header row and one row per terminal::

    id,lat,lon,demand_mbps,name
    school-0001,43.25,76.95,200,Almaty School 1

``id`` (unique text), ``lat`` and ``lon`` (WGS-84 decimal degrees) are required;
``demand_mbps`` (a number >= 0; an empty cell means "not given") and ``name`` are optional. Other
columns are refused (so a misspelt ``demand_mbs`` is not silently dropped). The file rules are
the scenario loader's: only a regular file of at most 64 MiB is read, numbers are plain decimals,
and every problem is a :class:`~routecore.errors.ScenarioError` naming the file, row, line and
column, quoting at most a short excerpt of the offending cell.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from ..errors import ScenarioError
from ..geo import great_circle_km
from ._checks import _check_unique, _excerpt, _float_column, _text_column, _Where
from ._csv import _check_plain_numbers, _links_for_file, _read_csv

if TYPE_CHECKING:
    import pandas as pd

    from ._model import Network

__all__ = [
    "TERMINAL_COLUMNS",
    "inside_outline",
    "load_terminals",
    "place_terminals",
    "with_terminals",
]

TERMINAL_COLUMNS = ("id", "lat", "lon", "demand_mbps", "name")
"""The columns of ``terminals.csv`` (``id``, ``lat``, ``lon`` required; the rest optional)."""

_MAX_EMPTY_ROUNDS = 64  # rounds of draws with no point kept before giving up


def _outline(
    outline_lat: npt.ArrayLike, outline_lon: npt.ArrayLike
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    lat = np.asarray(outline_lat, dtype=np.float64).ravel()
    lon = np.asarray(outline_lon, dtype=np.float64).ravel()
    if lat.shape != lon.shape:
        raise ValueError(
            f"outline_lat and outline_lon must have the same length, got {lat.size} and {lon.size}"
        )
    if lat.size < 3:
        raise ValueError(f"the outline needs at least 3 vertices, got {lat.size}")
    if not (np.isfinite(lat).all() and np.isfinite(lon).all()):
        raise ValueError("the outline's coordinates must be finite")
    if (np.abs(lat) > 90).any() or (np.abs(lon) > 180).any():
        raise ValueError("the outline's lat must be within [-90, 90] and lon within [-180, 180]")
    if (np.abs(np.diff(np.r_[lon, lon[0]])) > 180).any():
        raise ValueError(
            "the outline crosses the antimeridian (an edge spans more than 180 degrees of "
            "longitude); split it into two outlines"
        )
    return lat, lon


def inside_outline(
    lat: npt.ArrayLike,
    lon: npt.ArrayLike,
    outline_lat: npt.ArrayLike,
    outline_lon: npt.ArrayLike,
) -> npt.NDArray[np.bool_]:
    """Which points lie inside a lat/lon ring (even-odd ray casting, vectorised).

    The ring's edges are straight lines on the plain longitude/latitude plane, and it may be
    given open or closed (first vertex repeated). Points exactly on an edge may fall either way.

    Parameters
    ----------
    lat, lon : array_like of float
        The points (degrees), same shape.
    outline_lat, outline_lon : array_like of float
        The ring's vertices (degrees); it must not cross the antimeridian.

    Returns
    -------
    numpy.ndarray of bool
        One flag per point, in the points' shape.

    Raises
    ------
    ValueError
        Fewer than 3 vertices, non-finite or out-of-range coordinates, or an antimeridian
        crossing.

    Examples
    --------
    >>> inside_outline([0.5, 2.0], [0.5, 0.5], [0, 0, 1, 1], [0, 1, 1, 0]).tolist()
    [True, False]
    """
    py, px = _outline(outline_lat, outline_lon)
    y_in = np.asarray(lat, dtype=np.float64)
    x_in = np.asarray(lon, dtype=np.float64)
    if y_in.shape != x_in.shape:
        raise ValueError(f"lat and lon must have the same shape, got {y_in.shape} and {x_in.shape}")
    y, x = y_in.reshape(-1, 1), x_in.reshape(-1, 1)
    qx, qy = np.roll(px, -1), np.roll(py, -1)
    straddles = (py > y) != (qy > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        x_cross = px + (y - py) * (qx - px) / (qy - py)
    crossings = np.count_nonzero(straddles & (x < x_cross), axis=1)
    return np.asarray(crossings % 2 == 1).reshape(y_in.shape)


def place_terminals(
    outline_lat: npt.ArrayLike,
    outline_lon: npt.ArrayLike,
    count: int,
    *,
    seed: int,
    exclude_near: tuple[npt.ArrayLike, npt.ArrayLike] | None = None,
    min_distance_km: float = 30.0,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """``count`` points uniform by area on the sphere inside an outline, reproducibly.

    Points are drawn uniform on the sphere over the outline's bounding box (uniform in
    longitude and in sin(latitude)), rounded to 4 decimals (about 10 m), and kept when they lie
    inside the outline (:func:`inside_outline`) and at least ``min_distance_km`` (great circle)
    from every ``exclude_near`` point; draws go on in batches until ``count`` are kept. The same
    arguments give the same points on every machine (NumPy's ``default_rng(seed)``).

    Parameters
    ----------
    outline_lat, outline_lon : array_like of float
        The country's outline, a ring of vertices in degrees (not crossing the antimeridian).
    count : int
        How many points (>= 0).
    seed : int
        Seed of the random generator.
    exclude_near : (lat, lon) pair of array_like, optional
        Places (towns, existing nodes) the points keep clear of.
    min_distance_km : float, default 30.0
        The clearance around ``exclude_near``.

    Returns
    -------
    (lat, lon) : tuple of numpy.ndarray of float64
        ``count`` points each, in degrees.

    Raises
    ------
    ValueError
        A bad outline (see :func:`inside_outline`), a negative ``count`` or
        ``min_distance_km``, or an outline with no room left (no point kept in many rounds).

    Examples
    --------
    >>> lat, lon = place_terminals([40, 40, 50, 50], [60, 70, 70, 60], 100, seed=1)
    >>> lat.shape, bool(((lat > 40) & (lat < 50) & (lon > 60) & (lon < 70)).all())
    ((100,), True)
    >>> bool((place_terminals([40, 40, 50, 50], [60, 70, 70, 60], 100, seed=1)[0] == lat).all())
    True
    """
    o_lat, o_lon = _outline(outline_lat, outline_lon)
    if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 0:
        raise ValueError(f"count must be an integer >= 0, got {count!r}")
    if not (np.isfinite(min_distance_km) and min_distance_km >= 0):
        raise ValueError(f"min_distance_km must be a finite number >= 0, got {min_distance_km!r}")
    count = int(count)
    if exclude_near is None:
        a_lat = a_lon = np.empty(0)
    else:
        a_lat = np.asarray(exclude_near[0], dtype=np.float64).ravel()
        a_lon = np.asarray(exclude_near[1], dtype=np.float64).ravel()
        if a_lat.shape != a_lon.shape:
            raise ValueError("exclude_near's lat and lon must have the same length")
    rng = np.random.default_rng(seed)
    lon_lo, lon_hi = float(o_lon.min()), float(o_lon.max())
    z_lo, z_hi = np.sin(np.radians(o_lat.min())), np.sin(np.radians(o_lat.max()))
    out_lat: list[npt.NDArray[np.float64]] = []
    out_lon: list[npt.NDArray[np.float64]] = []
    have = empty_rounds = 0
    while have < count:
        u = rng.random((2, 4 * count))
        lon = np.round(lon_lo + u[0] * (lon_hi - lon_lo), 4)
        # Uniform in sin(latitude) is uniform by area on the sphere.
        lat = np.round(np.degrees(np.arcsin(z_lo + u[1] * (z_hi - z_lo))), 4)
        keep = inside_outline(lat, lon, o_lat, o_lon)
        if a_lat.size:
            near = great_circle_km(lat[:, None], lon[:, None], a_lat[None, :], a_lon[None, :])
            keep &= near.min(axis=1) >= min_distance_km
        kept = int(keep.sum())
        empty_rounds = 0 if kept else empty_rounds + 1
        if empty_rounds >= _MAX_EMPTY_ROUNDS:
            raise ValueError(
                f"no point kept in {_MAX_EMPTY_ROUNDS} rounds of {4 * count} draws: the outline "
                "has (almost) no area, or exclude_near and min_distance_km cover it"
            )
        out_lon.append(lon[keep])
        out_lat.append(lat[keep])
        have += kept
    if not count:
        return np.empty(0), np.empty(0)
    return np.concatenate(out_lat)[:count], np.concatenate(out_lon)[:count]


def load_terminals(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a ``terminals.csv`` file (see the module documentation for the format).

    Parameters
    ----------
    path : str or os.PathLike
        The file.

    Returns
    -------
    pandas.DataFrame
        Columns ``id`` (str), ``lat``, ``lon``, ``demand_mbps`` (float; NaN where not given)
        and ``name`` (str; the id where not given), one row per terminal in file order.

    Raises
    ------
    ScenarioError
        Not a regular file, too large, not UTF-8, no rows, a missing or unknown column, an empty
        or duplicate id, a coordinate out of range or a bad demand; the message names the file,
        row, line and column.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = pathlib.Path(tmp, "terminals.csv")
    ...     _ = p.write_text("id,lat,lon,demand_mbps\\ns1,43.2,76.9,200\\ns2,51.1,71.4,\\n")
    ...     t = load_terminals(p)
    >>> t["id"].tolist(), t["demand_mbps"].tolist()[0], t["name"].tolist()
    (['s1', 's2'], 200.0, ['s1', 's2'])
    """
    import pandas as pd

    label = str(path)
    df, where = _read_csv(Path(path))
    unknown = [c for c in df.columns if c not in TERMINAL_COLUMNS]
    if unknown:
        raise where.error(
            None, unknown[0], f"unknown column; terminals.csv has {', '.join(TERMINAL_COLUMNS)}"
        )
    if len(df) == 0:
        raise ScenarioError(f"{label}: no terminal rows after the header", file=label)
    ids = _text_column(df, "id", where, required=True)
    _check_unique(ids, "id", where)
    lat = _float_column(
        df, "lat", where, required=True, low=-90, high=90, rule="must be within [-90, 90]"
    )
    lon = _float_column(
        df, "lon", where, required=True, low=-180, high=180, rule="must be within [-180, 180]"
    )
    if "demand_mbps" in df.columns:
        _check_plain_numbers(df["demand_mbps"].tolist(), "demand_mbps", where)
    demand = _float_column(df, "demand_mbps", where, required=False)
    names = _text_column(df, "name", where, required=False)
    names = np.where(names == "", ids, names)
    return pd.DataFrame(
        {"id": ids, "lat": lat, "lon": lon, "demand_mbps": demand, "name": names.astype(object)}
    )


def with_terminals(
    network: Network,
    terminals: pd.DataFrame,
    *,
    country: str,
    replace: bool = True,
    source: str = "",
) -> Network:
    """``network`` with its terminal nodes replaced by (or added to) ``terminals``.

    The analyses then use these terminals: :func:`~routecore.analyses.school_connectivity`
    gives one row per terminal and policy. Links ending at a removed terminal are removed too.

    Parameters
    ----------
    network : Network
        The scenario.
    terminals : pandas.DataFrame
        Columns ``id``, ``lat``, ``lon`` and optionally ``name`` and ``demand_mbps`` (as
        :func:`load_terminals` returns). ``demand_mbps`` becomes an extra node column (empty
        for the other nodes).
    country : str
        ISO 3166-1 alpha-2 code of the terminals (the ``home`` policy keeps a school's route
        in its country).
    replace : bool, default True
        Remove the network's current terminal nodes first; ``False`` adds to them.
    source : str, optional
        The nodes' ``source`` cell (ids of the scenario's sources or assumptions).

    Returns
    -------
    Network
        A new network; ``network`` is unchanged.

    Raises
    ------
    ScenarioError
        A missing column, an empty or duplicate id, an id already used by a node that stays,
        or a coordinate out of range (naming the terminals table's row and column), or any
        other check :class:`Network` makes.

    Examples
    --------
    >>> import pandas as pd
    >>> from routecore.scenario import load_scenario
    >>> net = load_scenario("central-asia")
    >>> mine = pd.DataFrame({"id": ["s1", "s2"], "lat": [43.2, 51.1], "lon": [76.9, 71.4]})
    >>> net2 = with_terminals(net, mine, country="KZ")
    >>> net2.nodes_where(kind="terminal").size
    2
    """
    import pandas as pd

    if not isinstance(terminals, pd.DataFrame):
        raise TypeError(f"terminals must be a pandas DataFrame, got {type(terminals).__name__}")
    nodes = network.nodes
    links = network.links
    if replace:
        gone = nodes["kind"].to_numpy() == "terminal"
        gone_ids = set(nodes["id"].to_numpy()[gone])
        nodes = nodes[~gone]
        ends = links["a"].isin(gone_ids) | links["b"].isin(gone_ids)
        links = links[~ends]
    where = _Where("terminals table")
    ids = _text_column(terminals, "id", where, required=True)
    _check_unique(ids, "id", where)
    taken = set(nodes["id"].to_numpy())
    for i, tid in enumerate(ids):
        if tid in taken:
            raise where.error(i, "id", f"{_excerpt(tid)} is already a node id of the network")
    names = _text_column(terminals, "name", where, required=False)
    lat = _float_column(
        terminals, "lat", where, required=True, low=-90, high=90, rule="must be within [-90, 90]"
    )
    lon = _float_column(
        terminals,
        "lon",
        where,
        required=True,
        low=-180,
        high=180,
        rule="must be within [-180, 180]",
    )
    new = pd.DataFrame(
        {
            "id": ids,
            "name": np.where(names == "", ids, names).astype(object),
            "kind": "terminal",
            "country": country,
            "lat": lat,
            "lon": lon,
            "source": source,
        }
    )
    if "demand_mbps" in terminals.columns:
        demand = _float_column(terminals, "demand_mbps", where, required=False)
        new["demand_mbps"] = [repr(float(d)) if np.isfinite(d) else "" for d in demand]
        if "demand_mbps" not in nodes.columns:
            nodes = nodes.assign(demand_mbps="")
    combined = pd.concat([nodes, new], ignore_index=True)
    for column in combined.columns:
        if combined[column].dtype == object:
            combined[column] = combined[column].fillna("")
    from ._model import Network

    return Network(combined, _links_for_file(links.reset_index(drop=True)), network.meta)
