"""Seeded, cached instance generators for the shortest-path benchmarks.

Each generator returns plain numpy edge arrays (``num_nodes, src, dst, weight``) so that every
library's graph is built from exactly the same data. Results are cached per process: the full
instances take a few seconds to build and are shared by all benchmarks of one pytest session.
The generators are those of the package's benchmark suite (``routecore.bench.gen_paths``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
from bench.conftest import smoke

from routecore.bench import gen_paths as gen


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
    n, src, dst, weight, _ = gen.road_grid(side, integer=True, seed=seed)
    return Instance(f"grid{side}x{side}", n, src, dst, weight, directed=True)


@cache
def geometric_knn(num_nodes: int | None = None, k: int = 8, seed: int = 2) -> Instance:
    """Random points in the unit square, each joined to its ``k`` nearest neighbours.

    Undirected; the weight of an edge is the Euclidean distance between its endpoints (floats).
    A pair that are mutual neighbours is listed once. Full scale is 200k nodes, smoke scale 2k.
    """
    if num_nodes is None:
        num_nodes = 2000 if smoke() else 200_000
    n, src, dst, weight, _ = gen.geometric_knn(num_nodes, k, seed=seed)
    return Instance(f"knn{num_nodes}k{k}", n, src, dst, weight, directed=False)


def sources(instance: Instance, count: int, seed: int = 3) -> np.ndarray:
    """``count`` distinct source nodes, seeded."""
    rng = np.random.default_rng(seed)
    return rng.choice(instance.num_nodes, size=min(count, instance.num_nodes), replace=False)
