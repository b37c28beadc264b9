"""The capacity map (routecore.plotting_capacity): the figure is drawn with its labelled colour
bars and legend, the values in the drawn artists are the analysis table's, and ``routecore
capacity --map`` writes it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from routecore import analyses
from routecore import constellation as cs
from routecore.plotting_capacity import (
    RATE_LABEL,
    SATURATION_LABEL,
    capacity_map,
    capacity_map_values,
)
from routecore.scenario import Network

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def result(net: Network) -> analyses.SchoolCapacity:
    # 200 Mbit/s per school: Akkol and Kokterek saturate under the home policy.
    return analyses.school_capacity(
        net,
        [cs.STARLINK_SHELL1, cs.ONEWEB],
        [0.0, 900.0],
        policies=("home", "any"),
        demand_mbps=200.0,
        latency=False,
    )


def _artist(fig, gid: str):  # type: ignore[no-untyped-def]
    (found,) = [c for c in fig.axes[0].collections if c.get_gid() == gid]
    return found


@pytest.mark.parametrize(("system", "policy"), [("starlink-shell1", "home"), ("oneweb", "any")])
def test_map_values_equal_the_analysis_tables(
    net: Network, result: analyses.SchoolCapacity, system: str, policy: str
) -> None:
    fig = capacity_map(net, result, constellation=system, policy=policy, dpi=50)
    schools = result.schools
    rows = schools[(schools["constellation"] == system) & (schools["policy"] == policy)]
    expect = rows.groupby("school")["fair_rate_mbps"].mean()
    dots = _artist(fig, "fair-share-rates")
    # Positions identify the schools: map each drawn dot back to its school.
    where = {
        (round(a, 6), round(b, 6)): i
        for i, a, b in zip(net.nodes["id"], net.nodes["lon"], net.nodes["lat"], strict=True)
    }
    drawn = {
        where[(round(x, 6), round(y, 6))]: v
        for (x, y), v in zip(dots.get_offsets(), dots.get_array(), strict=True)
    }
    positive = expect[expect > 0]
    assert drawn.keys() == set(positive.index)
    np.testing.assert_allclose([drawn[s] for s in positive.index], positive.to_numpy())
    # Gateways: the disc colours are the saturation (%) of the table, mean over the steps.
    gw = result.gateways
    gw = gw[(gw["constellation"] == system) & (gw["policy"] == policy)]
    mean = gw.groupby("gateway")[["carried_gbps", "capacity_gbps"]].mean()
    open_ = mean[mean["capacity_gbps"] > 0]
    discs = _artist(fig, "gateway-saturation")
    got = {
        where[(round(x, 6), round(y, 6))]: v
        for (x, y), v in zip(discs.get_offsets(), discs.get_array(), strict=True)
    }
    assert got.keys() == set(open_.index)
    np.testing.assert_allclose(
        [got[g] for g in open_.index],
        100 * open_["carried_gbps"] / open_["capacity_gbps"],
        rtol=1e-12,
    )
    if policy == "home":  # the in-country gateways are the bottleneck: full
        assert got["kokterek"] == pytest.approx(100.0) and got["akkol"] == pytest.approx(100.0)
    _, _, rates, gateways = capacity_map_values(result, system, policy)
    assert rates.to_dict() == pytest.approx(expect.to_dict())
    assert set(gateways.index) == set(mean.index)


def test_map_has_labelled_colour_bars_and_legend(
    net: Network, result: analyses.SchoolCapacity, tmp_path: Path
) -> None:
    path = tmp_path / "capacity.png"
    fig = capacity_map(net, result, path=path, dpi=50)
    assert path.read_bytes().startswith(PNG_MAGIC)
    bars = [a.get_ylabel() for a in fig.axes[1:]]
    assert any(RATE_LABEL in b for b in bars) and SATURATION_LABEL in bars
    legend = fig.axes[0].get_legend()
    labels = [t.get_text() for t in legend.get_texts()]
    assert f"School: {RATE_LABEL}" in labels
    assert "Gateway: carried / capacity (one maximum flow)" in labels
    assert "Gateway closed by the policy" in labels  # home closes the foreign gateways
    title = fig.axes[0].get_title(loc="left")
    assert "starlink-shell1, in-country gateways (mean over 2 time steps)" in title
    texts = {t.get_gid(): t.get_text() for t in fig.axes[0].texts if t.get_gid()}
    assert texts["gateway-label-kokterek"] == "160 / 160 Gbit/s"


def test_map_refuses_an_unknown_system(result: analyses.SchoolCapacity, net: Network) -> None:
    with pytest.raises(ValueError, match="no rows for constellation 'nosuch'"):
        capacity_map(net, result, constellation="nosuch")


def test_cli_capacity_map(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from routecore.cli import main

    out = tmp_path / "maps" / "capacity.png"
    argv = ["capacity", "--steps", "1", "-c", "oneweb", "--policy", "home", "--map", str(out)]
    assert main(argv) == 0
    assert out.read_bytes().startswith(PNG_MAGIC)
    assert f"wrote {out}" in capsys.readouterr().out
    assert main([*argv[:-1], str(tmp_path / "capacity.txt")]) == 2
    assert "--map" in capsys.readouterr().err
