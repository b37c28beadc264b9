"""The in-country policy end to end, on adversarial copies of the shipped scenario: a foreign
city whose fibre is shorter than the domestic route between a Kazakh gateway and the exchange,
and a copy where no domestic route exists at all. Every returned route is walked node by node
(an oracle on the nodes' countries), and the latencies are compared with a networkx search on
the network with every foreign node deleted."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from routecore import constellation as cs
from routecore.analyses import gateway_siting, school_connectivity, school_route
from routecore.geo import great_circle_km
from routecore.scenario import Network

from .oracles import school_latency

SYSTEMS = {"starlink": cs.STARLINK_SHELL1, "oneweb": cs.ONEWEB}
TIMES = [0.0, 900.0]
FIBRE_MS_PER_KM = 1.0 / 204.19  # light in glass (group index ~1.468)


def _with_foreign_shortcut(
    base: Network, *, drop_links: tuple[str, ...] = (), extra: tuple[tuple[str, str], ...] = ()
) -> Network:
    """``base`` plus Bishkek (KG) joined by straight fibre to Akkol and Almaty: 1,230 km from
    the Akkol gateway to the Almaty exchange through Kyrgyzstan, against 1,403 km at home."""
    nodes = base.nodes
    city = nodes.iloc[[int(np.flatnonzero(nodes["id"] == "almaty")[0])]].copy()
    city[["id", "name", "country", "lat", "lon"]] = ["bishkek", "Bishkek", "KG", 42.87, 74.59]
    nodes = pd.concat([nodes, city], ignore_index=True)
    lat = dict(zip(nodes["id"], nodes["lat"], strict=True))
    lon = dict(zip(nodes["id"], nodes["lon"], strict=True))
    links = base.links[~base.links["id"].isin(drop_links)]
    template = links.iloc[[0]]
    rows = []
    for a, b in (("akkol", "bishkek"), ("bishkek", "almaty"), *extra):
        row = template.copy()
        km = float(great_circle_km(lat[a], lon[a], lat[b], lon[b]))
        row[["id", "a", "b", "length_km", "latency_ms"]] = [
            f"{a}-{b}",
            a,
            b,
            km,
            km * FIBRE_MS_PER_KM,
        ]
        rows.append(row)
    return Network(nodes, pd.concat([links, *rows], ignore_index=True), base.meta)


def _domestic_only(network: Network, home: str = "KZ") -> Network:
    """The network with every node outside ``home`` and every link touching one deleted."""
    nodes = network.nodes[network.nodes["country"] == home].reset_index(drop=True)
    keep = set(nodes["id"])
    links = network.links[network.links["a"].isin(keep) & network.links["b"].isin(keep)]
    meta = {k: v for k, v in network.meta.items() if k != "variants"}  # they name foreign links
    meta["analysis"] = {
        "home_country": home,
        "internet_exchanges": [i for i in meta["analysis"]["internet_exchanges"] if i in keep],
    }
    return Network(nodes, links.reset_index(drop=True), meta)


def _countries_on(network: Network, route_nodes: tuple[str, ...]) -> set[str]:
    country = dict(zip(network.nodes["id"], network.nodes["country"], strict=True))
    return {country[n] for n in route_nodes if not n.startswith("sat:")}


@pytest.fixture(scope="module")
def shortcut(thin_schools: Callable[[int], Network]) -> Network:
    return _with_foreign_shortcut(thin_schools(40))


def test_the_foreign_shortcut_is_really_shorter(shortcut: Network) -> None:
    from routecore.analyses import route_between

    free = route_between(shortcut, "akkol", "almaty-ix")
    home = route_between(_domestic_only(shortcut), "akkol", "almaty-ix")
    assert free is not None and home is not None
    assert "bishkek" in free.nodes and free.latency_ms < home.latency_ms


@pytest.mark.parametrize("which", sorted(SYSTEMS))
def test_home_policy_latency_matches_the_network_without_foreign_nodes(
    shortcut: Network, which: str
) -> None:
    constellation = SYSTEMS[which]
    domestic = _domestic_only(shortcut)
    for t in TIMES:
        res = school_connectivity(shortcut, {which: constellation}, [t], policies=("home", "any"))
        got = res[res["policy"] == "home"].set_index("school")["min_latency_ms"].fillna(math.inf)
        expected = school_latency(domestic, constellation, t, {"kokterek", "akkol"})
        assert set(expected) == set(got.index)
        for school, value in expected.items():
            if math.isinf(value):
                assert math.isinf(got[school]), school
            else:
                assert got[school] == pytest.approx(value, rel=1e-9), school
        # With any route allowed the shortcut is used, so the policy made a difference.
        free = school_latency(shortcut, constellation, t, {"kokterek", "akkol", "baku-gw"})
        anyg = res[res["policy"] == "any"].set_index("school")["min_latency_ms"]
        assert (anyg <= got + 1e-9).all()
        assert all(free[s] <= expected[s] + 1e-9 for s in expected)


@pytest.mark.parametrize("which", sorted(SYSTEMS))
def test_every_home_route_stays_in_the_country(shortcut: Network, which: str) -> None:
    schools = shortcut.nodes.loc[shortcut.nodes["kind"] == "terminal", "id"].tolist()
    used_shortcut = False
    for t in TIMES:
        for school in schools[::5]:
            route = school_route(shortcut, SYSTEMS[which], t, school, policy="home")
            if route is not None:
                assert _countries_on(shortcut, route.nodes) == {"KZ"}, route.nodes
            free = school_route(shortcut, SYSTEMS[which], t, school, policy="any")
            used_shortcut |= free is not None and "bishkek" in free.nodes
    assert used_shortcut or which == "starlink"  # OneWeb lands schools at Akkol


def test_no_domestic_route_means_offline_not_abroad(
    thin_schools: Callable[[int], Network],
) -> None:
    # Both Kazakh gateways reach the exchange only through Kyrgyzstan.
    net = _with_foreign_shortcut(
        thin_schools(40),
        drop_links=("akkol-astana", "kokterek-almaty"),
        extra=(("kokterek", "bishkek"),),
    )
    res = school_connectivity(net, SYSTEMS, TIMES, policies=("home", "any"))
    home = res[res["policy"] == "home"]
    assert (home["connected_share"] == 0).all()
    assert (home["gateway"] == "").all()
    assert (res[res["policy"] == "any"]["connected_share"] > 0).any()
    school = home["school"].iat[0]
    assert school_route(net, cs.ONEWEB, 0.0, school, policy="home") is None
    # Siting in-country: every site's ground leg would leave the country.
    sites = gateway_siting(net, [cs.ONEWEB], [0.0], candidates=["akkol", "kokterek"])
    assert (sites["connected_share"] == 0).all()
    assert np.isinf(sites["ground_latency_ms"]).all()
    free = gateway_siting(net, [cs.ONEWEB], [0.0], candidates=["akkol"], in_country=False)
    assert float(free["connected_share"].iat[0]) > 0


def test_siting_ground_leg_stays_in_the_country(shortcut: Network) -> None:
    from routecore.analyses import route_between

    home = route_between(_domestic_only(shortcut), "akkol", "almaty-ix")
    free = route_between(shortcut, "akkol", "almaty-ix")
    assert home is not None and free is not None
    inside = gateway_siting(shortcut, [cs.ONEWEB], [0.0], candidates=["akkol"])
    outside = gateway_siting(shortcut, [cs.ONEWEB], [0.0], candidates=["akkol"], in_country=False)
    assert float(inside["ground_latency_ms"].iat[0]) == pytest.approx(home.latency_ms)
    assert float(outside["ground_latency_ms"].iat[0]) == pytest.approx(free.latency_ms)


def test_avoided_countries_are_on_no_transit_route_and_carry_no_flow(net: Network) -> None:
    from routecore.analyses import failure_sweep, transit_capacity

    res = transit_capacity(net, avoid_countries=["RU"])
    # Variants may add nodes (the 2023-25 cable's landings): every variant's places count.
    country: dict[str, str] = {}
    for name in [None, *net.variant_names]:
        nodes = (net.variant(name) if name else net).nodes
        country.update(zip(nodes["id"], nodes["country"], strict=True))
    avoided = res.routes[res.routes["policy"] == "avoid RU"]
    assert len(avoided) and all(len(r) for r in avoided["route"])
    for route in avoided["route"]:
        assert "RU" not in {country[n] for n in route}, route
    links = res.links[(res.links["policy"] == "avoid RU") & (res.links["flow_gbps"] > 0)]
    assert not (links["a"].map(country).eq("RU") | links["b"].map(country).eq("RU")).any()
    # The failure sweep's intact case is the same route: its latency is the avoid-RU best.
    sweep = failure_sweep(net, avoid_countries=["RU"], links=[])
    # (on the base network, which has the 2019 cable of the tcfo-4tbps / -6tbps variants)
    best = float(avoided[avoided["variant"].isin(["tcfo-4tbps", "tcfo-6tbps"])]["latency_ms"].min())
    assert sweep.attrs["base_latency_ms"] == pytest.approx(best)
