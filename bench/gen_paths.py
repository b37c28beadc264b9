"""Seeded, cached instance generators for the shortest-path benchmarks.

Each generator returns plain numpy edge arrays (``num_nodes, src, dst, weight``) so that every
library's graph is built from exactly the same data. Results are cached per process: the full
instances take a few seconds to build and are shared by all benchmarks of one pytest session.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
from bench.conftest import smoke


@dataclass(frozen=True)
class Instance:
    name: str
    num_nodes: int
    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray
    directed: bool


@cache
def road_grid(side: int | None = None, seed: int = 1) -> Instance:
    """A ``side x side`` grid, every neighbour pair joined by two directed edges.

    Road-like: each direction has its own integer weight in ``1..100`` (drawn uniformly), so the
    graph is directed, has ``4 * side * (side - 1)`` arcs and integral lengths. Full scale is
    1000 x 1000 (1M nodes, ~4M arcs); smoke scale 30 x 30.
    """
    if side is None:
        side = 30 if smoke() else 1000
    rng = np.random.default_rng(seed)
    ids = np.arange(side * side, dtype=np.int64).reshape(side, side)
    right = np.stack([ids[:, :-1].ravel(), ids[:, 1:].ravel()])
    down = np.stack([ids[:-1, :].ravel(), ids[1:, :].ravel()])
    pairs = np.concatenate([right, down], axis=1)
    src = np.concatenate([pairs[0], pairs[1]])
    dst = np.concatenate([pairs[1], pairs[0]])
    weight = rng.integers(1, 101, size=src.shape[0]).astype(np.float64)
    return Instance(f"grid{side}x{side}", side * side, src, dst, weight, directed=True)


@cache
def geometric_knn(num_nodes: int | None = None, k: int = 8, seed: int = 2) -> Instance:
    """Random points in the unit square, each joined to its ``k`` nearest neighbours.

    Undirected; the weight of an edge is the Euclidean distance between its endpoints (floats).
    A pair that are mutual neighbours is listed once. Full scale is 200k nodes, smoke scale 2k.
    """
    from scipy.spatial import cKDTree

    if num_nodes is None:
        num_nodes = 2000 if smoke() else 200_000
    rng = np.random.default_rng(seed)
    points = rng.random((num_nodes, 2))
    dist, nbr = cKDTree(points).query(points, k=k + 1)  # column 0 is the point itself
    src = np.repeat(np.arange(num_nodes, dtype=np.int64), k)
    dst = nbr[:, 1:].ravel().astype(np.int64)
    weight = dist[:, 1:].ravel()
    lo, hi = np.minimum(src, dst), np.maximum(src, dst)
    _, keep = np.unique(lo * num_nodes + hi, return_index=True)
    keep.sort()
    return Instance(
        f"knn{num_nodes}k{k}", num_nodes, lo[keep], hi[keep], weight[keep], directed=False
    )


def sources(instance: Instance, count: int, seed: int = 3) -> np.ndarray:
    """``count`` distinct source nodes, seeded."""
    rng = np.random.default_rng(seed)
    return rng.choice(instance.num_nodes, size=min(count, instance.num_nodes), replace=False)
