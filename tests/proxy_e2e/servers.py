"""The processes of the journey: badgeapp under gunicorn, the DjaoDjin test
proxy in front of it, and an SMTP server catching the app's mail.

Each listens on a free loopback port. The app runs with production settings
from its environment, as it would be deployed: real random secrets, a fresh
database migrated for the run, collected static files, HTTPS settings on behind
the proxy's TLS. The proxy runs in its own virtualenv (``make djaodjin-proxy``).
"""

from __future__ import annotations

import email
import email.policy
import http.client
import os
import secrets
import shutil
import socket
import ssl
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from aiosmtpd.controller import Controller

from core.domain.credentials.keys import generate_secret

REPO = Path(__file__).resolve().parents[2]
PROXY_DIR = REPO / "tests" / "djaodjin_proxy"
PROXY_VENV = Path(os.environ.get("DJAODJIN_PROXY_VENV", REPO / ".venv-djaodjin"))
APP_BIN = REPO / ".venv" / "bin"
STARTUP_SECONDS = 60


def listening_socket() -> socket.socket:
    """A socket bound to a free loopback port, handed to gunicorn as ``fd://``: no race."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(command: list[str], *, env: dict, cwd: Path, log: Path) -> None:
    """Run a set-up command; its output goes to the log, and into the failure if it fails."""
    with log.open("ab") as out:
        out.write(f"$ {' '.join(command)}\n".encode())
        out.flush()
        result = subprocess.run(command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, check=False)
    if result.returncode:
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}):\n{tail(log)}")


def tail(log: Path, lines: int = 60) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else ""


@dataclass
class Server:
    name: str
    url: str
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def start_gunicorn(
    name: str, command: list[str], *, sock: socket.socket, env: dict, cwd: Path, log: Path, url: str
) -> Server:
    process = subprocess.Popen(
        [*command, "--bind", f"fd://{sock.fileno()}"],
        env=env,
        cwd=cwd,
        pass_fds=(sock.fileno(),),
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    server = Server(name=name, url=url, process=process, log=log)
    wait_until_up(server)
    return server


def wait_until_up(server: Server) -> None:
    """Wait for any HTTP answer (a redirect counts: it is not followed)."""
    parts = urlsplit(server.url)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited ({server.process.returncode}):\n{tail(server.log)}")
        if parts.scheme == "https":
            # The proxy's certificate is self-signed: this probe only checks it answers.
            connection = http.client.HTTPSConnection(
                parts.hostname,
                parts.port,
                timeout=2,
                context=ssl._create_unverified_context(),  # noqa: S323
            )
        else:
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=2)
        try:
            connection.request("GET", "/static/")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
        finally:
            connection.close()
    server.stop()
    raise RuntimeError(f"{server.name} did not answer within {STARTUP_SECONDS}s:\n{tail(server.log)}")


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1, for the proxy's TLS (the browser is told to accept it)."""
    cert, key = directory / "proxy.crt", directory / "proxy.key"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@dataclass
class Mailbox:
    """What the app sent, as parsed messages; an aiosmtpd handler."""

    messages: list = field(default_factory=list)
    _arrived: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._arrived:
            self.messages.append(message)
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, to: str, subject: str = "", timeout: float = 15.0):
        """The latest message to ``to`` (whose subject has ``subject``), waiting for it to arrive."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                found = [m for m in self.messages if to in str(m["To"]) and subject in str(m["Subject"])]
                if found:
                    return found[-1]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no mail to {to} within {timeout}s ({len(self.messages)} others)")
                self._arrived.wait(remaining)


def start_smtp(mailbox: Mailbox) -> tuple[Controller, int]:
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, port


@dataclass
class Stack:
    """The app and the proxy in front of it, and how to reconfigure the proxy."""

    app: Server
    proxy: Server
    proxy_env: dict
    shared_key: str
    workdir: Path
    mailbox: Mailbox
    public_prefixes: list[str]
    people_file: Path

    def configure_proxy(self, *, session_backend: str, enc_key: str | None = None) -> None:
        """Re-run the proxy's set-up (djaoapp reads its app settings on every request)."""
        command = [
            str(PROXY_VENV / "bin" / "python"), "manage.py", "proxy_setup",
            "--entry-point", self.app.url,
            "--enc-key", enc_key or self.shared_key,
            "--session-backend", session_backend,
            "--people", str(self.people_file),
        ]  # fmt: skip
        for prefix in self.public_prefixes:
            command += ["--public", prefix]
        run(command, env=self.proxy_env, cwd=PROXY_DIR, log=self.workdir / "proxy-setup.log")

    def stop(self) -> None:
        self.proxy.stop()
        self.app.stop()


def base_environment() -> dict:
    """Only the basics of this environment: the test suite's own settings stay out."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TZ")
    return {key: os.environ[key] for key in keep if key in os.environ}


def app_environment(
    *, workdir: Path, database_url: str, proxy_url: str, shared_key: str, smtp_port: int
) -> dict:
    """Production mode, configured only from the environment, as the README says."""
    env = base_environment()
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "settings.base",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJAODJIN_SECRET_KEY": shared_key,
            "OB3_SIGNING_KEY": generate_secret(),
            "DATABASE_URL": database_url,
            "BADGEAPP_BASE_URL": proxy_url,
            "ALLOWED_HOSTS": "127.0.0.1",
            # The proxy terminates TLS and its front sets X-Forwarded-Proto.
            "DJANGO_HTTPS": "true",
            "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
            "BADGEAPP_MEDIA_ROOT": str(workdir / "media"),
            "DJANGO_STATIC_ROOT": str(workdir / "static"),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "DEFAULT_FROM_EMAIL": "badgeapp <badges@example.org>",
            "GUNICORN_WORKERS": "2",
            "GUNICORN_THREADS": "4",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def start_stack(*, workdir: Path, database_url: str, people_file: Path, public_prefixes: list[str]) -> Stack:
    """Everything up, or nothing left running."""
    if not (PROXY_VENV / "bin" / "python").exists():
        raise FileNotFoundError(f"{PROXY_VENV} is missing: run `make djaodjin-proxy`")
    started: list = []
    try:
        return _start_stack(
            workdir=workdir,
            database_url=database_url,
            people_file=people_file,
            public_prefixes=public_prefixes,
            started=started,
        )
    except BaseException:
        for thing in reversed(started):
            thing.stop()
        raise


def _start_stack(
    *, workdir: Path, database_url: str, people_file: Path, public_prefixes: list[str], started: list
) -> Stack:
    shared_key = secrets.token_urlsafe(32)
    app_sock, proxy_sock = listening_socket(), listening_socket()
    app_url = f"http://127.0.0.1:{app_sock.getsockname()[1]}"
    proxy_url = f"https://127.0.0.1:{proxy_sock.getsockname()[1]}"
    mailbox = Mailbox()
    smtp, smtp_port = start_smtp(mailbox)
    started.append(smtp)
    app_env = app_environment(
        workdir=workdir,
        database_url=database_url,
        proxy_url=proxy_url,
        shared_key=shared_key,
        smtp_port=smtp_port,
    )
    proxy_env = {
        **base_environment(),
        "DJANGO_SETTINGS_MODULE": "proxysite.settings",
        "PROXY_DATABASE": str(workdir / "proxy.sqlite3"),
        "PROXY_SECRET_KEY": secrets.token_urlsafe(50),
        "PYTHONUNBUFFERED": "1",
    }
    proxy_log = workdir / "proxy.log"
    proxy_python = str(PROXY_VENV / "bin" / "python")
    # djaodjin-rules ships no migrations: --run-syncdb creates its tables.
    migrate = [proxy_python, "manage.py", "migrate", "--run-syncdb", "-v0"]
    # Beside the app's own set-up: two cores, two independent databases.
    proxy_migrated = ThreadPoolExecutor(max_workers=1).submit(
        run, migrate, env=proxy_env, cwd=PROXY_DIR, log=proxy_log
    )
    app_log = workdir / "app.log"
    app_python = str(APP_BIN / "python")
    run([app_python, "manage.py", "migrate", "--noinput"], env=app_env, cwd=REPO, log=app_log)
    run([app_python, "manage.py", "collectstatic", "--noinput", "-v0"], env=app_env, cwd=REPO, log=app_log)
    app = start_gunicorn(
        "badgeapp",
        [str(APP_BIN / "gunicorn"), "-c", "gunicorn.conf.py"],
        sock=app_sock,
        env=app_env,
        cwd=REPO,
        log=app_log,
        url=app_url,
    )
    started.append(app)
    app_sock.close()
    # The background worker: confirmation links go out through a task.
    worker = subprocess.Popen(
        [app_python, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2"],
        env=app_env,
        cwd=REPO,
        stdout=(workdir / "worker.log").open("ab"),
        stderr=subprocess.STDOUT,
    )
    worker_server = Server(name="worker", url="", process=worker, log=workdir / "worker.log")
    started.append(worker_server)

    proxy_migrated.result()
    cert, key = self_signed_certificate(workdir)
    proxy = start_gunicorn(
        "proxy",
        [
            str(PROXY_VENV / "bin" / "gunicorn"), "proxysite.wsgi:application",
            "--workers", "2", "--threads", "4", "--timeout", "60",
            "--certfile", str(cert), "--keyfile", str(key),
            "--access-logfile", "-", "--error-logfile", "-",
        ],
        sock=proxy_sock,
        env=proxy_env,
        cwd=PROXY_DIR,
        log=proxy_log,
        url=proxy_url,
    )  # fmt: skip
    started.append(proxy)
    proxy_sock.close()
    stack = Stack(
        app=app,
        proxy=proxy,
        proxy_env=proxy_env,
        shared_key=shared_key,
        workdir=workdir,
        mailbox=mailbox,
        public_prefixes=public_prefixes,
        people_file=people_file,
    )
    stack._smtp = smtp
    stack._worker = worker_server
    # Configured as an operator would before anyone signs in; the journey
    # switches the mode (and, once, the key) the same way.
    stack.configure_proxy(session_backend="cookie")
    return stack


def stop_stack(stack: Stack) -> None:
    stack.stop()
    stack._worker.stop()
    stack._smtp.stop()
    shutil.rmtree(stack.workdir / "static", ignore_errors=True)
