"""`hoso worker` runs the job queue beside the due items, in one process, and stops cleanly."""

from __future__ import annotations

import signal
from typing import Any

import pytest
from django.core.management import call_command

from hoso.jobs import actions
from hoso.jobs.models import Job, State
from hoso.notices.management.commands import worker
from tests.conftest import Personas
from tests.jobs import samples
from tests.jobs.helpers import work


@pytest.fixture
def handlers() -> Any:
    """The signal handlers before the test: the command must put them back."""
    before = {number: signal.getsignal(number) for number in worker.SIGNALS}
    yield before
    for number, handler in before.items():
        signal.signal(number, handler)


def test_one_pass_does_the_due_items_and_the_jobs(personas: Personas) -> None:
    job = actions.start(personas.clerk_a, samples.count, title="Đếm", n=2)
    out = work()
    assert "claimed 0, notifications 0" in out and "jobs run 1" in out
    assert Job.objects.get(pk=job.pk).state == State.DONE


def test_sigterm_while_waiting_stops_at_once(
    personas: Personas, monkeypatch: Any, handlers: Any, capsys: Any
) -> None:
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:  # the signal arrives while the worker waits
        sleeps.append(seconds)
        signal.raise_signal(signal.SIGTERM)
        raise AssertionError("the worker slept on after SIGTERM")

    monkeypatch.setattr(worker.time, "sleep", sleep)
    call_command("worker", "--poll", "5")
    assert len(sleeps) == 1 and sleeps[0] <= 5
    assert "stopped" in capsys.readouterr().out
    assert {n: signal.getsignal(n) for n in worker.SIGNALS} == handlers


def test_sigterm_during_a_job_lets_it_finish_then_stops(
    personas: Personas, monkeypatch: Any, handlers: Any
) -> None:
    first = actions.start(personas.clerk_a, samples.stopped_meanwhile, title="Dài")
    second = actions.start(personas.clerk_a, samples.count, title="Sau", n=1)
    monkeypatch.setattr(worker.time, "sleep", lambda s: pytest.fail("slept after SIGTERM"))
    call_command("worker")  # not --once: only the signal ends it
    assert Job.objects.get(pk=first.pk).state == State.DONE  # the job under way finished
    assert Job.objects.get(pk=second.pk).state == State.QUEUED  # the next one waits
    assert {n: signal.getsignal(n) for n in worker.SIGNALS} == handlers


def test_a_second_signal_is_left_to_end_the_process(handlers: Any) -> None:
    """After the first signal the default handlers are back: a stuck job can still be ended."""
    stopper = worker.Stopper()
    with stopper.installed():
        stopper(signal.SIGTERM, None)
        assert stopper.stopping
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
    assert {n: signal.getsignal(n) for n in worker.SIGNALS} == handlers


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_run_a_job_twice(transactional_db: Any, personas: Personas) -> None:
    """Two worker processes drain one queue: each task is claimed by one of them (the
    package's row lock, SKIP LOCKED on PostgreSQL; an exclusive transaction on SQLite)."""
    import threading

    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from hoso.jobs import queue

    jobs = [
        actions.start(owner, samples.count, title="Đếm", n=2)
        for owner in (personas.clerk_a, personas.officer_a)
        for _ in range(4)
    ]
    start, errors, ran = threading.Barrier(2), [], []

    def drain(name: str) -> None:
        try:
            start.wait()
            ran.append(queue.run_ready(name))
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=drain, args=(f"w{i}",)) for i in range(2)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    assert not errors, errors
    assert sum(ran) == len(jobs)
    assert all(len(t.worker_ids) == 1 for t in DBTaskResult.objects.all())
    assert set(Job.objects.values_list("state", flat=True)) == {State.DONE}
