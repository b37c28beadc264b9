"""Seeded max-min fair share instances for bench_fair_share.py, built once per session.

``access``
    A satellite access network in the shape of the school capacity question (issue 12): ``k``
    terminals each see 1 to 3 of the 4 satellites nearest them along a track (``s = k / 20``
    satellites; user links of 200 units); a satellite is two nodes joined by its user capacity
    (uniform in 200..2000, node splitting); each satellite reaches 1 to 3 of ``g = k / 200``
    gateways (feeder links 500..4000); each gateway drains into the internet exchange (the one
    sink) through its backhaul (5,000..20,000). Demand 100 per terminal. Directed, integer
    capacities.
``grid``
    A ``rows x cols`` undirected grid with integer capacities 1..100, ``k`` sources at random
    cells and the last column as sinks; no demand cap.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from bench.conftest import smoke


@dataclass(frozen=True)
class FairInstance:
    name: str
    num_nodes: int
    src: np.ndarray  # int32
    dst: np.ndarray  # int32
    capacity: np.ndarray  # int64
    directed: bool
    sources: np.ndarray  # int32, distinct, none a sink
    sinks: np.ndarray  # int32
    demand: float

    @property
    def num_edges(self) -> int:
        return int(self.src.size)


def instance_names() -> list[str]:
    if smoke():
        return ["access_200", "grid_20x20_50"]
    return ["access_2000", "grid_100x100_2000"]


@functools.cache
def instance(name: str) -> FairInstance:
    kind, *size = name.split("_")
    if kind == "access":
        k = int(size[0])
        return access_network(k, satellites=max(10, k // 20), gateways=max(3, k // 200), seed=1)
    rows, cols = map(int, size[0].split("x"))
    return grid(rows, cols, int(size[1]), seed=2)


def access_network(k: int, *, satellites: int, gateways: int, seed: int) -> FairInstance:
    rng = np.random.default_rng(seed)
    # Nodes: terminals 0..k-1, satellite ins k..k+s-1, outs k+s..k+2s-1, gateways, exchange.
    s, g = satellites, gateways
    sat_in, sat_out = k, k + s
    gw = k + 2 * s
    ix = gw + g
    seen = rng.integers(1, 4, size=k)
    t_src = np.repeat(np.arange(k), seen)
    # Locality: a terminal sees satellites near its own place in the order (a ground track).
    t_dst = sat_in + (t_src * s // k + rng.integers(0, 4, size=t_src.size)) % s
    feeds = rng.integers(1, 4, size=s)
    f_src = sat_out + np.repeat(np.arange(s), feeds)
    f_dst = gw + rng.integers(0, g, size=f_src.size)
    src = np.concatenate([t_src, sat_in + np.arange(s), f_src, gw + np.arange(g)])
    dst = np.concatenate([t_dst, sat_out + np.arange(s), f_dst, np.full(g, ix)])
    cap = np.concatenate(
        [
            np.full(t_src.size, 200),
            rng.integers(200, 2001, size=s),
            rng.integers(500, 4001, size=f_src.size),
            rng.integers(5000, 20001, size=g),
        ]
    ).astype(np.int64)
    return FairInstance(
        f"access_{k}",
        ix + 1,
        src.astype(np.int32),
        dst.astype(np.int32),
        cap,
        True,
        np.arange(k, dtype=np.int32),
        np.array([ix], dtype=np.int32),
        100.0,
    )


def grid(rows: int, cols: int, k: int, *, seed: int) -> FairInstance:
    rng = np.random.default_rng(seed)
    ids = np.arange(rows * cols).reshape(rows, cols)
    right = (ids[:, :-1].ravel(), ids[:, 1:].ravel())
    down = (ids[:-1, :].ravel(), ids[1:, :].ravel())
    src = np.concatenate([right[0], down[0]])
    dst = np.concatenate([right[1], down[1]])
    cap = rng.integers(1, 101, size=src.size).astype(np.int64)
    sinks = ids[:, -1].astype(np.int32)
    cells = ids[:, :-1].ravel()
    sources = np.sort(rng.choice(cells, size=min(k, cells.size), replace=False)).astype(np.int32)
    return FairInstance(
        f"grid_{rows}x{cols}_{k}",
        rows * cols,
        src.astype(np.int32),
        dst.astype(np.int32),
        cap,
        False,
        sources,
        sinks,
        float("inf"),
    )
