"""`make test`: run the whole suite on SQLite, then on PostgreSQL.

PostgreSQL: $DATABASE_URL if it names a postgres database; otherwise a throwaway cluster started here
with initdb/pg_ctl in a temporary folder (UTF-8 locale) when the server binaries are installed;
otherwise that run is skipped with the reason — except in CI (CI=true), where that is a failure.
Arguments are passed to pytest.
"""

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTEST = [sys.executable, "-m", "pytest"]


def banner(text: str) -> None:
    print(f"\n{'=' * 20} {text} {'=' * 20}", flush=True)


def run_pytest(env: dict, args: list[str]) -> int:
    return subprocess.call([*PYTEST, *args], cwd=ROOT, env=env)


def pg_binaries() -> Path | None:
    for candidate in [os.path.dirname(shutil.which("pg_ctl") or ""), *sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]:
        if candidate and os.path.exists(os.path.join(candidate, "initdb")) and os.path.exists(
            os.path.join(candidate, "pg_ctl")
        ) and os.path.exists(os.path.join(candidate, "postgres")):
            return Path(candidate)
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ThrowawayCluster:
    """A PostgreSQL cluster in a temporary folder, stopped and removed afterwards."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.dir = Path(tempfile.mkdtemp(prefix="civicplan-pg-"))
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root: run the cluster as the postgres user
            if shutil.which("runuser") is None:
                raise RuntimeError("running as root and runuser is missing")
            subprocess.run(["id", "postgres"], check=True, capture_output=True)
            shutil.chown(self.dir, "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *cmd: str) -> None:
        subprocess.run([*self.as_user, *cmd], check=True, capture_output=True, text=True)

    def start(self) -> str:
        data = self.dir / "data"
        self._run(str(self.bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(data), "-l", str(self.dir / "log"), "-w", "-o",
                  f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate", "stop")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


def main(args: list[str]) -> int:
    in_ci = os.environ.get("CI") == "true"
    base = dict(os.environ)
    data_dir = Path(tempfile.mkdtemp(prefix="civicplan-test-data-"))
    base["CIVICPLAN_DATA_DIR"] = str(data_dir)
    given_url = base.pop("DATABASE_URL", "")

    banner("tests on SQLite")
    status_sqlite = run_pytest({**base}, args)

    banner("tests on PostgreSQL")
    cluster = None
    if given_url.startswith(("postgres://", "postgresql://")):
        url = given_url
        print(f"using DATABASE_URL ({url.split('@')[-1]})", flush=True)
    else:
        bindir = pg_binaries()
        if bindir is None:
            reason = "PostgreSQL run skipped: no DATABASE_URL and no PostgreSQL server binaries (initdb, pg_ctl)"
            print(reason, flush=True)
            shutil.rmtree(data_dir, ignore_errors=True)
            return 1 if in_ci or status_sqlite else 0
        cluster = ThrowawayCluster(bindir)
        try:
            url = cluster.start()
        except (subprocess.CalledProcessError, RuntimeError) as error:
            detail = getattr(error, "stderr", "") or str(error)
            print(f"PostgreSQL run skipped: could not start a throwaway cluster with {bindir}: {detail}", flush=True)
            cluster.stop()
            shutil.rmtree(data_dir, ignore_errors=True)
            return 1 if in_ci or status_sqlite else 0
        print(f"throwaway cluster on port {cluster.port} ({bindir})", flush=True)
    try:
        status_pg = run_pytest({**base, "DATABASE_URL": url}, args)
    finally:
        if cluster:
            cluster.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
    banner(f"SQLite: {'passed' if status_sqlite == 0 else 'FAILED'} · PostgreSQL: {'passed' if status_pg == 0 else 'FAILED'}")
    return 1 if (status_sqlite or status_pg) else 0


if __name__ == "__main__":
    start = time.time()
    code = main(sys.argv[1:])
    print(f"(make test took {time.time() - start:.0f} s)")
    sys.exit(code)
