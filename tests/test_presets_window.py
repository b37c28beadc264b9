"""Constellation presets for the uncertain readings, and the time-window check of the analyses."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable

import pytest

from routecore import constellation as cs
from routecore.analyses import gateway_siting, school_connectivity
from routecore.scenario import Network

MU = 398600.4418  # km^3/s^2 (WGS-84)
R = 6371.0088  # km


def kepler_period_s(altitude_km: float) -> float:
    return 2 * math.pi * math.sqrt((R + altitude_km) ** 3 / MU)


@pytest.fixture(scope="module")
def tiny_net(thin_schools: Callable[[int], Network]) -> Network:
    return thin_schools(100)  # 20 schools


# ------------------------------------------------------------------------------ presets
def test_presets_cover_both_readings_and_old_names_keep_theirs() -> None:
    assert set(cs.PRESETS) == {
        "starlink-shell1",
        "starlink-shell1-bent-pipe",
        "oneweb",
        "oneweb-55",
    }
    assert cs.STARLINK_SHELL1 is cs.STARLINK_SHELL1_LASER and cs.STARLINK_SHELL1.has_isl
    assert not cs.STARLINK_SHELL1_BENT_PIPE.has_isl
    assert cs.STARLINK_SHELL1_BENT_PIPE.shells == cs.STARLINK_SHELL1.shells
    assert cs.ONEWEB is cs.ONEWEB_35 and cs.ONEWEB.min_elevation_user_deg == 35.0
    assert cs.ONEWEB_55.min_elevation_user_deg == 55.0
    assert cs.ONEWEB_55.shells == cs.ONEWEB.shells
    # Each preset lists its own reading as an assumption, and only its own.
    for preset, mine, other in (
        (cs.STARLINK_SHELL1_LASER, "Laser reading", "Bent-pipe reading"),
        (cs.STARLINK_SHELL1_BENT_PIPE, "Bent-pipe reading", "Laser reading"),
        (cs.ONEWEB_35, "Minimum elevation 35 deg", "Minimum user elevation 55 deg"),
        (cs.ONEWEB_55, "Minimum user elevation 55 deg", "Minimum elevation 35 deg"),
    ):
        text = " ".join(preset.assumptions)
        assert mine in text and other not in text, preset.name
        assert any(a.startswith("[UNCERTAIN]") and mine in a for a in preset.assumptions)


def test_the_pessimistic_readings_never_connect_more(tiny_net: Network) -> None:
    times = [0.0, 1500.0, 3000.0]
    res = school_connectivity(tiny_net, dict(cs.PRESETS), times, policies=["home"])
    share = res.set_index(["constellation", "school"])["connected_share"]
    for better, worse in (
        ("starlink-shell1", "starlink-shell1-bent-pipe"),
        ("oneweb", "oneweb-55"),
    ):
        assert (share[worse] <= share[better] + 1e-12).all()


# ------------------------------------------------------------------------------ window
def test_window_and_slowest_period_against_kepler() -> None:
    assert cs.window_s([0.0]) == 0.0
    assert cs.window_s([0.0, 300.0, 600.0]) == 900.0
    slowest = max(kepler_period_s(c.shells[0].altitude_km) for c in cs.PRESETS.values())
    assert cs.slowest_period_s(cs.PRESETS.values()) == pytest.approx(slowest, rel=1e-12)
    assert slowest == pytest.approx(kepler_period_s(1200.0))  # OneWeb is the slowest


@pytest.mark.parametrize("analysis", ["schools", "siting"])
def test_analyses_warn_when_the_window_is_shorter_than_an_orbit(
    tiny_net: Network, analysis: str
) -> None:
    run = {
        "schools": lambda t: school_connectivity(tiny_net, {"o": cs.ONEWEB}, t),
        "siting": lambda t: gateway_siting(tiny_net, {"o": cs.ONEWEB}, t, mode="single"),
    }[analysis]
    period = kepler_period_s(1200.0)
    with pytest.warns(cs.ShortWindowWarning, match="shorter than one orbit of oneweb"):
        run([0.0, 0.4 * period])  # covers 0.8 orbit
    with warnings.catch_warnings():
        warnings.simplefilter("error", cs.ShortWindowWarning)
        run([0.0, 0.5 * period])  # covers exactly one orbit: no warning


def test_demo_default_window_is_a_day_and_many_orbits() -> None:
    import numpy as np

    from routecore.cli.demo import DEMO_PRESETS, DEMO_STEP_S, DEMO_STEPS

    times = np.arange(DEMO_STEPS) * DEMO_STEP_S
    assert cs.window_s(times) >= 86_400
    systems = [cs.PRESETS[name] for name in DEMO_PRESETS.values()]
    assert cs.window_s(times) >= 10 * max(kepler_period_s(c.shells[0].altitude_km) for c in systems)
    assert cs.window_note(systems, times) is None
