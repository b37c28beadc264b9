"""The sources and the assumptions the ``central-asia`` scenario cites by id (written into its
``scenario.toml``); read by ``build_central_asia.py``. Figures marked [UNCERTAIN] or [ASSUMED]
stay marked."""

from __future__ import annotations

from central_asia_sites import (
    BACKBONE_GBPS,
    GATEWAY_ANTENNAS,
    KAZAKHSTAN_OUTLINE,
    KZ_RU_BORDER_GBPS,
    METRO_MIN_KM,
    ROUTE_SLACK,
    SCHOOL_CLEARANCE_KM,
    SCHOOL_COUNT,
    SCHOOL_DEMAND_MBPS,
    SCHOOL_SEED,
    TAIL_GBPS,
    TCFO_2025_GBPS,
    TCFO_2025_KM,
    TCFO_RESERVE_GBPS,
    TCFO_RESERVE_KM,
)

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
