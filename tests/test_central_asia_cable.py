"""The shipped scenario's 2023-2025 Trans-Caspian variants and the backbone assumption they expose
(checked with networkx as the oracle, not with routecore's own flow code)."""

from __future__ import annotations

import networkx as nx
import pytest

from routecore.scenario import Network

from .oracles import nx_ground, nx_max_flow

SOURCES, SINKS = ["khorgos", "urumqi"], ["frankfurt", "istanbul"]


def test_2025_design_replaces_the_2019_link_with_sourced_figures(net: Network) -> None:
    for name in ("tcfo-2025", "tcfo-2025-reserve"):
        links = net.variant(name).links.set_index("id")
        assert "tcfo" not in links.index  # the 2019 design is replaced, not doubled
        cable = links.loc["tcfo-2025"]
        assert (cable["a"], cable["b"], cable["medium"]) == ("aktau", "sumgait", "submarine")
        assert (cable["length_km"], cable["capacity_gbps"]) == (380, 400_000)
        assert "trend-2025-tcfo" in cable["source"].split(";")
    reserve = net.variant("tcfo-2025-reserve").links.set_index("id").loc["tcfo-reserve"]
    assert (reserve["a"], reserve["b"], reserve["length_km"]) == ("kuryk", "buzovna", 330)
    assert "capacitymedia-tcfo" in reserve["source"].split(";")
    assumptions = {a["id"]: a for a in net.meta["assumptions"]}
    assert assumptions["A20"]["basis"].startswith("[ASSUMED")  # built + reserve capacity


def _cut_value_without(g: nx.Graph, link: str) -> float:
    h = g.copy()
    h.remove_edges_from([(u, v) for u, v, d in g.edges(data=True) if d["link"] == link])
    return nx_max_flow(h, SOURCES, SINKS)


def test_without_russia_the_bottleneck_moves_from_the_cable_to_the_assumed_backbone(
    net: Network,
) -> None:
    flows = {}
    for name in ("tcfo-4tbps", "tcfo-2025"):
        g = nx_ground(net.variant(name), drop_countries=("RU",))
        flows[name] = nx_max_flow(g, SOURCES, SINKS)
    assert flows["tcfo-4tbps"] == pytest.approx(4000)  # the 2019 cable binds
    assert flows["tcfo-2025"] == pytest.approx(10_000)  # now the backbone does
    # Every link whose loss lowers the 2025 flow is a backbone link whose capacity (A12) and
    # topology (A21, a single chain) are assumptions.
    g = nx_ground(net.variant("tcfo-2025"), drop_countries=("RU",))
    links = net.variant("tcfo-2025").links.set_index("id")
    binding = [
        link
        for link in links.index
        if links.loc[link, "capacity_gbps"] <= 10_000
        and _cut_value_without(g, link) < flows["tcfo-2025"] - 1e-6
    ]
    assert binding
    for link in binding:
        cited = set(links.loc[link, "source"].split(";"))
        assert "A12" in cited, link
    chain = [k for k in binding if "A21" in links.loc[k, "source"].split(";")]
    assert {"almaty-shymkent", "atyrau-aktau"} <= set(chain)


def test_the_reserve_link_keeps_the_route_when_the_main_cable_fails(net: Network) -> None:
    for name, survives in (("tcfo-2025", False), ("tcfo-2025-reserve", True)):
        g = nx_ground(net.variant(name), drop_countries=("RU",))
        assert (_cut_value_without(g, "tcfo-2025") > 0) is survives


def test_the_demo_flags_the_assumptions_behind_cuts_and_cut_offs(net: Network) -> None:
    from routecore.analyses import failure_sweep, transit_capacity
    from routecore.cli.demo import assumption_notes

    sweep = failure_sweep(net, avoid_countries=["RU"])
    (note,) = assumption_notes(net, None, {"avoid RU": sweep})
    # The links named are exactly those whose loss disconnects (networkx), and A21 is cited.
    g = nx_ground(net, drop_countries=("RU",))
    cut_off = sorted(
        link for link in net.links["id"] if _cut_value_without(g, link) == 0 and g.size() > 0
    )
    named = note.split(": ", 1)[1].split(". ", 1)[0].split(", ")
    assert named == cut_off
    assert "A21" in note
    cases = transit_capacity(net, variants=["tcfo-2025"]).cases
    notes = assumption_notes(net, cases, None)
    assert any("almaty-shymkent" in n and "A12" in n for n in notes)
