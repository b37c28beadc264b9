"""School connectivity over the satellites: per school, the latency to the internet exchange."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ..constellation import Constellation, GroundRole, Medium, access_graph, snapshot
from ..errors import ScenarioError
from ..executor import ProgressArg, task_threads
from ..paths import nearest_source, shortest_path
from ..scenario import Network
from ._common import _analysis_defaults, _named, _rows
from ._sky import _run_sky, _school_sites, _site_latency, _SkyWork
from ._stats import _column_quantiles
from .latency import DelayAssumptions, delay_assumptions
from .routes import Route, _route_from_path

try:
    import pandas as pd
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        'routecore.analyses needs pandas; install the domain extras: pip install "routecore[geo]"'
    ) from exc

__all__ = ["POLICIES", "school_connectivity", "school_route"]


POLICIES = ("home", "any", "abroad")
"""Gateway policies: ``home`` keeps the whole ground route in the scenario's home country (the
Kazakh rule that non-GSO traffic stays in-country): the gateway, every ground node between it
and the internet exchange, the exchange and the school itself must lie in the home country, and
a school with no such route is offline (never rerouted abroad); ``any`` allows every gateway and
ground route; ``abroad`` only gateways outside the home country, with any ground route (a system
without an in-country gateway, as Starlink in Kazakhstan today)."""


def _keep_in(policy: str, home: str | None) -> str | None:
    """The country a policy's ground route must stay in (``None``: anywhere)."""
    return home if policy == "home" else None


def _policy_chunk(
    work: _SkyWork, chunk: tuple[str, npt.NDArray[np.float64]]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int16]]:
    """Best latency and gateway (site index, -1 if none) per policy, step and school."""
    cname, times = chunk
    allowed = work.allowed
    assert allowed is not None
    n_p, n_s = allowed.shape[0], work.num_schools
    best = np.full((n_p, times.size, n_s), np.inf)
    via = np.full((n_p, times.size, n_s), -1, dtype=np.int16)
    for k, sat in enumerate(_site_latency(work, cname, times)):
        for p in range(n_p):
            # The ground leg under this policy (inf where it would leave the country).
            masked = np.where(allowed[p][:, None], sat + work.to_exchange[p][:, None], np.inf)
            if work.school_allowed is not None:
                masked[:, ~work.school_allowed[p]] = np.inf
            pick = np.argmin(masked, axis=0)
            val = masked[pick, np.arange(n_s)]
            best[p, k] = val
            via[p, k] = np.where(np.isfinite(val), pick, -1)
    return best, via


def school_connectivity(
    network: Network,
    constellations: Mapping[str, Constellation] | Sequence[Constellation],
    times_s: npt.ArrayLike,
    *,
    policies: Sequence[str] = ("home", "any"),
    internet_exchanges: Iterable[str] | None = None,
    home_country: str | None = None,
    max_user_links: int | None = None,
    threads: int | None = None,
    executor: Any = None,
    progress: ProgressArg = None,
    chunk_size: int | None = None,
) -> pd.DataFrame:
    """Latency from every school to the internet exchange over the satellites, per policy.

    A school reaches the exchange as school -> satellite (user link) [-> satellite (laser
    links, where the system has them)] -> gateway (feeder link) -> ground network -> exchange.
    Per time step, one batched search from all gateways over a directed access graph (feeder
    links leave gateways, user links only enter schools, so neither relays traffic) gives the
    satellite part for every school at once; the ground part from each gateway to its nearest
    exchange is computed once. The best gateway per school and policy is then an ``argmin``
    over the allowed gateways. No per-school query runs in Python.

    The time steps run in blocks, here or on ``executor`` (see :mod:`routecore.executor`); the
    result does not depend on ``threads``, ``executor`` or ``chunk_size``.

    Parameters
    ----------
    network : Network
        Terminals (``kind == "terminal"``) are the schools; ``kind == "gateway"`` nodes are the
        gateways.
    constellations : mapping name -> Constellation, or a sequence (named by ``.name``)
    times_s : array_like of float
        Time steps (seconds since the constellation epoch).
    policies : sequence of {"home", "any", "abroad"}, default ("home", "any")
        ``home``: the whole route in ``home_country`` (gateway, ground network, exchange and
        school; the ground leg is searched with every node outside it forbidden, and a school
        without such a route is offline); ``any``: every gateway and route; ``abroad``: only
        gateways outside ``home_country``. See :data:`POLICIES`.
    internet_exchanges : iterable of node ids, optional
        Default: ``analysis.internet_exchanges`` (Almaty IX for ``central-asia``).
    home_country : str, optional
        Default: ``analysis.home_country``.
    max_user_links : int, optional
        Satellites per school per step (highest first); default every visible satellite.
    threads : int, optional
        Threads for the snapshots (visibility search, graph build) and the batched search.
        Here, with 2 or more, up to 4 time steps run side by side and share them. Default:
        every core here, 1 per task with an executor.
    executor : concurrent.futures.Executor or dask.distributed.Client, optional
        Where the blocks of time steps run (default: here, nothing to start).
    progress : callable(done, total) or True, optional
        Called with the number of (constellation, time step) pairs done after each block;
        ``True`` draws a terminal bar.
    chunk_size : int, optional
        Time steps per block (default: 1 here, a few blocks per worker on an executor).

    Returns
    -------
    pandas.DataFrame
        One row per (constellation, policy, school): ``constellation``, ``policy``, ``school``
        (node id), ``lat``, ``lon``, ``connected_share`` (share of time steps with a route),
        ``median_latency_ms`` and ``p95_latency_ms`` (one-way propagation, over connected
        steps; NaN if never), ``min_latency_ms``, ``gateway`` (most used gateway id, ``""`` if
        never connected), ``gateway_share`` (share of connected steps on that gateway),
        ``gateway_country``, ``exchange`` (the exchange reached through that gateway), then
        ``median_one_way_propagation_ms`` and ``p95_one_way_propagation_ms`` (the same
        figures under names that say what they are), ``median_propagation_rtt_ms`` (twice the
        median), ``median_rtt_ms`` and ``p95_rtt_ms`` (round trip with the system's declared
        delay, :mod:`~routecore.analyses.latency`; equal to the propagation round trip when
        the scenario declares none). ``attrs``: ``partial``
        (``True`` when Ctrl-C stopped the sweep: statistics then cover the steps finished, and
        constellations without any are left out), ``steps_done`` (per constellation),
        ``times_done`` (per constellation, the time steps the statistics cover: blocks that
        run side by side can finish out of order, so after Ctrl-C these need not be the first
        ones), ``steps_total``.

    Examples
    --------
    >>> from routecore import constellation as cs
    >>> from routecore.scenario import load_scenario
    >>> net = load_scenario("central-asia")
    >>> table = school_connectivity(net, [cs.ONEWEB], [0.0], policies=("any",))
    >>> len(table) == net.nodes_where(kind="terminal").size
    True
    >>> bool(table["connected_share"].between(0, 1).all())
    True
    """
    defaults = _analysis_defaults(network)
    home = home_country or defaults.get("home_country")
    unknown = [p for p in policies if p not in POLICIES]
    if unknown:
        raise ValueError(f"policies must be drawn from {POLICIES}, got {unknown[0]!r}")
    if not home and set(policies) & {"home", "abroad"}:
        raise ScenarioError(
            "policies 'home' and 'abroad' need home_country (or analysis.home_country)"
        )
    named = _named(constellations)
    delays = delay_assumptions(network)
    times = np.atleast_1d(np.asarray(times_s, dtype=np.float64))
    kind = network.column("nodes", "kind")
    gateways = np.flatnonzero(kind == "gateway").astype(np.int32)
    if not (kind == "terminal").any() or gateways.size == 0:
        raise ScenarioError("school_connectivity needs terminal and gateway nodes")
    keep_in = [_keep_in(p, home) for p in policies]
    schools, to_ix, ix_of_gw, (lat, lon, role) = _school_sites(
        network, gateways, internet_exchanges, keep_in
    )
    country = network.column("nodes", "country")
    school_allowed = np.array(
        [
            np.ones(schools.size, dtype=bool) if c is None else country[schools] == c
            for c in keep_in
        ],
        dtype=bool,
    ).reshape(len(policies), schools.size)
    allowed = {
        "home": country[gateways] == home,
        "any": np.ones(gateways.size, dtype=bool),
        "abroad": country[gateways] != home,
    }
    work = _SkyWork(
        named,
        lat,
        lon,
        role,
        int(schools.size),
        to_ix,
        max_user_links,
        task_threads(threads, executor),
        allowed=np.array([allowed[p] for p in policies], dtype=bool).reshape(len(policies), -1),
        school_allowed=school_allowed,
    )
    run, where = _run_sky(
        _policy_chunk,
        work,
        named,
        times,
        chunk_size=chunk_size,
        executor=executor,
        progress=progress,
        description="satellite time steps",
    )
    n_p, n_s = len(policies), schools.size
    best = {c: np.full((n_p, times.size, n_s), np.inf) for c in named}
    via = {c: np.full((n_p, times.size, n_s), -1, dtype=np.int64) for c in named}
    done = {c: np.zeros(times.size, dtype=bool) for c in named}
    for (cname, sl), finished, result in zip(where, run.finished, run.results, strict=True):
        if finished:
            best[cname][:, sl], via[cname][:, sl] = result
            done[cname][sl] = True
    frames = []
    for cname in named:
        steps = done[cname]
        if not steps.any():
            continue
        for p, policy in enumerate(policies):
            frames.append(
                _school_table(
                    network,
                    cname,
                    policy,
                    schools,
                    gateways,
                    ix_of_gw[p],
                    best[cname][p, steps],
                    via[cname][p, steps],
                    delays.system_name(cname, named[cname].name),
                    delays,
                )
            )
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=_SCHOOL_COLUMNS)
    out.attrs.update(
        partial=not run.complete,
        steps_done={c: int(done[c].sum()) for c in named},
        times_done={c: times[done[c]].tolist() for c in named},
        steps_total=int(times.size),
    )
    return out


_SCHOOL_COLUMNS = (
    "constellation",
    "policy",
    "school",
    "lat",
    "lon",
    "connected_share",
    "median_latency_ms",
    "p95_latency_ms",
    "min_latency_ms",
    "gateway",
    "gateway_share",
    "gateway_country",
    "exchange",
    "median_one_way_propagation_ms",
    "p95_one_way_propagation_ms",
    "median_propagation_rtt_ms",
    "median_rtt_ms",
    "p95_rtt_ms",
)
"""The columns of :func:`school_connectivity`'s table, in order (also of an empty one)."""


def _school_table(
    network: Network,
    cname: str,
    policy: str,
    schools: npt.NDArray[np.int32],
    gateways: npt.NDArray[np.int32],
    ix_of_gw: npt.NDArray[Any],
    latency: npt.NDArray[np.float64],
    via: npt.NDArray[np.int64],
    system: str,
    delays: DelayAssumptions,
) -> pd.DataFrame:
    """Per-school statistics over the time axis (axis 0), vectorised: the rows of one
    (constellation, policy) in :func:`school_connectivity`'s table (:data:`_SCHOOL_COLUMNS`)."""
    n_s = latency.shape[1]
    connected = np.isfinite(latency)
    share = connected.mean(axis=0)
    median, p95, low = _column_quantiles(np.where(connected, latency, np.nan))
    k_idx, s_idx = np.nonzero(via >= 0)
    flat = s_idx.astype(np.int64) * gateways.size + via[k_idx, s_idx]
    counts = np.bincount(flat, minlength=n_s * gateways.size).reshape(n_s, gateways.size)
    top = counts.argmax(axis=1)
    used = counts.max(axis=1)
    ids = network.column("nodes", "id")
    country = network.column("nodes", "country")
    gw_ids = np.where(used > 0, ids[gateways][top], "")
    with np.errstate(divide="ignore", invalid="ignore"):
        gw_share = np.where(used > 0, used / np.maximum(connected.sum(axis=0), 1), np.nan)
    columns = {
        "constellation": cname,
        "policy": policy,
        "school": ids[schools],
        "lat": network.column("nodes", "lat")[schools],
        "lon": network.column("nodes", "lon")[schools],
        "connected_share": share,
        "median_latency_ms": median,
        "p95_latency_ms": p95,
        "min_latency_ms": low,
        "gateway": gw_ids,
        "gateway_share": gw_share,
        "gateway_country": np.where(used > 0, country[gateways][top], ""),
        "exchange": np.where(used > 0, ids[np.maximum(ix_of_gw, 0)][top], ""),
        "median_one_way_propagation_ms": median,
        "p95_one_way_propagation_ms": p95,
        "median_propagation_rtt_ms": 2 * median,
        "median_rtt_ms": delays.rtt_ms(median, system=system),
        "p95_rtt_ms": delays.rtt_ms(p95, system=system),
    }
    assert tuple(columns) == _SCHOOL_COLUMNS
    return pd.DataFrame(columns)


def school_route(
    network: Network,
    constellation: Constellation,
    t_s: float,
    school: str,
    *,
    policy: str = "home",
    internet_exchanges: Iterable[str] | None = None,
    home_country: str | None = None,
) -> Route | None:
    """The full route of one school at one time step, as :func:`school_connectivity` sees it.

    Satellites appear in ``Route.nodes`` as ``"sat:<index>"`` and radio hops in
    ``Route.links`` as ``"user_link"``, ``"isl"`` or ``"feeder"``; the ground part uses link
    ids. Meant for inspecting single schools (it runs one search per allowed gateway); use
    :func:`school_connectivity` for many.

    Returns ``None`` when the school has no route under the policy at ``t_s`` (with
    ``policy="home"`` every ground node on the route must lie in the home country, see
    :data:`POLICIES`). An unknown ``policy`` raises :class:`ValueError`.

    Examples
    --------
    >>> from routecore import constellation as cs
    >>> from routecore.scenario import load_scenario
    >>> net = load_scenario("central-asia")
    >>> school = net.nodes.loc[net.nodes["kind"] == "terminal", "id"].iat[0]
    >>> route = school_route(net, cs.STARLINK_SHELL1, 0.0, school, policy="any")
    >>> route is None or (route.nodes[0] == school and route.links[0] == "user_link")
    True
    """

    defaults = _analysis_defaults(network)
    home = home_country or defaults.get("home_country")
    kind = network.column("nodes", "kind")
    country = network.column("nodes", "country")
    row = int(network.node_index([school])[0])
    if kind[row] != "terminal":
        raise ScenarioError(f"{school!r} is a {kind[row]}, not a terminal")
    gateways = np.flatnonzero(kind == "gateway").astype(np.int32)
    allowed = {
        "home": country[gateways] == home,
        "any": np.ones(gateways.size, dtype=bool),
        "abroad": country[gateways] != home,
    }.get(policy)
    if allowed is None:
        raise ValueError(f"policy must be one of {POLICIES}, got {policy!r}")
    keep_in = _keep_in(policy, home)
    if keep_in is not None and country[row] != keep_in:
        return None  # the school itself lies outside the country the route must stay in
    ixp = _rows(network, internet_exchanges, "internet_exchanges")
    ground = network.to_graph(capacity=None)
    forbidden = None if keep_in is None else np.asarray(country != keep_in, dtype=bool)
    starts = ixp if forbidden is None else ixp[~forbidden[ixp]]
    if starts.size == 0:
        return None
    g_len, g_near = nearest_source(ground, starts, forbidden_nodes=forbidden)
    # Access graph as in school_connectivity: node 0 is the school, then the gateways.
    ground_rows = np.concatenate([[row], gateways])
    role = [int(GroundRole.TERMINAL)] + [int(GroundRole.GATEWAY)] * gateways.size
    lat = network.column("nodes", "lat").astype(np.float64)[ground_rows]
    lon = network.column("nodes", "lon").astype(np.float64)[ground_rows]
    snap = snapshot(constellation, float(t_s), lat, lon, role)
    access_part = access_graph(snap)
    access, access_medium = access_part.graph, access_part.medium
    best: tuple[float, Any, int] | None = None
    for k, gw_row in enumerate(gateways.tolist()):
        if not allowed[k] or not np.isfinite(g_len[gw_row]):
            continue
        up = shortest_path(access, 1 + k, 0)
        if up is not None and (best is None or up.length + g_len[gw_row] < best[0]):
            best = (float(up.length + g_len[gw_row]), up, gw_row)
    if best is None:
        return None
    _, up, gw = best
    ids = network.column("nodes", "id")
    n_ground = ground_rows.size
    # The access path runs gateway -> satellites -> school; turn it round.
    sky_nodes = [
        str(ids[ground_rows[v]]) if v < n_ground else f"sat:{v - n_ground}"
        for v in reversed(list(up.nodes))
    ]
    sky_links = [Medium(int(access_medium[e])).name.lower() for e in reversed(list(up.edges))]
    down = shortest_path(ground, gw, int(g_near[gw]), forbidden_nodes=forbidden)
    assert down is not None  # g_len[gw] is finite
    tail = _route_from_path(network, list(down.nodes), list(down.edges))
    return Route(
        nodes=(*sky_nodes, *tail.nodes[1:]),
        links=(*sky_links, *tail.links),
        latency_ms=float(up.length) + tail.latency_ms,
        length_km=math.nan,
    )
