"""Gateway siting: score candidate in-country gateway sites by the school latency they give."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ..constellation import Constellation
from ..errors import ScenarioError
from ..executor import ProgressArg, task_threads
from ..scenario import Network
from ._common import _analysis_defaults, _named
from ._sky import _run_sky, _school_sites, _site_latency, _SkyWork
from ._stats import _column_quantiles
from .latency import delay_assumptions

try:
    import pandas as pd
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        'routecore.analyses needs pandas; install the domain extras: pip install "routecore[geo]"'
    ) from exc

__all__ = ["SITING_MODES", "gateway_siting"]


SITING_MODES = ("single", "added")
"""``single``: the candidate is the only gateway; ``added``: it joins the existing gateways."""


def _siting_chunk(
    work: _SkyWork, chunk: tuple[str, npt.NDArray[np.float64]]
) -> npt.NDArray[np.float64]:
    """Latency per candidate site, step and school, with that site as the only gateway (or
    added to the existing ones)."""
    cname, times = chunk
    candidates = work.candidates
    assert candidates is not None
    out = np.full((candidates.size, times.size, work.num_schools), np.inf)
    for k, sat in enumerate(_site_latency(work, cname, times)):
        total = sat + work.to_exchange[0][:, None]
        if work.school_allowed is not None:
            total[:, ~work.school_allowed[0]] = np.inf
        out[:, k] = total[candidates]
        if work.existing is not None and work.existing.any():
            out[:, k] = np.minimum(out[:, k], total[work.existing].min(axis=0))
    return out


def gateway_siting(
    network: Network,
    constellations: Mapping[str, Constellation] | Sequence[Constellation],
    times_s: npt.ArrayLike,
    *,
    candidates: Iterable[str] | None = None,
    mode: str = "single",
    existing: Iterable[str] | None = None,
    internet_exchanges: Iterable[str] | None = None,
    home_country: str | None = None,
    in_country: bool = True,
    max_user_links: int | None = None,
    threads: int | None = None,
    executor: Any = None,
    progress: ProgressArg = None,
    chunk_size: int | None = None,
) -> pd.DataFrame:
    """Score candidate in-country gateway sites by the school latency they give.

    Every candidate site is made a gateway (feeder links to the satellites it sees, its ground
    latency to the nearest exchange added); per time step one batched search from all
    candidates gives, for every school, the latency over each site. ``mode="single"`` scores
    each site as the only gateway, ``mode="added"`` as one more gateway next to the existing
    ones (a school then uses whichever is faster). The time steps run in blocks, here or on
    ``executor``, as in :func:`school_connectivity`.

    Parameters
    ----------
    network : Network
    constellations : mapping name -> Constellation, or a sequence (named by ``.name``)
    times_s : array_like of float
    candidates : iterable of node ids, optional
        Default: every gateway and PoP in ``home_country`` (for ``central-asia`` the Kokterek
        and Akkol space communications centres and the Kazakh cities).
    mode : {"single", "added"}, default "single"
    existing : iterable of node ids, optional
        The current gateways for ``mode="added"``. Default: the gateways in ``home_country``.
    in_country : bool, default True
        With a home country, keep the whole route in it, as ``policy="home"`` of
        :func:`school_connectivity`: the site's ground leg to the exchange may not leave the
        country (a site or school abroad, or one whose only ground route leaves the country,
        gets no route). ``False``: any ground route.
    internet_exchanges, home_country, max_user_links, threads, executor, progress, chunk_size
        As in :func:`school_connectivity`.

    Returns
    -------
    pandas.DataFrame
        One row per (constellation, site), best first within each constellation:
        ``constellation``, ``mode``, ``rank`` (1 = best), ``site`` (node id), ``name``,
        ``kind``, ``lat``, ``lon``, ``exchange`` (nearest exchange over the ground network),
        ``ground_latency_ms`` (site -> exchange), ``connected_share`` (share of school x time
        step samples with a route), ``median_latency_ms``, ``p95_latency_ms`` (over the
        connected samples; NaN if none), ``worst_school_connected_share`` (the least covered
        school's share of connected steps), then ``median_one_way_propagation_ms``,
        ``p95_one_way_propagation_ms`` (the same figures under names that say what they are:
        every latency here is one-way propagation), ``median_rtt_ms`` and ``p95_rtt_ms``
        (round trip with the system's declared delay, :mod:`~routecore.analyses.latency`).
        Ranked by ``connected_share`` (descending), then
        ``median_latency_ms`` and ``p95_latency_ms`` (ascending). ``attrs``: ``partial``,
        ``steps_done``, ``times_done``, ``steps_total`` as in :func:`school_connectivity`.

    Examples
    --------
    >>> from routecore import constellation as cs
    >>> from routecore.scenario import load_scenario
    >>> net = load_scenario("central-asia")
    >>> top = gateway_siting(net, [cs.STARLINK_SHELL1], [0.0], candidates=["akkol", "almaty"])
    >>> sorted(top["site"])
    ['akkol', 'almaty']
    """
    if mode not in SITING_MODES:
        raise ValueError(f"mode must be one of {SITING_MODES}, got {mode!r}")
    defaults = _analysis_defaults(network)
    home = home_country or defaults.get("home_country")
    kind = network.column("nodes", "kind")
    country = network.column("nodes", "country")
    if candidates is None:
        if not home:
            raise ScenarioError("candidates default to home_country sites; give home_country")
        cand = np.flatnonzero(np.isin(kind, ["gateway", "pop"]) & (country == home))
    else:
        cand = network.node_index(list(candidates)).astype(np.int64)
    if cand.size == 0:
        raise ScenarioError("no candidate gateway sites")
    if mode == "added":
        if existing is None:
            old = np.flatnonzero((kind == "gateway") & (country == home))
        else:
            old = network.node_index(list(existing)).astype(np.int64)
    else:
        old = np.zeros(0, dtype=np.int64)
    sites, inverse = np.unique(np.concatenate([cand, old]), return_inverse=True)
    sites = sites.astype(np.int32)
    named = _named(constellations)
    delays = delay_assumptions(network)
    times = np.atleast_1d(np.asarray(times_s, dtype=np.float64))
    keep_in = home if (in_country and home) else None
    schools, to_ix2, ix_of_site2, (lat, lon, role) = _school_sites(
        network, sites, internet_exchanges, [keep_in]
    )
    to_ix, ix_of_site = to_ix2[0], ix_of_site2[0]
    school_allowed = None if keep_in is None else (country[schools] == keep_in)[None, :]
    existing_mask = np.zeros(sites.size, dtype=bool)
    existing_mask[inverse[cand.size :]] = True
    work = _SkyWork(
        named,
        lat,
        lon,
        role,
        int(schools.size),
        to_ix2,
        max_user_links,
        task_threads(threads, executor),
        school_allowed=school_allowed,
        existing=existing_mask if mode == "added" else None,
        candidates=inverse[: cand.size].astype(np.int64),
    )
    run, where = _run_sky(
        _siting_chunk,
        work,
        named,
        times,
        chunk_size=chunk_size,
        executor=executor,
        progress=progress,
        description="gateway sites x time steps",
    )
    latency = {c: np.full((cand.size, times.size, schools.size), np.inf) for c in named}
    done = {c: np.zeros(times.size, dtype=bool) for c in named}
    for (cname, sl), finished, result in zip(where, run.finished, run.results, strict=True):
        if finished:
            latency[cname][:, sl] = result
            done[cname][sl] = True
    ids = network.column("nodes", "id")
    frames = []
    for cname in named:
        steps = done[cname]
        if not steps.any():
            continue
        system = delays.system_name(cname, named[cname].name)
        lat_c = latency[cname][:, steps].reshape(cand.size, -1)
        connected = np.isfinite(lat_c)
        per_school = np.isfinite(latency[cname][:, steps]).mean(axis=1)
        median, p95, _ = _column_quantiles(np.where(connected, lat_c, np.nan).T)
        site_of = inverse[: cand.size]
        table = pd.DataFrame(
            {
                "constellation": cname,
                "mode": mode,
                "site": ids[cand],
                "name": network.column("nodes", "name")[cand],
                "kind": kind[cand],
                "lat": network.column("nodes", "lat")[cand],
                "lon": network.column("nodes", "lon")[cand],
                "exchange": np.where(
                    np.isfinite(to_ix[site_of]), ids[np.maximum(ix_of_site[site_of], 0)], ""
                ),
                "ground_latency_ms": to_ix[site_of],
                "connected_share": connected.mean(axis=1),
                "median_latency_ms": median,
                "p95_latency_ms": p95,
                "worst_school_connected_share": per_school.min(axis=1),
                "median_one_way_propagation_ms": median,
                "p95_one_way_propagation_ms": p95,
                "median_rtt_ms": delays.rtt_ms(median, system=system),
                "p95_rtt_ms": delays.rtt_ms(p95, system=system),
            }
        )
        table["_order"] = -table["connected_share"]
        table = table.sort_values(
            ["_order", "median_latency_ms", "p95_latency_ms"], kind="stable", na_position="last"
        ).drop(columns="_order")
        table.insert(2, "rank", np.arange(1, len(table) + 1))
        frames.append(table)
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    out.attrs.update(
        partial=not run.complete,
        steps_done={c: int(done[c].sum()) for c in named},
        times_done={c: times[done[c]].tolist() for c in named},
        steps_total=int(times.size),
    )
    return out
