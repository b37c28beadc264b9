"""The sites, routes and numbers of the ``central-asia`` scenario, each with its source id or
assumption id (listed in :mod:`central_asia_sources`); read by ``build_central_asia.py``."""

from __future__ import annotations

from dataclasses import dataclass

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


# The 2023-2025 cable ends, added by the tcfo-2025 variants (A19).
SUMGAIT = Site("sumgait", "Sumgait", "cable_landing", "AZ", 40.59, 49.67, "trend-2025-tcfo;A19")
KURYK = Site("kuryk", "Kuryk", "cable_landing", "KZ", 43.17, 51.65, "capacitymedia-tcfo;A19")
BUZOVNA = Site("buzovna", "Buzovna", "cable_landing", "AZ", 40.52, 50.11, "capacitymedia-tcfo;A19")
