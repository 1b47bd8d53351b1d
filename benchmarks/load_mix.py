"""The locustfile of benchmarks/load.py: a provincial officer's mix of pages.

Each simulated user signs in through the login form as one of the officers load.py made
(`HOSO_LOAD_PEOPLE`: a JSON file of {username, password, names, members, cases}), then opens,
with no think time: the member search while typing (30 %: a name as typed so far, from two
letters to the whole), the member list (20 %), a dossier of their scope (20 %),
the case queue (10 %), a case page (10 %) and the API member list (10 %). Every request is
named by its kind, so locust's statistics are per kind.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from typing import Any

from locust import HttpUser, task

PEOPLE = json.loads(open(os.environ["HOSO_LOAD_PEOPLE"], encoding="utf-8").read())  # noqa: SIM115
TURNS = itertools.count()


class Officer(HttpUser):
    person: dict[str, Any]

    def on_start(self) -> None:
        self.person = PEOPLE[next(TURNS) % len(PEOPLE)]
        page = self.client.get("/login/", name="sign in").text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "no CSRF token on the sign-in page"
        fields = {"username": self.person["username"], "password": self.person["password"]}
        answer = self.client.post(
            "/login/",
            data={"csrfmiddlewaretoken": token.group(1), **fields},
            headers={"Referer": self.host + "/login/"},
            name="sign in",
        )
        assert "/logout/" in answer.text, f"{self.person['username']} not signed in"

    @task(30)
    def search_while_typing(self) -> None:
        # One keystroke's request: a name as far as it has been typed (two letters or more).
        name = random.choice(self.person["names"])
        typed = name[: random.randint(min(2, len(name)), len(name))]
        self.client.get("/members/", params={"q": typed}, name="search while typing")

    @task(20)
    def member_list(self) -> None:
        self.client.get("/members/", name="member list")

    @task(20)
    def dossier(self) -> None:
        self.client.get(f"/members/{random.choice(self.person['members'])}/", name="dossier")

    @task(10)
    def case_queue(self) -> None:
        self.client.get("/cases/", name="case queue")

    @task(10)
    def case_page(self) -> None:
        if self.person["cases"]:
            self.client.get(f"/cases/{random.choice(self.person['cases'])}/", name="case page")

    @task(10)
    def api_list(self) -> None:
        self.client.get("/api/v1/members/", name="API member list")
