"""Constellations declared in scenario.toml ([systems]), chosen with ``demo --system``, and
the demo on a scenario of a TLE file and a GraphML-derived ground network."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from routecore import constellation as cs
from routecore.cli import main
from routecore.errors import ScenarioError
from routecore.scenario import Network, from_graphml, load_network, with_terminals

pytest.importorskip("sgp4")

DATA = Path(__file__).parent / "data"
EPOCH = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)

WALKER_TOML = """
[systems.sparse]
min_elevation_user_deg = 30.0
min_elevation_feeder_deg = 15.0
laser_links = true
isl_capacity_gbps = 50.0
user_link_capacity_gbps = 0.1
feeder_capacity_gbps = 10.0
epoch = 2026-03-01T00:00:00Z
[[systems.sparse.shells]]
name = "sparse"
altitude_km = 600.0
inclination_deg = 60.0
num_planes = 6
sats_per_plane = 8
phasing = 1

[systems.tracked]
tle = "orbits/walker-demo.tle"
min_elevation_user_deg = 25.0

[systems.oneweb-steep]
like = "oneweb"
min_elevation_user_deg = 55.0
"""


def _abilene_scenario(root: Path, toml_systems: str = "", tle: str | None = None) -> Path:
    """A scenario from the Topology Zoo's Abilene GraphML: two PoPs made gateways, four
    terminals placed by with_terminals, and the TLE file under ``orbits/``."""
    zoo = from_graphml(
        DATA / "topology-zoo" / "Abilene.graphml", country="US", default_capacity_gbps=10.0
    )
    nodes = zoo.nodes
    nodes.loc[nodes["name"].isin(["Seattle", "Houston"]), "kind"] = "gateway"
    terminals = pd.DataFrame(
        {
            "id": ["s1", "s2", "s3", "s4"],
            "lat": [44.0, 35.0, 41.0, 31.0],
            "lon": [-110.0, -100.0, -80.0, -90.0],
        }
    )
    net = with_terminals(Network(nodes, zoo.links, {"name": "abilene"}), terminals, country="US")
    meta = {
        "name": "abilene-tle",
        "analysis": {
            "home_country": "US",
            "internet_exchanges": ["0"],
            "transit_sources": ["3"],
            "transit_sinks": ["0"],
        },
    }
    Network(net.nodes, net.links, meta).save(root)
    if toml_systems:
        with (root / "scenario.toml").open("a") as fh:
            fh.write(toml_systems)
    (root / "orbits").mkdir(exist_ok=True)
    (root / "orbits" / "walker-demo.tle").write_text(
        tle if tle is not None else (DATA / "tle" / "walker-demo.tle").read_text()
    )
    return root


def test_declared_systems_build_the_constellations_they_describe(tmp_path: Path) -> None:
    systems = load_network(_abilene_scenario(tmp_path / "s", WALKER_TOML)).systems()
    assert list(systems) == ["sparse", "tracked", "oneweb-steep"]
    sparse = systems["sparse"]
    assert sparse == cs.Constellation(
        "sparse",
        (cs.Shell("sparse", 600.0, 60.0, 6, 8, phasing=1),),
        30.0,
        15.0,
        0.1,
        10.0,
        50.0,
        epoch=EPOCH,
    )
    tracked = systems["tracked"]
    direct = cs.from_tle(DATA / "tle" / "walker-demo.tle", name="tracked", min_elevation_deg=25.0)
    assert np.array_equal(cs.satellite_ecef_km(tracked, 60.0), cs.satellite_ecef_km(direct, 60.0))
    assert tracked.min_elevation_feeder_deg == 25.0 and not tracked.has_isl
    assert any("[PLACEHOLDER]" in a for a in tracked.assumptions)
    assert any(a.startswith("No laser links") for a in tracked.assumptions)
    steep = systems["oneweb-steep"]
    assert steep == dataclasses.replace(cs.ONEWEB, name="oneweb-steep", min_elevation_user_deg=55.0)


def _error(root: Path) -> str:
    with pytest.raises(ScenarioError) as err:
        load_network(root).systems()
    return str(err.value)


@pytest.mark.parametrize(
    ("toml", "words"),
    [
        ('tle = "../outside.tle"', "leads out of the scenario directory"),
        ('tle = "/etc/hostname"', "is absolute"),
        ('tle = "orbits/missing.tle"', "no such file"),
        ('tle = "orbits/walker-demo.tle"\nlaser_links = true', "no plane / slot structure"),
        # Laser links inherited from a preset, not written: the message says what to add.
        ('tle = "orbits/walker-demo.tle"\nlike = "starlink-shell1"', "add laser_links = false"),
        ('tle = "orbits/walker-demo.tle"\nmin_elevation_user_deg = "high"', "'high'"),
        ('tle = "orbits/walker-demo.tle"\nmin_elevation_user_deg = 95.0', "95"),
        ('tle = "orbits/walker-demo.tle"\nepoch = 2026-03-01T00:00:00', "offset date-time"),
        ('like = "starlink"', "'starlink' is not a preset"),
        ("laser_links = false", "needs its orbits"),
    ],
)
def test_bad_system_values_name_file_line_key_and_value(
    tmp_path: Path, toml: str, words: str
) -> None:
    if "min_elevation" not in toml:
        toml += "\nmin_elevation_user_deg = 25.0"
    root = _abilene_scenario(tmp_path / "s", "\n[systems.mine]\n" + toml + "\n")
    (tmp_path / "outside.tle").write_text((DATA / "tle" / "walker-demo.tle").read_text())
    message = _error(root)
    assert str(root / "scenario.toml") in message and "key 'systems.mine" in message
    assert ", line " in message and words in message


def test_a_symlink_out_of_the_scenario_is_refused(tmp_path: Path) -> None:
    root = _abilene_scenario(
        tmp_path / "s", '\n[systems.mine]\ntle = "orbits/link.tle"\nmin_elevation_user_deg = 9\n'
    )
    shutil.copy(DATA / "tle" / "walker-demo.tle", tmp_path / "elsewhere.tle")
    os.symlink(tmp_path / "elsewhere.tle", root / "orbits" / "link.tle")
    assert "leads out of the scenario directory" in _error(root)


def _positions(systems: dict[str, cs.Constellation]) -> dict[str, np.ndarray]:
    return {name: cs.satellite_ecef_km(c, 60.0) for name, c in systems.items()}


def test_a_tle_system_like_a_laser_preset_loads_with_lasers_off(tmp_path: Path) -> None:
    """``like`` a preset with lasers plus ``laser_links = false``: the preset's capacities and
    elevations, the TLE orbits, no laser links, and an assumption that says so."""
    toml = '\n[systems.mine]\ntle = "orbits/walker-demo.tle"\nlike = "starlink-shell1"\n'
    mine = load_network(_abilene_scenario(tmp_path / "s", toml + "laser_links = false\n"))
    system = mine.systems()["mine"]
    assert not system.has_isl and system.num_satellites == 48
    assert system.min_elevation_user_deg == cs.STARLINK_SHELL1.min_elevation_user_deg
    assert system.user_link_capacity_gbps == cs.STARLINK_SHELL1.user_link_capacity_gbps
    assert any(a.startswith("No laser links") for a in system.assumptions)


def test_save_copies_the_tle_file_so_a_moved_scenario_reloads(tmp_path: Path) -> None:
    """Saved elsewhere, moved, its source deleted: the scenario still loads with every system,
    the TLE file byte-identical at its relative path."""
    src = _abilene_scenario(tmp_path / "s", WALKER_TOML)
    net = load_network(src)
    before = _positions(net.systems())
    net.save(tmp_path / "out")
    shutil.move(tmp_path / "out", tmp_path / "moved")
    shutil.rmtree(src)
    again = load_network(tmp_path / "moved")
    assert again == net
    copied = tmp_path / "moved" / "orbits" / "walker-demo.tle"
    assert copied.read_bytes() == (DATA / "tle" / "walker-demo.tle").read_bytes()
    after = _positions(again.systems())
    assert list(after) == list(before)
    assert all(np.array_equal(after[k], before[k]) for k in before)


def test_a_save_killed_while_moving_the_tle_file_is_finished_by_the_next_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The TLE file is part of the all-or-nothing save: killed after the commit, between the
    scenario files and the TLE file, the next load moves the TLE file into place too."""
    from routecore.scenario import _csv as scenario_csv

    net = load_network(_abilene_scenario(tmp_path / "s", WALKER_TOML))
    target = tmp_path / "out"
    real_replace = os.replace
    calls = {"n": 0}

    class Killed(BaseException):
        pass

    def replace(a: object, b: object) -> None:
        calls["n"] += 1
        if calls["n"] == 4:  # nodes.csv, links.csv, scenario.toml moved; then the TLE file
            raise Killed
        real_replace(a, b)  # type: ignore[arg-type]

    def no_roll_back(*args: object) -> None:
        raise Killed  # a killed process runs no roll-back

    monkeypatch.setattr(scenario_csv.os, "replace", replace)
    monkeypatch.setattr(scenario_csv, "_roll_back", no_roll_back)
    with pytest.raises(Killed):
        net.save(target)
    monkeypatch.undo()
    assert not (target / "orbits" / "walker-demo.tle").exists()
    again = load_network(target)
    assert (target / "orbits" / "walker-demo.tle").is_file()
    assert list(again.systems()) == list(net.systems())


def test_saving_a_tle_system_built_in_memory_needs_the_file_in_place(tmp_path: Path) -> None:
    """Built in memory, the network has no directory to copy the TLE file from: the save is
    refused before anything is written, until the file is where the scenario says."""
    base = load_network(_abilene_scenario(tmp_path / "s", WALKER_TOML))
    net = Network(base.nodes, base.links, base.meta)
    target = tmp_path / "out"
    with pytest.raises(ScenarioError, match=r"systems\.tracked\.tle.*cannot be copied"):
        net.save(target)
    assert not (target / "scenario.toml").exists()
    (target / "orbits").mkdir(parents=True)
    shutil.copy(DATA / "tle" / "walker-demo.tle", target / "orbits" / "walker-demo.tle")
    assert list(load_network(net.save(target)).systems()) == list(base.systems())


def test_bad_shell_values_and_keys(tmp_path: Path) -> None:
    shell = "\n[systems.mine]\nmin_elevation_user_deg = 25.0\n[[systems.mine.shells]]\n"
    root = _abilene_scenario(
        tmp_path / "a",
        shell + 'name = "x"\naltitude_km = -5.0\ninclination_deg = 53.0\n'
        "num_planes = 2\nsats_per_plane = 2\n",
    )
    message = _error(root)
    assert "key 'systems.mine.shells[0]'" in message and "altitude_km" in message
    assert "-5.0" in message
    with pytest.raises(ScenarioError, match=r"did you mean 'min_elevation_user_deg'"):
        load_network(
            _abilene_scenario(tmp_path / "b", "\n[systems.mine]\nmin_elevation_user = 1\n")
        )
    root = _abilene_scenario(tmp_path / "c", "\n[systems.oneweb]\nlike = 'oneweb'\n")
    assert "a preset has this name" in _error(root)


def test_a_bad_tle_file_in_a_scenario_names_both_files_and_lines(tmp_path: Path) -> None:
    lines = (DATA / "tle" / "walker-demo.tle").read_text().splitlines()
    lines[4] = lines[4][:68] + str((int(lines[4][68]) + 1) % 10)  # line 5: a bad checksum
    root = _abilene_scenario(
        tmp_path / "s",
        '\n[systems.mine]\ntle = "orbits/walker-demo.tle"\nmin_elevation_user_deg = 25.0\n',
        tle="\n".join(lines) + "\n",
    )
    message = _error(root)
    assert "key 'systems.mine'" in message
    assert "walker-demo.tle, line 5: checksum" in message and repr(lines[4]) in message


def test_demo_runs_on_a_tle_and_graphml_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's "done when": demo --scenario DIR on a TLE file + GraphML ground network."""
    walker = dataclasses.replace(cs.STARLINK_SHELL1_BENT_PIPE, epoch=EPOCH)
    root = _abilene_scenario(
        tmp_path / "s",
        '\n[systems.starlink-tle]\ntle = "orbits/walker-demo.tle"\nmin_elevation_user_deg = 25.0\n',
        tle=walker.to_tle(),
    )
    out = tmp_path / "out"
    argv = ["demo", "--scenario", str(root), "--steps", "2", "--out", str(out), "--geojson"]
    code = main(argv)
    assert code == 0
    text = capsys.readouterr().out
    # The transit heading names this scenario's transit source and sink, not Central Asia's.
    names = load_network(root).nodes.set_index("id")["name"]
    assert f"Transit: {names['3']} → {names['0']}" in text and "Europe" not in text
    doc = json.loads((out / "results.json").read_text())
    assert list(doc["constellations"]) == ["starlink-tle"]
    schools = pd.read_csv(out / "schools.csv")
    assert set(schools["constellation"]) == {"starlink-tle"}
    assert len(schools) == 4 * 3  # four terminals, three policies
    assert (schools["connected_share"] > 0).any()
    collection = json.loads((out / "demo.geojson").read_text())
    layers = {f["properties"]["layer"] for f in collection["features"]}
    assert layers == {"transit", "failures: all routes", "schools"}
    points = [f for f in collection["features"] if f["geometry"]["type"] == "Point"]
    lon, lat = points[0]["geometry"]["coordinates"]
    row = schools.iloc[0]
    assert (lon, lat) == pytest.approx((row["lon"], row["lat"]))  # RFC 7946: lon, lat


def test_demo_system_flag_picks_presets_and_declared_systems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _abilene_scenario(tmp_path / "s", WALKER_TOML)
    out = tmp_path / "out"
    base = ["demo", "--scenario", str(root), "--steps", "1", "--out", str(out)]
    assert main([*base, "--system", "oneweb-55", "--system", "tracked"]) == 0
    capsys.readouterr()
    doc = json.loads((out / "results.json").read_text())
    assert list(doc["constellations"]) == ["oneweb-55", "tracked"]
    assert doc["constellations"]["oneweb-55"]["min_elevation_user_deg"] == 55.0
    assert main([*base, "--system", "nope"]) == 2
    err = capsys.readouterr().err
    assert "--system 'nope'" in err and "tracked" in err and "starlink-shell1" in err
    # Without --system: the declared systems; a scenario without [systems]: the presets.
    assert main(base) == 0
    capsys.readouterr()
    assert list(json.loads((out / "results.json").read_text())["constellations"]) == [
        "sparse",
        "tracked",
        "oneweb-steep",
    ]


def test_demo_geojson_to_a_named_file_and_refusing_a_foreign_one(
    tiny: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    base = ["demo", "--scenario", str(tiny), "--steps", "1", "--out", "out"]
    assert main([*base, "--geojson", "layers.geojson", "--system", "oneweb"]) == 0
    # A FILE is taken as given (here: relative to the working directory), like route's.
    assert json.loads((tmp_path / "layers.geojson").read_text())["type"] == "FeatureCollection"
    assert not (tmp_path / "out" / "layers.geojson").exists()
    other = tmp_path / "other"
    other.mkdir()
    (other / "demo.geojson").write_text("mine")
    capsys.readouterr()
    code = main(["demo", "--scenario", str(tiny), "--steps", "1", "--out", str(other), "--geojson"])
    assert code == 2 and (other / "demo.geojson").read_text() == "mine"


def test_per_satellite_and_beam_capacities_are_scenario_keys(tmp_path: Path) -> None:
    """``satellite_capacity_gbps`` and the beam keys: set on a Walker system, inherited from
    ``like`` (also by a TLE system, which from_tle alone would drop), overridden by the table;
    a beam capacity without a cell size is refused naming the key's table."""
    toml = (
        '\n[systems.wide-beams]\nlike = "oneweb"\nbeam_capacity_gbps = 0.9\n'
        '\n[systems.mine]\ntle = "orbits/walker-demo.tle"\nlike = "starlink-shell1"\n'
        "laser_links = false\nsatellite_capacity_gbps = 80.0\n"
    )
    systems = load_network(_abilene_scenario(tmp_path / "s", toml)).systems()
    wide, mine = systems["wide-beams"], systems["mine"]
    assert (wide.beam_capacity_gbps, wide.beam_cell_km) == (0.9, cs.ONEWEB.beam_cell_km)
    assert mine.satellite_capacity_gbps == 80.0
    assert mine.beam_capacity_gbps == cs.STARLINK_SHELL1.beam_capacity_gbps
    assert mine.beam_cell_km == cs.STARLINK_SHELL1.beam_cell_km
    bad = WALKER_TOML.replace("isl_capacity_gbps = 50.0", "beam_capacity_gbps = 1.0")
    with pytest.raises(ScenarioError, match=r"systems\.sparse.*give both or neither"):
        load_network(_abilene_scenario(tmp_path / "t", bad)).systems()
