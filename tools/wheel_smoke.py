"""Build the wheel and prove it installs and runs as a user would get it.

    python3.11 tools/wheel_smoke.py [--python 3.12 ...]

For each Python (default: 3.11, 3.12 and 3.13, those found on PATH or in pyenv): a fresh virtualenv,
`pip install openprm-*.whl` with no flags and no constraints, then the command line from that
installation: `openprm --help`, `migrate`, `createadmin` and `serve`, which must answer the
sign-in page, a Bootstrap file and the OpenAPI document. The Pythons run side by side.
Only the standard library is used here.
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHONS = ["3.11", "3.12", "3.13"]
PAGES = ["/login/", "/static/vendor/bootstrap/css/bootstrap.min.css", "/api/v1/openapi.json"]


def find_python(version: str) -> str | None:
    """`pythonX.Y` on PATH, or a pyenv installation of it that is not the active one."""
    candidates = [shutil.which(f"python{version}")]
    candidates += sorted(
        str(path) for path in Path.home().glob(f".pyenv/versions/{version}.*/bin/python{version}")
    )
    for candidate in filter(None, candidates):
        if subprocess.run([candidate, "--version"], capture_output=True).returncode == 0:
            return candidate
    return None


def build_wheel(folder: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(folder),
         str(ROOT)],
        check=True,
    )  # fmt: skip
    return next(folder.glob("openprm-*.whl"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(url: str, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.status
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def smoke(python: str, wheel: Path) -> str:
    """Answers a line for the report; raises on any failure."""
    with tempfile.TemporaryDirectory(prefix=f"openprm-{Path(python).name}-") as scratch:
        folder = Path(scratch)
        venv = folder / "venv"
        log = (folder / "log").open("w")

        def run(*args: str | Path, env: dict[str, str] | None = None) -> None:
            subprocess.run([str(a) for a in args], check=True, env=env, stdout=log,
                           stderr=subprocess.STDOUT, cwd=folder)  # fmt: skip

        try:
            run(python, "-m", "venv", venv)
            run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", wheel)
            openprm = venv / "bin" / "openprm"
            env = {**os.environ, "OPENPRM_VAR_DIR": str(folder / "var"), "DATABASE_URL": "",
                   "SECRET_KEY": "wheel-smoke-test-only"}  # fmt: skip
            env.pop("DJANGO_SETTINGS_MODULE", None)
            env.pop("PYTHONPATH", None)
            run(openprm, "--help", env=env)
            run(openprm, "migrate", env=env)
            admin = ["--email", "admin@smoke.example", "--name", "Admin", "--vendor", "Smoke"]
            run(openprm, "createadmin", *admin, "--password", "Slow-Lemon-Tree-42", "--no-input",
                env=env)  # fmt: skip
            port = free_port()
            server = subprocess.Popen(
                [openprm, "serve", "--port", str(port), "--workers", "1"],
                env=env, stdout=log, stderr=subprocess.STDOUT, cwd=folder,
            )  # fmt: skip
            try:
                statuses = [answers(f"http://127.0.0.1:{port}{page}") for page in PAGES]
            finally:
                server.terminate()
                server.wait(timeout=30)
            if statuses != [200] * len(PAGES):
                raise RuntimeError(f"{python}: {dict(zip(PAGES, statuses, strict=True))}")
        except Exception:
            log.close()
            print((folder / "log").read_text()[-4000:], file=sys.stderr)
            raise
        version = subprocess.check_output([python, "--version"], text=True).strip()
        return f"{version}: installed the wheel and served {len(PAGES)} pages"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", action="append", help="a version to try, e.g. 3.12")
    parser.add_argument("--require-all", action="store_true", help="fail when one is missing")
    args = parser.parse_args()
    wanted = {version: find_python(version) for version in args.python or PYTHONS}
    found = [python for python in wanted.values() if python]
    missing = [version for version, python in wanted.items() if python is None]
    if missing:
        print(f"Not on this machine: Python {', '.join(missing)}", flush=True)
        if args.require_all:
            return 1
    with tempfile.TemporaryDirectory(prefix="openprm-wheel-") as scratch:
        wheel = build_wheel(Path(scratch))
        print(f"Built {wheel.name}", flush=True)
        with ThreadPoolExecutor(max_workers=len(found)) as pool:
            for line in pool.map(lambda python: smoke(python, wheel), found):
                print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
