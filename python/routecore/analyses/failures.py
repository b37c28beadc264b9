"""Link-failure sweep: every single (and optionally pair) link failure, ranked by harm."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from .._validation import thread_count
from ..batch import lengths_under_failures, max_flow_under_failures
from ..executor import ProgressArg, chunk_size_for, chunk_slices, run_chunks, task_threads
from ..flow import max_flow
from ..paths import nearest_source, shortest_path
from ..scenario import Network
from ._common import _country_mask, _rows
from .routes import _avoid_capacity

try:
    import pandas as pd
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        'routecore.analyses needs pandas; install the domain extras: pip install "routecore[geo]"'
    ) from exc

if TYPE_CHECKING:
    from ..graph import Graph

__all__ = ["failure_sweep"]


@dataclass(frozen=True)
class _FailureWork:
    """What every chunk of a failure sweep needs: the ground graph as CSR arrays and the
    per-link base values (a few kB for ``central-asia``; the Network itself never travels)."""

    graph: Graph
    sources: npt.NDArray[np.int32]
    sinks: npt.NDArray[np.int32]
    capacity: npt.NDArray[np.float64]
    latency: npt.NDArray[np.float64]
    forbidden: npt.NDArray[np.bool_] | None
    threads: int


def _failure_chunk(
    work: _FailureWork,
    chunk: tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_], npt.NDArray[np.bool_]],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Max flow and best latency of a block of failure cases (NaN where not asked for): two
    batched C++ calls, each running its cases on ``work.threads`` threads."""
    failed, need_flow, need_latency = chunk
    flow = np.full(failed.shape[0], np.nan)
    latency = np.full(failed.shape[0], np.nan)
    if need_flow.any():
        flow[need_flow] = max_flow_under_failures(
            work.graph,
            work.sources,
            work.sinks,
            failed[need_flow],
            capacity=work.capacity,
            threads=work.threads,
        )
    if need_latency.any():
        lengths = lengths_under_failures(
            work.graph,
            work.sources,
            work.sinks,
            failed[need_latency],
            weight=work.latency,
            forbidden_nodes=work.forbidden,
            threads=work.threads,
        )
        latency[need_latency] = lengths.min(axis=1)
    return flow, latency


def failure_sweep(
    network: Network,
    *,
    sources: Iterable[str] | None = None,
    sinks: Iterable[str] | None = None,
    avoid_countries: Sequence[str] = (),
    pairs: bool = False,
    links: Iterable[str] | None = None,
    threads: int | None = None,
    executor: Any = None,
    progress: ProgressArg = None,
    chunk_size: int | None = None,
) -> pd.DataFrame:
    """Every single link failure (and optionally every pair), ranked by harm.

    A failed link gets capacity 0 for the max-flow and is closed (deleted) for the route
    search. The cases run in blocks; each block is two batched C++ calls (every case's max
    flow, every case's shortest routes) on ``threads`` threads, and the blocks run here or on
    ``executor`` (see :mod:`routecore.executor`). The result does not depend on ``threads``,
    ``executor`` or ``chunk_size``.

    Parameters
    ----------
    network : Network
    sources, sinks : iterable of node ids, optional
        Default: the scenario's transit end points.
    avoid_countries : sequence of ISO codes
        Compute with these countries avoided, as in :func:`transit_capacity`.
    pairs : bool, default False
        Also fail every pair of links (``m (m - 1) / 2`` cases).
    links : iterable of link ids, optional
        The candidate links (default: all).
    threads : int, optional
        Threads per batched call. Default: every core here, 1 per task with an executor.
    executor : concurrent.futures.Executor or dask.distributed.Client, optional
        Where the blocks run (default: here, nothing to start).
    progress : callable(done, total) or True, optional
        Called with the number of cases done after each block; ``True`` draws a terminal bar.
    chunk_size : int, optional
        Cases per block (default: about 20 blocks here, a few per worker on an executor).

    Returns
    -------
    pandas.DataFrame
        One row per failure case, most harmful first: ``failed`` (tuple of link ids),
        ``max_flow_gbps`` (after the failure), ``lost_gbps`` (base flow - flow after, >= 0),
        ``lost_share`` (of the base flow), ``latency_ms`` (one-way propagation over the best
        route after; ``inf`` when every sink is cut off), ``added_latency_ms`` (``inf`` when
        cut off), ``disconnected`` (no sink reachable), and the same latencies under names
        that say what they are: ``one_way_propagation_ms``, ``added_one_way_propagation_ms``,
        ``propagation_rtt_ms`` (round trip, twice the one-way figure).
        Sorted by ``lost_gbps`` and then ``added_latency_ms``, descending.
        ``attrs``: ``base_flow_gbps``, ``base_latency_ms``, ``partial`` (``True`` when Ctrl-C
        stopped the sweep: the rows are then the cases finished so far), ``cases_done``,
        ``cases_total``.

    Notes
    -----
    Links that carry no flow in a maximum flow cannot lower the maximum when they fail (the
    same flow stays feasible), and links off the best route cannot lengthen it; such cases
    (single or pairs) are filled in without a solver call.

    Node failures and shared-risk groups: :func:`~routecore.analyses.node_failure_sweep` and
    :func:`~routecore.analyses.group_failure_sweep`, with the same table.

    >>> from routecore.scenario import load_scenario
    >>> sweep = failure_sweep(load_scenario("central-asia"))
    >>> bool((sweep["lost_gbps"] >= 0).all())
    True
    """
    candidates = np.arange(network.num_links) if links is None else network.link_index(list(links))
    candidates = candidates.astype(np.int64)
    failed = np.stack([candidates, np.full(candidates.size, -1, dtype=np.int64)], axis=1)
    if pairs:
        a, b = np.triu_indices(candidates.size, k=1)
        failed = np.concatenate([failed, np.stack([candidates[a], candidates[b]], axis=1)])
    ids = network.column("links", "id")
    labels = [tuple(str(ids[e]) for e in case if e >= 0) for case in failed.tolist()]
    return run_failure_cases(
        network,
        failed,
        labels,
        sources=sources,
        sinks=sinks,
        avoid_countries=avoid_countries,
        threads=threads,
        executor=executor,
        progress=progress,
        chunk_size=chunk_size,
        description="link failures",
    )


def run_failure_cases(
    network: Network,
    failed: npt.NDArray[np.int64],
    labels: Sequence[tuple[str, ...]],
    *,
    sources: Iterable[str] | None,
    sinks: Iterable[str] | None,
    avoid_countries: Sequence[str],
    threads: int | None,
    executor: Any,
    progress: ProgressArg,
    chunk_size: int | None,
    description: str,
) -> pd.DataFrame:
    """The ranked table of any failure sweep (the entry point of the node and group sweeps).

    ``failed`` holds one case per row: the link rows that fail together, padded with ``-1``;
    ``labels[i]`` is what the ``failed`` column shows for case ``i``. A case none of whose
    links carries flow in the base maximum flow keeps the base flow (that flow stays
    feasible), and one none of whose links is on the base best route keeps the base latency;
    both are filled in without a solver call. The other cases run in blocks as described in
    :func:`failure_sweep`.
    """
    src = _rows(network, sources, "transit_sources")
    dst = _rows(network, sinks, "transit_sinks")
    g = network.to_graph()
    ends = np.concatenate([src, dst])
    cap0 = _avoid_capacity(
        network,
        network.column("links", "capacity_gbps").astype(np.float64),
        avoid_countries,
        ends,
    )
    w0 = network.column("links", "latency_ms").astype(np.float64)
    forbidden = _country_mask(network, avoid_countries)
    forbidden[ends] = False
    mask = forbidden if forbidden.any() else None

    # The intact network, by the same batched calls as the cases, plus one flow and one route
    # to tell which links can matter at all.
    base_work = _FailureWork(g, src, dst, cap0, w0, mask, thread_count(threads))
    none = np.full((1, 1), -1, dtype=np.int64)
    yes = np.ones(1, dtype=bool)
    flow0, latency0 = _failure_chunk(base_work, (none, yes, yes))
    base_flow, base_latency = float(flow0[0]), float(latency0[0])
    carries = np.abs(np.asarray(max_flow(g, src, dst, capacity=cap0).edge_flow)) > 0
    on_route = np.zeros(network.num_links, dtype=bool)
    lengths, nearest = nearest_source(g, src, weight=w0, forbidden_nodes=mask)
    if math.isfinite(base_latency):
        t = int(dst[np.argmin(lengths[dst])])
        path = shortest_path(g, int(nearest[t]), t, weight=w0, forbidden_nodes=mask)
        assert path is not None  # reachable by the search above
        on_route[path.edges] = True

    real = failed >= 0
    safe = np.where(real, failed, 0)
    need_flow = np.any(carries[safe] & real, axis=1)
    need_latency = np.any(on_route[safe] & real, axis=1)

    k = failed.shape[0]
    size = chunk_size or chunk_size_for(k, executor, local=max(256, math.ceil(k / 20)))
    slices = chunk_slices(k, size)
    work = _FailureWork(g, src, dst, cap0, w0, mask, task_threads(threads, executor))
    run = run_chunks(
        _failure_chunk,
        work,
        [(failed[s], need_flow[s], need_latency[s]) for s in slices],
        sizes=[s.stop - s.start for s in slices],
        executor=executor,
        progress=progress,
        description=description,
    )
    keep = np.zeros(k, dtype=bool)
    flow = np.full(k, base_flow)
    latency = np.full(k, base_latency)
    for s, done, result in zip(slices, run.finished, run.results, strict=True):
        if not done:
            continue
        keep[s] = True
        f, lat = result
        flow[s] = np.where(np.isnan(f), base_flow, f)
        latency[s] = np.where(np.isnan(lat), base_latency, lat)
    rows = np.flatnonzero(keep)
    flow, latency = flow[rows], latency[rows]
    with np.errstate(invalid="ignore"):
        added = latency - base_latency
    out = pd.DataFrame(
        {
            "failed": [labels[i] for i in rows.tolist()],
            "max_flow_gbps": flow,
            "lost_gbps": np.maximum(base_flow - flow, 0.0),
            "lost_share": (base_flow - flow) / base_flow if base_flow > 0 else np.zeros(rows.size),
            "latency_ms": latency,
            "added_latency_ms": added,
            "disconnected": ~np.isfinite(latency),
            "one_way_propagation_ms": latency,
            "added_one_way_propagation_ms": added,
            "propagation_rtt_ms": 2 * latency,
        }
    )
    out = out.sort_values(
        ["lost_gbps", "added_latency_ms"], ascending=False, kind="stable"
    ).reset_index(drop=True)
    out.attrs.update(
        base_flow_gbps=base_flow,
        base_latency_ms=base_latency,
        partial=not run.complete,
        cases_done=int(rows.size),
        cases_total=int(k),
    )
    return out
