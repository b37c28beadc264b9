"""GeoJSON output (routecore.geojson, ``--geojson``): RFC 7946 structure checked by a schema
written from the RFC, coordinates checked against the scenario tables, and a round trip
through shapely, a well-kept reader."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from routecore import geojson
from routecore.analyses import failure_sweep, flow_between, route_between, transit_capacity
from routecore.cli import main
from routecore.scenario import Network

shapely_geometry = pytest.importorskip("shapely.geometry")

_GEOMETRY_TYPES = {
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
}


# ------------------------------------------------------------------ RFC 7946 schema check
def _check_position(pos: Any, where: str) -> None:
    # 3.1.1: an array of two or more numbers, longitude then latitude, WGS 84 degrees.
    assert isinstance(pos, list) and len(pos) in (2, 3), where
    assert all(isinstance(v, int | float) and not isinstance(v, bool) for v in pos), where
    assert all(math.isfinite(v) for v in pos), where
    lon, lat = pos[0], pos[1]
    assert -180.0 <= lon <= 180.0, f"{where}: longitude {lon}"
    assert -90.0 <= lat <= 90.0, f"{where}: latitude {lat}"


def _check_line(coords: Any, where: str) -> None:
    # 3.1.4: two or more positions; 3.1.9: no segment may take the long way round (a line
    # crossing the antimeridian is cut into a MultiLineString).
    assert isinstance(coords, list) and len(coords) >= 2, where
    for k, pos in enumerate(coords):
        _check_position(pos, f"{where}[{k}]")
    for p, q in itertools.pairwise(coords):
        assert abs(q[0] - p[0]) <= 180.0, f"{where}: segment {p} -> {q} crosses +-180"


def _check_geometry(geom: Any, where: str) -> None:
    assert isinstance(geom, dict) and geom.get("type") in _GEOMETRY_TYPES, where
    kind = geom["type"]
    if kind == "GeometryCollection":
        for k, g in enumerate(geom["geometries"]):
            _check_geometry(g, f"{where}.geometries[{k}]")
        return
    coords = geom["coordinates"]
    if kind == "Point":
        _check_position(coords, where)
    elif kind == "LineString":
        _check_line(coords, where)
    elif kind == "MultiLineString":
        assert isinstance(coords, list) and coords, where
        for k, line in enumerate(coords):
            _check_line(line, f"{where}[{k}]")
    else:  # not produced by routecore
        raise AssertionError(f"{where}: unexpected {kind}")


def _check_collection(doc: Any) -> None:
    """RFC 7946 sections 3.2-3.3: a FeatureCollection of Features, each with a geometry
    (object or null) and properties (object or null) that plain JSON can hold."""
    json.dumps(doc, allow_nan=False)  # 7159 JSON: no NaN or infinity anywhere
    assert doc["type"] == "FeatureCollection"
    assert isinstance(doc["features"], list)
    for k, feature in enumerate(doc["features"]):
        assert feature["type"] == "Feature"
        assert "geometry" in feature and "properties" in feature
        if feature["geometry"] is not None:
            _check_geometry(feature["geometry"], f"features[{k}]")
        assert feature["properties"] is None or isinstance(feature["properties"], dict)


def _node_lonlat(net: Network, node: str) -> tuple[float, float]:
    nodes = net.nodes.set_index("id")
    return float(nodes.at[node, "lon"]), float(nodes.at[node, "lat"])


# ------------------------------------------------------------------ routes
def test_route_matches_the_node_table_and_round_trips_through_shapely(net: Network) -> None:
    route = route_between(net, "khorgos", "frankfurt", avoid_countries=["RU"])
    assert route is not None
    doc = geojson.route_to_geojson(route, net)
    _check_collection(doc)
    (feature,) = doc["features"]
    expected = [_node_lonlat(net, n) for n in route.nodes]
    shape = shapely_geometry.shape(feature["geometry"])
    assert shape.geom_type == "LineString" and shape.is_valid
    np.testing.assert_allclose(np.asarray(shape.coords), expected, atol=1e-6)
    props = feature["properties"]
    assert props["nodes"] == list(route.nodes) and props["links"] == list(route.links)
    assert props["latency_ms"] == pytest.approx(route.latency_ms)
    # the same document read back from text
    assert route.to_geojson(net) == doc  # the method delegates
    again = shapely_geometry.shape(json.loads(json.dumps(doc))["features"][0]["geometry"])
    assert again.equals(shape)


def _pacific() -> Network:
    nodes = pd.DataFrame(
        {
            "id": ["suva", "apia", "papeete"],
            "name": ["Suva", "Apia", "Papeete"],
            "kind": "pop",
            "country": ["FJ", "WS", "PF"],
            "lat": [-18.0, -14.0, -17.5],
            "lon": [170.0, -170.0, -149.5],
        }
    )
    links = pd.DataFrame(
        {
            "a": ["suva", "apia"],
            "b": ["apia", "papeete"],
            "medium": ["submarine", "submarine"],
            "length_km": [2200.0, 2400.0],
            "capacity_gbps": [100.0, 100.0],
        }
    )
    return Network(nodes, links, {"name": "pacific"})


def test_route_across_the_antimeridian_is_split_at_180() -> None:
    net = _pacific()
    route = route_between(net, "suva", "papeete")
    assert route is not None and route.nodes == ("suva", "apia", "papeete")
    doc = geojson.route_to_geojson(route, net)
    _check_collection(doc)
    geom = doc["features"][0]["geometry"]
    assert geom["type"] == "MultiLineString"
    first, second = geom["coordinates"]
    # 170E -> 170W is 20 degrees east over +180, halfway: latitude -16 at the crossing.
    assert first == [[170.0, -18.0], [180.0, -16.0]]
    assert second == [[-180.0, -16.0], [-170.0, -14.0], [-149.5, -17.5]]
    shape = shapely_geometry.shape(geom)
    assert shape.geom_type == "MultiLineString" and shape.is_valid
    # drawn the short way: 10 + 10 + (170 - 149.5) degrees of longitude, not 340 + 20.5
    assert sum(
        abs(b[0] - a[0]) for part in (first, second) for a, b in itertools.pairwise(part)
    ) == (pytest.approx(40.5))


@pytest.mark.parametrize(
    ("lon", "lat", "parts"),
    [
        (
            [-170.0, 170.0],
            [0.0, 10.0],
            [[[-170.0, 0.0], [-180.0, 5.0]], [[180.0, 5.0], [170.0, 10.0]]],
        ),
        ([179.0, -179.0, 179.0], [0.0, 0.0, 0.0], 3),
        ([10.0, 20.0, 30.0], [0.0, 1.0, 2.0], 1),
        ([190.0, 200.0], [0.0, 0.0], 1),  # wrapped into [-180, 180]
    ],
)
def test_line_geometry_splits_only_at_the_antimeridian(
    lon: list[float], lat: list[float], parts: Any
) -> None:
    geom = geojson.line_geometry(lon, lat)
    _check_geometry(geom, "line")
    found = 1 if geom["type"] == "LineString" else len(geom["coordinates"])
    if isinstance(parts, list):
        assert geom["coordinates"] == parts
    else:
        assert found == parts
    assert shapely_geometry.shape(geom).is_valid


@pytest.mark.parametrize(
    ("lon", "lat"), [([1.0], [2.0]), ([0.0, float("nan")], [0.0, 0.0]), ([0.0, 1.0], [0.0, 91.0])]
)
def test_line_geometry_rejects_bad_coordinates(lon: list[float], lat: list[float]) -> None:
    with pytest.raises(ValueError, match=r"point|finite|latitude"):
        geojson.line_geometry(lon, lat)


# ------------------------------------------------------------------ flows and failures
def _link_line(net: Network, link: str) -> list[tuple[float, float]]:
    row = net.links.set_index("id").loc[link]
    return [_node_lonlat(net, str(row["a"])), _node_lonlat(net, str(row["b"]))]


def test_flow_cut_links_are_the_reports_with_their_end_points(net: Network) -> None:
    report = flow_between(net, ["khorgos"], ["frankfurt"])
    doc = geojson.flow_to_geojson(report, net)
    _check_collection(doc)
    props = [f["properties"] for f in doc["features"]]
    assert sorted(p["link"] for p in props if p["in_cut"]) == sorted(report.cut_links)
    assert {p["link"] for p in props if p["critical"]} == set(report.critical_links)
    assert {p["link"] for p in props if p["in_sink_cut"]} == set(report.cut_links_closest_to_sinks)
    for feature in doc["features"]:
        shape = shapely_geometry.shape(feature["geometry"])
        want = _link_line(net, feature["properties"]["link"])
        np.testing.assert_allclose(np.asarray(shape.coords), want, atol=1e-6)
    assert report.to_geojson(net) == doc
    every = report.to_geojson(net, all_links=True)
    _check_collection(every)
    assert len(every["features"]) == len(report.links)


def test_transit_result_keeps_variant_and_policy(net: Network) -> None:
    result = transit_capacity(net, avoid_countries=["RU"])
    doc = geojson.to_geojson(result, net)
    _check_collection(doc)
    cut_rows = result.links[result.links["in_cut"]]
    got = sorted(
        (f["properties"]["policy"], f["properties"]["link"])
        for f in doc["features"]
        if f["properties"]["in_cut"]
    )
    assert got == sorted(zip(cut_rows["policy"], cut_rows["link"], strict=True))


def test_failure_sweep_one_feature_per_case_with_its_loss(net: Network) -> None:
    table = failure_sweep(net, sources=["khorgos"], sinks=["frankfurt"], threads=1)
    doc = geojson.failures_to_geojson(table, net)
    _check_collection(doc)
    assert len(doc["features"]) == len(table)
    for feature, (_, row) in zip(doc["features"], table.iterrows(), strict=True):
        props = feature["properties"]
        (link,) = row["failed"]
        assert props["failed"] == [link]
        assert props["lost_gbps"] == pytest.approx(row["lost_gbps"])
        added = row["added_latency_ms"]
        assert props["added_latency_ms"] == (None if not math.isfinite(added) else added)
        shape = shapely_geometry.shape(feature["geometry"])
        np.testing.assert_allclose(np.asarray(shape.coords), _link_line(net, link), atol=1e-6)
    assert doc["routecore"]["base_flow_gbps"] == pytest.approx(table.attrs["base_flow_gbps"])


# ------------------------------------------------------------------ schools and JSON safety
def test_school_points_with_nan_as_null() -> None:
    table = pd.DataFrame(
        {
            "school": ["s1", "s2"],
            "lat": [43.25, -33.9],
            "lon": [76.95, 151.2],
            "connected_share": [np.float64(0.5), 0.0],
            "median_latency_ms": [12.5, float("nan")],
            "p95_latency_ms": [np.inf, np.nan],
        }
    )
    doc = geojson.to_geojson(table)
    _check_collection(doc)
    points = [shapely_geometry.shape(f["geometry"]) for f in doc["features"]]
    assert [(p.x, p.y) for p in points] == [(76.95, 43.25), (151.2, -33.9)]
    assert doc["features"][1]["properties"]["median_latency_ms"] is None
    assert doc["features"][0]["properties"]["p95_latency_ms"] is None
    assert doc["features"][0]["properties"]["connected_share"] == 0.5


def test_school_connectivity_table(thin_schools: Any) -> None:
    from routecore import constellation as cs
    from routecore.analyses import school_connectivity

    small = thin_schools(20)
    table = school_connectivity(small, [cs.ONEWEB], [0.0], policies=("home",), threads=1)
    doc = geojson.schools_to_geojson(table)
    _check_collection(doc)
    assert len(doc["features"]) == len(table)
    for feature, (_, row) in zip(doc["features"], table.iterrows(), strict=True):
        x, y = feature["geometry"]["coordinates"]
        assert (x, y) == (pytest.approx(row["lon"], abs=1e-6), pytest.approx(row["lat"], abs=1e-6))
        assert feature["properties"]["school"] == row["school"]


def test_school_table_with_a_bad_position_is_refused() -> None:
    table = pd.DataFrame({"school": ["s1"], "lat": [95.0], "lon": [0.0]})
    with pytest.raises(ValueError, match="row 0"):
        geojson.schools_to_geojson(table)


def test_write_refuses_nan_and_keeps_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "a.geojson"
    out.write_text("old")
    with pytest.raises(ValueError, match="JSON compliant"):
        geojson.write_geojson(out, {"type": "FeatureCollection", "x": float("nan")})
    assert out.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.geojson"]  # no temporary left


# ------------------------------------------------------------------ command line
def test_cli_route_and_flow_write_valid_geojson(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    route_file = tmp_path / "out" / "route.geojson"
    assert main(["route", "almaty", "astana", "--geojson", str(route_file), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)  # stdout stays pure JSON
    doc = json.loads(route_file.read_text(encoding="utf-8"))
    _check_collection(doc)
    assert doc["features"][0]["properties"]["nodes"] == printed["nodes"]

    flow_file = tmp_path / "flow.geojson"
    assert (
        main(["flow", "--from", "khorgos", "--to", "frankfurt", "--geojson", str(flow_file)]) == 0
    )
    # The terminal renderer may wrap a long path onto the next line: compare words, not lines.
    assert f"wrote {flow_file}" in " ".join(capsys.readouterr().out.split())
    doc = json.loads(flow_file.read_text(encoding="utf-8"))
    _check_collection(doc)
    assert any(f["properties"]["in_cut"] for f in doc["features"])


def test_cli_geojson_into_a_directory_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["route", "almaty", "astana", "--geojson", str(tmp_path)]) == 2
    assert "--geojson" in capsys.readouterr().err
