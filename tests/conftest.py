"""Shared test configuration: the hypothesis profiles and the fixtures used by more than one
test module (the one home of each; oracles live in the oracles package, strategies in
strategies.py).

Hypothesis: ``ci`` (the default) keeps the suite within CI's time; ``thorough`` runs many more
examples: ``pytest --hypothesis-profile=thorough``.
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

from .scenario_files import write_scenario

if TYPE_CHECKING:
    from routecore.scenario import Network

# A shell without job control starts background commands with SIGINT ignored, and every child
# inherits that: the Ctrl-C tests (which send SIGINT to subprocesses) would then see no signal.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile("ci")


# ------------------------------------------------------------------------------ scenarios
@pytest.fixture(scope="session")
def net() -> Network:
    """The shipped central-asia scenario, loaded once per run (tests only read it)."""
    from routecore.scenario import load_scenario

    return load_scenario("central-asia")


@pytest.fixture(scope="session")
def thin_schools(net: Network) -> Callable[[int], Network]:
    """``thin_schools(k)``: the scenario with every k-th school only (every other node kept),
    so the satellite analyses run in seconds; one network per k for the whole run."""
    from routecore.scenario import Network

    made: dict[int, Network] = {}

    def thin(step: int) -> Network:
        if step not in made:
            nodes = net.nodes
            school = nodes["kind"] == "terminal"
            keep = ~school | (np.arange(len(nodes)) % step == 0)
            made[step] = Network(nodes[keep].reset_index(drop=True), net.links, net.meta)
        return made[step]

    return thin


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """The four-node scenario of :mod:`tests.scenario_files`, written to a fresh folder."""
    return write_scenario(tmp_path / "tiny")
