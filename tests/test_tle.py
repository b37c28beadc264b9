"""Real orbits: TLE parsing and its errors, Walker -> TLE -> SGP4 round trip, the vectorised
SGP4 path against per-satellite sgp4 calls, calendar times, and analyses on TLE systems."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from routecore import constellation as cs
from routecore.analyses import school_connectivity
from routecore.constellation import ConstellationError
from routecore.constellation._tle import tle_checksum
from routecore.scenario import Network

from .oracles import school_latency

sgp4_api = pytest.importorskip("sgp4.api")
from sgp4.propagation import gstime  # noqa: E402  (sgp4's own GMST: the oracle's rotation)

DATA = Path(__file__).parent / "data" / "tle" / "walker-demo.tle"
EPOCH = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
DEMO_WALKER = cs.Constellation(
    "walker-demo",
    (cs.Shell("walker-demo", 550.0, 53.0, 6, 8, phasing=1),),
    25.0,
    25.0,
    0.2,
    20.0,
    epoch=EPOCH,
)

ROUND_TRIP_KM = 20.0
"""Walker -> TLE -> SGP4 against the Keplerian model at the epoch, in km. The exporter writes
the Keplerian elements (e = 0, Keplerian mean motion) as they are, and SGP4 reads them as
*mean* (Kozai / Brouwer) elements and adds the first-order J2 short-period terms that the
J2-free Keplerian model does not have. Those terms scale as J2 * Re^2 / a (J2 = 1.08e-3; about
6.4 km at 550 km) times trigonometric factors of the inclination up to about 2.5, so the two
positions differ by up to about 16 km (measured: 2.6 km equatorial to 15.7 km near-polar,
350-2000 km); 20 km keeps a margin. The epoch is written to 1e-8 day (under 4 m of track).
After the epoch the gap grows (secular J2: nodal precession and along-track drift), to about
40 km after one hour, so the round trip is stated at the epoch only."""


def _positions_oracle(text: str, epoch: dt.datetime, t_s: np.ndarray) -> np.ndarray:
    """ECEF (km), shape (T, S, 3): one ``Satrec.sgp4`` call per satellite and time, rotated
    with sgp4's own ``gstime`` (IAU 1982 GMST)."""
    lines = [ln for ln in text.splitlines() if ln.startswith(("1 ", "2 "))]
    sats = [
        sgp4_api.Satrec.twoline2rv(a, b, sgp4_api.WGS72)
        for a, b in zip(lines[::2], lines[1::2], strict=True)
    ]
    out = np.empty((t_s.size, len(sats), 3))
    for k, t in enumerate(t_s):
        moment = epoch + dt.timedelta(seconds=float(t))
        jd, fr = sgp4_api.jday(
            moment.year,
            moment.month,
            moment.day,
            moment.hour,
            moment.minute,
            moment.second + moment.microsecond / 1e6,
        )
        theta = gstime(jd + fr)
        for s, sat in enumerate(sats):
            err, r, _ = sat.sgp4(jd, fr)
            assert err == 0
            out[k, s] = (
                math.cos(theta) * r[0] + math.sin(theta) * r[1],
                -math.sin(theta) * r[0] + math.cos(theta) * r[1],
                r[2],
            )
    return out


# ---------------------------------------------------------------------------- parsing
def test_shipped_tle_file_is_the_exporter_output() -> None:
    assert DATA.read_text() == DEMO_WALKER.to_tle()


def test_from_tle_reads_two_and_three_line_records_from_a_file_or_text() -> None:
    text = DATA.read_text()
    lines = text.splitlines()
    # Mix the forms: "0 NAME" 3LE, plain 3-line, 2-line records; blank lines and CRLF.
    mixed = "\r\n".join(["0 " + lines[0], *lines[1:3], "", *lines[4:6], *lines[6:]]) + "\r\n"
    from_file = cs.from_tle(DATA, name="demo", min_elevation_deg=25.0)
    from_text = cs.from_tle(mixed, name="demo", min_elevation_deg=25.0)
    for c in (from_file, from_text):
        tle_set = c.shells[0]
        assert isinstance(tle_set, cs.TleSet)
        assert c.num_satellites == 48 and c.epoch == EPOCH and not c.has_isl
        assert tle_set.epochs == (EPOCH,) * 48
        assert tle_set.period_s == pytest.approx(86_400.0 / 15.07817084)
        assert c.user_link_capacity_gbps == 0.0 and "[PLACEHOLDER]" in c.assumptions[-1]
    names = from_text.shells[0].satellite_names  # type: ignore[union-attr]
    assert names[:3] == ("walker-demo P0 S0", "", "walker-demo P0 S2")
    assert from_file.shells[0].to_tle() == text  # type: ignore[union-attr]
    assert np.array_equal(
        cs.satellite_ecef_km(from_file, 60.0), cs.satellite_ecef_km(from_text, 60.0)
    )


GOOD = DATA.read_text().splitlines()[:6]  # two 3-line records: name, line 1, line 2


def _with(index: int, line: str) -> str:
    rows = list(GOOD)
    rows[index] = line
    return "\n".join(rows) + "\n"


def _checksummed(body: str) -> str:
    return body + str(tle_checksum(body))


def _flip_digit(line: str, column: int) -> str:
    c = line[column - 1]
    return line[: column - 1] + str((int(c) + 1) % 10) + line[column:]


BAD = {
    "checksum": (_with(1, _flip_digit(GOOD[1], 69)), 2, "checksum"),
    "corrupted digit": (_with(2, _flip_digit(GOOD[2], 14)), 3, "checksum"),
    "truncated": (_with(2, GOOD[2][:60]), 3, "69 columns"),
    "shifted column": (_with(2, GOOD[2][:8] + " " + GOOD[2][8:68]), 3, "columns 9-16"),
    "letters in a number": (_with(2, GOOD[2][:20] + "x" + GOOD[2][21:]), 3, "columns 18-25"),
    "line number": (_with(2, "3" + GOOD[2][1:]), 3, "expected line 2"),
    "line 2 first": (_with(1, GOOD[2]), 2, "expected line 1 of the record"),
    "record starts with line 2": ("\n".join(GOOD[2:]) + "\n", 1, "line 2 without its line 1"),
    "satellite numbers": (
        _with(5, _checksummed(GOOD[5][:2] + "00009" + GOOD[5][7:68])),
        6,
        "does not match",
    ),
    # A blank after the day's digits ('06 .000'): float() refused it with a ValueError (found
    # by the one-character fuzz test below); a blank counts 0 in the checksum, as the 0 did.
    "blank inside the epoch day": (
        _with(1, _checksummed(GOOD[1][:20] + "06 ." + GOOD[1][24:68])),
        2,
        "columns 19-32",
    ),
    "missing line 2": ("\n".join(GOOD[:2]) + "\n", 2, "line 2 is missing"),
    "name only": ("\n".join([*GOOD, "LONELY"]) + "\n", 7, "ends after a name line"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_tle_lines_raise_naming_the_line(case: str) -> None:
    text, line, words = BAD[case]
    with pytest.raises(ConstellationError) as err:
        cs.from_tle(text, name="bad", min_elevation_deg=25.0)
    message = str(err.value)
    assert f"line {line}" in message and words in message
    if case not in ("missing line 2", "name only"):
        bad_line = text.splitlines()[line - 1]
        assert repr(bad_line) in message  # the content is quoted


def test_the_checksum_counts_minus_signs() -> None:
    line = GOOD[1][:53] + "-12345-5" + GOOD[1][61:]  # a negative BSTAR
    fixed = line[:68] + str(tle_checksum(line))
    text = _with(1, fixed)
    assert cs.from_tle(text, name="ok", min_elevation_deg=10.0).num_satellites == 2
    assert tle_checksum(fixed) == (tle_checksum(GOOD[1][:53] + " 12345-5" + GOOD[1][61:]) + 1) % 10


def test_unreadable_tle_files_raise(tmp_path: Path) -> None:
    with pytest.raises(ConstellationError, match="cannot read TLE file"):
        cs.from_tle(tmp_path / "missing.tle", name="x", min_elevation_deg=25.0)
    (tmp_path / "latin.tle").write_bytes(b"\n\nSAT \xe9\n")
    with pytest.raises(ConstellationError, match=r"line 3: not ASCII"):
        cs.from_tle(tmp_path / "latin.tle", name="x", min_elevation_deg=25.0)
    with pytest.raises(ConstellationError, match="no TLE records"):
        cs.from_tle("\n\n", name="x", min_elevation_deg=25.0)


def test_tle_sets_have_no_laser_links_and_need_an_epoch() -> None:
    tle = cs.from_tle(DATA, name="demo", min_elevation_deg=25.0)
    with pytest.raises(ConstellationError, match="no plane / slot structure"):
        dataclasses.replace(tle, isl_capacity_gbps=100.0)
    with pytest.raises(ConstellationError, match="needs an epoch"):
        dataclasses.replace(tle, epoch=None)
    with pytest.raises(ConstellationError, match="TLE set"):
        cs.isl_pairs(tle)
    _, plane, slot = cs.satellite_layout(tle)
    assert (plane == -1).all() and slot.tolist() == list(range(48))


# ---------------------------------------------------------------------------- propagation
def test_vectorised_sgp4_matches_per_satellite_sgp4_calls() -> None:
    tle = cs.from_tle(DATA, name="demo", min_elevation_deg=25.0)
    times = np.array([0.0, 37.5, 3600.0, 86_400.0 + 0.25])
    got = cs.satellite_ecef_km(tle, times)
    expected = _positions_oracle(DATA.read_text(), EPOCH, times)
    # The oracle's Julian date passes through whole seconds + float fraction: millimetres.
    assert np.abs(got - expected).max() < 1e-3
    one = cs.satellite_ecef_km(tle, 37.5)
    assert np.array_equal(one, got[1])
    # The inertial frame turns with the Earth's rate from the Earth-fixed one at the epoch.
    eci = cs.satellite_eci_km(tle, times)
    assert np.allclose(eci[0], got[0], atol=1e-9)
    assert np.allclose(np.linalg.norm(eci, axis=-1), np.linalg.norm(got, axis=-1))


@settings(max_examples=25, deadline=None)
@given(
    altitude=st.floats(350.0, 2000.0),
    inclination=st.floats(0.0, 180.0),
    planes=st.integers(1, 6),
    per_plane=st.integers(1, 6),
    raan_offset=st.floats(-360.0, 360.0),
    pattern=st.sampled_from(["delta", "star"]),
    seconds=st.integers(0, 365 * 86_400 * 20),
)
def test_walker_to_tle_to_sgp4_round_trip_agrees_at_the_epoch(
    altitude: float,
    inclination: float,
    planes: int,
    per_plane: int,
    raan_offset: float,
    pattern: str,
    seconds: int,
) -> None:
    epoch = dt.datetime(2015, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=seconds)
    shell = cs.Shell(
        "w",
        altitude,
        inclination,
        planes,
        per_plane,
        phasing=planes - 1,
        pattern=pattern,  # type: ignore[arg-type]
        raan_offset_deg=raan_offset,
    )
    walker = cs.Constellation("w", (shell,), 25.0, 25.0, 0.2, 20.0, epoch=epoch)
    tle = cs.from_tle(walker.to_tle(), name="w", min_elevation_deg=25.0)
    assert tle.epoch is not None and abs((tle.epoch - epoch).total_seconds()) < 1e-3
    offset = (epoch - tle.epoch).total_seconds()  # the epoch as written (1e-8 day)
    gap = np.linalg.norm(
        cs.satellite_ecef_km(walker, 0.0) - cs.satellite_ecef_km(tle, offset), axis=-1
    )
    assert gap.max() < ROUND_TRIP_KM
    assert tle.shells[0].period_s == pytest.approx(shell.period_s, rel=1e-8)


def test_to_tle_refuses_what_a_tle_cannot_hold() -> None:
    with pytest.raises(ConstellationError, match="has no epoch"):
        cs.STARLINK_SHELL1.to_tle()
    early = dataclasses.replace(cs.STARLINK_SHELL1, epoch=dt.datetime(1950, 1, 1, tzinfo=dt.UTC))
    with pytest.raises(ConstellationError, match="two-digit year"):
        early.to_tle()
    c = dataclasses.replace(cs.STARLINK_SHELL1, epoch=EPOCH)
    with pytest.raises(ConstellationError, match="five TLE digits"):
        c.to_tle(first_number=99_000)


# ---------------------------------------------------------------------------- calendar times
def test_calendar_times_and_time_grid() -> None:
    tle = cs.from_tle(DATA, name="demo", min_elevation_deg=25.0)
    start = EPOCH + dt.timedelta(hours=2)
    grid = cs.time_grid(dt.timedelta(minutes=10), 5, start_s=start, epoch=tle)
    assert grid.tolist() == [7200.0, 7320.0, 7440.0, 7560.0, 7680.0]
    stamps = [start + dt.timedelta(seconds=120 * k) for k in range(5)]
    assert np.array_equal(cs.seconds_since_epoch(tle, stamps), grid)
    numpy_stamps = np.array([s.replace(tzinfo=None) for s in stamps], dtype="datetime64[us]")
    assert np.array_equal(cs.satellite_ecef_km(tle, numpy_stamps), cs.satellite_ecef_km(tle, grid))
    other_zone = start.astimezone(dt.timezone(dt.timedelta(hours=5)))
    assert np.array_equal(cs.satellite_ecef_km(tle, other_zone), cs.satellite_ecef_km(tle, 7200.0))
    with pytest.raises(ConstellationError, match="naive datetime"):
        cs.satellite_ecef_km(tle, start.replace(tzinfo=None))
    with pytest.raises(ConstellationError, match="naive datetime"):
        cs.time_grid(600.0, 2, start_s=start.replace(tzinfo=None), epoch=tle)
    with pytest.raises(ConstellationError, match="need a constellation with an epoch"):
        cs.satellite_ecef_km(cs.STARLINK_SHELL1, start)
    with pytest.raises(ConstellationError, match="needs epoch="):
        cs.time_grid(600.0, 2, start_s=start)
    snap = cs.snapshot(tle, start, [43.25], [76.91], [cs.GroundRole.TERMINAL])
    assert snap.t_s == 7200.0


# ---------------------------------------------------------------------------- analyses
def test_snapshots_of_a_tle_system_follow_its_positions() -> None:
    tle = cs.from_tle(DATA, name="demo", min_elevation_deg=25.0)
    lat = np.linspace(-50.0, 50.0, 40)
    lon = np.linspace(-170.0, 170.0, 40)
    role = np.full(40, int(cs.GroundRole.TERMINAL | cs.GroundRole.GATEWAY))
    for t in (0.0, 1800.0):
        snap = cs.snapshot(tle, t, lat, lon, role)
        sat = cs.satellite_ecef_km(tle, t)
        assert np.array_equal(snap.satellite_ecef_km, sat)
        ground = cs.lat_lon_to_ecef(lat, lon)
        elev = cs.elevation_deg(ground[:, None, :], sat[None, :, :])
        user = snap.edges_of(cs.Medium.USER_LINK)
        expected = {(g, s) for g, s in zip(*np.nonzero(elev >= 25.0), strict=True)}
        got = {(int(a), int(b) - 40) for a, b in zip(snap.src[user], snap.dst[user], strict=True)}
        assert got == expected


def test_school_connectivity_takes_tle_systems_like_walker_ones(
    thin_schools: Callable[[int], Network],
) -> None:
    small_net = thin_schools(10)
    epoch = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    walker = dataclasses.replace(cs.STARLINK_SHELL1_BENT_PIPE, epoch=epoch)
    tle = cs.from_tle(walker.to_tle(), name="tle", min_elevation_deg=25.0, epoch=epoch)
    t = 600.0
    res = school_connectivity(small_net, {"tle": tle}, [t], policies=("any",))
    expected = school_latency(small_net, tle, t, {"kokterek", "akkol", "baku-gw", "tbilisi-gw"})
    got = res.set_index("school")["min_latency_ms"].fillna(math.inf)
    for school, value in expected.items():
        if math.isinf(value):
            assert math.isinf(got[school]), school
        else:
            assert got[school] == pytest.approx(value, rel=1e-9), school
    # A sweep on an executor gives the serial table; the Walker twin is close (J2, ~10 km).
    times = [0.0, 900.0, 1800.0]
    serial = school_connectivity(small_net, {"tle": tle, "walker": walker}, times)
    with ThreadPoolExecutor(2) as pool:
        pooled = school_connectivity(
            small_net, {"tle": tle, "walker": walker}, times, executor=pool, chunk_size=1
        )
    pd.testing.assert_frame_equal(serial, pooled)
    by = serial.set_index(["policy", "school", "constellation"])["connected_share"].unstack()
    assert (by["tle"] - by["walker"]).abs().mean() < 0.1


@settings(max_examples=300, deadline=None)
@example(row=1, column=35, char=" ")  # a blank digit in n-dot: NaN positions, no SGP4 error
@given(
    row=st.integers(0, 5),
    column=st.integers(0, 70),
    char=st.characters(min_codepoint=32, max_codepoint=126),
)
def test_any_one_character_change_parses_or_raises_constellation_error(
    row: int, column: int, char: str
) -> None:
    """Fuzz: a record with one character replaced (or cut short) is read and propagated, or
    refused with a ConstellationError; never another exception or a NaN position."""
    rows = list(GOOD)
    line = rows[row]
    rows[row] = line[:column] + char + line[column + 1 :] if column < len(line) else line[:column]
    try:
        c = cs.from_tle("\n".join(rows) + "\n", name="fuzz", min_elevation_deg=25.0)
        xyz = cs.satellite_ecef_km(c, 0.0)  # may fail: an epoch moved years away, a decay
    except ConstellationError:
        return
    assert np.isfinite(xyz).all()


def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.tle"
    os.mkfifo(fifo)
    with pytest.raises(ConstellationError, match="not a regular file"):
        cs.from_tle(fifo, name="x", min_elevation_deg=25.0)


def test_a_constellation_may_mix_walker_shells_and_tle_sets() -> None:
    tle = cs.from_tle(DATA, name="demo", min_elevation_deg=25.0)
    shell = cs.Shell("polar", 1200.0, 87.9, 3, 4, pattern="star")
    mixed = cs.Constellation(
        "mixed", (shell, tle.shells[0], shell), 25.0, 25.0, 0.2, 20.0, epoch=EPOCH
    )
    alone = cs.Constellation("polar", (shell,), 25.0, 25.0, 0.2, 20.0, epoch=EPOCH)
    times = [0.0, 60.0]
    for frame in (cs.satellite_ecef_km, cs.satellite_eci_km):
        xyz = frame(mixed, times)
        assert xyz.shape == (2, 12 + 48 + 12, 3)
        assert np.array_equal(xyz[:, :12], frame(alone, times))
        assert np.array_equal(xyz[:, 12:60], frame(tle, times))
        assert np.array_equal(xyz[:, 60:], xyz[:, :12])
    _, plane, _ = cs.satellite_layout(mixed)
    assert (plane[12:60] == -1).all() and (plane[:12] >= 0).all()
