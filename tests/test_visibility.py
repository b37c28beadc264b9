"""The C++ visibility search (routecore/visibility.h, via ``visible_pairs``) against a dense numpy
oracle, on hypothesis-generated satellites and ground points.

Oracle: the elevation and slant range of every (ground point, satellite) pair from the numpy
geometry functions ``elevation_deg`` and ``slant_range_km`` (an N x S matrix), ranked per ground
point by decreasing elevation, then increasing satellite index. Elevations within ``TOL_DEG`` of
the mask or of each other may be decided either way by rounding, so the check is a certificate
that holds exactly when the oracle's ranking is unambiguous and tolerates only those near-ties:
every listed pair is (nearly) visible and correct; the listing is in the promised order; no
clearly visible satellite is missing unless ``max_per_ground`` pairs with (nearly) higher
elevation are listed instead.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from routecore import constellation as cs
from routecore.geo import EARTH_RADIUS_KM

from .oracles import unit_vector as unit

R = EARTH_RADIUS_KM
TOL_DEG = 1e-9

FloatArray = npt.NDArray[np.float64]


def assert_matches_oracle(
    pairs: cs.VisiblePairs,
    ground: FloatArray,
    sat: FloatArray,
    min_el: float,
    k: int | None,
) -> None:
    n, s = ground.shape[0], sat.shape[0]
    for arr, dtype in (
        (pairs.ground, np.int64),
        (pairs.satellite, np.int64),
        (pairs.elevation_deg, np.float64),
        (pairs.range_km, np.float64),
    ):
        assert arr.dtype == dtype and arr.shape == pairs.ground.shape
    if n == 0 or s == 0:
        assert pairs.ground.size == 0
        return
    el = cs.elevation_deg(ground[:, None, :], sat[None, :, :])
    rng = cs.slant_range_km(ground[:, None, :], sat[None, :, :])
    g, sv = pairs.ground, pairs.satellite
    assert np.all((g >= 0) & (g < n)) and np.all((sv >= 0) & (sv < s))
    # Every listed pair: right numbers, at or above the mask, listed once.
    np.testing.assert_allclose(pairs.elevation_deg, el[g, sv], rtol=0, atol=TOL_DEG)
    np.testing.assert_allclose(pairs.range_km, rng[g, sv], rtol=1e-12, atol=1e-9)
    assert np.all(pairs.elevation_deg >= min_el)
    assert np.unique(g * s + sv).size == g.size
    # Order: ground ascending, then elevation descending, then satellite ascending (exactly, on
    # the reported numbers).
    same = g[1:] == g[:-1]
    assert np.all(g[1:] >= g[:-1])
    de = pairs.elevation_deg[1:] - pairs.elevation_deg[:-1]
    assert np.all(~same | (de < 0) | ((de == 0) & (sv[1:] > sv[:-1])))
    # Completeness: the k highest of the clearly visible satellites are there.
    counts = np.bincount(g, minlength=n)
    listed = np.zeros((n, s), dtype=bool)
    listed[g, sv] = True
    clearly = el >= min_el + TOL_DEG
    maybe = el >= min_el - TOL_DEG
    assert not np.any(listed & ~maybe)
    limit = s if k is None else k
    np.testing.assert_array_less(counts, np.minimum(maybe.sum(axis=1), limit) + 1)
    assert np.all(counts >= np.minimum(clearly.sum(axis=1), limit))
    lowest = np.full(n, np.inf)
    np.minimum.at(lowest, g, pairs.elevation_deg)
    missing = clearly & ~listed
    # A clearly visible satellite left out must not be (clearly) above a listed one, and only
    # the limit may leave one out.
    rows = np.flatnonzero(missing.any(axis=1))
    assert np.all(counts[rows] == limit)
    assert np.all(el[missing] <= np.repeat(lowest, s).reshape(n, s)[missing] + TOL_DEG)


@st.composite
def directions(draw: st.DrawFn, size: int) -> FloatArray:
    """``size`` unit vectors; latitudes and longitudes include the poles and the antimeridian."""
    special_lat = st.sampled_from([-90.0, 90.0, 0.0, 89.999999, -89.999999])
    special_lon = st.sampled_from([-180.0, 180.0, 179.9999999, -179.9999999, 0.0])
    lat = st.one_of(st.floats(-90.0, 90.0), special_lat)
    lon = st.one_of(st.floats(-180.0, 180.0), special_lon)
    pts = draw(st.lists(st.tuples(lat, lon), min_size=size, max_size=size))
    return np.array([unit(a, b) for a, b in pts]).reshape(size, 3)


@st.composite
def scenes(draw: st.DrawFn) -> tuple[FloatArray, FloatArray, float, int | None, int]:
    """(ground, satellites, min elevation, k, tile size); some satellites exactly at the mask
    of some ground point, some duplicated (equal elevations), some clustered over one area."""
    n = draw(st.integers(0, 40))
    s = draw(st.integers(0, 40))
    min_el = draw(st.one_of(st.just(0.0), st.floats(0.0, 89.0)))
    ground_alt = np.array(draw(st.lists(st.floats(-0.4, 12.0), min_size=n, max_size=n)))
    sat_alt = np.array(draw(st.lists(st.floats(300.0, 2000.0), min_size=s, max_size=s)))
    ground = draw(directions(n)) * (R + ground_alt.reshape(n, 1))
    sat = draw(directions(s)) * (R + sat_alt.reshape(s, 1))
    if n and draw(st.booleans()):
        # Cluster the ground points within a few hundred km, as a country's terminals are.
        centre = ground[0] / np.linalg.norm(ground[0])
        spread = centre + 0.05 * ground / np.linalg.norm(ground, axis=1, keepdims=True)
        ground = R * spread / np.linalg.norm(spread, axis=1, keepdims=True)
    if n and s and draw(st.booleans()):
        # Put satellites exactly on the mask of ground point 0 and copies of others.
        centre = ground[0] / np.linalg.norm(ground[0])
        for j in draw(st.lists(st.integers(0, s - 1), max_size=5)):
            alt = float(np.linalg.norm(sat[j])) - R
            angle = math.radians(
                float(
                    cs.horizon_central_angle_deg(
                        alt, min_el, ground_alt_km=float(np.linalg.norm(ground[0])) - R
                    )
                )
            )
            helper = (
                np.array([0.0, 0.0, 1.0]) if abs(centre[2]) < 0.9 else np.array([1.0, 0.0, 0.0])
            )
            side = np.cross(centre, helper)
            side /= np.linalg.norm(side)
            sat[j] = (R + alt) * (math.cos(angle) * centre + math.sin(angle) * side)
        for j in draw(st.lists(st.integers(0, s - 1), max_size=3)):
            sat[draw(st.integers(0, s - 1))] = sat[j]
    k = draw(st.one_of(st.none(), st.integers(1, s + 3)))
    tile = draw(st.integers(1, 50))
    return ground, sat, min_el, k, tile


@given(scenes())
def test_visible_pairs_match_the_numpy_oracle(
    scene: tuple[FloatArray, FloatArray, float, int | None, int],
) -> None:
    ground, sat, min_el, k, tile = scene
    pairs = cs.visible_pairs(ground, sat, min_el, max_per_ground=k, tile_size=tile, threads=1)
    assert_matches_oracle(pairs, ground, sat, min_el, k)


@given(scenes(), st.integers(1, 50))
def test_result_does_not_depend_on_threads_or_tiles(
    scene: tuple[FloatArray, FloatArray, float, int | None, int], other_tile: int
) -> None:
    ground, sat, min_el, k, tile = scene
    one = cs.visible_pairs(ground, sat, min_el, max_per_ground=k, tile_size=tile, threads=1)
    for tiles, threads in ((tile, 2), (other_tile, 1), (other_tile, 2)):
        got = cs.visible_pairs(
            ground, sat, min_el, max_per_ground=k, tile_size=tiles, threads=threads
        )
        for name in ("ground", "satellite", "elevation_deg", "range_km"):
            np.testing.assert_array_equal(getattr(got, name), getattr(one, name))


@pytest.mark.parametrize("k", [None, 1, 8])
def test_country_scale_instance_on_one_and_two_threads(k: int | None) -> None:
    # 3,000 terminals over Kazakhstan and a 1,584-satellite shell: hundreds of tiles, so two
    # threads really share the work.
    rng = np.random.default_rng(5)
    ground = cs.lat_lon_to_ecef(rng.uniform(40.0, 55.0, 3000), rng.uniform(47.0, 87.0, 3000))
    sat = cs.satellite_ecef_km(cs.STARLINK_SHELL1, 1234.5)
    one = cs.visible_pairs(ground, sat, 25.0, max_per_ground=k, tile_size=16, threads=1)
    two = cs.visible_pairs(ground, sat, 25.0, max_per_ground=k, tile_size=16, threads=2)
    for name in ("ground", "satellite", "elevation_deg", "range_km"):
        np.testing.assert_array_equal(getattr(two, name), getattr(one, name))
    assert_matches_oracle(one, ground, sat, 25.0, k)


def test_exactly_at_the_mask_and_edge_cases() -> None:
    # A satellite straight above a pole, one exactly on the mask of a point on the antimeridian,
    # one at the Earth's centre (never visible), and two at the same place (equal elevations:
    # the lower index comes first).
    pole = np.array([0.0, 0.0, R])
    antimeridian = R * unit(10.0, 180.0)
    angle = math.radians(float(cs.horizon_central_angle_deg(550.0, 30.0)))
    on_mask = (R + 550.0) * unit(10.0 + math.degrees(angle), 180.0)
    sat = np.array([[0.0, 0.0, R + 550.0], on_mask, [0.0, 0.0, 0.0], on_mask, on_mask])
    ground = np.array([pole, antimeridian])
    el = cs.elevation_deg(ground[:, None, :], sat[None, :, :])
    assert el[0, 0] == 90.0 and abs(el[1, 1] - 30.0) < 1e-9
    for k in (None, 1, 2, 10):
        pairs = cs.visible_pairs(ground, sat, 30.0 - 1e-6, max_per_ground=k)
        assert_matches_oracle(pairs, ground, sat, 30.0 - 1e-6, k)
        want = [(0, 0), (1, 1), (1, 3), (1, 4)]
        if k is not None:
            want = [(0, 0), *[(1, j) for j in (1, 3, 4)][:k]]
        assert list(zip(pairs.ground.tolist(), pairs.satellite.tolist(), strict=True)) == want
    # Nothing above 31 degrees from the antimeridian point; no ground points; no satellites.
    pairs = cs.visible_pairs(ground, sat, 31.0)
    assert pairs.ground.tolist() == [0]
    assert cs.visible_pairs(np.zeros((0, 3)), sat, 25.0).ground.size == 0
    assert cs.visible_pairs(ground, np.zeros((0, 3)), 25.0, max_per_ground=3).ground.size == 0


def test_threads_argument_is_checked() -> None:
    with pytest.raises(ValueError, match="threads must be >= 1"):
        cs.visible_pairs([[R, 0.0, 0.0]], [[R + 550.0, 0.0, 0.0]], 25.0, threads=0)
