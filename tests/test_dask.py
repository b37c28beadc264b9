"""The sweeps on other processes: a real Dask ``LocalCluster`` (two worker processes, one
thread each, loopback only, no dashboard) and a ``ProcessPoolExecutor``; every table must
equal the local run exactly, order included."""

from __future__ import annotations

import json
import logging
import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import dask
import numpy as np
import pandas as pd
import pytest
from distributed import Client, LocalCluster, get_task_stream

from routecore import constellation as cs
from routecore.analyses import failure_sweep, gateway_siting, school_connectivity
from routecore.scenario import Network

TIMES = np.arange(8) * 450.0
SYSTEMS = {"starlink": cs.STARLINK_SHELL1, "oneweb": cs.ONEWEB}


@pytest.fixture(scope="module")
def small_net(thin_schools: Callable[[int], Network]) -> Network:
    """Every 10th school (200 schools)."""
    return thin_schools(10)


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    cluster = LocalCluster(
        n_workers=2,
        processes=True,
        threads_per_worker=1,
        host="127.0.0.1",
        dashboard_address=None,
        worker_dashboard_address=None,
        silence_logs=logging.ERROR,
    )
    dask_client = Client(cluster)
    try:
        yield dask_client
    finally:
        dask_client.close()
        cluster.close()


@pytest.fixture(scope="module")
def pool() -> Iterator[ProcessPoolExecutor]:
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as executor:
        yield executor


def _ran_on_the_cluster(stream: Any) -> set[str]:
    """Names of the functions the cluster's workers ran (task keys are "name-<uuid>")."""
    return {str(task["key"]).split("-", 1)[0] for task in stream.data}


def test_failure_sweep_on_a_dask_cluster_equals_the_local_run(net: Network, client: Client) -> None:
    local = failure_sweep(net, pairs=True)
    with get_task_stream(client) as stream:
        remote = failure_sweep(net, pairs=True, executor=client)
    assert _ran_on_the_cluster(stream) == {"_failure_chunk"}
    pd.testing.assert_frame_equal(remote, local)
    assert remote.attrs == local.attrs
    seen: list[int] = []
    avoid = failure_sweep(
        net,
        avoid_countries=["RU"],
        executor=client,
        chunk_size=5,
        progress=lambda d, t: seen.append(d),
    )
    pd.testing.assert_frame_equal(avoid, failure_sweep(net, avoid_countries=["RU"]))
    assert sorted(seen) == seen and seen[-1] == 35


def test_school_sweep_on_a_dask_cluster_equals_the_local_run(
    small_net: Network, client: Client
) -> None:
    local = school_connectivity(small_net, SYSTEMS, TIMES, policies=("home", "any", "abroad"))
    with get_task_stream(client) as stream:
        remote = school_connectivity(
            small_net, SYSTEMS, TIMES, policies=("home", "any", "abroad"), executor=client
        )
    assert _ran_on_the_cluster(stream) == {"_policy_chunk"}
    pd.testing.assert_frame_equal(remote, local)
    assert not remote.attrs["partial"]
    with get_task_stream(client) as stream:
        siting = gateway_siting(small_net, SYSTEMS, TIMES[:4], mode="added", executor=client)
    assert _ran_on_the_cluster(stream) == {"_siting_chunk"}
    pd.testing.assert_frame_equal(
        siting, gateway_siting(small_net, SYSTEMS, TIMES[:4], mode="added")
    )


def test_sweeps_on_a_process_pool_equal_the_local_run(
    net: Network, small_net: Network, pool: ProcessPoolExecutor
) -> None:
    pd.testing.assert_frame_equal(
        failure_sweep(net, pairs=True, executor=pool), failure_sweep(net, pairs=True)
    )
    pd.testing.assert_frame_equal(
        school_connectivity(small_net, SYSTEMS, TIMES, executor=pool, chunk_size=3),
        school_connectivity(small_net, SYSTEMS, TIMES),
    )


def test_demo_on_a_dask_scheduler_address_equals_the_local_demo(
    client: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the README shows: ``routecore demo --scheduler ADDRESS``."""
    from routecore.cli import main

    address = client.scheduler.address
    args = ["demo", "--steps", "2", "--step-s", "900", "--json", "--out"]
    assert main([*args, str(tmp_path / "remote"), "--scheduler", address]) == 0
    remote = json.loads(capsys.readouterr().out)
    assert main([*args, str(tmp_path / "local")]) == 0
    local = json.loads(capsys.readouterr().out)
    for key in ("transit", "failure_sweep", "schools", "gateway_siting"):
        assert remote[key] == local[key], key
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        assert main(["demo", "--steps", "1", "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert "cannot reach the Dask scheduler" in capsys.readouterr().err


def test_school_capacity_on_dask_and_a_process_pool_equals_the_local_run(
    small_net: Network, client: Client, pool: ProcessPoolExecutor
) -> None:
    """issue 12: the capacity sweep runs where the other sweeps run, with identical tables."""
    from routecore.analyses import school_capacity

    times = TIMES[:3]
    local = school_capacity(small_net, SYSTEMS, times, policies=("home", "any", "abroad"))
    with get_task_stream(client) as stream:
        remote = school_capacity(
            small_net, SYSTEMS, times, policies=("home", "any", "abroad"), executor=client
        )
    assert _ran_on_the_cluster(stream) == {"_capacity_chunk"}
    pooled = school_capacity(
        small_net, SYSTEMS, times, policies=("home", "any", "abroad"), executor=pool
    )
    for other in (remote, pooled):
        for name in ("summary", "steps", "schools"):
            pd.testing.assert_frame_equal(getattr(other, name), getattr(local, name))
        assert not other.partial
