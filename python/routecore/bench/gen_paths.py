"""Seeded shortest-path graphs (plain edge arrays; every generator is a pure function).

``road_grid``
    A ``side x side`` grid, every neighbour pair joined by two directed edges, each direction
    with its own weight: integers uniform in ``1..100`` or floats uniform in ``[1, 100)``.
``geometric_knn``
    Random points in the unit square, each joined to its ``k`` nearest neighbours (undirected,
    Euclidean lengths; a mutual pair listed once). Needs scipy (``cKDTree``).
``power_law``
    A Chung–Lu style digraph: arc ends drawn with probability proportional to
    ``rank^(-1/(gamma-1))`` (degree exponent ``gamma``), ids shuffled so that hubs are spread
    over the id range; float weights uniform in ``[1, 100)``.
``erdos_renyi``
    ``m`` arcs with uniform random ends (random ids, so no locality) and float weights.

:func:`pick_nodes` chooses seeded query nodes.
"""

from __future__ import annotations

import numpy as np

from .instances import FloatArray, IntArray

Edges = tuple[int, IntArray, IntArray, FloatArray, bool]
"""(num_nodes, src, dst, weight, directed)."""


def road_grid(side: int, *, integer: bool, seed: int) -> Edges:
    """Directed ``side x side`` grid with ``4 side (side - 1)`` arcs.

    Examples
    --------
    >>> from routecore.bench.gen_paths import road_grid
    >>> n, src, dst, w, directed = road_grid(3, integer=True, seed=1)
    >>> n, src.size, directed, bool((w == w.round()).all())
    (9, 24, True, True)
    """
    rng = np.random.default_rng(seed)
    ids = np.arange(side * side, dtype=np.int64).reshape(side, side)
    right = np.stack([ids[:, :-1].ravel(), ids[:, 1:].ravel()])
    down = np.stack([ids[:-1, :].ravel(), ids[1:, :].ravel()])
    pairs = np.concatenate([right, down], axis=1)
    src = np.concatenate([pairs[0], pairs[1]])
    dst = np.concatenate([pairs[1], pairs[0]])
    weight: FloatArray
    if integer:
        weight = np.asarray(rng.integers(1, 101, size=src.shape[0]), dtype=np.float64)
    else:
        weight = np.asarray(rng.uniform(1.0, 100.0, size=src.shape[0]), dtype=np.float64)
    return side * side, src, dst, weight, True


def geometric_knn(num_nodes: int, k: int, *, seed: int) -> Edges:
    """Undirected k-nearest-neighbour graph of random points (needs scipy)."""
    from scipy.spatial import cKDTree

    rng = np.random.default_rng(seed)
    points = rng.random((num_nodes, 2))
    dist, nbr = cKDTree(points).query(points, k=k + 1)  # column 0 is the point itself
    src = np.repeat(np.arange(num_nodes, dtype=np.int64), k)
    dst = nbr[:, 1:].ravel().astype(np.int64)
    weight = dist[:, 1:].ravel().astype(np.float64)
    lo, hi = np.minimum(src, dst), np.maximum(src, dst)
    _, keep = np.unique(lo * num_nodes + hi, return_index=True)
    keep.sort()
    return num_nodes, lo[keep], hi[keep], weight[keep], False


def power_law(num_nodes: int, num_arcs: int, *, gamma: float = 2.5, seed: int) -> Edges:
    """Directed power-law graph (Chung–Lu style), ids shuffled, float weights."""
    rng = np.random.default_rng(seed)
    rank = np.arange(1, num_nodes + 1, dtype=np.float64)
    p = rank ** (-1.0 / (gamma - 1.0))
    p /= p.sum()
    perm = rng.permutation(num_nodes)
    src = perm[rng.choice(num_nodes, num_arcs, p=p)].astype(np.int64)
    dst = perm[rng.choice(num_nodes, num_arcs, p=p)].astype(np.int64)
    return num_nodes, src, dst, rng.uniform(1.0, 100.0, num_arcs), True


def erdos_renyi(num_nodes: int, num_arcs: int, *, seed: int) -> Edges:
    """Directed G(n, m) graph with random ids and float weights."""
    rng = np.random.default_rng(seed)
    src = rng.integers(0, num_nodes, num_arcs)
    dst = rng.integers(0, num_nodes, num_arcs)
    return num_nodes, src, dst, rng.uniform(1.0, 100.0, num_arcs), True


def pick_nodes(num_nodes: int, count: int, *, seed: int) -> IntArray:
    """``count`` distinct nodes (all of them if fewer), seeded."""
    rng = np.random.default_rng(seed)
    return rng.choice(num_nodes, size=min(count, num_nodes), replace=False).astype(np.int64)
