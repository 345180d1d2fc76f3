"""Set up and run OpenPRM, or run its whole test suite, from a machine with only Python 3.11.

    python3.11 tools/dev.py start   # virtualenv, migrations, demo data, web server and worker
    python3.11 tools/dev.py test    # lint, types, and the suite on SQLite and PostgreSQL

OPENPRM_TEST_POSTGRES_URL names the PostgreSQL database of the test run (default: the server
on 127.0.0.1:5432, else a throwaway cluster).

Only the standard library is used here: this script is what creates the virtualenv.
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
PYTHON = BIN / "python"
STAMP = VENV / ".openprm-installed"
CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PG_DEFAULT = ("127.0.0.1", 5432)


def run(*args: str | Path, env: dict[str, str] | None = None, check: bool = True) -> int:
    print("$", " ".join(str(a) for a in args), flush=True)
    return subprocess.run([str(a) for a in args], cwd=ROOT, env=env, check=check).returncode


def install() -> None:
    """A virtualenv with the pinned dependencies; redone only when the pins change."""
    wanted = (ROOT / "constraints.txt").read_text() + (ROOT / "pyproject.toml").read_text()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not PYTHON.exists():
        run(sys.executable, "-m", "venv", VENV)
    run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip==26.3")
    run(
        PYTHON, "-m", "pip", "install", "--quiet",
        "-c", ROOT / "constraints.txt", "-e", f"{ROOT}[dev]",
    )  # fmt: skip
    STAMP.write_text(wanted)


def dev_environment() -> dict[str, str]:
    """The demo sends dozens of notification emails: without a mail server of the user's own,
    they go to files under the var folder instead of burying the server's lines."""
    env = dict(os.environ)
    if not env.get("EMAIL_HOST") and not env.get("EMAIL_BACKEND"):
        var = Path(env.get("OPENPRM_VAR_DIR", ROOT / "var")).resolve()
        env["EMAIL_BACKEND"] = "django.core.mail.backends.filebased.EmailBackend"
        env["EMAIL_FILE_PATH"] = str(var / "mail")
    return env


def stop_on_signals() -> None:
    """Ctrl-C and SIGTERM stop the start, even when it was started in the background, where
    the shell sets SIGINT to be ignored."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


def wait_until_listening(args: argparse.Namespace, serve: subprocess.Popen) -> None:
    while serve.poll() is None and not port_answers(args.host, args.port):
        time.sleep(0.2)
    if serve.poll() is None:
        print(f"\nOpenPRM is listening at http://{args.host}:{args.port}/ (Ctrl-C stops it).")
        print("Sign in as admin@northwind.example with the password openprm-demo.", flush=True)


def start(args: argparse.Namespace) -> None:
    stop_on_signals()
    install()
    openprm = BIN / "openprm"
    env = dev_environment()
    run(openprm, "migrate", env=env)
    run(openprm, "demo", env=env)
    if "EMAIL_FILE_PATH" in env:
        print(f"Emails are written to files in {env['EMAIL_FILE_PATH']}.", flush=True)
    serve = subprocess.Popen(
        [openprm, "serve", "--host", args.host, "--port", str(args.port)], env=env
    )
    worker = subprocess.Popen([openprm, "worker"], env=env)
    try:
        wait_until_listening(args, serve)
        while serve.poll() is None and worker.poll() is None:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for process in (serve, worker):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in (serve, worker):
            process.wait(timeout=30)


def port_answers(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((host, port)) == 0


def postgres_bindir() -> Path | None:
    pg_config = shutil.which("pg_config")
    if pg_config:
        bindir = Path(subprocess.check_output([pg_config, "--bindir"], text=True).strip())
        if (bindir / "initdb").exists():
            return bindir
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    return candidates[0].parent if candidates else None


def throwaway_postgres() -> tuple[str, subprocess.Popen | None, Path | None]:
    """A cluster of our own on a free port, run as the postgres user when we are root."""
    bindir = postgres_bindir()
    if bindir is None and os.geteuid() == 0 and shutil.which("apt-get"):
        run("apt-get", "update", "-qq")
        run("apt-get", "install", "-y", "-qq", "postgresql")
        bindir = postgres_bindir()
    if bindir is None:
        return "", None, None
    datadir = Path(tempfile.mkdtemp(prefix="openprm-pg-"))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    prefix: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(datadir, "postgres", "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    subprocess.run([*prefix, bindir / "initdb", "-D", datadir, "-U", "postgres",
                    "--auth=trust"], check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {datadir} -c fsync=off"
    subprocess.run([*prefix, bindir / "pg_ctl", "-D", datadir, "-o", options, "-w",
                    "-l", datadir / "log", "start"], check=True)  # fmt: skip
    return f"postgres://postgres@127.0.0.1:{port}/openprm", None, datadir


def stop_throwaway(datadir: Path | None) -> None:
    bindir = postgres_bindir()
    if datadir is None or bindir is None:
        return
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*prefix, bindir / "pg_ctl", "-D", datadir, "-m", "fast", "stop"], check=False)
    shutil.rmtree(datadir, ignore_errors=True)


def ensure_chromium() -> str | None:
    found = os.environ.get("OPENPRM_CHROMIUM") or shutil.which("chromium")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        run("apt-get", "update", "-qq", check=False)
        run("apt-get", "install", "-y", "-qq", "chromium", check=False)
    return shutil.which("chromium")


class Phases:
    def __init__(self) -> None:
        self.times: list[tuple[str, float]] = []
        self.failed: list[str] = []
        self.background: dict[str, tuple[subprocess.Popen, Path, float]] = {}

    def run(self, name: str, *args: str | Path, env: dict[str, str] | None = None) -> None:
        print(f"\n=== {name}", flush=True)
        began = time.monotonic()
        code = run(*args, env=env, check=False)
        self.times.append((name, time.monotonic() - began))
        if code != 0:
            self.failed.append(name)
        if not name.startswith("pytest"):
            print(f"=== {name}: {'ok' if code == 0 else f'FAILED ({code})'} "
                  f"in {self.times[-1][1]:.1f}s", flush=True)  # fmt: skip

    def start(self, name: str, *args: str | Path) -> None:
        """A phase that waits mostly on the network runs beside the others; `finish` prints it."""
        log = Path(tempfile.mkstemp(prefix="openprm-phase-", suffix=".log")[1])
        with log.open("w") as out:
            process = subprocess.Popen([str(a) for a in args], cwd=ROOT, stdout=out,
                                       stderr=subprocess.STDOUT)  # fmt: skip
        self.background[name] = (process, log, time.monotonic())
        print(f"\n=== {name}: started beside the others", flush=True)

    def finish(self, name: str) -> None:
        process, log, began = self.background.pop(name)
        code = process.wait()
        self.times.append((name, time.monotonic() - began))
        print(f"\n=== {name}\n{log.read_text()}", end="", flush=True)
        log.unlink()
        if code != 0:
            self.failed.append(name)
        print(f"=== {name}: {'ok' if code == 0 else f'FAILED ({code})'} "
              f"in {self.times[-1][1]:.1f}s", flush=True)  # fmt: skip

    def report(self) -> None:
        print("\nPhase times:", ", ".join(f"{n} {t:.1f}s" for n, t in self.times), flush=True)


def test(args: argparse.Namespace) -> int:
    install()
    phases = Phases()
    env = {
        **os.environ,
        "DJANGO_ALLOW_ASYNC_UNSAFE": "true",
        "OPENPRM_VAR_DIR": str(ROOT / "var" / "test"),
    }
    chromium = ensure_chromium()
    if chromium:
        env["OPENPRM_CHROMIUM"] = chromium
    phases.run("ruff check", BIN / "ruff", "check", ".")
    phases.run("ruff format", BIN / "ruff", "format", "--check", ".")
    phases.run("mypy", BIN / "mypy")
    phases.run("migrations", PYTHON, "-m", "django", "makemigrations", "--check", "--dry-run",
               env={**env, "DJANGO_SETTINGS_MODULE": "openprm.settings"})  # fmt: skip
    wheel: list[str | Path] = [PYTHON, ROOT / "tools" / "wheel_smoke.py"]
    wheel += ["--require-all"] if CI else []
    phases.start("wheel", *wheel)

    datadir = None
    if os.environ.get("OPENPRM_TEST_POSTGRES_URL"):
        # Several checkouts on one server: each names its own database.
        pg_url = os.environ["OPENPRM_TEST_POSTGRES_URL"]
    elif port_answers(*PG_DEFAULT):
        pg_url = "postgres://postgres@127.0.0.1:5432/openprm"
    else:
        pg_url, _, datadir = throwaway_postgres()
    pytest = [PYTHON, "-m", "pytest", "-n", str(args.workers), "-q", *args.pytest_args]
    try:
        phases.run("pytest on SQLite", *pytest, env={**env, "DATABASE_URL": ""})
        phases.finish("wheel")
        phases.report()
        print(f"Failed so far: {', '.join(phases.failed) or 'none'}", flush=True)
        if not pg_url:
            print("PostgreSQL is not available here: the PostgreSQL run is skipped.")
            return 1 if CI or phases.failed else 0
        # Last, so that the run ends in pytest's own summary line. The browser tests drive the
        # pages the SQLite run has just driven: everything else runs again on PostgreSQL, and the
        # whole run stays well under 30 minutes on 2 cores.
        postgres_env = {**env, "DATABASE_URL": pg_url}
        phases.run("pytest on PostgreSQL", *pytest, "-m", "not browser", env=postgres_env)
    finally:
        stop_throwaway(datadir)
    return 1 if phases.failed else 0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    start_parser = commands.add_parser("start", help="set up, load demo data, serve and work")
    start_parser.add_argument("--host", default="127.0.0.1")
    start_parser.add_argument("--port", type=int, default=8000)
    test_parser = commands.add_parser("test", help="lint, types and the whole suite")
    test_parser.add_argument("--workers", type=int, default=2)
    test_parser.add_argument("pytest_args", nargs="*", help="extra arguments for pytest")
    args = parser.parse_args()
    if args.command == "start":
        start(args)
    else:
        sys.exit(test(args))


if __name__ == "__main__":
    main()
