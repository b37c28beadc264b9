"""scenario.toml keys, variants that add nodes and links, and the physics checks on links."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest

import routecore as rc
from routecore.scenario import C_KM_PER_MS, Network, load_network

from .oracles import unit_vector
from .scenario_files import LINKS_CSV, SCENARIO_TOML, write_scenario

NODES = {  # the tiny scenario's coordinates (scenario_files.NODES_CSV)
    "alpha": (43.25, 76.91),
    "beta": (51.18, 71.45),
    "gamma": (42.38, 49.89),
    "delta": (48.0, 68.0),
}


def great_circle(a: str, b: str) -> float:
    """Oracle: the angle between the two unit vectors times the mean Earth radius."""
    u, v = unit_vector(*NODES[a]), unit_vector(*NODES[b])
    return 6371.0088 * math.atan2(float(np.linalg.norm(np.cross(u, v))), float(np.dot(u, v)))


def line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


def load(tmp_path: Path, **files: str) -> Network:
    return load_network(write_scenario(tmp_path / "s", **files))


# ------------------------------------------------------------------------------ unknown keys
def test_a_misspelt_cable_cut_is_refused_with_line_and_closest_key(tmp_path: Path) -> None:
    toml = SCENARIO_TOML + '\n[variants.cut]\ndescription = "cable cut"\nremove_link = ["bg"]\n'
    with pytest.raises(rc.ScenarioError) as info:
        load(tmp_path, toml=toml)
    err = info.value
    assert err.line == line_of(toml, "remove_link =")
    assert err.column == "variants.cut.remove_link"
    assert "did you mean 'remove_links'" in str(err)
    assert str(err).startswith(str(tmp_path / "s" / "scenario.toml") + f", line {err.line}")


@pytest.mark.parametrize(
    ("old", "new", "key", "hint"),
    [
        ('name = "tiny"', 'name = "tiny"\nadd_links = []', "add_links", None),
        ('length = "km"', 'lenght = "km"', "units.lenght", "length"),
        ('home_country = "KZ"', 'home_contry = "KZ"', "analysis.home_contry", "home_country"),
        ('title = "made up', 'titel = "made up', "sources[0].titel", "title"),
        (
            "capacity_gbps = 20000",
            "capacity_gpbs = 20000",
            "variants.fast.links.ab.capacity_gpbs",
            "capacity_gbps",
        ),
        (
            'remove_nodes = ["gamma"]',
            'remove_node = ["gamma"]',
            "variants.no-gamma.remove_node",
            "remove_nodes",
        ),
        (
            "[units]",
            "[parameters]\nroute_slak = 1.2\n\n[units]",
            "parameters.route_slak",
            "route_slack",
        ),
    ],
)
def test_every_unknown_key_is_refused(
    tmp_path: Path, old: str, new: str, key: str, hint: str | None
) -> None:
    toml = SCENARIO_TOML.replace(old, new, 1)
    assert toml != SCENARIO_TOML
    with pytest.raises(rc.ScenarioError, match="unknown key") as info:
        load(tmp_path, toml=toml)
    assert info.value.column == key
    assert info.value.line == line_of(toml, key.rsplit(".", 1)[-1].split("[")[0] + " =")
    if hint:
        assert f"did you mean {hint!r}" in str(info.value)


def test_unknown_keys_are_refused_in_memory_too(tiny: Path) -> None:
    net = load_network(tiny)
    meta = net.meta
    meta["variants"]["fast"]["remove_link"] = ["ab"]
    with pytest.raises(rc.ScenarioError, match="remove_links") as info:
        Network(net.nodes, net.links, meta)
    assert info.value.line is None


def test_delays_table_is_allowed_and_checked(tmp_path: Path) -> None:
    ok = (
        SCENARIO_TOML
        + '\n[delays]\nper_hop_ms = 0.5\nassumption = "A01"\n[delays.starlink]\nper_hop_ms = 10\n'
    )
    assert load(tmp_path, toml=ok).meta["delays"]["per_hop_ms"] == 0.5
    bad = ok.replace("per_hop_ms = 0.5", "per_hop_ms = -1")
    with pytest.raises(rc.ScenarioError, match=">= 0") as info:
        load(tmp_path, toml=bad)
    assert info.value.column == "delays.per_hop_ms"


# ------------------------------------------------------------------------------ variants add
ADD = """
[variants.new-route]
description = "a new city and a link to it"
[[variants.new-route.add_nodes]]
id = "omega"
name = "Omega"
kind = "pop"
country = "KZ"
lat = 48.0
lon = 60.0
source = "test"
[[variants.new-route.add_links]]
id = "bo"
a = "beta"
b = "omega"
medium = "fiber"
capacity_gbps = 300
[[variants.new-route.add_links]]
id = "og"
a = "omega"
b = "gamma"
medium = "microwave"
length_km = 1200
capacity_gbps = 50
latency_ms = 4.5
"""


def test_variants_add_nodes_and_links(tmp_path: Path) -> None:
    net = load(tmp_path, toml=SCENARIO_TOML + ADD)
    assert "omega" not in set(net.nodes["id"])
    var = net.variant("new-route")
    assert var.nodes["id"].tolist()[-1] == "omega"
    links = var.links.set_index("id")
    assert links.loc["bo", "capacity_gbps"] == 300
    NODES["omega"] = (48.0, 60.0)
    try:
        gc = great_circle("beta", "omega")
    finally:
        del NODES["omega"]
    assert links.loc["bo", "length_km"] == pytest.approx(gc * 1.3)  # filled: route_slack
    assert links.loc["bo", "latency_ms"] == pytest.approx(gc * 1.3 * 1.468 / C_KM_PER_MS)
    assert links.loc["og", "latency_ms"] == 4.5
    g = var.to_graph()
    assert (g.num_nodes, g.num_edges) == (net.num_nodes + 1, net.num_links + 2)


@pytest.mark.parametrize(
    ("old", "new", "key", "fragment"),
    [
        ('kind = "pop"', 'kind = "town"', "add_nodes", "unknown kind"),
        ('id = "omega"', 'id = "beta"', "add_nodes", "already in the scenario"),
        ('b = "gamma"', 'b = "nowhere"', "add_links", "unknown node id"),
        ("length_km = 1200", "length_km = 120", "add_links", "shorter than the great-circle"),
        ("latency_ms = 4.5", "latency_ms = 0.5", "add_links", "faster than light"),
        ('medium = "microwave"', 'mediun = "microwave"', "add_links", "did you mean 'medium'"),
    ],
)
def test_added_rows_are_checked_like_the_base_tables(
    tmp_path: Path, old: str, new: str, key: str, fragment: str
) -> None:
    toml = SCENARIO_TOML + ADD.replace(old, new, 1)
    with pytest.raises(rc.ScenarioError, match=re.escape(fragment)) as info:
        load(tmp_path, toml=toml)
    assert f"variants.new-route.{key}" in str(info.value)


def test_a_variant_override_is_checked_against_physics(tmp_path: Path) -> None:
    toml = SCENARIO_TOML.replace("capacity_gbps = 20000", "length_km = 100")
    with pytest.raises(rc.ScenarioError, match=r"variant 'fast'.*shorter than the great-circle"):
        load(tmp_path, toml=toml)


# ------------------------------------------------------------------------------ physics
def test_latency_below_the_speed_of_light_is_refused(tmp_path: Path) -> None:
    links = LINKS_CSV.replace(
        "ab,alpha,beta,fiber,1300,10000,,", "ab,alpha,beta,fiber,2900,10000,1.0,"
    )
    with pytest.raises(rc.ScenarioError) as info:
        load(tmp_path, links=links)
    err = info.value
    assert (err.row, err.line, err.column) == (1, 2, "latency_ms")
    bound = 2900 * 1.468 / C_KM_PER_MS
    assert "1 ms" in str(err) and f"{bound:.3f} ms" in str(err)


@pytest.mark.parametrize(
    ("medium", "factor"), [("fiber", 1.468), ("submarine", 1.468), ("microwave", 1.0), ("isl", 1.0)]
)
def test_latency_bound_depends_on_the_medium(tmp_path: Path, medium: str, factor: float) -> None:
    bound = 2500 * factor / C_KM_PER_MS
    for latency, ok in ((bound * 1.001, True), (bound * 0.99, False)):
        links = LINKS_CSV.replace(
            "ag,alpha,gamma,microwave,2500,100,9.5", f"ag,alpha,gamma,{medium},2500,100,{latency!r}"
        )
        if ok:
            assert load(tmp_path, links=links).links["latency_ms"][2] == latency
        else:
            with pytest.raises(rc.ScenarioError, match="faster than light"):
                load(tmp_path, links=links)


def test_length_below_the_great_circle_is_refused(tmp_path: Path) -> None:
    gc = great_circle("alpha", "gamma")
    links = LINKS_CSV.replace("alpha,gamma,microwave,2500,100,9.5", "alpha,gamma,microwave,29,100,")
    with pytest.raises(rc.ScenarioError) as info:
        load(tmp_path, links=links)
    err = info.value
    assert (err.row, err.line, err.column) == (3, 4, "length_km")
    assert "29 km" in str(err) and f"{gc:.1f} km" in str(err)


def test_length_tolerance_is_1_km_or_0_6_percent(tmp_path: Path) -> None:
    gc = great_circle("alpha", "gamma")
    tol = max(1.0, 0.006 * gc)
    for length, ok in ((gc - 0.99 * tol, True), (gc - 1.01 * tol, False)):
        links = LINKS_CSV.replace(
            "alpha,gamma,microwave,2500,100,9.5", f"alpha,gamma,microwave,{length!r},100,"
        )
        if ok:
            assert load(tmp_path, links=links).links["length_km"][2] == length
        else:
            with pytest.raises(rc.ScenarioError, match="shorter than the great-circle"):
                load(tmp_path, links=links)


@pytest.mark.parametrize("slack", [None, 1.5])
def test_missing_length_is_great_circle_times_route_slack(
    tmp_path: Path, slack: float | None
) -> None:
    links = LINKS_CSV.replace("alpha,beta,fiber,1300,", "alpha,beta,fiber,,").replace(
        "alpha,gamma,microwave,2500,100,9.5", "alpha,gamma,microwave,,100,"
    )
    toml = SCENARIO_TOML
    if slack is not None:
        toml = toml.replace("[units]", f"[parameters]\nroute_slack = {slack}\n\n[units]")
    net = load(tmp_path, links=links, toml=toml)
    length = net.links["length_km"]
    assert length[0] == pytest.approx(great_circle("alpha", "beta") * (slack or 1.3))
    assert length[2] == pytest.approx(great_circle("alpha", "gamma"))  # radio: no slack
    again = load_network(net.save(tmp_path / "again"))
    assert again == net


def test_shipped_route_slack_is_a_listed_assumption() -> None:
    from routecore.scenario import load_scenario

    net = load_scenario("central-asia")
    slack = net.meta["parameters"]["route_slack"]
    basis = {a["id"]: a for a in net.meta["assumptions"]}["A10"]
    assert f"{slack:g}" in basis["value"]
