"""The scenario model and its on-disk format: round trips, derived values, every bad-file class."""

from __future__ import annotations

import functools
import importlib.util
import math
import os
import re
import string
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import routecore as rc
from routecore.scenario import (
    C_KM_PER_MS,
    MEDIA,
    NODE_KINDS,
    Network,
    great_circle_km,
    load_network,
    load_scenario,
)

from .oracles import unit_vector
from .scenario_files import LINKS_CSV, NODES_CSV, SCENARIO_TOML, write_scenario


def files_of(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.iterdir())}


# ------------------------------------------------------------------------------ loading
def test_load_reads_every_column(tiny: Path) -> None:
    net = load_network(tiny)
    assert (net.num_nodes, net.num_links, net.name) == (4, 3, "tiny")
    nodes, links = net.nodes, net.links
    assert list(nodes["id"]) == ["alpha", "beta", "gamma", "delta"]
    assert nodes["lat"].dtype == np.float64
    assert list(links["operator"]) == ["OpA", "Op, with comma", ""]
    assert list(links["latency_given"]) == [False, False, True]
    # Derived latencies follow the physics, computed here independently of the module.
    assert links["latency_ms"][0] == pytest.approx(1300 * 1.468 / 299_792.458 * 1000)
    assert links["latency_ms"][1] == pytest.approx(2000.5 * 1.468 / 299_792.458 * 1000)
    assert links["latency_ms"][2] == 9.5


def test_radio_and_laser_media_travel_at_c(tiny: Path) -> None:
    links = load_network(tiny).links
    for medium in ("microwave", "feeder", "user_link", "isl"):
        links.loc[2, ["medium", "latency_ms", "latency_given"]] = [medium, np.nan, False]
        net = Network(load_network(tiny).nodes, links, load_network(tiny).meta)
        assert net.links["latency_ms"][2] == pytest.approx(2500 / C_KM_PER_MS)


def test_fiber_group_index_comes_from_parameters(tmp_path: Path) -> None:
    toml = SCENARIO_TOML.replace("[units]", "[parameters]\nfiber_group_index = 1.5\n\n[units]")
    net = load_network(write_scenario(tmp_path / "s", toml=toml))
    assert net.links["latency_ms"][0] == pytest.approx(1300 * 1.5 / C_KM_PER_MS)


def test_missing_link_ids_are_generated_and_unique(tmp_path: Path) -> None:
    links = (
        "a,b,medium,length_km,capacity_gbps\n"
        "alpha,beta,fiber,1000,1\n"
        "alpha,beta,fiber,1000,1\n"
        "beta,gamma,fiber,2000,1\n"
    )
    net = load_network(write_scenario(tmp_path / "s", links=links, toml='name = "x"\n'))
    assert list(net.links["id"]) == ["alpha--beta", "alpha--beta#2", "beta--gamma"]


# ------------------------------------------------------------------------------ round trips
def test_save_round_trips_byte_for_byte(tiny: Path, tmp_path: Path) -> None:
    net = load_network(tiny)
    out = net.save(tmp_path / "copy")
    again = load_network(out)
    assert again == net
    # The first save normalises (e.g. 1300 stays 1300, empty cells stay empty); the second
    # save of the re-loaded network must write exactly the same bytes.
    first = files_of(out)
    again.save(tmp_path / "copy2")
    assert files_of(tmp_path / "copy2") == first
    assert first["scenario.toml"] == (tiny / "scenario.toml").read_bytes()  # comments kept


def test_changed_metadata_is_written_as_toml(tiny: Path, tmp_path: Path) -> None:
    net = load_network(tiny)
    meta = net.meta
    meta["description"] = "changed"
    changed = Network(net.nodes, net.links, meta)
    again = load_network(changed.save(tmp_path / "c"))
    assert again.meta == meta
    assert again == changed


texts = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc"]) | st.sampled_from(",\"'\n;"),
    max_size=12,
).map(str.strip)
ident = st.text(alphabet=string.ascii_lowercase + string.digits + "-_.", min_size=1, max_size=8)


@st.composite
def networks(draw: st.DrawFn) -> Network:
    ids = draw(st.lists(ident, min_size=2, max_size=8, unique=True))
    n = len(ids)
    floats = st.floats(allow_nan=False, allow_infinity=False, width=64)
    nodes = pd.DataFrame(
        {
            "id": ids,
            "name": draw(st.lists(texts.filter(bool), min_size=n, max_size=n)),
            "kind": draw(st.lists(st.sampled_from(NODE_KINDS), min_size=n, max_size=n)),
            "country": draw(st.lists(st.sampled_from(["KZ", "AZ", "DE"]), min_size=n, max_size=n)),
            "lat": draw(st.lists(floats.filter(lambda x: -90 <= x <= 90), min_size=n, max_size=n)),
            "lon": draw(
                st.lists(floats.filter(lambda x: -180 <= x <= 180), min_size=n, max_size=n)
            ),
            "source": draw(st.lists(texts, min_size=n, max_size=n)),
        }
    )
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1]),
            max_size=10,
        )
    )
    m = len(pairs)
    nonneg = st.floats(min_value=0, max_value=1e12, allow_nan=False)
    # Physically possible links: length >= great circle, latency >= the speed-of-light bound.
    lat, lon = nodes["lat"].to_numpy(), nodes["lon"].to_numpy()
    ia, ib = [p[0] for p in pairs], [p[1] for p in pairs]
    gc = great_circle_km(lat[ia], lon[ia], lat[ib], lon[ib]) if m else np.zeros(0)
    medium = draw(st.lists(st.sampled_from(MEDIA), min_size=m, max_size=m))
    slack = st.floats(min_value=0, max_value=10, allow_nan=False)
    length = [float(g) * (1 + draw(slack)) for g in gc]
    factor = [1.468 if md in ("fiber", "submarine") else 1.0 for md in medium]
    latency = [
        None if draw(st.booleans()) else x * f / C_KM_PER_MS * (1 + draw(slack))
        for x, f in zip(length, factor, strict=True)
    ]
    links = pd.DataFrame(
        {
            "a": [ids[p[0]] for p in pairs],
            "b": [ids[p[1]] for p in pairs],
            "medium": medium,
            "length_km": length,
            "capacity_gbps": draw(st.lists(nonneg, min_size=m, max_size=m)),
            "latency_ms": [math.nan if x is None else x for x in latency],
            "operator": draw(st.lists(texts, min_size=m, max_size=m)),
            "source": draw(st.lists(texts, min_size=m, max_size=m)),
        }
    )
    meta = {"name": draw(texts.filter(bool)), "description": draw(texts)}
    return Network(nodes, links, meta)


@given(networks())
def test_any_network_round_trips_without_loss(net: Network) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        again = load_network(net.save(tmp))
    assert again == net
    np.testing.assert_array_equal(again.links["latency_ms"], net.links["latency_ms"])
    np.testing.assert_array_equal(again.links["latency_given"], net.links["latency_given"])


def test_bundled_scenario_round_trips_byte_for_byte(tmp_path: Path) -> None:
    net = load_scenario("central-asia")
    out = net.save(tmp_path / "ca")
    src = Path(rc.__file__).parent / "data" / "central-asia"
    # README.md and demands.csv (an input beside the scenario, Network.demands()) are not saved.
    skip = ("README.md", "demands.csv")
    assert files_of(out) == {n: b for n, b in files_of(src).items() if n not in skip}


def test_save_is_atomic(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    net = load_network(tiny)
    meta = net.meta
    meta["description"] = "new"
    changed = Network(net.nodes, net.links.iloc[:1], meta)
    before = files_of(tiny)

    def fail(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        changed.save(tiny)
    # The old files are untouched and no temporary file is left behind.
    assert files_of(tiny) == before


# ------------------------------------------------------------------------------ bad files
def edit(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


BAD_NODES = [
    # (what, nodes.csv text, row, column, message fragment)
    ("missing column", edit(NODES_CSV, ",lat,", ",latitude,"), None, "lat", "missing column"),
    ("lat out of range", edit(NODES_CSV, "51.18", "91.5"), 2, "lat", "within [-90, 90]"),
    ("lon out of range", edit(NODES_CSV, "49.89", "-181"), 3, "lon", "within [-180, 180]"),
    ("lat not a number", edit(NODES_CSV, "48.0", "48,5x"), 4, None, "fields"),
    ("lat text", edit(NODES_CSV, "48.0", "north"), 4, "lat", "not a number"),
    ("duplicate id", edit(NODES_CSV, "gamma,Gamma", "alpha,Gamma"), 3, "id", "duplicate id"),
    ("unknown kind", edit(NODES_CSV, "ixp", "exchange"), 3, "kind", "unknown kind"),
    ("bad country", edit(NODES_CSV, ",AZ,", ",AZE,"), 3, "country", "ISO 3166-1"),
    ("empty name", edit(NODES_CSV, "Beta Gateway", " "), 2, "name", "empty cell"),
    ("nan latitude", edit(NODES_CSV, "43.25", "nan"), 1, "lat", "out of range"),
]
BAD_LINKS = [
    ("unknown node", edit(LINKS_CSV, "beta,gamma", "beta,omega"), 2, "b", "unknown node id"),
    (
        "negative capacity",
        edit(LINKS_CSV, "2000.5,4000", "2000.5,-4000"),
        2,
        "capacity_gbps",
        "out of range",
    ),
    ("negative length", edit(LINKS_CSV, "1300", "-1"), 1, "length_km", "out of range"),
    ("infinite latency", edit(LINKS_CSV, "9.5", "inf"), 3, "latency_ms", "out of range"),
    ("missing column", edit(LINKS_CSV, "medium", "kind"), None, "medium", "missing column"),
    (
        "unknown medium",
        edit(LINKS_CSV, "microwave", "carrier-pigeon"),
        3,
        "medium",
        "unknown medium",
    ),
    ("duplicate id", edit(LINKS_CSV, "ag,", "ab,"), 3, "id", "duplicate id"),
    ("self loop", edit(LINKS_CSV, "alpha,gamma", "gamma,gamma"), 3, "b", "itself"),
    ("empty capacity", edit(LINKS_CSV, "2500,100", "2500,"), 3, "capacity_gbps", "empty cell"),
]


@pytest.mark.parametrize(
    ("what", "text", "row", "column", "fragment"), BAD_NODES, ids=[c[0] for c in BAD_NODES]
)
def test_bad_nodes_file_names_file_row_and_column(
    tmp_path: Path, what: str, text: str, row: int | None, column: str | None, fragment: str
) -> None:
    root = write_scenario(tmp_path / "s", nodes=text)
    with pytest.raises(rc.ScenarioError, match=re.escape(fragment)) as info:
        load_network(root)
    err = info.value
    assert err.file == str(root / "nodes.csv")
    assert str(root / "nodes.csv") in str(err)
    assert (err.row, err.column) == (row, column)
    if row is not None:
        assert err.line == row + 1  # one header line, no blank lines
        assert f"row {row} (line {row + 1})" in str(err)
    if column is not None:
        assert repr(column) in str(err)
    assert isinstance(err, ValueError)


@pytest.mark.parametrize(
    ("what", "text", "row", "column", "fragment"), BAD_LINKS, ids=[c[0] for c in BAD_LINKS]
)
def test_bad_links_file_names_file_row_and_column(
    tmp_path: Path, what: str, text: str, row: int | None, column: str | None, fragment: str
) -> None:
    root = write_scenario(tmp_path / "s", links=text)
    with pytest.raises(rc.ScenarioError, match=re.escape(fragment)) as info:
        load_network(root)
    err = info.value
    assert err.file == str(root / "links.csv")
    assert (err.row, err.column) == (row, column)
    if row is not None:
        assert f"row {row} (line {row + 1})" in str(err)
    if column is not None:
        assert repr(column) in str(err)


def test_line_numbers_count_blank_and_multiline_rows(tmp_path: Path) -> None:
    nodes = edit(NODES_CSV, "Alpha City", '"Alpha\nCity"')
    nodes = edit(nodes, "beta,", "\nbeta,")
    nodes = edit(nodes, "48.0", "99")
    root = write_scenario(tmp_path / "s", nodes=nodes)
    with pytest.raises(rc.ScenarioError) as info:
        load_network(root)
    # Row 4 of the data starts on line 7: header, two lines for alpha, a blank, beta, gamma.
    assert (info.value.row, info.value.line, info.value.column) == (4, 7, "lat")


@pytest.mark.parametrize(
    ("toml", "key", "fragment"),
    [
        (edit(SCENARIO_TOML, 'length = "km"', 'length = "mi"'), "units.length", "not supported"),
        (
            edit(SCENARIO_TOML, "[variants.fast.links.ab]", "[variants.fast.links.zz]"),
            "variants.fast.links.zz",
            "unknown link id",
        ),
        (
            edit(SCENARIO_TOML, "capacity_gbps = 20000", "capacity_gbps = -1"),
            "variants.fast.links.ab.capacity_gbps",
            "finite number",
        ),
        (
            edit(SCENARIO_TOML, "capacity_gbps = 20000", "kind = 'x'"),
            "variants.fast.links.ab.kind",
            "unknown key",
        ),
        (
            edit(SCENARIO_TOML, 'remove_nodes = ["gamma"]', 'remove_nodes = ["omega"]'),
            "variants.no-gamma.remove_nodes",
            "unknown node id",
        ),
        (
            edit(SCENARIO_TOML, 'transit_sinks = ["gamma"]', 'transit_sinks = ["omega"]'),
            "analysis.transit_sinks",
            "unknown node id",
        ),
        (edit(SCENARIO_TOML, 'name = "tiny"', 'name = ""'), "name", "non-empty"),
    ],
)
def test_bad_scenario_toml_names_the_key(
    tmp_path: Path, toml: str, key: str, fragment: str
) -> None:
    root = write_scenario(tmp_path / "s", toml=toml)
    with pytest.raises(rc.ScenarioError, match=re.escape(fragment)) as info:
        load_network(root)
    assert info.value.file == str(root / "scenario.toml")
    assert info.value.column == key
    assert f"key {key!r}" in str(info.value)


@pytest.mark.parametrize(
    ("name", "text", "fragment"),
    [
        ("nodes.csv", "", "empty"),
        ("nodes.csv", "id,name,id\n", "twice"),
        ("links.csv", LINKS_CSV + "ab,alpha\n", "2 fields"),
        ("scenario.toml", "name = [", "not valid TOML"),
    ],
)
def test_malformed_files(tmp_path: Path, name: str, text: str, fragment: str) -> None:
    root = write_scenario(tmp_path / "s")
    (root / name).write_text(text, encoding="utf-8")
    with pytest.raises(rc.ScenarioError, match=re.escape(fragment)) as info:
        load_network(root)
    assert info.value.file == str(root / name)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    root = write_scenario(tmp_path / "s")
    (root / "links.csv").unlink()
    with pytest.raises(rc.ScenarioError, match="file not found") as info:
        load_network(root)
    assert info.value.file == str(root / "links.csv")
    with pytest.raises(rc.ScenarioError, match="not a scenario directory"):
        load_network(tmp_path / "nowhere")
    with pytest.raises(rc.ScenarioError, match="bundled"):
        load_scenario("atlantis")


def test_in_memory_tables_name_table_and_row(tiny: Path) -> None:
    net = load_network(tiny)
    links = net.links
    links.loc[1, "capacity_gbps"] = -5.0
    with pytest.raises(rc.ScenarioError, match="links table, row 1, column 'capacity_gbps'"):
        Network(net.nodes, links, net.meta)


# ------------------------------------------------------------------------------ look-ups
def test_node_and_link_index(tiny: Path) -> None:
    net = load_network(tiny)
    np.testing.assert_array_equal(net.node_index(["gamma", "alpha"]), [2, 0])
    np.testing.assert_array_equal(net.link_index("ag"), [2])
    with pytest.raises(rc.ScenarioError, match="unknown node id 'omega'"):
        net.node_index(["alpha", "omega"])
    with pytest.raises(rc.ScenarioError, match="unknown link id"):
        net.link_index(["zz"])
    assert net.find_node("beta gateway") == 1
    assert net.find_node("delta") == 3
    with pytest.raises(rc.ScenarioError, match="no node"):
        net.find_node("Omega")


def test_find_node_refuses_ambiguous_names(tiny: Path) -> None:
    net = load_network(tiny)
    nodes = net.nodes
    nodes.loc[1, "name"] = "ALPHA CITY"
    twin = Network(nodes, net.links, net.meta)
    with pytest.raises(rc.ScenarioError, match="several nodes"):
        twin.find_node("alpha city")


def test_to_graph_maps_rows_to_nodes_and_edges(tiny: Path) -> None:
    net = load_network(tiny)
    g = net.to_graph()
    assert not g.directed
    links = net.links
    np.testing.assert_array_equal(g.src, net.node_index(links["a"]))
    np.testing.assert_array_equal(g.dst, net.node_index(links["b"]))
    np.testing.assert_array_equal(g.weight, links["latency_ms"])
    np.testing.assert_array_equal(g.capacity, links["capacity_gbps"])
    hops = net.to_graph(weight="length_km", capacity=None)
    assert hops.capacity is None
    np.testing.assert_array_equal(hops.weight, links["length_km"])


def test_variants(tiny: Path) -> None:
    net = load_network(tiny)
    assert net.variant_names == ["fast", "no-gamma"]
    fast = net.variant("fast")
    assert fast.links["capacity_gbps"].tolist() == [20000, 4000, 100]
    assert fast.meta["derived_from"] == {"scenario": "tiny", "variant": "fast"}
    assert "variants" not in fast.meta
    small = net.variant("no-gamma")
    assert small.nodes["id"].tolist() == ["alpha", "beta", "delta"]
    assert small.links["id"].tolist() == ["ab"]
    assert small.meta["analysis"]["transit_sinks"] == []
    assert net.meta["analysis"]["transit_sinks"] == ["gamma"]  # the base is unchanged
    with pytest.raises(rc.ScenarioError, match="unknown variant"):
        net.variant("slow")


def test_variant_length_change_rederives_latency(tmp_path: Path) -> None:
    toml = edit(SCENARIO_TOML, "capacity_gbps = 20000", "length_km = 1100")
    net = load_network(write_scenario(tmp_path / "s", toml=toml)).variant("fast")
    assert net.links["latency_ms"][0] == pytest.approx(1100 * 1.468 / C_KM_PER_MS)


@given(st.floats(-90, 90), st.floats(-180, 180), st.floats(-90, 90), st.floats(-180, 180))
def test_great_circle_matches_the_vector_formula(
    lat1: float, lon1: float, lat2: float, lon2: float
) -> None:
    u, v = unit_vector(lat1, lon1), unit_vector(lat2, lon2)
    angle = math.atan2(np.linalg.norm(np.cross(u, v)), float(np.dot(u, v)))
    assert float(great_circle_km(lat1, lon1, lat2, lon2)) == pytest.approx(
        6371.0088 * angle, abs=1e-6
    )


# ------------------------------------------------------------------------------ central-asia
@functools.cache
def _builder() -> ModuleType:
    """tools/build_central_asia.py, the builder of the bundled data (not part of the package)."""
    path = Path(__file__).resolve().parents[1] / "tools" / "build_central_asia.py"
    spec = importlib.util.spec_from_file_location("build_central_asia", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_shipped_files_are_what_the_builder_makes(net: Network) -> None:
    assert _builder().build() == net


def test_every_cited_source_and_assumption_exists(net: Network) -> None:
    meta = net.meta
    ids = {s["id"] for s in meta["sources"]} | {a["id"] for a in meta["assumptions"]}
    assert len(ids) == len(meta["sources"]) + len(meta["assumptions"])
    tables = [net.nodes, net.links]
    tables += [t for v in net.variant_names for t in (net.variant(v).nodes, net.variant(v).links)]
    for table in tables:
        for cell in table["source"]:
            tokens = [t.strip() for t in cell.split(";")]
            assert tokens and set(tokens) <= ids, cell
    # Every assumption says what, the value and why, and is marked uncertain or assumed.
    for a in meta["assumptions"]:
        assert a["subject"] and a["value"] and a["basis"]
        assert a["basis"].startswith(("[UNCERTAIN", "[ASSUMED")), a["id"]


def test_uncertain_coordinates_cite_an_assumption(net: Network) -> None:
    nodes = net.nodes.set_index("id")
    for site in ("kokterek", "akkol", "aktau", "atyrau", "siyazan", "karaganda", "dostyk"):
        assert any(t.startswith("A") for t in nodes.loc[site, "source"].split(";")), site


def test_required_places_and_kinds(net: Network) -> None:
    nodes = net.nodes.set_index("id")
    for site in (
        "kokterek",
        "akkol",
        "almaty",
        "astana",
        "aktau",
        "atyrau",
        "khorgos",
        "baku",
        "tbilisi",
        "istanbul",
        "frankfurt",
        "moscow",
        "urumqi",
    ):
        assert site in nodes.index
    assert set(nodes.loc[["kokterek", "akkol"], "country"]) == {"KZ"}
    gateways = nodes[nodes["kind"] == "gateway"]
    assert (gateways["country"] != "KZ").any()  # a foreign gateway for the "any" policy
    assert (nodes["kind"] == "ixp").sum() >= 1


def test_trans_caspian_cable_and_its_variants(net: Network) -> None:
    links = net.links.set_index("id")
    assert links.loc["tcfo", "medium"] == "submarine"
    assert 380 <= links.loc["tcfo", "length_km"] <= 400
    caps = {
        v: net.variant(v).links.set_index("id").loc["tcfo", "capacity_gbps"]
        for v in ("tcfo-4tbps", "tcfo-6tbps")
    }
    assert caps == {"tcfo-4tbps": 4000, "tcfo-6tbps": 6000}
    # The Russian route exists in the base network and is gone in the no-russia variant.
    ru = set(net.nodes.query("country == 'RU'")["id"])
    touches_ru = links["a"].isin(ru) | links["b"].isin(ru)
    assert touches_ru.any()
    no_ru = net.variant("no-russia").links
    from_kz = no_ru["a"].isin(ru) ^ no_ru["b"].isin(ru)
    kz_ids = set(net.nodes.query("country == 'KZ'")["id"])
    assert not (from_kz & (no_ru["a"].isin(kz_ids) | no_ru["b"].isin(kz_ids))).any()


def test_fiber_is_never_shorter_than_the_great_circle(net: Network) -> None:
    links = net.links
    gc = net.link_great_circle_km()
    assert (links["length_km"].to_numpy() >= gc - 0.5).all()  # lengths are rounded to 1 km


def test_schools_are_reproducible_rural_and_in_kazakhstan(net: Network) -> None:
    from matplotlib.path import Path as MplPath

    ca = _builder()

    nodes = net.nodes
    schools = nodes[nodes["kind"] == "terminal"]
    assert len(schools) == 2000
    assert (schools["country"] == "KZ").all()
    # Inside the outline, by an independent point-in-polygon test.
    outline = MplPath(np.array(ca.KAZAKHSTAN_OUTLINE))
    assert outline.contains_points(schools[["lon", "lat"]].to_numpy()).all()
    # Not in the cities: at least 30 km from every other Kazakh node.
    others = nodes[(nodes["kind"] != "terminal") & (nodes["country"] == "KZ")]
    d = great_circle_km(
        schools["lat"].to_numpy()[:, None],
        schools["lon"].to_numpy()[:, None],
        others["lat"].to_numpy()[None, :],
        others["lon"].to_numpy()[None, :],
    )
    assert d.min() >= 30.0
    # Same seed, same schools; another seed, other schools.
    first = ca.place_schools(count=50, seed=7)
    again = ca.place_schools(count=50, seed=7)
    np.testing.assert_array_equal(first, again)
    lon = first[0]
    assert not np.array_equal(lon, ca.place_schools(count=50, seed=8)[0])


@given(st.lists(st.tuples(st.floats(40, 56), st.floats(45, 88)), min_size=1, max_size=50))
def test_inside_polygon_matches_matplotlib(points: list[tuple[float, float]]) -> None:
    from matplotlib.path import Path as MplPath

    ca = _builder()

    lat = np.array([p[0] for p in points])
    lon = np.array([p[1] for p in points])
    ours = ca.inside_polygon(lon, lat, ca.KAZAKHSTAN_OUTLINE)
    theirs = MplPath(np.array(ca.KAZAKHSTAN_OUTLINE)).contains_points(np.c_[lon, lat])
    np.testing.assert_array_equal(ours, theirs)


def test_scenario_error_is_importable_from_the_scenario_package() -> None:
    """``from routecore.scenario import ScenarioError`` worked before the package split (the
    fuzz harness and user code rely on it) and is the same class as routecore's."""
    from routecore.scenario import ScenarioError

    assert ScenarioError is rc.ScenarioError
