import os

import pytest


def pytest_configure(config):
    from django.conf import settings

    # Argon2 is the production hasher (settings.PASSWORD_HASHERS); tests log in often, so use a fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Background jobs run inside the request in tests (the demo and production use the database queue).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def pytest_sessionfinish(session, exitstatus):
    """In CI nothing may skip: a skipped test fails the run, naming what was missing."""
    if os.environ.get("CI") != "true":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"CI: {len(skipped)} test(s) skipped; in CI nothing may skip.", red=True)
        session.exitstatus = 1


@pytest.fixture
def world(db):
    from tests.factories import World

    return World()


@pytest.fixture
def client_for(client):
    """client_for(user) → a test client logged in as user (CSRF checks enforced)."""
    from django.test import Client

    def make(user):
        c = Client(enforce_csrf_checks=False)
        if user is not None:
            c.force_login(user)
        return c

    return make


@pytest.fixture(scope="session")
def seeds_dir():
    """../shared/seeds beside the checkout: the real plan documents (input data, never copied here)."""
    from pathlib import Path

    path = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
    if not path.is_dir():
        pytest.skip(f"the seed documents are not at {path} (../shared/seeds beside the checkout)")
    return path


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files (evidence) go to the test's own folder, never to the data folder."""
    settings.MEDIA_ROOT = tmp_path / "files"
