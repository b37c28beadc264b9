"""Terminal sets: placement inside an outline (checked against matplotlib's point-in-polygon
and a statistical test of uniformity on the sphere), the ``terminals.csv`` import and its bad
files, and an analysis run on a network with imported terminals."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from routecore import constellation as cs
from routecore.analyses import school_connectivity
from routecore.errors import ScenarioError
from routecore.scenario import (
    Network,
    inside_outline,
    load_terminals,
    place_terminals,
    with_terminals,
)

# A concave, L-shaped outline (lat, lon) in the northern mid-latitudes.
L_LAT = np.array([40.0, 40.0, 46.0, 46.0, 60.0, 60.0])
L_LON = np.array([50.0, 80.0, 80.0, 60.0, 60.0, 50.0])


def test_points_lie_inside_the_outline_by_matplotlib() -> None:
    from matplotlib.path import Path as MplPath

    lat, lon = place_terminals(L_LAT, L_LON, 3000, seed=11)
    assert lat.shape == lon.shape == (3000,)
    oracle = MplPath(np.c_[L_LON, L_LAT]).contains_points(np.c_[lon, lat])
    assert oracle.all()


def test_inside_outline_agrees_with_matplotlib_on_random_points() -> None:
    from matplotlib.path import Path as MplPath

    rng = np.random.default_rng(3)
    lat = rng.uniform(35, 65, 5000)
    lon = rng.uniform(45, 85, 5000)
    ours = inside_outline(lat, lon, L_LAT, L_LON)
    theirs = MplPath(np.c_[L_LON, L_LAT]).contains_points(np.c_[lon, lat])
    np.testing.assert_array_equal(ours, theirs)


def test_points_are_uniform_on_the_sphere() -> None:
    """In a lat/lon box, uniform by area means lon uniform and sin(lat) uniform (not lat
    uniform: a box from 0 to 70 degrees has far more area near the equator)."""
    lat, lon = place_terminals([0, 0, 70, 70], [10, 20, 20, 10], 4000, seed=5)
    z = (np.sin(np.radians(lat)) - 0.0) / np.sin(np.radians(70.0))
    assert stats.kstest(z, "uniform").pvalue > 1e-3
    assert stats.kstest((lon - 10) / 10, "uniform").pvalue > 1e-3
    # Latitude itself is not uniform (the test above would pass for a wrong sampler otherwise).
    assert stats.kstest(lat / 70.0, "uniform").pvalue < 1e-6


def test_same_seed_same_points_other_seed_other_points() -> None:
    first = place_terminals(L_LAT, L_LON, 200, seed=7)
    np.testing.assert_array_equal(first, place_terminals(L_LAT, L_LON, 200, seed=7))
    assert not np.array_equal(first[0], place_terminals(L_LAT, L_LON, 200, seed=8)[0])


def test_points_keep_clear_of_exclusions() -> None:
    from routecore.geo import great_circle_km

    towns = (np.array([45.0, 55.0]), np.array([55.0, 55.0]))
    lat, lon = place_terminals(L_LAT, L_LON, 500, seed=2, exclude_near=towns, min_distance_km=200)
    d = great_circle_km(lat[:, None], lon[:, None], towns[0][None, :], towns[1][None, :])
    assert d.min() >= 200


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"outline_lat": [1, 2], "outline_lon": [1, 2]}, "at least 3"),
        ({"outline_lat": [0, 0, 1], "outline_lon": [170, -170, 0]}, "antimeridian"),
        ({"count": -1}, "count"),
        ({"outline_lat": [0, 0, 0], "outline_lon": [0, 1, 2]}, "no point kept"),
    ],
)
def test_bad_placement_arguments_are_refused(kwargs: dict[str, object], match: str) -> None:
    args: dict[str, object] = {"outline_lat": L_LAT, "outline_lon": L_LON, "count": 10}
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        place_terminals(seed=1, **args)  # type: ignore[arg-type]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "terminals.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_terminals_reads_a_good_file(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "id,lat,lon,demand_mbps,name\n s1 ,43.25,76.95,200,First\ns2,51.1,71.4,,\n",
    )
    t = load_terminals(path)
    assert t["id"].tolist() == ["s1", "s2"]
    np.testing.assert_array_equal(t["lat"], [43.25, 51.1])
    np.testing.assert_array_equal(t["lon"], [76.95, 71.4])
    assert t["demand_mbps"].iloc[0] == 200.0 and np.isnan(t["demand_mbps"].iloc[1])
    assert t["name"].tolist() == ["First", "s2"]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("id,lat\ns1,43\n", r"terminals\.csv, column 'lon': missing column"),
        ("id,lat,lon\ns1,93.5,10\n", r"row 1 \(line 2\), column 'lat': 93\.5 is out of range"),
        ("id,lat,lon\ns1,north,10\n", r"column 'lat': 'north' is not a number"),
        ("id,lat,lon\ns1,1,2\ns2,3,4\ns1,5,6\n", r"row 3 \(line 4\), column 'id': duplicate"),
        ("id,lat,lon,demand_mbps\ns1,1,2,-5\n", r"column 'demand_mbps': -5\.0 is out of range"),
        ("id,lat,lon,demand_mbs\ns1,1,2,5\n", r"column 'demand_mbs': unknown column"),
        ("id,lat,lon\n", "no terminal rows"),
        ("", "empty"),
    ],
)
def test_load_terminals_refuses_bad_files(tmp_path: Path, text: str, match: str) -> None:
    with pytest.raises(ScenarioError, match=match):
        load_terminals(_write(tmp_path, text))


def test_load_terminals_does_not_echo_long_cells(tmp_path: Path) -> None:
    long = "x" * 5000
    with pytest.raises(ScenarioError) as info:
        load_terminals(_write(tmp_path, f"id,lat,lon\ns1,{long},2\n"))
    assert len(str(info.value)) < 300
    assert info.value.row == 1 and info.value.column == "lat"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_load_terminals_refuses_a_special_file(tmp_path: Path) -> None:
    fifo = tmp_path / "terminals.csv"
    os.mkfifo(fifo)
    with pytest.raises(ScenarioError, match="not a regular file"):
        load_terminals(fifo)  # must not block on the FIFO


@pytest.mark.parametrize(
    ("table", "match"),
    [
        ({"id": ["almaty"], "lat": [43.0], "lon": [76.0]}, "row 0, column 'id': 'almaty' is alr"),
        ({"id": ["a", "a"], "lat": [43.0, 44.0], "lon": [76.0, 77.0]}, "row 1, column 'id': dup"),
        ({"id": ["a"], "lat": [95.0], "lon": [76.0]}, "terminals table, row 0, column 'lat'"),
        ({"id": ["a"], "lat": [45.0]}, "column 'lon': missing column"),
    ],
)
def test_with_terminals_refuses_bad_tables(
    net: Network, table: dict[str, list[object]], match: str
) -> None:
    import pandas as pd

    with pytest.raises(ScenarioError, match=match):
        with_terminals(net, pd.DataFrame(table), country="KZ")


def test_with_terminals_adds_and_round_trips_through_files(net: Network, tmp_path: Path) -> None:
    import pandas as pd

    from routecore.scenario import load_network

    extra = pd.DataFrame(
        {"id": ["a1", "a2"], "lat": [45.0, 46.0], "lon": [60.0, 61.0], "demand_mbps": [100.0, None]}
    )
    both = with_terminals(net, extra, country="KZ", replace=False)
    before = net.nodes_where(kind="terminal").size
    assert both.nodes_where(kind="terminal").size == before + 2
    assert load_network(both.save(tmp_path / "out")) == both


def test_school_connectivity_runs_on_imported_terminals(net: Network, tmp_path: Path) -> None:
    rows = ["id,lat,lon,demand_mbps,name"]
    rows += [f"mine-{i},{45 + i},{60 + 3 * i},100,My school {i}" for i in range(4)]
    path = _write(tmp_path, "\n".join(rows) + "\n")
    terminals = load_terminals(path)
    mine = with_terminals(net, terminals, country="KZ", source="A16")
    assert mine.nodes_where(kind="terminal").size == 4
    # The rest of the network is unchanged.
    kept = net.nodes[net.nodes["kind"] != "terminal"]
    assert mine.num_nodes == len(kept) + 4 and mine.num_links == net.num_links
    table = school_connectivity(mine, [cs.ONEWEB], [0.0], policies=("any",))
    assert len(table) == 4
    assert sorted(table["school"]) == sorted(terminals["id"])
    by_id = table.set_index("school")
    np.testing.assert_array_equal(by_id.loc[terminals["id"], "lat"], terminals["lat"])
    np.testing.assert_array_equal(by_id.loc[terminals["id"], "lon"], terminals["lon"])
