"""Running a sweep: its chunks here, on a :class:`concurrent.futures.Executor` or on a Dask
cluster, with progress reports and Ctrl-C.

The batched queries that a chunk runs live in :mod:`routecore.batch`.

Where the chunks run
--------------------
:func:`run_chunks` is what the sweeps of :mod:`routecore.analyses` use. A sweep is a function
``task(shared, chunk)`` applied to a list of chunks (blocks of failure cases, blocks of time
steps); ``shared`` holds what every chunk needs (a graph as CSR arrays, coordinates) and
travels to each worker once where the executor allows it. Where the chunks run is the
``executor=`` argument:

* ``None`` (default): here, one chunk after the other; each chunk's C++ calls use ``threads``
  cores. Nothing to start.
* any :class:`concurrent.futures.Executor` (``ThreadPoolExecutor``, ``ProcessPoolExecutor``,
  ``loky``...): every chunk is submitted with ``shared``; a process pool pickles ``shared`` with
  each chunk, so it is kept to compact arrays.
* a ``dask.distributed.Client``: ``shared`` is scattered to every worker once, then the chunks
  are submitted with a reference to it. Connect to a running cluster with
  ``Client("tcp://scheduler:8786")``; ``dask`` is imported only when a Client is passed.

Results come back in chunk order whatever order the chunks finish in, so a sweep returns the
same table on every executor.

Progress and interruption
-------------------------
``progress`` is ``None``, a callable ``progress(done, total)`` (in the sweep's own units: time
steps or failure cases) called after each chunk, or ``True`` for a progress bar on the terminal
(rich, on stderr). Ctrl-C (a :class:`KeyboardInterrupt` anywhere in the loop, the progress callback
included) stops the sweep: chunks not started are cancelled, the chunks already finished are
kept, and the sweep returns a *partial* result; its table has ``attrs["partial"] = True``
(``False`` for a complete run) and says how much was done.

Bad options (``progress=``, ``executor=``, ``threads=``) raise :class:`TypeError` or
:class:`ValueError` naming the option.

Per-process caches
------------------
A sweep hands every block the same *work* object (arrays all blocks need). Run here, the blocks
share that one object; on a ``concurrent.futures`` process pool each block arrives with its own
pickled copy, so anything a block derives from the work (a spatial index, say) would be built
again for every block. :class:`SweepWork` gives the work a token, the same in every copy, and
remembers whether this copy was received pickled; :class:`PerProcessCache` keeps what the blocks
derive, weakly per work object here, and by token (the latest sweep only) in a worker process.

Nothing here knows about a particular analysis: :mod:`routecore.analyses` builds its ground
indexes through it.

>>> import pickle
>>> cache: PerProcessCache[list[int]] = PerProcessCache()
>>> work = SweepWork()  # in practice a dataclass derived from it, with the sweep's arrays
>>> built = cache.get(work, "squares", lambda: [i * i for i in range(3)])
>>> cache.get(work, "squares", list) is built
True
>>> copy = pickle.loads(pickle.dumps(work))
>>> copy.received, copy.token == work.token
(True, True)
>>> cache.get(copy, "squares", list) is built  # a copy is another work object
False
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import math
import threading
import uuid
import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import numpy as np
import numpy.typing as npt

from ._validation import thread_count

__all__ = [
    "ChunkRun",
    "PerProcessCache",
    "Progress",
    "ProgressArg",
    "SweepWork",
    "chunk_size_for",
    "chunk_slices",
    "default_chunk_count",
    "run_chunks",
    "task_threads",
]

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` after each chunk of a sweep."""

ProgressArg = Progress | bool | None
"""``None``/``False``: no report; ``True``: a terminal progress bar; a callable: called."""


def task_threads(threads: int | None, executor: Any) -> int:
    """Threads for the C++ calls inside one chunk: ``threads`` if given; otherwise every core
    when the chunks run here, and 1 when an executor already runs chunks side by side.

    >>> from concurrent.futures import ThreadPoolExecutor
    >>> with ThreadPoolExecutor(2) as pool:
    ...     task_threads(None, pool), task_threads(1, None)
    (1, 1)
    """
    if threads is not None or executor is None:
        return thread_count(threads)
    return 1


def chunk_slices(total: int, size: int) -> list[slice]:
    """``[0, total)`` in consecutive slices of at most ``size`` (at least 1).

    >>> chunk_slices(5, 2)
    [slice(0, 2, None), slice(2, 4, None), slice(4, 5, None)]
    """
    size = max(1, int(size))
    return [slice(lo, min(lo + size, total)) for lo in range(0, total, size)]


@dataclass
class ChunkRun:
    """What :func:`run_chunks` returns.

    Attributes
    ----------
    results : list
        ``results[i]`` is the value of chunk ``i``, or ``None`` if it did not finish.
    finished : ndarray of bool
        Which chunks finished.
    interrupted : bool
        Whether a KeyboardInterrupt stopped the run.
    """

    results: list[Any]
    finished: npt.NDArray[np.bool_] = field(repr=False)
    interrupted: bool = False

    @property
    def complete(self) -> bool:
        """Whether every chunk finished."""
        return bool(self.finished.all())


def _is_dask_client(executor: Any) -> bool:
    cls = type(executor)
    return cls.__module__.split(".")[0] == "distributed" and hasattr(executor, "scatter")


@contextlib.contextmanager
def _reporter(progress: ProgressArg, total: int, description: str) -> Iterator[Progress | None]:
    """The progress callback to call, opening a terminal bar for ``progress=True``."""
    if progress is None or progress is False:
        yield None
        return
    if progress is True:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as RichProgress

        with RichProgress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as bar:
            task = bar.add_task(description, total=total)
            yield lambda done, _total: bar.update(task, completed=done)
        return
    if not callable(progress):
        raise TypeError(f"progress must be None, True or a callable, got {progress!r}")
    yield progress


def run_chunks(
    task: Callable[[Any, Any], Any],
    shared: Any,
    chunks: Sequence[Any],
    *,
    sizes: Sequence[int] | None = None,
    executor: Any = None,
    progress: ProgressArg = None,
    description: str = "sweep",
) -> ChunkRun:
    """Apply ``task(shared, chunk)`` to every chunk, here or on ``executor``.

    Parameters
    ----------
    task : callable
        A module-level function (executors pickle it by name).
    shared : object
        Passed to every call; sent once per worker to a Dask cluster (``Client.scatter``), with
        every chunk to a ``concurrent.futures`` executor.
    chunks : sequence
        One item per call; keep them small (index ranges, a few times).
    sizes : sequence of int, optional
        The work in each chunk in the unit the progress report counts (default 1 each).
    executor : None, concurrent.futures.Executor or dask.distributed.Client
    progress : None, True or callable(done, total)
    description : str
        Label of the terminal bar.

    Returns
    -------
    ChunkRun
        Results in chunk order; on KeyboardInterrupt, those that finished.

    Raises
    ------
    TypeError
        ``executor`` or ``progress`` of a kind not listed above.

    Examples
    --------
    >>> def scaled(shared, chunk):
    ...     return [shared * x for x in chunk]
    >>> seen = []
    >>> report = lambda done, total: seen.append(done)
    >>> run = run_chunks(scaled, 10, [[1, 2], [3]], sizes=[2, 1], progress=report)
    >>> run.results, run.complete, seen
    ([[10, 20], [30]], True, [2, 3])
    """
    weights = [1] * len(chunks) if sizes is None else [int(s) for s in sizes]
    total = int(sum(weights))
    results: list[Any] = [None] * len(chunks)
    finished = np.zeros(len(chunks), dtype=bool)
    interrupted = False
    with _reporter(progress, total, description) as report:
        done = 0

        def record(i: int, value: Any) -> None:
            nonlocal done
            results[i] = value
            finished[i] = True
            done += weights[i]
            if report is not None:
                report(done, total)

        try:
            if executor is None:
                for i, chunk in enumerate(chunks):
                    record(i, task(shared, chunk))
            elif _is_dask_client(executor):
                _run_dask(executor, task, shared, chunks, results, finished, record)
            elif isinstance(executor, cf.Executor):
                _run_futures(executor, task, shared, chunks, results, finished, record)
            else:
                raise TypeError(
                    "executor must be None, a concurrent.futures.Executor or a "
                    f"dask.distributed.Client, got {type(executor).__name__}"
                )
        except KeyboardInterrupt:
            interrupted = True
    return ChunkRun(results, finished, interrupted)


def _run_futures(
    executor: cf.Executor,
    task: Callable[[Any, Any], Any],
    shared: Any,
    chunks: Sequence[Any],
    results: list[Any],
    finished: npt.NDArray[np.bool_],
    record: Callable[[int, Any], None],
) -> None:
    index = {executor.submit(task, shared, chunk): i for i, chunk in enumerate(chunks)}
    try:
        for future in cf.as_completed(index):
            record(index[future], future.result())
    except BaseException:
        for future in index:
            future.cancel()
        _harvest(
            ((index[f], f) for f in index if f.done() and not f.cancelled()),
            lambda f: f.exception() is None,
            results,
            finished,
        )
        raise


def _run_dask(
    client: Any,
    task: Callable[[Any, Any], Any],
    shared: Any,
    chunks: Sequence[Any],
    results: list[Any],
    finished: npt.NDArray[np.bool_],
    record: Callable[[int, Any], None],
) -> None:
    import distributed

    as_completed: Callable[..., Iterator[Any]] = distributed.as_completed

    shared_future = client.scatter(shared, broadcast=True, hash=False)
    futures = [client.submit(task, shared_future, chunk, pure=False) for chunk in chunks]
    index = {f.key: i for i, f in enumerate(futures)}
    try:
        for future in as_completed(futures):
            record(index[future.key], future.result())
    except BaseException:
        client.cancel([f for f in futures if not f.done()])
        _harvest(
            ((index[f.key], f) for f in futures if f.done()),
            lambda f: f.status == "finished",
            results,
            finished,
        )
        raise
    finally:
        client.cancel([shared_future])


def _harvest(
    candidates: Iterator[tuple[int, Any]],
    ok: Callable[[Any], bool],
    results: list[Any],
    finished: npt.NDArray[np.bool_],
) -> None:
    """Keep the results of chunks that finished but were not recorded yet (after Ctrl-C)."""
    for i, future in candidates:
        if finished[i]:
            continue
        with contextlib.suppress(BaseException):
            if ok(future):
                results[i] = future.result()
                finished[i] = True


def default_chunk_count(executor: Any) -> int:
    """How many chunks to cut a sweep into: a few per worker so that they balance."""
    if executor is None:
        return 1
    workers = 0
    if _is_dask_client(executor):
        with contextlib.suppress(Exception):
            workers = int(sum(executor.nthreads().values()))
    else:
        workers = int(getattr(executor, "_max_workers", 0) or 0)
    return 4 * max(workers, 2)


def chunk_size_for(total: int, executor: Any, *, local: int) -> int:
    """Chunk size: ``local`` when running here (progress granularity), otherwise enough chunks
    for every worker of the executor to get a few."""
    if executor is None:
        return max(1, local)
    return max(1, math.ceil(total / default_chunk_count(executor)))


# ------------------------------------------------------------------ per-process caches
T = TypeVar("T")


def _new_token() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True, eq=False)
class SweepWork:
    """Base of the shared work of a sweep (a frozen dataclass; subclasses add their fields).

    Attributes
    ----------
    token : str
        The sweep's name, the same in every pickled copy (a fresh one per work object).
    received : bool
        ``True`` in a process that got this work pickled, ``False`` where it was made.
    """

    token: str = field(default_factory=_new_token, kw_only=True)
    received: bool = field(default=False, kw_only=True)

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state, received=True)


class PerProcessCache(Generic[T]):
    """Values derived from a :class:`SweepWork`, built once per sweep in this process.

    Work made here is cached weakly (its values are freed with it). Work received pickled is
    cached by its token, and only the latest sweep's: a new token drops the previous sweep's
    values, so a long-lived worker does not accumulate them.
    """

    def __init__(self) -> None:
        self._by_work: weakref.WeakKeyDictionary[SweepWork, dict[str, T]] = (
            weakref.WeakKeyDictionary()
        )
        self._by_token: dict[str, dict[str, T]] = {}
        self._lock = threading.Lock()

    def get(self, work: SweepWork, key: str, build: Callable[[], T]) -> T:
        """The value ``key`` of ``work``, made by ``build()`` the first time it is asked for.

        The build runs under the cache's lock: blocks running side by side all need the value,
        so they wait for one build rather than each doing its own.
        """
        with self._lock:
            per_work = self._by_work.get(work)
            if per_work is None:
                if work.received and work.token not in self._by_token:
                    self._by_token.clear()  # a new sweep: drop the previous one's
                per_work = self._by_token.setdefault(work.token, {}) if work.received else {}
                self._by_work[work] = per_work
            if key not in per_work:
                per_work[key] = build()
            return per_work[key]

    def received_tokens(self) -> list[str]:
        """Tokens of the received sweeps whose values are kept (at most one)."""
        with self._lock:
            return list(self._by_token)
