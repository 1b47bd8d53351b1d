"""Soak (issue 14, item 8; on demand, never in CI): N users for M minutes on loopback.

The real server (`hoso serve`, gunicorn, not debug) and the real worker (`hoso worker`) on a
scratch PostgreSQL database loaded by `hoso synth --full`. Each simulated user signs in through
the login form, then opens pages as an officer would, with a think time between them: the
home page, the member list and its search, a dossier of their scope, the case queues, the
notifications, the report (heads), and now and then a member export large enough to become a
background job for the worker. Printed: requests, errors (5xx or no answer; a 4xx other than
the expected is an error too), p50/p95 of the first and the last five minutes (the baseline
is the first: the ratio says whether the server slowed down), and the resident memory of the
worker and the server at the start and the end (the target: the worker grows under 10 %).

Usage: python benchmarks/soak.py [--minutes 60] [--users 50] [--members 20000] [--keep NAME]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import random
import re
import secrets
import statistics
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common import HOSO, children, data_dir, loaded, machine, serve

PASSWORD = secrets.token_urlsafe(16)  # the simulated users' own, made each run
WINDOW = 300.0  # seconds: the first and the last window are compared


@dataclass
class Sample:
    at: float
    page: str
    ms: float
    ok: bool


@dataclass
class Tally:
    samples: list[Sample] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample, error: str = "") -> None:
        with self.lock:
            self.samples.append(sample)
            if error:
                self.errors.append(error)


def _rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB (from /proc)."""
    pids = [pid, *children(pid)]
    total = 0
    for one in pids:
        try:
            status = Path(f"/proc/{one}/status").read_text()
        except OSError:
            continue
        found = re.search(r"VmRSS:\s+(\d+) kB", status)
        total += int(found.group(1)) if found else 0
    return total / 1024


def _people(users: int) -> list[dict[str, Any]]:
    """Users of the loaded tree: officers of communes and heads of provinces, each with the
    members of their scope to open."""
    from hoso.access.models import Grant, User
    from hoso.orgs.models import Level, Organization
    from hoso.people.models import Member

    communes = list(Organization.objects.filter(level=Level.UPPER_BASE).order_by("path"))
    provinces = list(Organization.objects.filter(level=Level.PROVINCIAL).order_by("path"))
    heads = max(1, users // 10)  # one user in ten heads a province, the others are officers
    places = [(communes[i % len(communes)], "officer") for i in range(users - heads)]
    places += [(provinces[i % len(provinces)], "head") for i in range(heads)]
    found = []
    for index, (org, role) in enumerate(places):
        name = f"soak_{role}_{index}_{secrets.token_hex(2)}"
        user = User.objects.create_user(name, password=PASSWORD, clearance=1)
        Grant.objects.create(user=user, organization=org, role=role)
        members_here = list(
            Member.objects.filter(org_path__startswith=org.path).values_list("pk", flat=True)[:200]
        )
        names = list(
            Member.objects.filter(org_path__startswith=org.path).values_list(
                "person__given_name", flat=True
            )[:20]
        )
        found.append({"username": name, "role": role, "members": members_here, "names": names})
    return found


class Browser:
    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with self.opener.open(self.base + path, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def login(self, username: str) -> None:
        status, page = self.get("/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert status == 200 and token, status
        fields = {"username": username, "password": PASSWORD}
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token.group(1).decode(), **fields}
        ).encode()
        login = self.base + "/login/"  # http://127.0.0.1: no other scheme
        request = urllib.request.Request(login, data=data, headers={"Referer": login})  # noqa: S310
        with self.opener.open(request, timeout=60) as response:
            assert response.status == 200 and b"/logout/" in response.read(), "not signed in"


def _pages(person: dict[str, Any]) -> list[tuple[str, str, int]]:
    """(kind, path, weight) of what this user opens."""
    pages = [
        ("home", "/", 3),
        ("member list", "/members/", 2),
        ("cases overdue", "/cases/?queue=overdue", 1),
        ("cases", "/cases/", 1),
        ("notifications", "/notifications/", 1),
    ]
    for name in person["names"][:5]:
        pages.append(("member search", "/members/?" + urllib.parse.urlencode({"q": name}), 1))
    for pk in random.sample(person["members"], min(6, len(person["members"]))):
        pages.append(("dossier", f"/members/{pk}/", 1))
    if person["role"] == "head":
        pages.append(("report", "/reports/", 1))
        pages.append(("member export", "/members/export.xlsx", 1))
    return pages


def _user(base: str, person: dict[str, Any], until: float, think: float, tally: Tally) -> None:
    browser = Browser(base)
    browser.login(person["username"])
    pages = _pages(person)
    kinds = [p for p in pages for _ in range(p[2])]
    while time.time() < until:
        kind, path, _weight = random.choice(kinds)
        started = time.perf_counter()
        try:
            status, _body = browser.get(path)
            error = "" if status in (200, 302) else f"{status} {path}"
        except OSError as exc:
            status, error = 0, f"no answer {path}: {exc}"
        ms = (time.perf_counter() - started) * 1000
        tally.add(Sample(time.time(), kind, ms, not error), error)
        time.sleep(random.expovariate(1 / think))


def _window(samples: list[Sample], start: float, end: float) -> tuple[float, float, int]:
    found = sorted(s.ms for s in samples if start <= s.at < end)
    if not found:
        return 0.0, 0.0, 0
    return statistics.median(found), found[max(0, int(len(found) * 0.95) - 1)], len(found)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=60)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--think", type=float, default=5.0, help="mean seconds between pages")
    parser.add_argument("--keep", default="")
    args = parser.parse_args()
    with loaded("soak", args.keep, args.members, HOSO_EXPORT_BACKGROUND_ROWS="500") as env:
        people = _people(args.users)
        log = (data_dir() / "soak.log").open("ab")  # the access log
        server, base = serve(env, log)
        work = [*HOSO, "worker", "--interval", "30"]
        worker = subprocess.Popen(work, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _soak(args, people, base, server.pid, worker.pid)
        finally:
            for process in (server, worker):
                process.terminate()
                process.wait(timeout=30)
            log.close()


def _soak(args: Any, people: list[dict[str, Any]], base: str, server: int, worker: int) -> None:
    print(f"machine: {machine()}")
    print(f"{len(people)} users, {args.minutes:g} min, think time {args.think:g} s")
    started = time.time()
    until = started + args.minutes * 60
    tally = Tally()
    threads = [
        threading.Thread(target=_user, args=(base, p, until, args.think, tally), daemon=True)
        for p in people
    ]
    for thread in threads:
        thread.start()
    time.sleep(min(60.0, args.minutes * 60 / 4))  # signed in and warm: the starting memory
    memory = [(_rss_mb(worker), _rss_mb(server))]
    while time.time() < until:
        time.sleep(min(30.0, max(0.0, until - time.time())))
        memory.append((_rss_mb(worker), _rss_mb(server)))
    for thread in threads:
        thread.join(timeout=120)
    _report(tally, started, until, memory)


def _report(tally: Tally, started: float, until: float, memory: list[tuple[float, float]]) -> None:
    window = min(WINDOW, (until - started) / 3)
    first = _window(tally.samples, started, started + window)
    last = _window(tally.samples, until - window, until)
    print(f"requests {len(tally.samples):,}, errors {len(tally.errors)}")
    for error in sorted(set(tally.errors))[:10]:
        print(f"  error: {error}")
    for label, index in (("p50", 0), ("p95", 1)):
        ratio = last[index] / first[index] if first[index] else 0.0
        print(
            f"all pages {label}, last {window:.0f} s {last[index]:9.2f} ms   baseline (first "
            f"{window:.0f} s) {first[index]:9.2f} ms   ratio {ratio:5.2f}"
        )
    for kind in sorted({s.page for s in tally.samples}):
        mine = [s for s in tally.samples if s.page == kind]
        p50, p95, n = _window(mine, started, until)
        print(f"  {kind:<16} n {n:6,}  p50 {p50:8.2f} ms  p95 {p95:8.2f} ms")
    (worker0, server0), (worker1, server1) = memory[0], memory[-1]
    print(
        f"worker resident {worker1:8.1f} MB   baseline (start) {worker0:8.1f} MB   ratio "
        f"{worker1 / worker0:5.2f}   (largest {max(w for w, _ in memory):.1f} MB)"
    )
    print(
        f"server resident {server1:8.1f} MB   baseline (start) {server0:8.1f} MB   ratio "
        f"{server1 / server0:5.2f}"
    )


if __name__ == "__main__":
    main()
