"""Settings for the test suite: production settings, minus HTTPS redirects and slow hashing."""

import os
import secrets
import tempfile
from pathlib import Path

os.environ.setdefault("HOSO_SECRET_KEY", secrets.token_urlsafe(64))
os.environ.setdefault("HOSO_HTTPS", "0")

from hoso.config.settings import *  # noqa: F403

# Hashing strength is not under test; a fast hasher keeps hundreds of logins cheap.
# No collectstatic before tests: serve from the app folders as in development.
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # type: ignore[assignment] # nothing collected: whitenoise serves through the finders
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The audit chain's keys of this run only (a test that rotates keys uses a directory of its
# own): keys left by an earlier run would be keys this run's chain never introduced.
HOSO_AUDIT_KEY_DIR = Path(tempfile.mkdtemp(prefix="hoso-audit-keys-"))
HOSO_AUDIT_ANCHOR_FILE = HOSO_AUDIT_KEY_DIR.parent / f"{HOSO_AUDIT_KEY_DIR.name}-anchors.jsonl"
HOSO_FIELD_KEY_DIR = Path(tempfile.mkdtemp(prefix="hoso-field-keys-"))
# The tests run at any hour and on any day: the after-hours rule would flag the reads of every
# test whose worker pass scans them. Its tests set the threshold (and the calendar) they need.
FLAG_AFTER_HOURS_READS = 10**9
