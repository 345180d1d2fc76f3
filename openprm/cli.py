"""`openprm`: the one command to run, operate and maintain an installation (SPEC F3).

Configuration comes only from environment variables (see openprm/settings.py).
"""

import argparse
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, TypeAlias

import django

WORKER_STOP_GRACE_SECONDS = 30
# gunicorn's combined format, with the client's address and the path with secrets masked as
# openprm.core.middleware.AccessLogMiddleware leaves them, and without the Referer, which may be
# an invitation link.
ACCESS_LOG_FORMAT = (
    '%({openprm_client_address}e)s - - %(t)s "%(m)s %({openprm_logged_path}e)s %(H)s" '
    '%(s)s %(b)s "%(a)s"'
)


def setup() -> None:
    django.setup()


def manage(*argv: str) -> int:
    from django.core.management import execute_from_command_line

    setup()
    execute_from_command_line(["openprm", *argv])
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Static files are collected, then gunicorn replaces this process; whitenoise serves them."""
    from django.core.management import call_command

    setup()
    call_command("collectstatic", interactive=False, verbosity=0)
    gunicorn = [
        sys.executable, "-m", "gunicorn", "openprm.wsgi",
        "--bind", f"{args.host}:{args.port}", "--workers", str(args.workers),
        "--access-logfile", "-", "--access-logformat", ACCESS_LOG_FORMAT, "--error-logfile", "-",
        # X-Forwarded-Proto is Django's to believe or not (OPENPRM_PROXY_SSL_HEADER), not
        # gunicorn's, which would otherwise take it from any proxy on 127.0.0.1.
        "--forwarded-allow-ips", "",
        # Unused, and one path per home folder: a second installation would take it over.
        "--no-control-socket",
    ]  # fmt: skip
    os.execv(sys.executable, gunicorn)
    return 1  # execv does not return


class WorkerConfigurationError(Exception):
    pass


def worker_commands() -> dict[str, list[str]]:
    """The scheduler, and the task worker that fits the configured backend: django-tasks-db's
    `db_worker`, or for another backend (Redis, Celery) the command line its package documents,
    given in OPENPRM_TASK_WORKER_COMMAND (`db_worker` would refuse a backend not its own)."""
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend

    django_admin = [sys.executable, "-m", "django"]
    scheduler = [*django_admin, "scheduler"]
    custom = os.environ.get("OPENPRM_TASK_WORKER_COMMAND", "").strip()
    if custom:
        return {"task_worker": shlex.split(custom), "scheduler": scheduler}
    if not isinstance(task_backends["default"], DatabaseBackend):
        raise WorkerConfigurationError(
            "OPENPRM_TASKS_BACKEND is not django-tasks-db's database backend: set "
            "OPENPRM_TASK_WORKER_COMMAND to the command that runs its worker."
        )
    return {"db_worker": [*django_admin, "db_worker", "--no-reload"], "scheduler": scheduler}


def stop_children(children: dict[str, subprocess.Popen]) -> None:
    for child in children.values():
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + WORKER_STOP_GRACE_SECONDS
    for child in children.values():
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def cmd_worker(args: argparse.Namespace) -> int:
    """The task worker and the scheduler, started and stopped together. Each child has its own
    session, so a Ctrl-C reaches only this process, which then stops them once and cleanly."""
    stopping = False

    def on_signal(signum: int, frame: Any) -> None:
        nonlocal stopping
        stopping = True

    setup()
    try:
        commands = worker_commands()
    except WorkerConfigurationError as exc:
        print(f"openprm worker: {exc}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    children = {
        name: subprocess.Popen(command, start_new_session=True)
        for name, command in commands.items()
    }
    for name, child in children.items():
        print(f"openprm worker: {name} started (pid {child.pid})", file=sys.stderr, flush=True)
    exit_code = 0
    while not stopping:
        died = next(
            (
                (name, child.returncode)
                for name, child in children.items()
                if child.poll() is not None
            ),
            None,
        )
        if died:
            print(f"openprm worker: {died[0]} exited ({died[1]}); stopping.", file=sys.stderr)
            exit_code = died[1] or 1
            break
        time.sleep(0.2)
    stop_children(children)
    return exit_code


def cmd_migrate(args: argparse.Namespace) -> int:
    """Also the cache table of OPENPRM_CACHE_URL=database (nothing for another cache)."""
    manage("migrate", "--no-input")
    return manage("createcachetable")


def cmd_demo(args: argparse.Namespace) -> int:
    flags = [f"--{option}" for option in ("reset", "force") if getattr(args, option)]
    for option in ("scale", "size", "seed"):
        if getattr(args, option) is not None:
            flags += [f"--{option}", getattr(args, option)]
    return manage("demo", *flags)


def cmd_createadmin(args: argparse.Namespace) -> int:
    flags = []
    for option in ("email", "name", "password", "vendor"):
        if getattr(args, option):
            flags += [f"--{option}", getattr(args, option)]
    if args.no_input:
        flags.append("--no-input")
    return manage("createadmin", *flags)


def cmd_backup(args: argparse.Namespace) -> int:
    from openprm.core import backup

    setup()
    try:
        files = backup.backup(Path(args.file), force=args.force)
    except backup.BackupError as exc:
        print(f"openprm backup: {exc}", file=sys.stderr)
        return 1
    print(f"Backed up the database and {files} uploaded files to {args.file}.")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from openprm.core import backup

    setup()
    try:
        files = backup.restore(Path(args.file), force=args.force)
    except backup.BackupError as exc:
        print(f"openprm restore: {exc}", file=sys.stderr)
        return 1
    if files is None:
        print(f"Restored the database from {args.file} (a database file alone: no uploads).")
    else:
        print(f"Restored the database and {files} uploaded files from {args.file}.")
    return 0


def cmd_points_verify(args: argparse.Namespace) -> int:
    return manage("points_verify", *(["--as-of", args.as_of] if args.as_of else []))


def cmd_manage(args: argparse.Namespace) -> int:
    return manage(*args.arguments)


# What add_subparsers returns; a string, as argparse's class is generic only to type checkers.
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="openprm",
        description="OpenPRM, the open-source partner relationship management platform. "
        "Configure it with environment variables: DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS, "
        "EMAIL_HOST and the other EMAIL_* settings, OPENPRM_DEBUG.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_running_commands(commands)
    add_setup_commands(commands)
    add_backup_commands(commands)
    add_maintenance_commands(commands)
    return parser


def add_running_commands(commands: Commands) -> None:
    serve = commands.add_parser(
        "serve",
        help="run the web server (gunicorn, whitenoise)",
        description="Collect static files, then serve OpenPRM with gunicorn.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default %(default)s)")
    serve.add_argument("--port", type=int, default=8000, help="port (default %(default)s)")
    serve.add_argument(
        "--workers", type=int, default=2, help="gunicorn workers (default %(default)s)"
    )
    serve.set_defaults(handler=cmd_serve)

    worker = commands.add_parser(
        "worker",
        help="run the background task worker and the scheduler",
        description="Run db_worker (or OPENPRM_TASK_WORKER_COMMAND for another tasks backend) "
        "and the scheduler of periodic sweeps as two processes; SIGTERM or Ctrl-C stops both, "
        "and if either dies the other is stopped too.",
    )
    worker.set_defaults(handler=cmd_worker)


def add_setup_commands(commands: Commands) -> None:
    migrate = commands.add_parser(
        "migrate",
        help="create or update the database tables",
        description="Apply every database migration.",
    )
    migrate.set_defaults(handler=cmd_migrate)

    demo = commands.add_parser(
        "demo",
        help="load demo data",
        description="Load a realistic demo program (password openprm-demo).",
    )
    demo.add_argument("--reset", action="store_true", help="delete the demo data first")
    demo.add_argument(
        "--scale",
        help="multiply partners, customers and opportunities (e.g. 2, 0.5), or a size as --size",
    )
    demo.add_argument(
        "--size",
        choices=("small", "medium", "large"),
        help="replace the program with the demo grown for measuring (large: 2,000 partners, "
        "2,000,000 opportunities, 5,000,000 ledger entries; medium a tenth, small a hundredth)",
    )
    demo.add_argument(
        "--force", action="store_true", help="with --size: replace even a real program"
    )
    demo.add_argument("--seed", help="another seed gives other (still deterministic) data")
    demo.set_defaults(handler=cmd_demo)

    admin = commands.add_parser(
        "createadmin",
        help="create a program admin (and the vendor organization)",
        description="Create a program admin. Values come from the options, else from "
        "OPENPRM_ADMIN_EMAIL, OPENPRM_ADMIN_NAME, OPENPRM_ADMIN_PASSWORD and "
        "OPENPRM_VENDOR_NAME, else are asked for on a terminal.",
    )
    admin.add_argument("--email", help="the admin's email, used to sign in")
    admin.add_argument("--name", help="the admin's full name")
    admin.add_argument(
        "--password", help="the password (OPENPRM_ADMIN_PASSWORD keeps it out of shell history)"
    )
    admin.add_argument("--vendor", help="the vendor organization's name, when it is created")
    admin.add_argument("--no-input", action="store_true", help="never prompt; fail instead")
    admin.set_defaults(handler=cmd_createadmin)


def add_backup_commands(commands: Commands) -> None:
    backup = commands.add_parser(
        "backup",
        help="write the database and the uploaded files to the archive FILE",
        description="A tar archive: a manifest, the database (SQLite: the online backup API; "
        "PostgreSQL: pg_dump in custom format) and the media folder.",
    )
    backup.add_argument("file", metavar="FILE")
    backup.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    backup.set_defaults(handler=cmd_backup)

    restore = commands.add_parser(
        "restore",
        help="replace the database with a backup made by `openprm backup`",
        description="Stop `openprm serve` and `openprm worker` first. Replaces the database and "
        "the uploaded files; refuses a database that has tables, or a media folder that holds "
        "files, unless --force is given.",
    )
    restore.add_argument("file", metavar="FILE")
    restore.add_argument(
        "--force", action="store_true", help="replace a non-empty database and media folder"
    )
    restore.set_defaults(handler=cmd_restore)


def add_maintenance_commands(commands: Commands) -> None:
    points = commands.add_parser(
        "points",
        help="check the points ledger",
        description="Points ledger checks.",
    )
    points_commands = points.add_subparsers(dest="points_command", required=True, metavar="ACTION")
    verify = points_commands.add_parser(
        "verify",
        help="recompute every point entry from the source records and report differences",
        description="Recompute the ledger from opportunities and subscriptions; exit 1 on any "
        "difference.",
    )
    verify.add_argument("--as-of", help="check as of this day (YYYY-MM-DD; default today)")
    verify.set_defaults(handler=cmd_points_verify)

    manage_parser = commands.add_parser(
        "manage",
        help="run any Django management command",
        description="Run a Django management command, e.g. `openprm manage shell`.",
    )
    manage_parser.add_argument("arguments", nargs=argparse.REMAINDER, metavar="ARGS")
    manage_parser.set_defaults(handler=cmd_manage)


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openprm.settings")
    args = build_parser().parse_args(argv)
    sys.exit(args.handler(args))
