"""Seeded, cached instances for the country-scale benchmark (bench/bench_scale.py).

* :data:`STARLINK_4408`: a Starlink-size constellation, the four shells of StarPerf's
  ``config/XML_constellation/Starlink.xml`` (SpaceNetLab/StarPerf_Simulator): 550 km / 53.0 deg
  / 72 x 22, 570 km / 70 deg / 36 x 20, 560 km / 97.6 deg / 10 x 52 and 540 km / 53.2 deg /
  72 x 22, phase shift 1 in each, 4,408 satellites in all. Link parameters (minimum elevation
  25 deg, capacities, +grid laser links) are those of :data:`routecore.constellation.
  STARLINK_SHELL1`.
* :func:`country_network`: the ``central-asia`` ground network with its 2,000 schools replaced
  by ``num_terminals`` terminals placed uniformly by area inside Kazakhstan (the scenario's own
  outline and placement routine, seeded).
* :func:`gateway_sites`: the ground nodes a planner would consider as gateway sites: every
  gateway, and every Kazakh PoP, data centre, cable landing and exchange (16 for
  ``central-asia``), for the many-source query.

Full scale: 100,000 terminals, the 4,408-satellite constellation, 96 steps of 60 s (one orbit of
the 550 km shell takes 95.5 min). Smoke scale: 300 terminals, a 6 x 8 shell, 3 steps.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
from bench.conftest import smoke

from routecore import constellation as cs
from routecore.constellation import Constellation, Shell
from routecore.scenario import Network, load_scenario


def _place_schools(*args: Any, **kwargs: Any) -> Any:
    """place_schools of tools/build_central_asia.py (a checkout script, not in the package)."""
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "tools" / "build_central_asia.py"
    module = sys.modules.get("build_central_asia")
    if module is None:
        spec = importlib.util.spec_from_file_location("build_central_asia", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return module.place_schools(*args, **kwargs)


STARLINK_4408 = replace(
    cs.STARLINK_SHELL1,
    name="starlink-4408",
    shells=(
        Shell("starlink-550-53.0", 550.0, 53.0, num_planes=72, sats_per_plane=22, phasing=1),
        Shell("starlink-570-70.0", 570.0, 70.0, num_planes=36, sats_per_plane=20, phasing=1),
        Shell("starlink-560-97.6", 560.0, 97.6, num_planes=10, sats_per_plane=52, phasing=1),
        Shell("starlink-540-53.2", 540.0, 53.2, num_planes=72, sats_per_plane=22, phasing=1),
    ),
    sources="Shells: StarPerf_Simulator config/XML_constellation/Starlink.xml (4 shells, "
    "phase_shift 1, 4,408 satellites). Link parameters as routecore STARLINK_SHELL1.",
)

SMOKE_CONSTELLATION = replace(
    cs.STARLINK_SHELL1,
    name="smoke-48",
    shells=(Shell("smoke", 550.0, 53.0, num_planes=6, sats_per_plane=8, phasing=1),),
)

SITE_KINDS = ("pop", "datacenter", "cable_landing", "ixp")


def constellation() -> Constellation:
    return SMOKE_CONSTELLATION if smoke() else STARLINK_4408


def num_terminals() -> int:
    return 300 if smoke() else 100_000


def time_steps() -> np.ndarray:
    """96 steps of 60 s (3 in smoke mode)."""
    return np.arange(3 if smoke() else 96) * 60.0


@cache
def terminal_positions(count: int, seed: int = 20260101) -> tuple[np.ndarray, np.ndarray]:
    """``count`` (lat, lon) points inside Kazakhstan, in blocks of 10,000 (the placement routine
    holds a (4 x block) x vertices array in memory)."""
    lats, lons = [], []
    block = 10_000
    for i, start in enumerate(range(0, count, block)):
        lon, lat = _place_schools(min(block, count - start), seed=seed + i)
        lats.append(lat)
        lons.append(lon)
    return np.concatenate(lats), np.concatenate(lons)


@cache
def country_network(count: int | None = None) -> Network:
    """``central-asia`` with ``count`` terminals instead of its schools."""
    count = num_terminals() if count is None else count
    base = load_scenario("central-asia")
    ground = base.nodes[base.nodes["kind"] != "terminal"]
    lat, lon = terminal_positions(count)
    ids = [f"terminal-{i}" for i in range(count)]
    terminals = pd.DataFrame(
        {
            "id": ids,
            "name": ids,
            "kind": "terminal",
            "country": "KZ",
            "lat": lat,
            "lon": lon,
            "source": "bench/gen_scale.py",
        }
    )
    return Network(pd.concat([ground, terminals], ignore_index=True), base.links, base.meta)


def gateway_sites(net: Network) -> np.ndarray:
    """Node rows of every gateway and every Kazakh PoP, data centre, landing site and exchange."""
    kind = net.column("nodes", "kind")
    country = net.column("nodes", "country")
    sites = (kind == "gateway") | (np.isin(kind, SITE_KINDS) & (country == "KZ"))
    return np.flatnonzero(sites).astype(np.int64)


def school_network() -> Network:
    """``central-asia`` as shipped (2,000 schools), or every 20th school in smoke mode."""
    net = load_scenario("central-asia")
    if not smoke():
        return net
    nodes = net.nodes
    school = nodes["kind"] == "terminal"
    keep = ~school | (school & (np.arange(len(nodes)) % 20 == 0))
    return Network(nodes[keep].reset_index(drop=True), net.links, net.meta)
