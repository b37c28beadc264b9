"""The suite's instance families: name, task, generator and sizes.

A family builds its instance from ``(size, seed)``; ``size`` is ``"smoke"`` (tiny: the whole
suite runs in about a minute on 2 cores, for CI), ``"default"`` or ``"large"`` (the sizes of
issue 14's measurements). Every generator is seeded and pure, so a family at one size and seed
is the same instance on every machine.

Contestants that would take minutes at ``default`` / ``large`` size are left out there with the
reason (``slow``); the runner also stops repeating a contestant whose first run is far slower
than the fastest one (see :mod:`routecore.bench.runner`).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, TypeVar

import numpy as np

from . import gen_domain, gen_flow, gen_paths
from .instances import FlowInstance, PathInstance

Size = Literal["smoke", "default", "large"]
SIZES: tuple[Size, ...] = ("smoke", "default", "large")
Task = Literal["flow", "paths"]
T = TypeVar("T")


@dataclass(frozen=True)
class Family:
    """One family: ``build(size, seed, threads)`` makes its instance."""

    name: str
    task: Task
    summary: str
    build: Callable[[Size, int, int], FlowInstance | PathInstance]
    needs: tuple[str, ...] = ()
    slow: dict[str, str] = field(default_factory=dict)
    """``{contestant: reason}`` left out at default and large size."""


def _pick(size: Size, smoke: T, default: T, large: T) -> T:
    return {"smoke": smoke, "default": default, "large": large}[size]


def _grid_family(
    name: str,
    offsets: tuple[tuple[int, ...], ...],
    data: gen_flow.GridData,
    pairs: gen_flow.GridPairs,
    sides: tuple[int, int, int],
    summary: str,
) -> Family:
    def build(size: Size, seed: int, threads: int) -> FlowInstance:
        side = int(_pick(size, *sides))
        shape = (side,) * len(offsets[0])
        return gen_flow.grid(shape, offsets, data=data, pairs=pairs, seed=seed, name=name)

    slow = {"igraph": "igraph needs minutes on large grids"} if len(offsets[0]) == 2 else {}
    return Family(name, "flow", summary, build, slow=slow | {"networkx": "pure Python"})


def _sizes(size: Size, table: dict[Size, tuple[int, ...]]) -> tuple[int, ...]:
    return table[size]


def _paths(
    name: str,
    edges: gen_paths.Edges,
    *,
    sources: int,
    seed: int,
    threads: int = 1,
    targets: int = 0,
    weighted: bool = True,
) -> PathInstance:
    n, src, dst, w, directed = edges
    picked = gen_paths.pick_nodes(n, sources + targets, seed=seed + 7)
    return PathInstance(
        name,
        n,
        src,
        dst,
        w if weighted else None,
        directed,
        sources=picked[:sources],
        targets=picked[sources:],
        threads=threads,
    )


_SLOW_AUGMENTING = {
    "scipy": "scipy's Dinic needs tens of seconds here",
    "pymaxflow": "Boykov-Kolmogorov needs minutes here",
    "routecore:boykov_kolmogorov": "Boykov-Kolmogorov needs minutes here",
    "networkx": "pure Python",
}


def _flow(
    name: str, summary: str, make: Callable[[Size, int], FlowInstance], **kw: object
) -> Family:
    def build(size: Size, seed: int, threads: int) -> FlowInstance:
        return make(size, seed)

    return Family(name, "flow", summary, build, **kw)  # type: ignore[arg-type]


def _path_family(
    name: str, summary: str, make: Callable[[Size, int, int], PathInstance], **kw: object
) -> Family:
    return Family(name, "paths", summary, make, **kw)  # type: ignore[arg-type]


O4, O8, O6 = gen_flow.OFFSETS_4, gen_flow.OFFSETS_8, gen_flow.OFFSETS_6
GRID_SIDES = (40, 500, 1000)
GRID8_SIDES = (30, 300, 500)

FAMILIES: tuple[Family, ...] = (
    _grid_family(
        "flow-grid4-smooth",
        O4,
        "smooth",
        "undirected",
        GRID_SIDES,
        "2D 4-connected vision grid, smooth data, undirected links",
    ),
    _grid_family(
        "flow-grid4-smooth-directed",
        O4,
        "smooth",
        "directed",
        GRID_SIDES,
        "same, each direction of a link a separate directed edge",
    ),
    _grid_family(
        "flow-grid4-noisy",
        O4,
        "noisy",
        "undirected",
        GRID_SIDES,
        "2D 4-connected grid, links U[1,100], terminals U[0,119]",
    ),
    _grid_family(
        "flow-grid4-noisy-directed",
        O4,
        "noisy",
        "directed",
        GRID_SIDES,
        "same, each direction its own edge and capacity",
    ),
    _grid_family(
        "flow-grid8-smooth",
        O8,
        "smooth",
        "undirected",
        GRID8_SIDES,
        "2D 8-connected vision grid, smooth data",
    ),
    _grid_family(
        "flow-grid8-noisy",
        O8,
        "noisy",
        "undirected",
        GRID8_SIDES,
        "2D 8-connected grid, noisy data",
    ),
    _grid_family(
        "flow-grid8-noisy-directed",
        O8,
        "noisy",
        "directed",
        GRID8_SIDES,
        "2D 8-connected grid, noisy data, directed edge per direction",
    ),
    _grid_family(
        "flow-grid3d-noisy",
        O6,
        "noisy",
        "undirected",
        (8, 60, 100),
        "3D 6-connected grid, noisy data",
    ),
    _flow(
        "flow-genrmf-wide",
        "GENRMF, wide frames (a x a frames, few of them)",
        lambda z, s: gen_flow.genrmf(
            *_sizes(z, {"smoke": (8, 3), "default": (48, 12), "large": (128, 16)}), seed=s
        ),
        slow=_SLOW_AUGMENTING,
    ),
    _flow(
        "flow-genrmf-long",
        "GENRMF, long (small frames, many of them)",
        lambda z, s: gen_flow.genrmf(
            *_sizes(z, {"smoke": (4, 12), "default": (12, 200), "large": (24, 512)}), seed=s
        ),
        slow=_SLOW_AUGMENTING,
    ),
    _flow(
        "flow-washington-wide",
        "Washington random level graph, wide (many nodes per level)",
        lambda z, s: gen_flow.washington_rlg(
            *_sizes(z, {"smoke": (64, 4), "default": (16384, 8), "large": (65536, 16)}), seed=s
        ),
        slow=_SLOW_AUGMENTING,
    ),
    _flow(
        "flow-washington-long",
        "Washington random level graph, long (many levels)",
        lambda z, s: gen_flow.washington_rlg(
            *_sizes(z, {"smoke": (8, 32), "default": (128, 1024), "large": (4096, 80)}), seed=s
        ),
        slow=_SLOW_AUGMENTING,
    ),
    _flow(
        "flow-ak",
        "AK(k), Cherkassky-Goldberg's hard family (deterministic)",
        lambda z, s: gen_flow.ak(int(_pick(z, 50, 2000, 8000))),
        slow={"networkx": "pure Python", "scipy": "scipy's Dinic is slow on AK"},
    ),
    _flow(
        "flow-bipartite",
        "bipartite matching, unit capacities",
        lambda z, s: gen_flow.bipartite_matching(
            *_sizes(
                z,
                {
                    "smoke": (200, 200, 3),
                    "default": (20000, 20000, 5),
                    "large": (100000, 100000, 10),
                },
            ),
            seed=s,
        ),
        slow={"networkx": "pure Python"},
    ),
    _flow(
        "flow-random-sparse",
        "random sparse digraph, out-degree 5, capacities U[1,1000]",
        lambda z, s: gen_flow.random_sparse(
            int(_pick(z, 1000, 100_000, 1_000_000)),
            5,
            seed=s,
        ),
        slow={"networkx": "pure Python"},
    ),
    _flow(
        "flow-repeated-small",
        "many max-flows on one small random graph (1,000 nodes at default size)",
        lambda z, s: gen_flow.repeated_small(
            *_sizes(
                z, {"smoke": (100, 4, 20), "default": (1000, 4, 1000), "large": (1000, 4, 10000)}
            ),
            seed=s,
        ),
        slow={"networkx": "pure Python"},
    ),
    _flow(
        "flow-repeated-tiny",
        "many max-flows on one 20-node graph (fixed cost per call)",
        lambda z, s: gen_flow.repeated_small(
            *_sizes(z, {"smoke": (20, 3, 50), "default": (20, 3, 2000), "large": (20, 3, 10000)}),
            seed=s,
        ),
        slow={"networkx": "pure Python"},
    ),
    _flow(
        "flow-central-asia",
        "central-asia ground network, transit capacity (Mbit/s)",
        lambda z, s: gen_domain.central_asia_flow(),
        needs=("pandas",),
    ),
    _flow(
        "flow-satellite",
        "Starlink shell-1 snapshot over central-asia: gateways to schools",
        lambda z, s: gen_domain.satellite_flow(int(_pick(z, 20, 1, 1))),
        needs=("pandas",),
        slow={"networkx": "pure Python"},
    ),
    _path_family(
        "sssp-grid-int",
        "one-source distances, directed grid, integer weights",
        lambda z, s, th: _paths(
            "sssp-grid-int",
            gen_paths.road_grid(int(_pick(z, 30, 500, 1000)), integer=True, seed=s),
            sources=1,
            seed=s,
        ),
    ),
    _path_family(
        "sssp-grid-float",
        "one-source distances, directed grid, float weights",
        lambda z, s, th: _paths(
            "sssp-grid-float",
            gen_paths.road_grid(int(_pick(z, 30, 500, 1000)), integer=False, seed=s),
            sources=1,
            seed=s,
        ),
    ),
    _path_family(
        "sssp-knn",
        "one-source distances, 2D k-nearest-neighbour graph (k = 8)",
        lambda z, s, th: _paths(
            "sssp-knn",
            gen_paths.geometric_knn(int(_pick(z, 2000, 100_000, 200_000)), 8, seed=s),
            sources=1,
            seed=s,
        ),
        needs=("scipy",),
    ),
    _path_family(
        "sssp-power-law",
        "one-source distances, power-law digraph, shuffled ids",
        lambda z, s, th: _paths(
            "sssp-power-law",
            gen_paths.power_law(
                *_sizes(
                    z,
                    {
                        "smoke": (2000, 10000),
                        "default": (200_000, 2_000_000),
                        "large": (500_000, 5_000_000),
                    },
                ),
                seed=s,
            ),
            sources=1,
            seed=s,
        ),
    ),
    _path_family(
        "sssp-er",
        "one-source distances, Erdos-Renyi digraph, random ids",
        lambda z, s, th: _paths(
            "sssp-er",
            gen_paths.erdos_renyi(
                *_sizes(
                    z,
                    {
                        "smoke": (2000, 8000),
                        "default": (250_000, 1_000_000),
                        "large": (1_000_000, 4_000_000),
                    },
                ),
                seed=s,
            ),
            sources=1,
            seed=s,
        ),
    ),
    _path_family(
        "bfs-grid",
        "one-source hop counts (BFS), directed grid, no weights",
        lambda z, s, th: _paths(
            "bfs-grid",
            gen_paths.road_grid(int(_pick(z, 30, 500, 1000)), integer=True, seed=s),
            sources=1,
            seed=s,
            weighted=False,
        ),
    ),
    _path_family(
        "batch-grid",
        "many sources at once on the integer grid, all threads",
        lambda z, s, th: _paths(
            "batch-grid",
            gen_paths.road_grid(int(_pick(z, 30, 300, 1000)), integer=True, seed=s),
            sources=int(_pick(z, 16, 64, 64)),
            seed=s,
            threads=th,
        ),
        slow={"networkx": "pure Python"},
    ),
    _path_family(
        "batch-satellite",
        "100 sources on a Starlink shell-1 snapshot, all threads",
        lambda z, s, th: _paths(
            "batch-satellite",
            gen_domain.satellite_paths_graph(int(_pick(z, 20, 1, 1))),
            sources=int(_pick(z, 20, 100, 100)),
            seed=s,
            threads=th,
        ),
        needs=("pandas",),
        slow={"networkx": "pure Python"},
    ),
    _path_family(
        "p2p-grid",
        "point-to-point queries on the float grid",
        lambda z, s, th: _paths(
            "p2p-grid",
            gen_paths.road_grid(int(_pick(z, 30, 500, 1000)), integer=False, seed=s),
            sources=int(_pick(z, 10, 30, 100)),
            targets=int(_pick(z, 10, 30, 100)),
            seed=s,
        ),
        slow={"networkx": "pure Python"},
    ),
)


def select(patterns: str | None) -> list[Family]:
    """The families whose name matches one of the comma-separated glob ``patterns`` (all when
    ``None``); a pattern without wildcards matches as a substring.

    Examples
    --------
    >>> from routecore.bench.families import select
    >>> [f.name for f in select("flow-genrmf*")]
    ['flow-genrmf-wide', 'flow-genrmf-long']
    """
    if not patterns:
        return list(FAMILIES)
    wanted = [p.strip() for p in patterns.split(",") if p.strip()]
    globs = [p if any(c in p for c in "*?[") else f"*{p}*" for p in wanted]
    chosen = [f for f in FAMILIES if any(fnmatch.fnmatchcase(f.name, g) for g in globs)]
    if not chosen:
        names = ", ".join(f.name for f in FAMILIES)
        raise ValueError(f"no family matches {patterns!r}; the families are: {names}")
    return chosen


def checksum(inst: FlowInstance | PathInstance) -> str:
    """A short digest of the instance's arrays (to tell two runs compared the same data)."""
    import hashlib

    h = hashlib.sha256()
    if isinstance(inst, FlowInstance):
        parts: list[np.ndarray] = [inst.src, inst.dst, inst.capacity]
        parts.append(np.array(inst.pairs(), dtype=np.int64))
    else:
        parts = [inst.src, inst.dst, inst.sources, inst.targets]
        parts += [] if inst.weight is None else [inst.weight]
    for arr in parts:
        h.update(np.ascontiguousarray(arr).tobytes())
    return h.hexdigest()[:16]
