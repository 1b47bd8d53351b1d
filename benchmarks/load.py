"""Load test (issue 15, item 4; on demand, never in CI): a provincial officer's mix under N users.

The real server (`hoso serve`: gunicorn, not debug) on a scratch PostgreSQL database loaded by
`hoso synth --full`, driven by locust headless on loopback (benchmarks/load_mix.py: search
while typing 30 %, member list 20 %, dossier 20 %, case queue 10 %, case page 10 %, API list
10 %), for a bounded time. The same mix with one user is the baseline. Printed for each run:
requests per second, p50/p95/p99 per kind of request and overall, failures, and the CPU time
used by the server, PostgreSQL and locust (they share the machine's cores), per second of the
run.

Needs locust: `.venv/bin/pip install -e '.[bench]'`.

Usage: python benchmarks/load.py [--users 50] [--seconds 120] [--members 20000] [--keep NAME]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from common import children, data_dir, loaded, machine, serve

PASSWORD = secrets.token_urlsafe(16)  # the simulated officers' own, made each run
HERE = Path(__file__).resolve().parent
TICKS = os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--keep", default="")
    args = parser.parse_args()
    with loaded("load", args.keep, args.members, HOSO_WORKERS=str(args.workers)) as env:
        from hoso.people.models import Member

        people = data_dir() / "load-people.json"
        people.write_text(json.dumps(_officers(max(args.users, 1))), encoding="utf-8")
        log = (data_dir() / "load.log").open("ab")
        server, base = serve(env, log)
        try:
            print(f"machine: {machine()}")
            print(f"members {Member.objects.count():,}; {args.seconds} s per run")
            runs = [(1, _run(base, people, 1, args.seconds, server.pid))]
            runs.append((args.users, _run(base, people, args.users, args.seconds, server.pid)))
            _report(runs)
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()


def _officers(count: int) -> list[dict[str, Any]]:
    """Officers of the provinces (one grant each, round the provinces), each with names to
    type, members and cases of their scope to open."""
    from hoso.access.models import Grant, User
    from hoso.orgs.models import Level, Organization
    from hoso.people.models import Member
    from hoso.vetting.models import Case

    provinces = list(Organization.objects.filter(level=Level.PROVINCIAL).order_by("path"))
    found = []
    for index in range(count):
        province = provinces[index % len(provinces)]
        name = f"load_officer_{index}_{secrets.token_hex(2)}"
        user = User.objects.create_user(name, password=PASSWORD, clearance=1)
        Grant.objects.create(user=user, organization=province, role="officer")
        here = Member.objects.filter(org_path__startswith=province.path)
        cases = Case.objects.visible_to(user)  # a restricted case of another team: not found
        found.append({
            "username": name,
            "password": PASSWORD,
            "names": list(here.values_list("person__given_name", flat=True)[:30]),
            "members": list(here.values_list("pk", flat=True)[:300]),
            "cases": list(cases.values_list("pk", flat=True)[:100]),
        })  # fmt: skip
    return found


def _cpu_seconds(root: int) -> float:
    """CPU time of a process and of its children, the live ones and those it has reaped
    (PostgreSQL's backends, one per connection, come and go)."""
    total = 0
    for pid in (root, *children(root)):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
        if pid == root:
            total += int(fields[13]) + int(fields[14])  # cutime, cstime: children reaped
    return total / TICKS


def _postmaster() -> int:
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                comm = (entry / "comm").read_text().strip()
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            if comm == "postgres" and parent == 1:
                return int(entry.name)
    raise SystemExit("no PostgreSQL server process found")


def _run(base: str, people: Path, users: int, seconds: int, server: int) -> dict[str, Any]:
    prefix = people.parent / f"load-{users}"
    command = [
        sys.executable, "-m", "locust", "-f", str(HERE / "load_mix.py"), "--headless",
        "--host", base, "-u", str(users), "-r", str(max(1, users // 5)), "-t", f"{seconds}s",
        "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    database = _postmaster()
    before = _cpu_seconds(server), _cpu_seconds(database)
    started = time.perf_counter()
    output = open(f"{prefix}.log", "wb")  # noqa: SIM115 (closed below) locust's own summary
    locust = subprocess.Popen(command, env={**os.environ, "HOSO_LOAD_PEOPLE": str(people)},
                              stdout=output, stderr=subprocess.STDOUT)  # fmt: skip
    # locust's own CPU, read just before it exits (its children, if any, included).
    own = 0.0
    while locust.poll() is None:
        own = _cpu_seconds(locust.pid) or own
        time.sleep(0.5)
    wall = time.perf_counter() - started
    output.close()
    after = _cpu_seconds(server), _cpu_seconds(database)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    return {
        "rows": rows,
        "cpu": {"server": after[0] - before[0], "postgres": after[1] - before[1],
                "locust": own},
        "wall": wall,
    }  # fmt: skip


def _report(runs: list[tuple[int, dict[str, Any]]]) -> None:
    (_, one), (users, many) = runs
    total_one, total_many = one["rows"]["Aggregated"], many["rows"]["Aggregated"]
    rate_one, rate_many = float(total_one["Requests/s"]), float(total_many["Requests/s"])
    print(f"{users} users: {rate_many:8.1f} req/s   baseline (1 user) {rate_one:8.1f} req/s   "
          f"ratio {rate_many / rate_one:5.2f}")  # fmt: skip
    for label in ("50%", "95%", "99%"):
        mine, base = float(total_many[label]), float(total_one[label])
        print(f"  all requests p{label[:-1]:<3} {mine:8.0f} ms   baseline (1 user) {base:8.0f} ms"
              f"   ratio {mine / base if base else 0:5.2f}")  # fmt: skip
    print(f"  failures {total_many['Failure Count']} of {total_many['Request Count']} "
          f"(1 user: {total_one['Failure Count']} of {total_one['Request Count']})")
    print(f"  {'kind':<22}{'n':>7}{'p50':>8}{'p95':>8}{'p99':>8}   1 user: p50  p95")
    for name, row in sorted(many["rows"].items()):
        if name == "Aggregated":
            continue
        alone = one["rows"].get(name, {})
        print(f"  {name:<22}{row['Request Count']:>7}{row['50%']:>8}{row['95%']:>8}"
              f"{row['99%']:>8}   {alone.get('50%', '-'):>10} {alone.get('95%', '-'):>4}")
    for label, run in (("1 user", one), (f"{users} users", many)):
        cpu = run["cpu"]
        share = ", ".join(f"{k} {v / run['wall']:.2f}" for k, v in cpu.items())
        print(f"  CPU seconds per second, {label}: {share} (of 2 cores)")


if __name__ == "__main__":
    main()
