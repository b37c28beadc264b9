"""Builds the bundled ``central-asia`` scenario (``python/routecore/data/central-asia``) from
sourced facts.

This script is part of the source checkout, not of the wheel (the wheel ships only the data it
writes). From the repository root, with routecore importable (an editable install, or
``PYTHONPATH=python``) and the ``geo`` extras::

    python tools/build_central_asia.py [DIR]

regenerates the files in ``DIR`` (default: the bundled directory of this checkout). The tests
(``tests/test_scenario.py``, which load this file by its path) check that the shipped files equal
what it builds, so every number in them can be traced here to a source id or an assumption id
(both listed in the generated ``scenario.toml``). The facts come from the project's research notes
(``shared/research/domain-facts.md``), which cite the original pages.

The facts themselves live beside it: ``central_asia_sites.py`` (sites, routes, the country
outline and the numbers, each with its source or assumption id) and ``central_asia_sources.py``
(the sources and assumptions those ids name); this file turns them into tables.

Only the ground network lives here. Satellites are added per time step by
:mod:`routecore.constellation`; school terminals have no ground links on purpose.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

# The fact modules live beside this file; loaded by path (the tests, bench/gen_scale.py) or run
# as a script, it finds them the same way.
_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from central_asia_sites import (  # noqa: E402
    BACKBONE_GBPS,
    BUZOVNA,
    GATEWAY_ANTENNA_CASES,
    GATEWAY_ANTENNAS,
    KAZAKHSTAN_OUTLINE,
    KURYK,
    METRO_MIN_KM,
    OTHER_TOWNS,
    ROUTE_SLACK,
    ROUTES,
    SCHOOL_CLEARANCE_KM,
    SCHOOL_COUNT,
    SCHOOL_DEMAND_MBPS,
    SCHOOL_SEED,
    SITES,
    SUMGAIT,
    TCFO_2025_GBPS,
    TCFO_2025_KM,
    TCFO_GBPS,
    TCFO_KM,
    TCFO_RESERVE_GBPS,
    TCFO_RESERVE_KM,
    Site,
)
from central_asia_sources import ASSUMPTIONS, SOURCES  # noqa: E402

from routecore.geo import great_circle_km  # noqa: E402
from routecore.scenario import Network, inside_outline, place_terminals  # noqa: E402

__all__ = ["KAZAKHSTAN_OUTLINE", "build", "inside_polygon", "place_schools"]


def inside_polygon(
    lon: npt.ArrayLike, lat: npt.ArrayLike, polygon: list[tuple[float, float]]
) -> npt.NDArray[np.bool_]:
    """Even-odd ray casting on a plain lon/lat plane (:func:`routecore.scenario.inside_outline`
    with the polygon given as (lon, lat) vertices)."""
    return inside_outline(lat, lon, [p[1] for p in polygon], [p[0] for p in polygon])


def place_schools(
    count: int = SCHOOL_COUNT,
    seed: int = SCHOOL_SEED,
    avoid: list[tuple[float, float]] | None = None,
    clearance_km: float = SCHOOL_CLEARANCE_KM,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """``count`` points uniform by area inside :data:`KAZAKHSTAN_OUTLINE`, reproducibly
    (:func:`routecore.scenario.place_terminals`).

    Points closer than ``clearance_km`` to any ``avoid`` (lon, lat) point are rejected.
    Returns ``(lon, lat)`` rounded to 4 decimals (about 10 m).
    """
    exclude = ([a[1] for a in avoid], [a[0] for a in avoid]) if avoid else None
    lat, lon = place_terminals(
        [p[1] for p in KAZAKHSTAN_OUTLINE],
        [p[0] for p in KAZAKHSTAN_OUTLINE],
        count,
        seed=seed,
        exclude_near=exclude,
        min_distance_km=clearance_km,
    )
    return lon, lat


def _route_length_km(a: Site, b: Site, medium: str) -> float:
    if medium == "submarine":
        return TCFO_KM
    gc = float(great_circle_km(a.lat, a.lon, b.lat, b.lon))
    return float(max(round(gc * ROUTE_SLACK), METRO_MIN_KM))


def _site(site_id: str) -> Site:
    return next(s for s in SITES if s.id == site_id)


AKTAU, BAKU = _site("aktau"), _site("baku")


def _site_row(site: Site) -> dict[str, Any]:
    return dict(site.__dict__)


def _link_row(link_id: str, a: Site, b: Site) -> dict[str, Any]:
    """A landing tail: fibre at great circle x ROUTE_SLACK with the backbone capacity (A12)."""
    return {
        "id": link_id,
        "a": a.id,
        "b": b.id,
        "medium": "fiber",
        "length_km": _route_length_km(a, b, "fiber"),
        "capacity_gbps": BACKBONE_GBPS,
        "operator": "",
        "source": "A10;A12;A20",
    }


_TCFO_2025: dict[str, Any] = {
    "id": "tcfo-2025",
    "a": "aktau",
    "b": "sumgait",
    "medium": "submarine",
    "length_km": TCFO_2025_KM,
    "capacity_gbps": TCFO_2025_GBPS,
    "operator": "AzerTelecom; Kazakhtelecom",
    "source": "trend-2025-tcfo;A19;A20",
}


def _meta() -> dict[str, Any]:
    return {
        "name": "central-asia",
        "title": "Kazakhstan: satellite gateways for rural schools and Asia-Europe transit",
        "description": (
            "Ground network for two questions. (1) 2,000 rural schools on LEO satellite "
            "links: how far is the internet exchange when gateways must stay in Kazakhstan "
            "(Kokterek, Akkol) versus any gateway? (2) Asia-Europe transit from the Chinese "
            "border to Frankfurt and Istanbul: capacity, bottlenecks and latency via the "
            "Trans-Caspian cable, with and without the northern route through Russia. "
            "Coordinates and capacities cite [[sources]] or [[assumptions]] by id in the "
            "'source' column of nodes.csv and links.csv. Regenerate with "
            "'python tools/build_central_asia.py' in a source checkout."
        ),
        "units": {
            "length": "km",
            "capacity": "Gbit/s",
            "latency": "ms",
            "coordinates": "WGS-84 decimal degrees",
        },
        "parameters": {
            "fiber_group_index": 1.468,
            "route_slack": ROUTE_SLACK,
            "metro_min_km": METRO_MIN_KM,
            "school_count": SCHOOL_COUNT,
            "school_seed": SCHOOL_SEED,
            "school_clearance_km": SCHOOL_CLEARANCE_KM,
            "school_link_gbps": 0.2,
        },
        "analysis": {
            "home_country": "KZ",
            "internet_exchanges": ["almaty-ix"],
            "transit_sources": ["khorgos", "urumqi"],
            "transit_sinks": ["frankfurt", "istanbul"],
            "avoid_countries": ["RU"],
        },
        "capacity": {
            "school_demand_mbps": SCHOOL_DEMAND_MBPS,
            "source": "kz-school-norm;A24",
            "gateways": {
                gid: {"antennas": GATEWAY_ANTENNAS, "source": "A22" if gid == "kokterek" else "A23"}
                for gid in ("kokterek", "akkol", "baku-gw", "tbilisi-gw")
            },
        },
        "variants": {
            "tcfo-4tbps": {
                "description": "Trans-Caspian cable at the low design bound, 4 Tbit/s "
                "(the base case)",
                "links": {"tcfo": {"capacity_gbps": TCFO_GBPS[0]}},
            },
            "tcfo-6tbps": {
                "description": "Trans-Caspian cable at the high design bound, 6 Tbit/s",
                "links": {"tcfo": {"capacity_gbps": TCFO_GBPS[1]}},
            },
            "tcfo-2025": {
                "description": "Trans-Caspian cable, 2023-2025 design: Aktau-Sumgait 380 km, up "
                "to 400 Tbit/s, instead of the 2019 Aktau-Siyazan link (A20)",
                "remove_links": ["tcfo"],
                "add_nodes": [_site_row(SUMGAIT)],
                "add_links": [_TCFO_2025, _link_row("sumgait-baku", SUMGAIT, BAKU)],
            },
            "tcfo-2025-reserve": {
                "description": "As tcfo-2025, plus the reserve Kuryk-Buzovna link, about 330 km "
                "(A20)",
                "remove_links": ["tcfo"],
                "add_nodes": [_site_row(s) for s in (SUMGAIT, KURYK, BUZOVNA)],
                "add_links": [
                    _TCFO_2025,
                    _link_row("sumgait-baku", SUMGAIT, BAKU),
                    _link_row("aktau-kuryk", AKTAU, KURYK),
                    {
                        "id": "tcfo-reserve",
                        "a": "kuryk",
                        "b": "buzovna",
                        "medium": "submarine",
                        "length_km": TCFO_RESERVE_KM,
                        "capacity_gbps": TCFO_RESERVE_GBPS,
                        "operator": "AzerTelecom; Kazakhtelecom",
                        "source": "capacitymedia-tcfo;A19;A20",
                    },
                    _link_row("buzovna-baku", BUZOVNA, BAKU),
                ],
            },
            "no-russia": {
                "description": "Without the northern route: the Kazakhstan-Russia crossings "
                "removed",
                "remove_links": ["aktobe-samara", "atyrau-astrakhan", "astana-chelyabinsk"],
            },
            **{
                f"kokterek-{n}-antennas": {
                    "description": f"Kokterek gateway with {n} antennas instead of "
                    f"{GATEWAY_ANTENNAS} (no count is published; A22)",
                    "capacity": {"gateways": {"kokterek": {"antennas": n}}},
                }
                for n in GATEWAY_ANTENNA_CASES
            },
        },
        "sources": SOURCES,
        "assumptions": ASSUMPTIONS,
        "outlines": {"KZ": [[lon, lat] for lon, lat in KAZAKHSTAN_OUTLINE]},
    }


HEADER = """\
# The central-asia scenario (generated by `python tools/build_central_asia.py`; edit freely).
# Units: lengths in km, capacities in Gbit/s per direction, latencies in ms one way.
# nodes.csv / links.csv cite the ids of [[sources]] and [[assumptions]] below in their
# 'source' column. Figures marked [UNCERTAIN] or [ASSUMED] are not confirmed by a source.

"""


def build() -> Network:
    """The scenario as a :class:`~routecore.scenario.Network` (deterministic)."""
    import pandas as pd
    import tomli_w

    sites = {s.id: s for s in SITES}
    avoid = [(s.lon, s.lat) for s in SITES if s.country == "KZ"]
    avoid += [(lon, lat) for _, lon, lat in OTHER_TOWNS]
    s_lon, s_lat = place_schools(avoid=avoid)
    n = len(s_lon)
    nodes = pd.concat(
        [
            pd.DataFrame([s.__dict__ for s in SITES]),
            pd.DataFrame(
                {
                    "id": [f"school-{i:04d}" for i in range(1, n + 1)],
                    "name": [f"School {i:04d}" for i in range(1, n + 1)],
                    "kind": "terminal",
                    "country": "KZ",
                    "lat": s_lat,
                    "lon": s_lon,
                    "source": "order-529;A16;A17",
                }
            ),
        ],
        ignore_index=True,
    )
    links = pd.DataFrame(
        [
            {
                "id": lid,
                "a": a,
                "b": b,
                "medium": medium,
                "length_km": _route_length_km(sites[a], sites[b], medium),
                "capacity_gbps": cap,
                "latency_ms": np.nan,
                "operator": operator,
                "source": source,
            }
            for lid, a, b, medium, cap, operator, source in ROUTES
        ]
    )
    meta = _meta()
    text = HEADER + tomli_w.dumps(meta)
    parsed = tomllib.loads(text)
    return Network(nodes, links, parsed, _toml=(text, parsed))


def bundled_dir() -> Path:
    """The bundled scenario directory of the checkout this script is in."""
    return Path(__file__).resolve().parents[1] / "python" / "routecore" / "data" / "central-asia"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else bundled_dir()
    net = build()
    net.save(target)
    print(f"wrote {net.num_nodes} nodes and {net.num_links} links to {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
