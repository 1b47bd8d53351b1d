"""Every domain app has the same file set, as NetBox's apps do, and the tests mirror the apps:
a reader who knows one app finds their way in any other."""

from __future__ import annotations

from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "hoso"
TESTS = Path(__file__).resolve().parent
DOMAIN_APPS = (
    "orgs",
    "workcal",
    "notices",
    "documents",
    "people",
    "vetting",
    "petitions",
    "travel",
    "cadres",
)
FILES = ("models", "actions", "views", "forms", "api", "urls")
WITH_WORKFLOW = ("people", "vetting", "petitions", "travel")
# What an app lacks on purpose, with the reason.
WITHOUT = {("notices", "forms"): "nothing is typed in: a user only marks notifications read"}


def _has(app: str, name: str) -> bool:
    return (SRC / app / f"{name}.py").exists() or (SRC / app / name / "__init__.py").exists()


def test_each_domain_app_has_the_file_set() -> None:
    missing = [
        f"{app}/{name}"
        for app in DOMAIN_APPS
        for name in FILES + (("transitions",) if app in WITH_WORKFLOW else ())
        if (app, name) not in WITHOUT and not _has(app, name)
    ]
    assert missing == []
    assert all(_has(app, name) is False for app, name in WITHOUT), "drop a filled exemption"


def test_the_tests_mirror_the_apps() -> None:
    apps = {p.parent.name for p in SRC.glob("*/apps.py")} | {"lib"}
    assert sorted(app for app in apps if not (TESTS / app).is_dir()) == []
