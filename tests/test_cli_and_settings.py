"""The `civicplan` console script works from any folder; DATABASE_URL and the SQLite settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

CIVICPLAN = Path(sys.executable).with_name("civicplan")


def _run(args, cwd, **env):
    full_env = {**os.environ, **env}
    return subprocess.run([str(CIVICPLAN), *args], cwd=cwd, env=full_env, capture_output=True, text=True,
                          timeout=120)


def test_console_script_runs_management_commands_from_any_folder(tmp_path):
    data = tmp_path / "data"
    env = {"CIVICPLAN_DATA_DIR": str(data)}
    env_no_url = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run([str(CIVICPLAN), "migrate", "--noinput"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=300, env={**env_no_url, **env})
    assert result.returncode == 0, result.stderr
    assert (data / "civicplan.sqlite3").exists(), "the database lives in the data folder, not the working folder"
    assert (data / "secret_key").exists()
    shown = subprocess.run([str(CIVICPLAN), "showmigrations", "plans"], cwd="/", capture_output=True, text=True,
                           timeout=120, env={**env_no_url, **env})
    assert "[X] 0001_initial" in shown.stdout


def test_database_url_selects_another_sqlite_file(tmp_path):
    other = tmp_path / "other.sqlite3"
    env_no_url = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    code = ("from django.conf import settings; d = settings.DATABASES['default']; "
            "print(d['NAME'], d['OPTIONS']['transaction_mode'])")
    result = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], capture_output=True,
                            text=True, env={**env_no_url, "DATABASE_URL": f"sqlite:///{other}",
                                            "CIVICPLAN_DATA_DIR": str(tmp_path / "d"),
                                            "DJANGO_SETTINGS_MODULE": "civicplan.settings"})
    assert result.stdout.split() == [str(other), "IMMEDIATE"], result.stderr


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout():
    if connection.vendor != "sqlite":
        assert connection.vendor == "postgresql"
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_encoding")
            assert cursor.fetchone()[0] == "UTF8"
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000
