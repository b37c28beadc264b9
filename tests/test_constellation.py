"""Constellation geometry, links and snapshots against hand-computed cases and properties.

Oracles are written independently of the module: elevation from the angle between the line of
sight and the local vertical (``arcsin``), the horizon found by bisection on that elevation,
Kepler's law and the Earth's rotation applied by hand.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st

import routecore as rc
from routecore import constellation as cs
from routecore.geo import EARTH_RADIUS_KM

from .oracles import elevation_deg as oracle_elevation_deg
from .oracles import unit_vector as unit_from_lat_lon

R = EARTH_RADIUS_KM
C_KM_S = 299792.458
OMEGA_E = 7.2921159e-5
MU = 398600.4418

times = st.floats(0.0, 86_400.0 * 3, allow_nan=False)


@st.composite
def shells(draw: st.DrawFn, *, min_planes: int = 1, min_per_plane: int = 1) -> cs.Shell:
    planes = draw(st.integers(min_planes, 24))
    return cs.Shell(
        "random",
        altitude_km=draw(st.floats(300.0, 2000.0)),
        inclination_deg=draw(st.floats(0.0, 180.0)),
        num_planes=planes,
        sats_per_plane=draw(st.integers(min_per_plane, 30)),
        phasing=draw(st.integers(0, planes - 1)),
        pattern=draw(st.sampled_from(["delta", "star"])),
        raan_offset_deg=draw(st.floats(-180.0, 180.0)),
    )


def system(*shell_list: cs.Shell, isl: float | None = 100.0) -> cs.Constellation:
    return cs.Constellation(
        "test",
        tuple(shell_list),
        min_elevation_user_deg=25.0,
        min_elevation_feeder_deg=10.0,
        user_link_capacity_gbps=0.2,
        feeder_capacity_gbps=20.0,
        isl_capacity_gbps=isl,
    )


def point_at_angle(
    centre: npt.NDArray[np.float64], angle_rad: float, radius: float = R
) -> npt.NDArray[np.float64]:
    """A point ``angle_rad`` away from the unit vector ``centre`` (along some great circle)."""
    helper = np.array([0.0, 0.0, 1.0]) if abs(centre[2]) < 0.9 else np.array([1.0, 0.0, 0.0])
    side = np.cross(centre, helper)
    side /= np.linalg.norm(side)
    return radius * (math.cos(angle_rad) * centre + math.sin(angle_rad) * side)


# ----------------------------------------------------------------------------- shells
def test_preset_counts_and_documented_assumptions() -> None:
    assert cs.STARLINK_SHELL1.num_satellites == 72 * 22 == 1584
    assert cs.ONEWEB.num_satellites == 12 * 49 == 588
    shell = cs.STARLINK_SHELL1.shells[0]
    assert (shell.altitude_km, shell.inclination_deg) == (550.0, 53.0)
    assert cs.STARLINK_SHELL1.min_elevation_user_deg == 25.0
    assert (cs.ONEWEB.shells[0].altitude_km, cs.ONEWEB.shells[0].inclination_deg) == (1200.0, 87.9)
    assert 25.0 <= cs.ONEWEB.min_elevation_user_deg <= 50.0
    for preset in (cs.STARLINK_SHELL1, cs.ONEWEB):
        assert preset.sources
        assert any("[UNCERTAIN]" in a for a in preset.assumptions)
    # The OneWeb elevation is not sourced: it must be flagged as an assumption.
    assert any("[UNCERTAIN] Minimum elevation" in a for a in cs.ONEWEB.assumptions)


@given(shells(), times)
def test_satellite_count_and_altitude(shell: cs.Shell, t: float) -> None:
    c = system(shell)
    assert c.num_satellites == shell.num_planes * shell.sats_per_plane
    for xyz in (cs.satellite_eci_km(c, t), cs.satellite_ecef_km(c, t)):
        assert xyz.shape == (c.num_satellites, 3)
        np.testing.assert_allclose(np.linalg.norm(xyz, axis=1) - R, shell.altitude_km, atol=1e-8)


def test_positions_vectorised_over_time() -> None:
    c = cs.STARLINK_SHELL1
    t = np.array([0.0, 10.0, 3600.0])
    many = cs.satellite_ecef_km(c, t)
    assert many.shape == (3, 1584, 3)
    for k, tk in enumerate(t):
        np.testing.assert_allclose(many[k], cs.satellite_ecef_km(c, float(tk)), atol=1e-9)
    np.testing.assert_allclose(cs.satellite_eci_km(c, 0.0), cs.satellite_ecef_km(c, 0.0))


def test_period_from_kepler_and_eci_repeats() -> None:
    shell = cs.STARLINK_SHELL1.shells[0]
    # Hand computation: a = 6921 km, T = 2 pi sqrt(a^3 / mu) = 5730.2 s.
    assert abs(shell.period_s - 5730.2) < 0.5
    expected = 2 * math.pi * math.sqrt((R + 550.0) ** 3 / MU)
    assert shell.period_s == pytest.approx(expected, rel=1e-12)
    c = cs.STARLINK_SHELL1
    t0 = 1234.5
    start = cs.satellite_eci_km(c, t0)
    np.testing.assert_allclose(cs.satellite_eci_km(c, t0 + shell.period_s), start, atol=1e-6)
    # Not before: over the period each satellite is away from its start.
    for fraction in (0.25, 0.5, 0.9):
        moved = cs.satellite_eci_km(c, t0 + fraction * shell.period_s)
        assert np.linalg.norm(moved - start, axis=1).min() > 100.0
    # The Earth-fixed track does not repeat after one period (the Earth has turned).
    ecef_gap = cs.satellite_ecef_km(c, t0 + shell.period_s) - cs.satellite_ecef_km(c, t0)
    assert np.linalg.norm(ecef_gap, axis=1).min() > 100.0


@given(shells())
def test_max_latitude_over_an_orbit_is_the_inclination(shell: cs.Shell) -> None:
    c = system(shell)
    t = np.linspace(0.0, shell.period_s, 2001)
    lat, _ = cs.subsatellite_lat_lon(c, t)
    incl = shell.inclination_deg
    expected = incl if incl <= 90.0 else 180.0 - incl
    # Latitude changes by at most 1 deg per deg of orbit, so sampling 2001 times per orbit
    # (0.18 deg apart) finds the peak to within 0.09 deg; it never exceeds the inclination.
    peak = np.abs(lat).max(axis=0)
    assert np.all(peak <= expected + 1e-9)
    assert np.all(peak >= expected - 0.09)


@given(shells(), times)
def test_earth_rotation_moves_longitude_west(shell: cs.Shell, t: float) -> None:
    c = system(shell)
    lat_f, lon_f = cs.ecef_to_lat_lon(cs.satellite_ecef_km(c, t))
    lat_i, lon_i = cs.ecef_to_lat_lon(cs.satellite_eci_km(c, t))
    np.testing.assert_allclose(lat_f, lat_i, atol=1e-9)
    west = np.degrees(OMEGA_E * t)
    diff = (lon_i - lon_f - west + 180.0) % 360.0 - 180.0
    polar = np.abs(lat_i) > 89.9999  # longitude is undefined at the poles
    np.testing.assert_allclose(diff[~polar], 0.0, atol=1e-6)


def test_star_and_delta_node_spread() -> None:
    # Ascending node of plane p: the ECI position of slot-0 satellites when u = 0 (t = 0, F = 0).
    for pattern, spread in (("delta", 360.0), ("star", 180.0)):
        shell = cs.Shell("s", 1000.0, 80.0, num_planes=6, sats_per_plane=5, pattern=pattern)
        xyz = cs.satellite_eci_km(system(shell), 0.0)[::5]
        lon = np.degrees(np.arctan2(xyz[:, 1], xyz[:, 0])) % 360.0
        np.testing.assert_allclose(lon, np.arange(6) * spread / 6, atol=1e-9)
        np.testing.assert_allclose(xyz[:, 2], 0.0, atol=1e-9)


# ---------------------------------------------------------------------- ground geometry
@given(st.floats(-90.0, 90.0), st.floats(-180.0, 180.0), st.floats(-0.5, 9.0))
def test_lat_lon_round_trip(lat: float, lon: float, alt: float) -> None:
    xyz = cs.lat_lon_to_ecef(lat, lon, alt)
    assert np.linalg.norm(xyz) == pytest.approx(R + alt, rel=1e-12)
    lat2, lon2 = cs.ecef_to_lat_lon(xyz)
    assert float(lat2) == pytest.approx(lat, abs=1e-9)
    if abs(lat) < 89.999:
        assert (float(lon2) - lon + 180.0) % 360.0 - 180.0 == pytest.approx(0.0, abs=1e-9)


@given(shells(), times, st.data())
def test_satellite_overhead_is_at_90_deg_and_altitude_range(
    shell: cs.Shell, t: float, data: st.DataObject
) -> None:
    c = system(shell)
    s = data.draw(st.integers(0, c.num_satellites - 1))
    sat = cs.satellite_ecef_km(c, t)
    lat, lon = cs.subsatellite_lat_lon(c, t)
    ground = cs.lat_lon_to_ecef(lat[s], lon[s])
    assert float(cs.elevation_deg(ground, sat[s])) == pytest.approx(90.0, abs=1e-6)
    assert float(cs.slant_range_km(ground, sat[s])) == pytest.approx(shell.altitude_km, abs=1e-6)
    links = cs.user_links(c, t, [lat[s]], [lon[s]], max_per_terminal=1)
    assert links.satellite.tolist() == [s] or math.isclose(links.elevation_deg[0], 90.0)
    assert links.length_km[0] == pytest.approx(shell.altitude_km, abs=1e-6)


@given(
    st.floats(300.0, 2000.0),
    st.floats(-90.0, 90.0),
    st.floats(-180.0, 180.0),
)
def test_elevation_decreases_with_ground_distance(alt: float, lat: float, lon: float) -> None:
    centre = unit_from_lat_lon(lat, lon)
    sat = (R + alt) * centre
    angles = np.radians(np.linspace(0.0, 30.0, 301))
    ground = np.array([point_at_angle(centre, a) for a in angles])
    el = cs.elevation_deg(ground, sat)
    assert np.all(np.diff(el) < 0)
    # Hand formula in the Earth-centre / ground / satellite plane:
    # tan(el) = (cos(g) - R / r) / sin(g) for central angle g.
    r = R + alt
    expected = np.degrees(np.arctan2(np.cos(angles) - R / r, np.sin(angles)))
    np.testing.assert_allclose(el, expected, atol=1e-8)
    np.testing.assert_allclose(el, oracle_elevation_deg(ground, sat), atol=1e-5)


def test_visibility_horizon_hand_value() -> None:
    # Hand, R = 6371.0088: sqrt((R + 550)^2 - (R cos 25)^2) - R sin 25 = 3815.78 - 2692.50
    # = 1123.28 km.
    assert float(cs.max_slant_range_km(550.0, 25.0)) == pytest.approx(1123.28, abs=0.05)
    # Straight up the range is the altitude; at 0 deg it is the tangent length sqrt(r^2 - R^2).
    assert float(cs.max_slant_range_km(550.0, 90.0)) == pytest.approx(550.0, abs=1e-9)
    tangent = math.sqrt((R + 550.0) ** 2 - R**2)
    assert float(cs.max_slant_range_km(550.0, 0.0)) == pytest.approx(tangent, rel=1e-12)
    assert float(cs.horizon_central_angle_deg(550.0, 0.0)) == pytest.approx(
        math.degrees(math.acos(R / (R + 550.0))), rel=1e-12
    )


@given(st.floats(300.0, 2000.0), st.floats(0.0, 85.0))
def test_horizon_matches_where_elevation_crosses_minimum(alt: float, min_el: float) -> None:
    centre = np.array([0.0, 0.0, 1.0])
    sat = (R + alt) * centre
    # Bisection on the central angle with the oracle elevation (monotone in the angle).
    lo, hi = 0.0, math.pi / 2
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if oracle_elevation_deg(point_at_angle(centre, mid), sat) >= min_el:
            lo = mid
        else:
            hi = mid
    crossing = point_at_angle(centre, lo)
    assert float(cs.horizon_central_angle_deg(alt, min_el)) == pytest.approx(
        math.degrees(lo), abs=1e-6
    )
    assert float(cs.max_slant_range_km(alt, min_el)) == pytest.approx(
        float(np.linalg.norm(sat - crossing)), abs=1e-5
    )
    # Just inside the horizon the satellite is visible, just outside it is not.
    inside = point_at_angle(centre, lo - 1e-6)
    outside = point_at_angle(centre, lo + 1e-6)
    pairs = cs.visible_pairs(np.array([inside, outside]), sat[None, :], min_el)
    assert pairs.ground.tolist() == [0]


@given(times, st.integers(0, 2**32 - 1), st.floats(0.0, 60.0), st.integers(1, 300))
def test_visible_pairs_match_dense_oracle(
    t: float, seed: int, min_el: float, tile_size: int
) -> None:
    rng = np.random.default_rng(seed)
    n = 400
    lat = np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, n)))
    lon = rng.uniform(-180.0, 180.0, n)
    alt = np.where(rng.random(n) < 0.5, 0.0, rng.uniform(-0.4, 12.0, n))  # up to airliners
    ground = cs.lat_lon_to_ecef(lat, lon, alt)
    sat = cs.satellite_ecef_km(cs.STARLINK_SHELL1, t)
    el = oracle_elevation_deg(ground[:, None, :], sat[None, :, :])
    pairs = cs.visible_pairs(ground, sat, min_el, tile_size=tile_size)
    got = np.zeros(el.shape, dtype=bool)
    got[pairs.ground, pairs.satellite] = True
    clear = np.abs(el - min_el) > 1e-6  # away from round-off at the boundary
    np.testing.assert_array_equal(got[clear], (el >= min_el)[clear])
    np.testing.assert_allclose(pairs.elevation_deg, el[pairs.ground, pairs.satellite], atol=1e-5)
    np.testing.assert_allclose(
        pairs.range_km, np.linalg.norm(sat[pairs.satellite] - ground[pairs.ground], axis=1)
    )
    key = pairs.ground * 1000.0 - pairs.elevation_deg  # ground ascending, elevation descending
    assert np.all(np.diff(key) >= 0)


def test_visible_pairs_with_tiles_spanning_the_globe() -> None:
    # Antipodal points in one tile: their mean direction vanishes, so the tile's cap must be the
    # whole sphere and nothing may be culled.
    rng = np.random.default_rng(11)
    half = cs.lat_lon_to_ecef(rng.uniform(-80, 80, 50), rng.uniform(-180, 180, 50))
    ground = np.empty((100, 3))
    ground[0::2], ground[1::2] = half, -half
    sat = cs.satellite_ecef_km(cs.STARLINK_SHELL1, 42.0)
    el = oracle_elevation_deg(ground[:, None, :], sat[None, :, :])
    for tile_size in (2, 100):
        pairs = cs.visible_pairs(ground, sat, 10.0, tile_size=tile_size)
        got = np.zeros(el.shape, dtype=bool)
        got[pairs.ground, pairs.satellite] = True
        np.testing.assert_array_equal(got, el >= 10.0)


@given(times, st.integers(1, 5))
def test_max_per_ground_keeps_the_highest(t: float, k: int) -> None:
    rng = np.random.default_rng(7)
    lat, lon = rng.uniform(40.0, 55.0, 200), rng.uniform(47.0, 87.0, 200)  # Kazakhstan's box
    all_links = cs.user_links(cs.STARLINK_SHELL1, t, lat, lon)
    best = cs.user_links(cs.STARLINK_SHELL1, t, lat, lon, max_per_terminal=k)
    visible = np.bincount(all_links.ground, minlength=200)
    kept = np.bincount(best.ground, minlength=200)
    np.testing.assert_array_equal(kept, np.minimum(visible, k))
    for g in range(0, 200, 17):
        top = np.sort(all_links.elevation_deg[all_links.ground == g])[::-1][:k]
        np.testing.assert_allclose(np.sort(best.elevation_deg[best.ground == g])[::-1], top)


def test_oneweb_assumed_elevation_gives_continuous_coverage() -> None:
    lat, lon = np.meshgrid(np.linspace(-89.0, 89.0, 60), np.linspace(-180.0, 175.0, 72))
    for t in cs.time_grid(cs.ONEWEB.shells[0].period_s, 8):
        links = cs.user_links(cs.ONEWEB, t, lat.ravel(), lon.ravel())
        assert np.bincount(links.ground, minlength=lat.size).min() >= 1


# ------------------------------------------------------------------------------ ISLs
def test_starlink_plus_grid() -> None:
    c = cs.STARLINK_SHELL1
    a, b = cs.isl_pairs(c)
    s = c.num_satellites
    assert len(a) == 2 * s
    np.testing.assert_array_equal(np.bincount(np.concatenate([a, b]), minlength=s), 4)
    _, plane, slot = cs.satellite_layout(c)
    dp = (plane[b] - plane[a]) % 72
    ds = (slot[b] - slot[a]) % 22
    intra = dp == 0
    assert set(ds[intra].tolist()) == {1}
    assert set(dp[~intra].tolist()) == {1}  # to the next plane (71 -> 0 across the seam)
    # Same slot in the next plane, except across the seam where F = 1 shifts it.
    seam = (plane[a] == 71) & (plane[b] == 0)
    assert seam.sum() == 22
    assert set(ds[~intra & ~seam].tolist()) == {0}
    assert set(ds[seam].tolist()) == {cs.STARLINK_SHELL1.shells[0].phasing}
    pairs = {(min(x, y), max(x, y)) for x, y in zip(a.tolist(), b.tolist(), strict=True)}
    assert len(pairs) == len(a)


@given(shells(min_planes=3, min_per_plane=3), times)
def test_plus_grid_on_random_shells(shell: cs.Shell, t: float) -> None:
    c = system(shell)
    links = cs.isl_links(c, t)
    s = c.num_satellites
    degree = np.bincount(np.concatenate([links.sat_a, links.sat_b]), minlength=s)
    _, plane, _ = cs.satellite_layout(c)
    p = shell.num_planes
    if shell.pattern == "delta":
        np.testing.assert_array_equal(degree, 4)
    else:  # no cross-seam links: the first and last planes have 3
        edge_plane = (plane == 0) | (plane == p - 1)
        np.testing.assert_array_equal(degree, np.where(edge_plane, 3, 4))
    dp = (plane[links.sat_b] - plane[links.sat_a]) % p
    assert set(dp.tolist()) <= {0, 1, p - 1}
    # Intra-plane neighbours are one slot apart: the chord 2 r sin(pi / S) at every time.
    intra = dp == 0
    chord = 2 * (R + shell.altitude_km) * math.sin(math.pi / shell.sats_per_plane)
    np.testing.assert_allclose(links.length_km[intra], chord, rtol=1e-9)
    assert np.all(links.latency_ms >= links.length_km / C_KM_S * 1000.0 * (1 - 1e-12))


def test_multi_shell_layout_and_isls_stay_in_their_shell() -> None:
    low = cs.Shell("low", 540.0, 53.2, num_planes=10, sats_per_plane=8, phasing=3)
    polar = cs.Shell("polar", 560.0, 97.6, num_planes=4, sats_per_plane=12, pattern="star")
    c = system(low, polar)
    assert c.num_satellites == 80 + 48
    shell, plane, slot = cs.satellite_layout(c)
    np.testing.assert_array_equal(np.bincount(shell), [80, 48])
    assert plane[80] == 0 and slot[80] == 0 and plane[79] == 9 and slot[79] == 7
    radius = np.linalg.norm(cs.satellite_eci_km(c, 100.0), axis=1)
    np.testing.assert_allclose(radius[:80], R + 540.0)
    np.testing.assert_allclose(radius[80:], R + 560.0)
    a, b = cs.isl_pairs(c)
    np.testing.assert_array_equal(shell[a], shell[b])


# -------------------------------------------------------------------------- snapshots
@st.composite
def ground_networks(draw: st.DrawFn) -> tuple[Any, ...]:
    n = draw(st.integers(1, 60))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    lat = rng.uniform(35.0, 56.0, n)
    lon = rng.uniform(45.0, 90.0, n)
    role = rng.integers(0, 4, n)
    m = draw(st.integers(0, 40))
    a, b = rng.integers(0, n, m), rng.integers(0, n, m)
    latency = rng.uniform(0.0, 30.0, m)
    capacity = rng.integers(0, 10_000, m)
    return lat, lon, role, (a, b, latency, capacity)


@given(ground_networks(), times, st.sampled_from([None, 1, 3]), st.booleans())
def test_snapshot_graph_structure(net: tuple[Any, ...], t: float, k: int | None, isl: bool) -> None:
    lat, lon, role, (a, b, latency, capacity) = net
    c = cs.STARLINK_SHELL1
    snap = cs.snapshot(
        c,
        t,
        lat,
        lon,
        role,
        (a, b, latency, capacity),
        isl=isl,
        max_user_links=k,
        max_feeder_links=k,
    )
    n, s = len(lat), c.num_satellites
    g = snap.graph
    assert (snap.num_ground, snap.num_satellites) == (n, s)
    assert g.num_nodes == n + s and not g.directed
    assert g.num_edges == len(snap.medium) == len(snap.src) == len(snap.length_km)
    np.testing.assert_array_equal(g.src, snap.src)
    np.testing.assert_array_equal(g.dst, snap.dst)
    w, cap = g.weight, g.capacity
    assert w is not None and cap is not None
    assert (
        np.all(np.isfinite(w)) and np.all(w >= 0) and np.all(np.isfinite(cap)) and np.all(cap >= 0)
    )
    # Ground links keep their edge ids and values.
    m = len(a)
    np.testing.assert_array_equal(snap.medium[:m], cs.Medium.GROUND)
    np.testing.assert_array_equal(snap.src[:m], a)
    np.testing.assert_array_equal(snap.dst[:m], b)
    np.testing.assert_array_equal(w[:m], latency)
    np.testing.assert_array_equal(cap[:m], capacity)
    sat_node = snap.dst >= n
    for medium, flag, min_el, link_cap in (
        (cs.Medium.USER_LINK, cs.GroundRole.TERMINAL, 25.0, 0.2),
        (cs.Medium.FEEDER, cs.GroundRole.GATEWAY, 25.0, 20.0),
    ):
        e = snap.edges_of(medium)
        assert np.all(snap.src[e] < n) and np.all(sat_node[e])
        # Only nodes with the role get this kind of radio link.
        assert np.all(role[snap.src[e]] & flag)
        ground = cs.lat_lon_to_ecef(lat[snap.src[e]], lon[snap.src[e]])
        sat = snap.satellite_ecef_km[snap.dst[e] - n]
        el = oracle_elevation_deg(ground, sat)
        assert np.all(el >= min_el - 1e-6)
        np.testing.assert_allclose(snap.elevation_deg[e], el, atol=1e-5)
        np.testing.assert_allclose(snap.length_km[e], np.linalg.norm(sat - ground, axis=1))
        np.testing.assert_allclose(cap[e], link_cap)
        per_node = np.bincount(snap.src[e], minlength=n)
        # Every eligible satellite is linked (or the k best): compare counts with the oracle.
        holders = np.flatnonzero(role & flag)
        all_el = oracle_elevation_deg(
            cs.lat_lon_to_ecef(lat[holders], lon[holders])[:, None, :],
            snap.satellite_ecef_km[None, :, :],
        )
        visible = (all_el >= min_el).sum(axis=1)
        expected = visible if k is None else np.minimum(visible, k)
        np.testing.assert_array_equal(per_node[holders], expected)
    isl_edges = snap.edges_of(cs.Medium.ISL)
    assert len(isl_edges) == (2 * s if isl else 0)
    assert np.all(snap.src[isl_edges] >= n) and np.all(snap.dst[isl_edges] >= n)
    np.testing.assert_allclose(cap[isl_edges], 100.0)
    radio = snap.medium != cs.Medium.GROUND
    # Latency is never below the straight-line time at c; for radio and laser it is exactly that.
    np.testing.assert_allclose(w[radio], snap.length_km[radio] / C_KM_S * 1000.0, rtol=1e-12)
    assert np.all(np.isnan(snap.length_km[~radio]))
    assert np.all(np.isnan(snap.elevation_deg[isl_edges]))


def test_snapshots_match_single_snapshots_and_time_grid() -> None:
    rng = np.random.default_rng(3)
    lat, lon = rng.uniform(40.0, 55.0, 50), rng.uniform(50.0, 85.0, 50)
    role = np.where(np.arange(50) < 3, cs.GroundRole.GATEWAY, cs.GroundRole.TERMINAL)
    links = (np.array([0, 1]), np.array([1, 2]), np.array([5.0, 7.5]), np.array([100.0, 40.0]))
    times = cs.time_grid(cs.STARLINK_SHELL1.shells[0].period_s, 5)
    np.testing.assert_allclose(np.diff(times), cs.STARLINK_SHELL1.shells[0].period_s / 5)
    assert times[0] == 0.0 and len(times) == 5
    snaps = list(cs.snapshots(cs.STARLINK_SHELL1, times, lat, lon, role, links))
    assert [s.t_s for s in snaps] == times.tolist()
    for snap in snaps:
        single = cs.snapshot(cs.STARLINK_SHELL1, snap.t_s, lat, lon, role, links)
        assert single.graph == snap.graph
        np.testing.assert_array_equal(single.medium, snap.medium)
    # The constellation moves: the user links change over a period.
    assert len({tuple(s.dst[s.edges_of(cs.Medium.USER_LINK)].tolist()) for s in snaps}) > 1


def test_snapshot_without_isl_system_and_roles_none() -> None:
    snap = cs.snapshot(cs.ONEWEB, 0.0, [43.4, 51.2], [77.0, 71.4], [0, cs.GroundRole.GATEWAY])
    assert snap.graph.num_nodes == 2 + 588
    assert len(snap.edges_of(cs.Medium.ISL)) == 0  # OneWeb has no ISLs
    assert len(snap.edges_of(cs.Medium.USER_LINK)) == 0
    assert np.all(snap.src[snap.edges_of(cs.Medium.FEEDER)] == 1)
    assert snap.graph.num_edges == len(snap.edges_of(cs.Medium.FEEDER)) > 0
    np.testing.assert_allclose(snap.graph.capacity, cs.ONEWEB.feeder_capacity_gbps)


def test_snapshot_outputs_are_read_only() -> None:
    snap = cs.snapshot(cs.STARLINK_SHELL1, 0.0, [43.25], [76.91], [cs.GroundRole.TERMINAL])
    with pytest.raises(ValueError, match="read-only"):
        snap.medium[0] = 3


# ----------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"altitude_km": -5.0}, r"altitude_km .*-5\.0"),
        ({"inclination_deg": 181.0}, r"inclination_deg .*181"),
        ({"num_planes": 0}, r"num_planes .*0"),
        ({"sats_per_plane": 2.5}, r"sats_per_plane .*2\.5"),
        ({"phasing": 72}, r"phasing must be in \[0, 71\], got 72"),
        ({"pattern": "walker"}, r"pattern .*'walker'"),
        ({"altitude_km": float("nan")}, r"altitude_km .*nan"),
    ],
)
def test_bad_shell_parameters(kwargs: dict[str, Any], match: str) -> None:
    base = dataclasses.asdict(cs.STARLINK_SHELL1.shells[0])
    with pytest.raises(cs.ConstellationError, match=match):
        cs.Shell(**{**base, **kwargs})


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"min_elevation_user_deg": 90.0}, r"min_elevation_user_deg .*90"),
        ({"min_elevation_feeder_deg": -1.0}, r"min_elevation_feeder_deg .*-1"),
        ({"user_link_capacity_gbps": -0.1}, r"user_link_capacity_gbps .*-0\.1"),
        ({"isl_capacity_gbps": float("inf")}, r"isl_capacity_gbps .*inf"),
        ({"shells": ()}, r"shells must hold at least one"),
    ],
)
def test_bad_constellation_parameters(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(cs.ConstellationError, match=match):
        dataclasses.replace(cs.STARLINK_SHELL1, **kwargs)


def test_bad_snapshot_input() -> None:
    c = cs.STARLINK_SHELL1
    assert issubclass(cs.ConstellationError, rc.RoutecoreError)
    assert not issubclass(cs.ConstellationError, rc.GraphError)
    with pytest.raises(cs.ConstellationError, match=r"ground_lat_deg\[1\] = 91.0"):
        cs.snapshot(c, 0.0, [0.0, 91.0], [0.0, 0.0], [1, 1])
    with pytest.raises(cs.ConstellationError, match=r"ground_role\[0\] = 7"):
        cs.snapshot(c, 0.0, [0.0], [0.0], [7])
    with pytest.raises(cs.ConstellationError, match=r"ground_role must have one entry"):
        cs.snapshot(c, 0.0, [0.0], [0.0], [1, 1])
    with pytest.raises(cs.ConstellationError, match="isl=True but constellation 'oneweb'"):
        cs.snapshot(cs.ONEWEB, 0.0, [0.0], [0.0], [1], isl=True)
    with pytest.raises(rc.NodeIndexError, match=r"ground_links b\[0\] = 5"):
        cs.snapshot(c, 0.0, [0.0], [0.0], [1], ([0], [5], [1.0], [1.0]))
    with pytest.raises(rc.GraphError, match=r"latency_ms\[0\] = -1.0 is negative"):
        cs.snapshot(c, 0.0, [0.0], [0.0], [1], ([0], [0], [-1.0], [1.0]))
    with pytest.raises(cs.ConstellationError, match=r"ground_links latency_ms\[1\] = 1.0 ms"):
        cs.snapshot(
            c,
            0.0,
            [0.0, 1.0],
            [0.0, 1.0],
            [1, 1],
            ([0, 0], [1, 1], [1.0, 1.0], [1.0, 1.0]),
            ground_length_km=[10.0, 400.0],
        )
    with pytest.raises(cs.ConstellationError, match=r"max_user_links must be >= 1 or None, got 0"):
        cs.snapshot(c, 0.0, [0.0], [0.0], [1], max_user_links=0)
    with pytest.raises(cs.ConstellationError, match=r"t_s = nan is not finite"):
        cs.satellite_ecef_km(c, float("nan"))
    with pytest.raises(cs.ConstellationError, match=r"min_elevation_deg must be a number in"):
        cs.visible_pairs([[R, 0.0, 0.0]], [[R + 550.0, 0.0, 0.0]], 90.0)
    with pytest.raises(cs.ConstellationError, match=r"\(N, 3\)"):
        cs.visible_pairs([R, 0.0, 0.0], [[R + 550.0, 0.0, 0.0]], 25.0)
