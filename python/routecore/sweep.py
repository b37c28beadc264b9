"""The names of :mod:`routecore.batch` and :mod:`routecore.executor` under their former home.

``routecore.sweep`` used to hold both the batched what-if queries and the machinery that runs a
sweep's chunks; they now live apart. This module only re-exports them so that existing imports
(``from routecore.sweep import max_flow_under_failures``) keep working; new code imports from
:mod:`routecore.batch` (the queries) and :mod:`routecore.executor` (running chunks).

>>> import routecore.batch, routecore.sweep
>>> routecore.sweep.max_flow_under_failures is routecore.batch.max_flow_under_failures
True
"""

from __future__ import annotations

from .batch import lengths_under_failures, max_flow_under_failures
from .executor import (
    ChunkRun,
    Progress,
    ProgressArg,
    chunk_size_for,
    chunk_slices,
    default_chunk_count,
    run_chunks,
    task_threads,
)

__all__ = [
    "ChunkRun",
    "Progress",
    "ProgressArg",
    "chunk_size_for",
    "chunk_slices",
    "default_chunk_count",
    "lengths_under_failures",
    "max_flow_under_failures",
    "run_chunks",
    "task_threads",
]
