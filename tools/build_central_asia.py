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

Only the ground network lives here. Satellites are added per time step by
:mod:`routecore.constellation`; school terminals have no ground links on purpose.
"""

from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from routecore.geo import great_circle_km
from routecore.scenario import Network, inside_outline, place_terminals

__all__ = ["KAZAKHSTAN_OUTLINE", "build", "inside_polygon", "place_schools"]

ROUTE_SLACK = 1.3  # fibre route length / great-circle distance (assumption A10)
METRO_MIN_KM = 5.0  # shortest metro tail (assumption A11)
BACKBONE_GBPS = 10_000.0  # assumption A12
KZ_RU_BORDER_GBPS = 4_000.0  # assumption A13
TAIL_GBPS = 400.0  # assumption A14
TCFO_KM = 400.0  # totaltele-2019, digitalsilkway (380-400 km)
TCFO_GBPS = (4_000.0, 6_000.0)  # digitalsilkway "at least 4-6 Tbit/s"; totaltele-2019 (6)
TCFO_2025_KM = 380.0  # trend-2025-tcfo: Aktau-Sumgait 380 km (2023-2025 design)
TCFO_2025_GBPS = 400_000.0  # trend-2025-tcfo: "up to 400 Tbit/s" (a design ceiling, A20)
TCFO_RESERVE_KM = 330.0  # capacitymedia-tcfo: reserve Kuryk-Buzovna ~330 km
TCFO_RESERVE_GBPS = 400_000.0  # [ASSUMED] as the main cable (A20); not sourced
SCHOOL_COUNT = 2000
SCHOOL_SEED = 20240829  # the date of Order No. 529 that allowed the school pilot
SCHOOL_CLEARANCE_KM = 30.0  # assumption A16
SCHOOL_DEMAND_MBPS = 20.0  # kz-school-norm, assumption A24
GATEWAY_ANTENNAS = 8  # assumptions A22 (Kokterek) and A23 (the others)
GATEWAY_ANTENNA_CASES = (4, 16)  # A22: Kokterek's count is unpublished, sensitivity variants

SOURCES: list[dict[str, str]] = [
    {
        "id": "hypatia-cities",
        "title": "Hypatia city list (top 1000 cities by estimated 2025 population)",
        "url": "https://github.com/snkas/hypatia/blob/master/paper/satellite_networks_state/"
        "input_data/ground_stations_cities_sorted_by_estimated_2025_pop_top_1000.basic.txt",
    },
    {
        "id": "astanatimes-2024",
        "title": "Astana Times 2024-06: OneWeb to open gateway station in Almaty region "
        "(Kokterek SCC, Ile district, 25 ha, in operation since 2013)",
        "url": "https://astanatimes.com",
    },
    {
        "id": "globalcio-13841",
        "title": "globalcio.com news 13841: R. Ermashov (Kokterek SCC) at PROFIT Telecom Day "
        "2024-05-22: gateways must be in Kazakhstan; Kokterek and Akkola offered as sites",
        "url": "https://globalcio.com/news/13841",
    },
    {
        "id": "akkol-scc",
        "title": "Akkol space communications centre near Akkol town, Akmola Region "
        "(cryer.org.uk/Akkol, a Wikipedia mirror; eurasia.travel; inform.kz 2017-01-29)",
        "url": "https://www.cryer.org.uk/Akkol",
    },
    {
        "id": "woge-534",
        "title": "whereongoogleearth.net contest 534: Khorgos Gateway dry port rail yard",
        "url": "https://whereongoogleearth.net",
    },
    {
        "id": "digitalsilkway",
        "title": "Digital Silk Way: Trans-Caspian fibre Aktau-Siyazan, 380-400 km, "
        "at least 4-6 Tbit/s (2019 design)",
        "url": "https://digitalsilkway.az/page/36",
    },
    {
        "id": "totaltele-2019",
        "title": "Total Telecom 2019-11-25: Trans-Caspian cable construction launched in "
        "Aktau, 400 km, 6 Tbit/s",
        "url": "https://totaltele.com",
    },
    {
        "id": "investbaku-3096",
        "title": "Invest Baku news 3096: the Caspian Digital Hub includes data centres in "
        "Aktau and Baku",
        "url": "https://investbaku.az",
    },
    {
        "id": "kase-2000-nih",
        "title": "KASE press release 2000-02-25: Kazakhtelecom National Information Highway, "
        "Almaty-Zhambyl-Shymkent and Shymkent-Kyzylorda-Aktobe-Atyrau-Russia",
        "url": "https://kase.kz",
    },
    {
        "id": "tasim",
        "title": "TASIM overview: Frankfurt-Hong Kong via China, Kazakhstan, Azerbaijan, "
        "Georgia, Turkiye; northern reserve via Russia",
        "url": "https://tasim.net/overview.html",
    },
    {
        "id": "trend-2023-superhighway",
        "title": "Trend 2023-02: Kazakhtelecom superhighway, China-Azerbaijan ~2,800 km, "
        "transit delay 19 -> 13 ms",
        "url": "https://trend.az/casia/kazakhstan/3704182",
    },
    {
        "id": "rostelecom-tea",
        "title": "Rostelecom TEA / TEA NEXT terrestrial Europe-Asia routes through Russia, "
        "with a Russia-Kazakhstan leg (submarinenetworks.com TEA page)",
        "url": "https://www.submarinenetworks.com",
    },
    {
        "id": "fiber-index",
        "title": "Single-mode fibre group index 1.467-1.468 at 1550 nm, 4.897 us/km "
        "(mapyourtech.com; pingdo.net)",
        "url": "https://pingdo.net",
    },
    {
        "id": "satproviders-2023",
        "title": "satproviders.com 2023-12: Kazakhstan school Starlink links up to 200 Mbit/s",
        "url": "https://satproviders.com",
    },
    {
        "id": "trend-2025-tcfo",
        "title": "Trend 2025-08-06 and 2025-03-04: Trans-Caspian cable, AzerTelecom-Kazakhtelecom "
        "joint venture, Aktau-Sumgait 380 km, up to 400 Tbit/s, marine survey from 2025-08, "
        "completion end-2026 (2023-2025 design)",
        "url": "https://trend.az",
    },
    {
        "id": "capacitymedia-tcfo",
        "title": "Capacity Media: Trans-Caspian cable with two fibres, Aktau-Siyazan 340 km plus a "
        "reserve Kuryk-Buzovna link of about 330 km",
        "url": "https://www.capacitymedia.com",
    },
    {
        "id": "order-529",
        "title": "Order No. 529 of 2024-08-29, rules for non-geostationary satellite networks "
        "(2,000-school Starlink pilot)",
        "url": "https://cis-legislation.com/document.fwx?rgn=161841",
    },
    {
        "id": "kz-school-norm",
        "title": "Ministry of Enlightenment via inform.kz (2024): a 400-place school gets at "
        "least 20 Mbit/s, plus 1 Mbit/s per 20 pupils above 400 (the ITU/UN 2030 target is "
        "also 20 Mbit/s per school: Giga session, WSIS 2023)",
        "url": "https://www.inform.kz",
    },
    {
        "id": "fcc-starlink-gateways-2020",
        "title": "FCC STA for six US Starlink gateways (2020): 8 antennas of 1.5 m per site "
        "(reported by ibmwl.com); a 2023 blanket licence allows up to 40 antennas per site",
        "url": "https://www.fcc.gov",
    },
    {
        "id": "fcc-oneweb-talkeetna",
        "title": "FCC SES-LIC-20180604-01082 (2018): OneWeb Talkeetna, Alaska gateway with 26 "
        "Ka-band antennas of 3.5 m",
        "url": "https://www.fcc.gov",
    },
]


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    kind: str
    country: str
    lat: float
    lon: float
    source: str


SITES: list[Site] = [
    # --- Kazakhstan
    Site("kokterek", "Kokterek", "gateway", "KZ", 43.4, 77.0, "astanatimes-2024;A01"),
    Site("akkol", "Akkol", "gateway", "KZ", 52.0, 70.93, "akkol-scc;globalcio-13841;A02"),
    Site("almaty", "Almaty", "pop", "KZ", 43.247189, 76.910127, "hypatia-cities"),
    Site("almaty-ix", "Almaty IX", "ixp", "KZ", 43.247189, 76.910127, "hypatia-cities;A08"),
    Site("astana", "Astana", "pop", "KZ", 51.1801, 71.44598, "hypatia-cities"),
    Site("karaganda", "Karaganda", "pop", "KZ", 49.80, 73.10, "A06"),
    Site("shymkent", "Shymkent", "pop", "KZ", 42.3, 69.6, "hypatia-cities"),
    Site("kyzylorda", "Kyzylorda", "pop", "KZ", 44.85, 65.51, "A06"),
    Site("aktobe", "Aktobe", "pop", "KZ", 50.28, 57.17, "A06"),
    Site("atyrau", "Atyrau", "pop", "KZ", 47.11, 51.92, "A04"),
    Site("aktau", "Aktau", "cable_landing", "KZ", 43.65, 51.17, "A03"),
    Site("aktau-dc", "Aktau DC", "datacenter", "KZ", 43.65, 51.17, "investbaku-3096;A03;A08"),
    Site("khorgos", "Khorgos", "pop", "KZ", 44.1649, 80.3001, "woge-534"),
    Site("dostyk", "Dostyk", "pop", "KZ", 45.25, 82.48, "A06"),
    # --- China
    Site("urumqi", "Urumqi", "pop", "CN", 43.82532, 87.603835, "hypatia-cities"),
    # --- Caucasus and Turkiye
    Site("siyazan", "Siyazan", "cable_landing", "AZ", 41.08, 49.11, "digitalsilkway;A05"),
    Site("baku", "Baku", "pop", "AZ", 40.37767, 49.89201, "hypatia-cities"),
    Site("baku-dc", "Baku DC", "datacenter", "AZ", 40.37767, 49.89201, "investbaku-3096;A08"),
    Site("baku-gw", "Baku gateway", "gateway", "AZ", 40.37767, 49.89201, "hypatia-cities;A09"),
    Site("tbilisi", "Tbilisi", "pop", "GE", 41.69411, 44.83368, "hypatia-cities"),
    Site(
        "tbilisi-gw", "Tbilisi gateway", "gateway", "GE", 41.69411, 44.83368, "hypatia-cities;A09"
    ),
    Site("istanbul", "Istanbul", "pop", "TR", 41.0138, 28.9497, "hypatia-cities"),
    # --- Europe
    Site("sofia", "Sofia", "pop", "BG", 42.69751, 23.32415, "hypatia-cities;A07"),
    Site("vienna", "Vienna", "pop", "AT", 48.206443, 16.370725, "hypatia-cities;A07"),
    Site("frankfurt", "Frankfurt", "pop", "DE", 50.11667, 8.68333, "hypatia-cities"),
    Site("de-cix", "DE-CIX Frankfurt", "ixp", "DE", 50.11667, 8.68333, "hypatia-cities;A08"),
    Site("warsaw", "Warsaw", "pop", "PL", 52.22977, 21.01178, "hypatia-cities;A07"),
    Site("minsk", "Minsk", "pop", "BY", 53.9, 27.56667, "hypatia-cities;A07"),
    # --- Russia (the northern route)
    Site("moscow", "Moscow", "pop", "RU", 55.754996, 37.621849, "hypatia-cities"),
    Site("samara", "Samara", "pop", "RU", 53.20006, 50.15, "hypatia-cities;A07"),
    Site("astrakhan", "Astrakhan", "pop", "RU", 46.34968, 48.04076, "hypatia-cities;A07"),
    Site("chelyabinsk", "Chelyabinsk", "pop", "RU", 55.15444, 61.42972, "hypatia-cities;A07"),
]

# (id, a, b, medium, capacity_gbps, operator, source). Fibre lengths are great-circle x
# ROUTE_SLACK (A10), metro tails at least METRO_MIN_KM (A11); the cable has its sourced length.
NIH = "kase-2000-nih"
ROUTES: list[tuple[str, str, str, str, float, str, str]] = [
    # China -> Kazakhstan
    ("urumqi-khorgos", "urumqi", "khorgos", "fiber", BACKBONE_GBPS, "", "tasim;A10;A12"),
    ("urumqi-dostyk", "urumqi", "dostyk", "fiber", BACKBONE_GBPS, "", "A07;A10;A12"),
    ("khorgos-almaty", "khorgos", "almaty", "fiber", BACKBONE_GBPS, "", "tasim;A10;A12"),
    ("dostyk-almaty", "dostyk", "almaty", "fiber", BACKBONE_GBPS, "", "A07;A10;A12"),
    # Kazakh backbone: the National Information Highway west, and north to Astana
    (
        "almaty-shymkent",
        "almaty",
        "shymkent",
        "fiber",
        BACKBONE_GBPS,
        "Kazakhtelecom",
        f"{NIH};A10;A12;A21",
    ),
    (
        "shymkent-kyzylorda",
        "shymkent",
        "kyzylorda",
        "fiber",
        BACKBONE_GBPS,
        "Kazakhtelecom",
        f"{NIH};A10;A12;A21",
    ),
    (
        "kyzylorda-aktobe",
        "kyzylorda",
        "aktobe",
        "fiber",
        BACKBONE_GBPS,
        "Kazakhtelecom",
        f"{NIH};A10;A12;A21",
    ),
    (
        "aktobe-atyrau",
        "aktobe",
        "atyrau",
        "fiber",
        BACKBONE_GBPS,
        "Kazakhtelecom",
        f"{NIH};A10;A12;A21",
    ),
    ("atyrau-aktau", "atyrau", "aktau", "fiber", BACKBONE_GBPS, "", "A07;A10;A12;A21"),
    ("almaty-karaganda", "almaty", "karaganda", "fiber", BACKBONE_GBPS, "", "A07;A10;A12"),
    ("karaganda-astana", "karaganda", "astana", "fiber", BACKBONE_GBPS, "", "A07;A10;A12"),
    # The Trans-Caspian cable (2019 design; capacity variants in scenario.toml)
    (
        "tcfo",
        "aktau",
        "siyazan",
        "submarine",
        TCFO_GBPS[0],
        "AzerTelecom; Transtelecom; KazTransCom",
        "digitalsilkway;totaltele-2019;A15",
    ),
    # Middle Corridor onwards: Azerbaijan -> Georgia -> Turkiye -> Europe
    ("siyazan-baku", "siyazan", "baku", "fiber", BACKBONE_GBPS, "", "digitalsilkway;A10;A12"),
    ("baku-tbilisi", "baku", "tbilisi", "fiber", BACKBONE_GBPS, "", "tasim;A10;A12"),
    ("tbilisi-istanbul", "tbilisi", "istanbul", "fiber", BACKBONE_GBPS, "", "tasim;A10;A12"),
    ("istanbul-sofia", "istanbul", "sofia", "fiber", BACKBONE_GBPS, "", "A07;A10;A12"),
    ("sofia-vienna", "sofia", "vienna", "fiber", BACKBONE_GBPS, "", "A07;A10;A12"),
    ("vienna-frankfurt", "vienna", "frankfurt", "fiber", BACKBONE_GBPS, "", "A07;A10;A12"),
    # The northern route through Russia
    (
        "aktobe-samara",
        "aktobe",
        "samara",
        "fiber",
        KZ_RU_BORDER_GBPS,
        "",
        f"{NIH};rostelecom-tea;A10;A13",
    ),
    ("atyrau-astrakhan", "atyrau", "astrakhan", "fiber", KZ_RU_BORDER_GBPS, "", f"{NIH};A10;A13"),
    (
        "astana-chelyabinsk",
        "astana",
        "chelyabinsk",
        "fiber",
        KZ_RU_BORDER_GBPS,
        "",
        "rostelecom-tea;A07;A10;A13",
    ),
    ("chelyabinsk-samara", "chelyabinsk", "samara", "fiber", BACKBONE_GBPS, "", "A07;A10;A12"),
    ("samara-moscow", "samara", "moscow", "fiber", BACKBONE_GBPS, "", "A07;A10;A12"),
    ("astrakhan-moscow", "astrakhan", "moscow", "fiber", BACKBONE_GBPS, "", "A07;A10;A12"),
    ("moscow-minsk", "moscow", "minsk", "fiber", BACKBONE_GBPS, "", "tasim;A07;A10;A12"),
    ("minsk-warsaw", "minsk", "warsaw", "fiber", BACKBONE_GBPS, "", "tasim;A07;A10;A12"),
    ("warsaw-frankfurt", "warsaw", "frankfurt", "fiber", BACKBONE_GBPS, "", "tasim;A07;A10;A12"),
    # Metro tails: gateways, exchanges and data centres
    ("kokterek-almaty", "kokterek", "almaty", "fiber", TAIL_GBPS, "", "A10;A11;A14"),
    ("akkol-astana", "akkol", "astana", "fiber", TAIL_GBPS, "", "A10;A11;A14"),
    ("almaty-ix-link", "almaty", "almaty-ix", "fiber", TAIL_GBPS, "", "A11;A14"),
    ("aktau-dc-link", "aktau", "aktau-dc", "fiber", TAIL_GBPS, "", "A11;A14"),
    ("baku-dc-link", "baku", "baku-dc", "fiber", TAIL_GBPS, "", "A11;A14"),
    ("baku-gw-link", "baku-gw", "baku", "fiber", TAIL_GBPS, "", "A09;A11;A14"),
    ("tbilisi-gw-link", "tbilisi-gw", "tbilisi", "fiber", TAIL_GBPS, "", "A09;A11;A14"),
    ("de-cix-link", "frankfurt", "de-cix", "fiber", TAIL_GBPS, "", "A11;A14"),
]

# Approximate outline of Kazakhstan as (lon, lat) vertices, drawn by hand from memory of the
# border (assumption A17; errors up to ~50-100 km). Used to place schools and as a map
# background.
KAZAKHSTAN_OUTLINE: list[tuple[float, float]] = [
    (49.2, 46.2),
    (48.2, 47.6),
    (46.6, 48.6),
    (46.8, 49.6),
    (48.3, 50.5),
    (48.7, 51.2),
    (50.0, 51.6),
    (51.5, 51.8),
    (53.0, 51.5),
    (54.5, 51.0),
    (56.5, 50.9),
    (58.5, 50.6),
    (60.0, 50.8),
    (61.4, 50.9),
    (61.0, 52.2),
    (61.2, 53.2),
    (61.9, 53.9),
    (64.0, 54.3),
    (65.5, 54.6),
    (68.0, 55.2),
    (69.5, 55.4),
    (70.8, 55.3),
    (71.1, 54.5),
    (71.8, 54.1),
    (73.5, 53.9),
    (75.5, 54.1),
    (77.4, 53.6),
    (78.0, 53.0),
    (79.5, 52.0),
    (80.0, 51.4),
    (81.5, 51.0),
    (83.0, 50.8),
    (84.5, 50.6),
    (85.4, 49.9),
    (86.4, 49.6),
    (87.3, 49.1),
    (85.8, 48.5),
    (85.5, 47.6),
    (83.0, 47.0),
    (82.3, 46.1),
    (82.6, 45.2),
    (81.5, 45.0),
    (80.2, 44.9),
    (80.35, 44.2),
    (80.5, 43.2),
    (80.2, 42.5),
    (79.0, 42.9),
    (78.0, 42.8),
    (76.0, 42.95),
    (75.0, 42.9),
    (74.6, 43.1),
    (73.5, 42.7),
    (71.8, 42.6),
    (71.0, 42.4),
    (70.9, 42.3),
    (69.6, 41.6),
    (69.1, 41.38),
    (68.7, 41.0),
    (68.6, 40.55),
    (68.0, 40.9),
    (67.0, 41.2),
    (66.0, 42.0),
    (65.9, 42.7),
    (65.5, 43.7),
    (64.0, 43.3),
    (62.0, 44.0),
    (59.5, 45.0),
    (58.6, 45.5),
    (56.0, 45.0),
    (56.0, 41.3),
    (55.0, 41.7),
    (54.0, 42.2),
    (53.0, 42.0),
    (52.6, 41.8),
    (52.4, 42.5),
    (51.4, 43.2),
    (51.15, 43.65),
    (50.3, 44.4),
    (50.8, 44.6),
    (51.3, 45.0),
    (53.0, 45.3),
    (53.1, 46.0),
    (53.0, 46.7),
    (52.2, 47.0),
    (51.3, 46.9),
    (50.3, 46.6),
    (49.5, 46.3),
]

# Regional towns (not network nodes) that schools keep clear of, (lon, lat) from memory
# (assumption A16).
OTHER_TOWNS: list[tuple[str, float, float]] = [
    ("Taraz", 71.37, 42.90),
    ("Turkistan", 68.25, 43.30),
    ("Taldykorgan", 78.37, 45.02),
    ("Semey", 80.23, 50.41),
    ("Oskemen", 82.61, 49.95),
    ("Pavlodar", 76.97, 52.29),
    ("Petropavl", 69.15, 54.87),
    ("Kokshetau", 69.39, 53.28),
    ("Kostanay", 63.62, 53.21),
    ("Oral", 51.37, 51.23),
    ("Zhezkazgan", 67.71, 47.80),
    ("Ekibastuz", 75.32, 51.72),
    ("Temirtau", 72.96, 50.05),
    ("Zhanaozen", 52.86, 43.34),
    ("Balkhash", 74.98, 46.85),
]

ASSUMPTIONS: list[dict[str, str]] = [
    {
        "id": "A01",
        "subject": "Kokterek gateway coordinates",
        "value": "43.4 N, 77.0 E",
        "basis": "[UNCERTAIN] No coordinates found; sources give only 'Ile district, Almaty "
        "Region'. Placeholder: the Ile district centre (Otegen Batyr), from memory.",
    },
    {
        "id": "A02",
        "subject": "Akkol space communications centre coordinates",
        "value": "52.0 N, 70.93 E",
        "basis": "[UNCERTAIN +-10 km] Akkol town; the centre is in the pine forest near the "
        "town. The mirror prints 70.9333 W, an obvious sign error.",
    },
    {
        "id": "A03",
        "subject": "Aktau landing point coordinates",
        "value": "43.65 N, 51.17 E",
        "basis": "[UNCERTAIN] From memory (city of Aktau on the Caspian shore).",
    },
    {
        "id": "A04",
        "subject": "Atyrau coordinates",
        "value": "47.11 N, 51.92 E",
        "basis": "[UNCERTAIN] From memory; not found in the sources.",
    },
    {
        "id": "A05",
        "subject": "Siyazan landing point coordinates",
        "value": "41.08 N, 49.11 E",
        "basis": "[UNCERTAIN] From memory. The 2019 design lands at Siyazan; the 2023-2025 "
        "design lands at Sumgait (380 km): variants tcfo-2025 and tcfo-2025-reserve (A19, A20).",
    },
    {
        "id": "A06",
        "subject": "Intermediate Kazakh PoP coordinates",
        "value": "Karaganda 49.80 N 73.10 E; Kyzylorda 44.85 N 65.51 E; Aktobe 50.28 N "
        "57.17 E; Dostyk (rail crossing to Alashankou) 45.25 N 82.48 E",
        "basis": "[UNCERTAIN] City centres from memory; not in the city list used elsewhere.",
    },
    {
        "id": "A07",
        "subject": "Route topology through intermediate PoPs",
        "value": "Karaganda, Dostyk, Samara, Astrakhan, Chelyabinsk, Minsk, Warsaw, Sofia, "
        "Vienna as PoPs; routes as listed in links.csv",
        "basis": "[UNCERTAIN] The sources name the countries each corridor crosses (TASIM, the "
        "National Information Highway, Rostelecom TEA), not the exact cities. Plausible "
        "intermediate cities were chosen so that each route follows its corridor.",
    },
    {
        "id": "A08",
        "subject": "Co-located facilities",
        "value": "Almaty IX at the Almaty city point; DE-CIX at the Frankfurt city point; the "
        "Aktau and Baku data centres at their city points",
        "basis": "[ASSUMED] The data centres are sourced (investbaku-3096) but not their sites. "
        "'Almaty IX' stands for the domestic internet exchange; which exchange and where it "
        "sits was not sourced. DE-CIX sites are inside Frankfurt.",
    },
    {
        "id": "A09",
        "subject": "Foreign satellite gateways",
        "value": "Hypothetical gateways at Baku (AZ) and Tbilisi (GE)",
        "basis": "[ASSUMED] Used only for the 'any gateway' policy, to show what gateways "
        "abroad would change. No operator has announced these sites.",
    },
    {
        "id": "A10",
        "subject": "Fibre route slack",
        "value": f"{ROUTE_SLACK} x great-circle",
        "basis": "[UNCERTAIN, typical engineering value] Fibre path / great-circle is about "
        "1.2-1.5; lengths in links.csv are great-circle x 1.3, rounded to 1 km.",
    },
    {
        "id": "A11",
        "subject": "Metro tail length",
        "value": f"at least {METRO_MIN_KM:g} km",
        "basis": "[ASSUMED] Links between co-located facilities (PoP to exchange, data centre, "
        "gateway) get at least this length.",
    },
    {
        "id": "A12",
        "subject": "Long-haul terrestrial route capacity",
        "value": f"{BACKBONE_GBPS:g} Gbit/s per route",
        "basis": "[UNCERTAIN] Not sourced (Transtelecom/Kazakhtelecom capacities were not "
        "found). Modern DWDM carries 10-40 Tbit/s per fibre pair; the low end is used as the "
        "lit capacity of every long-haul route.",
    },
    {
        "id": "A13",
        "subject": "Kazakhstan-Russia border crossing capacity",
        "value": f"{KZ_RU_BORDER_GBPS:g} Gbit/s per crossing",
        "basis": "[ASSUMED] Lower than the domestic backbone (40 x 100G lit) to reflect "
        "cross-border links; not sourced.",
    },
    {
        "id": "A14",
        "subject": "Tail link capacity (gateways, exchanges, data centres)",
        "value": f"{TAIL_GBPS:g} Gbit/s",
        "basis": "[ASSUMED] Enough for 2,000 schools at 200 Mbit/s each (satproviders-2023).",
    },
    {
        "id": "A15",
        "subject": "Trans-Caspian cable status and capacity",
        "value": "Modelled as built, Aktau-Siyazan, 400 km, 4,000 Gbit/s (variant tcfo-6tbps: "
        "6,000 Gbit/s)",
        "basis": "[ASSUMED built] Construction started in 2019 and missed its 2021 target; the "
        "2023-2025 redesign (up to 400 Tbit/s, Sumgait landing, due end-2026) is modelled as "
        "the variants tcfo-2025 and tcfo-2025-reserve (A20). Length and both capacity bounds "
        "are sourced (digitalsilkway, totaltele-2019).",
    },
    {
        "id": "A16",
        "subject": "School placement",
        "value": f"{SCHOOL_COUNT} terminals, uniform by area inside the outline (A17), at least "
        f"{SCHOOL_CLEARANCE_KM:g} km from every network node and regional town, seed "
        f"{SCHOOL_SEED}",
        "basis": "[ASSUMED] The real school sites are not public. The count is the pilot size "
        "(order-529). Uniform placement under-weights the denser south; town coordinates are "
        "from memory.",
    },
    {
        "id": "A17",
        "subject": "Kazakhstan outline",
        "value": f"{len(KAZAKHSTAN_OUTLINE)}-vertex polygon in [outlines] below",
        "basis": "[UNCERTAIN +-50-100 km] Drawn by hand from memory of the border; good enough "
        "to keep schools inside the country, not for anything near the border.",
    },
    {
        "id": "A18",
        "subject": "Transit end points",
        "value": "sources Khorgos and Urumqi (China border); sinks Frankfurt and Istanbul",
        "basis": "[ASSUMED] As in the project brief: Asia -> Europe transit enters at the "
        "Chinese border and leaves towards the two European hubs.",
    },
    {
        "id": "A19",
        "subject": "Coordinates of the 2023-2025 cable ends",
        "value": "Sumgait 40.59 N 49.67 E; Kuryk 43.17 N 51.65 E; Buzovna 40.52 N 50.11 E",
        "basis": "[UNCERTAIN] From memory; the landings are named in trend-2025-tcfo (Sumgait) "
        "and capacitymedia-tcfo (Kuryk, Buzovna), their coordinates are not.",
    },
    {
        "id": "A20",
        "subject": "2023-2025 Trans-Caspian cable (variants tcfo-2025, tcfo-2025-reserve)",
        "value": f"Aktau-Sumgait {TCFO_2025_KM:g} km, {TCFO_2025_GBPS:,.0f} Gbit/s, replacing the "
        f"2019 Aktau-Siyazan link; reserve Kuryk-Buzovna {TCFO_RESERVE_KM:g} km, "
        f"{TCFO_RESERVE_GBPS:,.0f} Gbit/s",
        "basis": "[ASSUMED built] Due end-2026 (marine survey from 2025-08). Length and 'up to "
        "400 Tbit/s' are sourced (trend-2025-tcfo), but 400 Tbit/s is a design ceiling, not "
        "lit capacity; the reserve link's capacity is not sourced and is set equal. Landing "
        "tails to Baku and Aktau use the backbone figure (A12).",
    },
    {
        "id": "A21",
        "subject": "Kazakh backbone topology west of Almaty",
        "value": "A single chain Almaty-Shymkent-Kyzylorda-Aktobe-Atyrau-Aktau, no parallel route",
        "basis": "[UNCERTAIN] The sources give one route (the National Information Highway, "
        "kase-2000-nih) and planned new ones without their paths (trend-2023-superhighway; "
        "the Freedom Telecom West-East line). Operators' parallel fibres were not found. So "
        "'one failed backbone link cuts off the route avoiding Russia' and a minimum cut on "
        "backbone links follow from this drawing and the capacity assumption A12.",
    },
    {
        "id": "A22",
        "subject": "Kokterek gateway antennas",
        "value": f"{GATEWAY_ANTENNAS} antennas (variants kokterek-4-antennas and "
        "kokterek-16-antennas: 4 and 16)",
        "basis": "[UNCERTAIN] No antenna count or capacity is published for Kokterek "
        "(astanatimes-2024). 8 is a 2020 Starlink site (fcc-starlink-gateways-2020); OneWeb's "
        "Talkeetna has 26 (fcc-oneweb-talkeetna). One antenna tracks one satellite, so a "
        "gateway carries at most antennas x one feeder link of the system; 4 and 16 are the "
        "sensitivity cases the fact sheet asks for.",
    },
    {
        "id": "A23",
        "subject": "Antennas of the other gateways (Akkol; the hypothetical Baku and Tbilisi)",
        "value": f"{GATEWAY_ANTENNAS} antennas each",
        "basis": "[ASSUMED] Not published; the same figure as A22 so that no site is favoured.",
    },
    {
        "id": "A24",
        "subject": "School demand",
        "value": f"{SCHOOL_DEMAND_MBPS:g} Mbit/s per school",
        "basis": "[ASSUMED] Every school at the Kazakh norm for a 400-place school "
        "(kz-school-norm): schools are not sized (A16), so the per-pupil increment is not "
        "applied. A terminals.csv "
        "demand_mbps column overrides it per school.",
    },
]


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


# The 2023-2025 cable ends, added by the tcfo-2025 variants (A19).
SUMGAIT = Site("sumgait", "Sumgait", "cable_landing", "AZ", 40.59, 49.67, "trend-2025-tcfo;A19")
KURYK = Site("kuryk", "Kuryk", "cable_landing", "KZ", 43.17, 51.65, "capacitymedia-tcfo;A19")
BUZOVNA = Site("buzovna", "Buzovna", "cable_landing", "AZ", 40.52, 50.11, "capacitymedia-tcfo;A19")


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
