"""The satellite sweep shared by the school and siting analyses.

Its work object, the per-process ground index, the per-step latency over every gateway site,
and the runner that drives blocks of time steps through :func:`routecore.executor.run_chunks`.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..constellation import (
    Constellation,
    GroundRole,
    SnapshotBuilder,
    access_graph,
    warn_short_window,
)
from ..errors import ScenarioError
from ..executor import (
    ChunkRun,
    PerProcessCache,
    ProgressArg,
    SweepWork,
    chunk_size_for,
    chunk_slices,
    run_chunks,
)
from ..paths import nearest_source, shortest_path_lengths
from ..scenario import Network
from ._common import _rows


@dataclass(frozen=True, eq=False)
class _SkyWork(SweepWork):
    """What every chunk of a satellite sweep needs: positions and radio roles of the schools
    and gateway sites, each site's ground latency to its exchange, and the constellations
    (tens of kB for 2,000 schools; the Network and the snapshots never travel).

    Ground rows: schools ``0 .. num_schools - 1``, then the gateway sites. The inherited
    ``token`` names the sweep in every pickled copy, so a worker process finds the sweep's
    ground index by it (:mod:`routecore.executor`).
    """

    constellations: dict[str, Constellation]
    lat: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    role: npt.NDArray[np.int64]
    num_schools: int
    to_exchange: npt.NDArray[np.float64]  # (ground policies, sites): site -> exchange, ms
    max_user_links: int | None
    threads: int
    allowed: npt.NDArray[np.bool_] | None = None  # school_connectivity: (policies, sites)
    existing: npt.NDArray[np.bool_] | None = None  # gateway_siting "added": (sites,)
    candidates: npt.NDArray[np.int64] | None = None  # gateway_siting: site index per candidate
    # (ground policies, schools): schools a policy may serve at all (in-country: those inside)
    school_allowed: npt.NDArray[np.bool_] | None = None


_ground_index: PerProcessCache[SnapshotBuilder] = PerProcessCache()
"""Per sweep and constellation, the checked and indexed ground side of the sweep."""


def _prepared(work: _SkyWork, cname: str) -> SnapshotBuilder:
    """The ground side of ``work`` for constellation ``cname`` (validated, spatially indexed),
    built once per sweep in this process: a sweep runs one block per time step or a few, and
    indexing 10^5 schools again for every block would cost more than a step's search."""
    return _ground_index.get(
        work,
        cname,
        lambda: SnapshotBuilder(
            work.constellations[cname],
            work.lat,
            work.lon,
            work.role,
            max_user_links=work.max_user_links,
            threads=work.threads,
        ),
    )


def _site_latency(
    work: _SkyWork, cname: str, times: npt.NDArray[np.float64]
) -> Iterator[npt.NDArray[np.float64]]:
    """Per time step, ``sat[g, s]``: school ``s`` -> satellites -> site ``g`` (the ground leg
    to the exchange, ``work.to_exchange``, depends on the policy and is added by the caller).

    One batched search from every site over the directed access graph per step (feeder links
    leave the sites, user links only enter schools, so neither relays traffic), on
    ``work.threads`` threads.
    """
    n_s, n_g = work.num_schools, work.to_exchange.shape[-1]
    prepared = _prepared(work, cname)
    for t in times.tolist():
        access = access_graph(prepared.build(t), threads=work.threads).graph
        sat_part = shortest_path_lengths(access, np.arange(n_s, n_s + n_g), threads=work.threads)
        del access  # before the next step allocates its own (memory is reused, not grown)
        yield np.asarray(sat_part)[:, :n_s]


def _run_sky(
    task: Any,
    work: Any,
    named: Mapping[str, Constellation],
    times: npt.NDArray[np.float64],
    *,
    chunk_size: int | None,
    executor: Any,
    progress: ProgressArg,
    description: str,
) -> tuple[ChunkRun, list[tuple[str, slice]]]:
    """Run ``task`` over blocks of consecutive time steps, constellation by constellation.

    Here (no executor) with ``work.threads`` > 1, up to 4 blocks run side by side on a thread
    pool, each on its share of the threads: a step's numpy glue and memory-bound parts (edge
    arrays, graph builds) then overlap with another step's C++ work, where one step on all
    threads would leave cores idle in them. Results do not depend on it.

    Returns the run and, per block, which constellation and time-step slice it covered."""
    warn_short_window(named, times, stacklevel=3)  # to the caller of the public analysis
    size = chunk_size or chunk_size_for(len(named) * times.size, executor, local=1)
    chunks, where = [], []
    for cname in named:
        for sl in chunk_slices(times.size, size):
            chunks.append((cname, times[sl]))
            where.append((cname, sl))
    side_by_side = min(work.threads, 4, len(chunks)) if executor is None else 1
    if side_by_side > 1:
        work = dataclasses.replace(work, threads=max(1, work.threads // side_by_side))
    with (
        ThreadPoolExecutor(side_by_side, thread_name_prefix="routecore-sweep")
        if side_by_side > 1
        else contextlib.nullcontext(executor)
    ) as runner:
        run = run_chunks(
            task,
            work,
            chunks,
            sizes=[c[1].size for c in chunks],
            executor=runner,  # the caller's executor, our side-by-side pool, or None (here)
            progress=progress,
            description=description,
        )
    return run, where


def _ground_legs(
    network: Network,
    sites: npt.NDArray[np.int32],
    internet_exchanges: Iterable[str] | None,
    keep_in: Sequence[str | None],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """Per ground policy and site, the latency (ms, one-way propagation) over the ground network
    to the nearest exchange and that exchange's row (-1 if none).

    ``keep_in[p]`` is a country code: no ground node outside it may be on the route (the site
    and the exchange included, so a foreign site or exchange is unreachable), as the in-country
    rule demands; ``None``: any route. One multi-source search per distinct policy."""
    ixp = _rows(network, internet_exchanges, "internet_exchanges")
    graph = network.to_graph(capacity=None)
    country = network.column("nodes", "country")
    to_ix = np.full((len(keep_in), sites.size), np.inf)
    ix_of = np.full((len(keep_in), sites.size), -1, dtype=np.int64)
    done: dict[str | None, int] = {}
    for p, code in enumerate(keep_in):
        if code in done:
            to_ix[p], ix_of[p] = to_ix[done[code]], ix_of[done[code]]
            continue
        done[code] = p
        forbidden = None if code is None else np.asarray(country != code, dtype=bool)
        starts = ixp if forbidden is None else ixp[~forbidden[ixp]]
        if starts.size == 0:
            continue  # every exchange lies outside: nothing reachable under this policy
        g_len, g_near = nearest_source(graph, starts, forbidden_nodes=forbidden)
        to_ix[p] = np.asarray(g_len, dtype=np.float64)[sites]
        ix_of[p] = np.where(np.isfinite(to_ix[p]), np.asarray(g_near)[sites], -1)
    return to_ix, ix_of


def _school_sites(
    network: Network,
    sites: npt.NDArray[np.int32],
    internet_exchanges: Iterable[str] | None,
    keep_in: Sequence[str | None] = (None,),
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float64], npt.NDArray[np.int64], Any]:
    """Schools, per ground policy (:func:`_ground_legs`) each site's ground latency to its
    nearest exchange and that exchange, and the access-sweep ground arrays (lat, lon, role)
    for schools + sites."""
    kind = network.column("nodes", "kind")
    schools = np.flatnonzero(kind == "terminal").astype(np.int32)
    if schools.size == 0 or sites.size == 0:
        raise ScenarioError("the satellite analyses need terminal nodes and gateway sites")
    # Ground part, once per policy: each site's latency to its nearest exchange.
    to_ix, ix_of_site = _ground_legs(network, sites, internet_exchanges, keep_in)
    rows = np.concatenate([schools, sites])
    role = np.concatenate(
        [
            np.full(schools.size, int(GroundRole.TERMINAL), dtype=np.int64),
            np.full(sites.size, int(GroundRole.GATEWAY), dtype=np.int64),
        ]
    )
    lat = network.column("nodes", "lat").astype(np.float64)[rows]
    lon = network.column("nodes", "lon").astype(np.float64)[rows]
    return schools, to_ix, ix_of_site, (lat, lon, role)
