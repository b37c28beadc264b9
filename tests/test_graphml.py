"""Networks from elsewhere: Topology Zoo GraphML files and networkx graphs.

Real files (tests/data/topology-zoo, attribution in LICENCE.md there) are checked against an
independent parse by networkx.read_graphml; bad files raise ScenarioError naming the problem.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

import routecore as rc
from routecore.errors import ScenarioError
from routecore.geo import great_circle_km
from routecore.scenario import DEFAULT_ROUTE_SLACK, Network, from_graphml, load_scenario

ZOO = Path(__file__).resolve().parent / "data" / "topology-zoo"

HEAD = """<?xml version="1.0" encoding="utf-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
<key attr.name="LinkSpeedRaw" attr.type="double" for="edge" id="d2"/>
<key attr.name="Latitude" attr.type="double" for="node" id="d0"/>
<key attr.name="Longitude" attr.type="double" for="node" id="d1"/>
<graph edgedefault="undirected">
"""


def _node(nid: str, lat: str = "50.0", lon: str = "10.0") -> str:
    return f'<node id="{nid}"><data key="d0">{lat}</data><data key="d1">{lon}</data></node>\n'


def _edge(a: str, b: str, speed: str = "1e9") -> str:
    return f'<edge source="{a}" target="{b}"><data key="d2">{speed}</data></edge>\n'


def _write(tmp_path: Path, body: str, name: str = "bad.graphml") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + body + "</graph></graphml>\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "options"),
    [("Kreonet.graphml", {}), ("Abilene.graphml", {"default_capacity_gbps": 10.0})],
)
def test_real_zoo_files_match_networkx(name: str, options: dict[str, float]) -> None:
    path = ZOO / name
    net = from_graphml(path, **options)
    ref = nx.read_graphml(path)
    assert net.num_nodes == ref.number_of_nodes()
    assert net.num_links == ref.number_of_edges()
    assert set(net.column("nodes", "id")) == set(ref.nodes)
    links = net.links
    for row in links.itertuples():
        data = ref.edges[row.a, row.b]
        if "LinkSpeedRaw" in data:
            assert row.capacity_gbps == pytest.approx(data["LinkSpeedRaw"] / 1e9)
        else:
            assert row.capacity_gbps == options["default_capacity_gbps"]
        ua, ub = ref.nodes[row.a], ref.nodes[row.b]
        gc = float(
            great_circle_km(ua["Latitude"], ua["Longitude"], ub["Latitude"], ub["Longitude"])
        )
        assert row.length_km >= gc
        assert row.length_km == pytest.approx(gc * DEFAULT_ROUTE_SLACK)
    speeds = sorted(
        d["LinkSpeedRaw"] / 1e9 for *_, d in ref.edges(data=True) if "LinkSpeedRaw" in d
    )
    if speeds:  # Kreonet mixes 2.5 to 20 Gbit/s links
        np.testing.assert_allclose(np.sort(links["capacity_gbps"].to_numpy()), speeds)
        assert len(set(speeds)) > 1


def test_zoo_network_routes_like_networkx_and_saves() -> None:
    net = from_graphml(ZOO / "Kreonet.graphml")
    g = net.to_graph()
    ref = nx.Graph()
    for row in net.links.itertuples():
        ref.add_edge(net.find_node(row.a), net.find_node(row.b), w=row.latency_ms)
    for target in range(1, net.num_nodes):
        p = rc.shortest_path(g, 0, target)
        assert p.length == pytest.approx(nx.dijkstra_path_length(ref, 0, target, weight="w"))
    with tempfile.TemporaryDirectory() as tmp:
        assert Network.load(net.save(tmp)) == net


def test_networkx_round_trip() -> None:
    for net in (load_scenario("central-asia"), from_graphml(ZOO / "Kreonet.graphml")):
        back = Network.from_networkx(net.to_networkx())
        assert back.meta == net.meta
        assert back.nodes.equals(net.nodes)
        ours = net.links.sort_values("id").reset_index(drop=True)
        theirs = back.links.sort_values("id").reset_index(drop=True)
        assert theirs.equals(ours)


def test_from_networkx_zoo_attributes_agree_with_graphml() -> None:
    path = ZOO / "Kreonet.graphml"
    net = Network.from_networkx(nx.read_graphml(path), country="ZZ")
    direct = from_graphml(path)
    np.testing.assert_allclose(
        np.sort(net.column("links", "capacity_gbps").astype(float)),
        np.sort(direct.column("links", "capacity_gbps").astype(float)),
    )
    np.testing.assert_allclose(
        np.sort(net.column("links", "length_km").astype(float)),
        np.sort(direct.column("links", "length_km").astype(float)),
    )


def test_from_networkx_missing_coordinates() -> None:
    g = nx.Graph()
    g.add_node("x", lat=1.0)
    with pytest.raises(ScenarioError, match=r"node 'x' has no 'lon'"):
        Network.from_networkx(g)


def test_real_file_with_uncoordinated_node_is_refused() -> None:
    with pytest.raises(ScenarioError, match=r"Renam\.graphml: node '3' .*no coordinates"):
        from_graphml(ZOO / "Renam.graphml")


def test_drop_unplaced_leaves_out_nodes_without_coordinates() -> None:
    net = from_graphml(ZOO / "Renam.graphml", drop_unplaced=True, default_capacity_gbps=1.0)
    ref = nx.read_graphml(ZOO / "Renam.graphml")
    placed = [n for n, d in ref.nodes(data=True) if "Latitude" in d]
    assert sorted(net.column("nodes", "id")) == sorted(placed)
    assert net.num_links == ref.subgraph(placed).number_of_edges()


def test_missing_speed_without_default() -> None:
    with pytest.raises(ScenarioError, match=r"Abilene\.graphml: edge 0 .*no LinkSpeedRaw"):
        from_graphml(ZOO / "Abilene.graphml")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('<node id="a"><data key="d0">1</data></node>\n', r"node 'a' .*no coordinates"),
        (_node("a", lat="north") + _node("b"), r"node 'a' .*Latitude: 'north' is not a finite"),
        (_node("a", lat="95") + _node("b"), r"node 'a' .*off the globe"),
        (_node("a") + _node("a", lon="11"), r"duplicate node id 'a'"),
        (_node("a") + _node("b", lon="11") + _edge("a", "c"), r"edge 0 \(a -> c\): unknown node"),
        (_node("a") + _node("b", lon="11") + _edge("a", "b", "fast"), r"edge 0 .*LinkSpeedRaw"),
        (_node("a") + _node("b", lon="11") + _edge("a", "b", "-5"), r"must be positive"),
        (_node("a") + _node("b", lon="11") + _edge("a", "b", "nan"), r"not a finite number"),
        (_node("a") + _edge("a", "a"), r"itself"),
    ],
)
def test_bad_graphml_names_the_problem(tmp_path: Path, body: str, message: str) -> None:
    path = _write(tmp_path, body)
    with pytest.raises(ScenarioError, match=message) as info:
        from_graphml(path)
    assert "bad.graphml" in str(info.value)


def test_not_xml_and_not_graphml(tmp_path: Path) -> None:
    path = tmp_path / "x.graphml"
    path.write_text("<graphml><graph>", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"x\.graphml: not valid XML \(line 1"):
        from_graphml(path)
    path.write_text("<html/>", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"not GraphML"):
        from_graphml(path)
    path.write_bytes(b"\xff\xfe<graphml/>")
    with pytest.raises(ScenarioError, match=r"not UTF-8"):
        from_graphml(path)
    with pytest.raises(ScenarioError, match=r"not a regular file"):
        from_graphml(tmp_path)
    with pytest.raises(ScenarioError, match=r"file not found"):
        from_graphml(tmp_path / "missing.graphml")


def test_entity_bomb_and_external_entity_are_refused(tmp_path: Path) -> None:
    lol = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i else "&lol;" * 10}">'
        for i in range(9)
    )
    bomb = tmp_path / "bomb.graphml"
    bomb.write_text(f"<?xml version='1.0'?><!DOCTYPE graphml [{lol}]>\n<graphml>&lol8;</graphml>")
    with pytest.raises(ScenarioError, match=r"bomb\.graphml: .*DOCTYPE or ENTITY"):
        from_graphml(bomb)
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read")
    ext = tmp_path / "ext.graphml"
    ext.write_text(
        f'<!DOCTYPE graphml [<!ENTITY x SYSTEM "file://{secret}">]><graphml>&x;</graphml>'
    )
    with pytest.raises(ScenarioError, match=r"DOCTYPE or ENTITY"):
        from_graphml(ext)


def test_oversized_file_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import routecore.scenario._csv as scenario_csv

    monkeypatch.setattr(scenario_csv, "MAX_FILE_BYTES", 100)
    path = _write(tmp_path, _node("a") * 5)
    with pytest.raises(ScenarioError, match=r"bytes; scenario files are limited to 100 bytes"):
        from_graphml(path)


def test_bad_medium_and_missing_networkx_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="medium"):
        from_graphml(ZOO / "Kreonet.graphml", medium="copper")
    import sys

    monkeypatch.setitem(sys.modules, "networkx", None)
    with pytest.raises(ImportError, match=r"routecore\[test\]"):
        load_scenario("central-asia").to_networkx()
