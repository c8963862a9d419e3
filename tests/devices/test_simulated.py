"""The simulated plug: one state on disk that every process and thread agrees on."""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from skill.devices import Source
from skill.devices.plug import DriverContext
from tests.devices.helpers import budget, plug


def test_state_persists_across_plug_instances(context):
    plug("simulated", context).set_power(True, budget())
    again = plug("simulated", context).read(budget())  # e.g. the stand page's process
    assert again.is_confirmed(True) and again.source is Source.DEVICE


def test_untouched_device_reports_its_initial_state(context):
    assert plug("simulated", context).read(budget()).is_confirmed(False)
    assert plug("simulated", context, initially_on=True).read(budget()).is_confirmed(True)


def test_own_timer_switches_it_off_even_across_restarts(context):
    clock = [1_000_000.0]
    timed = DriverContext(data_dir=context.data_dir, wall=lambda: clock[0])
    state = plug("simulated", timed).set_power(True, budget(), auto_off_s=1800)
    assert state.off_at is not None and state.off_at.timestamp() == 1_000_000.0 + 1800
    clock[0] += 1799
    assert plug("simulated", timed).read(budget()).on is True
    clock[0] += 1
    assert plug("simulated", timed).read(budget()).on is False


def test_concurrent_threads_never_fail_or_lose_a_device(context):
    errors: list[Exception] = []

    def worker(n: int) -> None:
        p = plug("simulated", context, id=f"d{n}", name=f"device {n}")
        try:
            for i in range(30):
                p.set_power(i % 2 == 0, budget())
            p.set_power(True, budget())
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert all(plug("simulated", context, id=f"d{n}").read(budget()).on for n in range(8))


def _toggle_in_another_process(data_dir: str, n: int) -> bool:
    from tests.devices.helpers import budget, plug

    p = plug("simulated", DriverContext(data_dir=Path(data_dir)), id=f"p{n}", name=f"plug {n}")
    shared = plug("simulated", DriverContext(data_dir=Path(data_dir)), id="shared", name="shared")
    for i in range(20):
        p.set_power(i % 2 == 1, budget())
        shared.set_power(i % 2 == 1, budget())
    return p.read(budget()).on


def test_concurrent_processes_agree(context):
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=3, mp_context=spawn) as pool:
        results = list(pool.map(_toggle_in_another_process, [str(context.data_dir)] * 3, range(3)))
    assert results == [True, True, True]
    assert plug("simulated", context, id="shared").read(budget()).is_confirmed(True)
