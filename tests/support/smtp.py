"""A real SMTP server on a free local port (aiosmtpd), and the background queue run for real.

``smtp_server`` receives what the app sends and can refuse addresses, as a
relay would: a recipient whose local part starts with ``bounce`` is refused
for good (550), one starting with ``busy`` for now (451), as long as
``busy_until_attempt`` says. ``unreachable_smtp`` is a port nobody listens on.

``db_tasks`` switches the suite from the immediate task backend to the
database queue (django-tasks-db), and runs ``manage.py db_worker --batch`` in
this process: tasks run only if their rows were committed, as in production.
"""

from __future__ import annotations

import email
import signal
import socket
from dataclasses import dataclass, field
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command

from core.models import Notification


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    message: Message
    recipients: list[str]
    connection: int  # one number per SMTP connection the app opened

    @property
    def subject(self) -> str:
        return str(email.header.make_header(email.header.decode_header(self.message["Subject"])))

    @property
    def body(self) -> str:
        return self.message.get_payload(decode=True).decode()


@dataclass
class Relay:
    """The aiosmtpd handler: keeps what it accepts, refuses what it is told to."""

    received: list[Received] = field(default_factory=list)
    attempts: dict[str, int] = field(default_factory=dict)  # RCPT TO per address
    busy_until_attempt: int = 10**6  # "busy..." addresses are refused (451) until this attempt
    connections: int = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # aiosmtpd's hook
        self.connections += 1
        session.number = self.connections
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # aiosmtpd's hook
        local = address.split("@", 1)[0]
        self.attempts[address] = self.attempts.get(address, 0) + 1
        if local.startswith("bounce"):
            return "550 5.1.1 No such user here"
        if local.startswith("busy") and self.attempts[address] < self.busy_until_attempt:
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook
        message = email.message_from_bytes(envelope.content)
        self.received.append(Received(message, list(envelope.rcpt_tos), getattr(session, "number", 0)))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.recipients]


@pytest.fixture
def smtp_server(settings):
    relay = Relay()
    controller = Controller(relay, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 10
    try:
        yield relay
    finally:
        controller.stop()


@pytest.fixture
def unreachable_smtp(settings):
    """The app's SMTP settings point to a local port where nothing listens."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_TIMEOUT = 5
    return settings


@dataclass
class Queue:
    def run_worker(self) -> None:
        """``manage.py db_worker --batch``: run every task that is ready, then return."""
        handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
        try:
            call_command(
                "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0
            )
        finally:
            for sig, handler in handlers.items():  # the worker installs its own
                signal.signal(sig, handler)

    @staticmethod
    def tasks():
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.all()

    @staticmethod
    def states() -> dict[str, str]:
        return {n.award.recipient_email: n.state for n in Notification.objects.select_related("award")}


@pytest.fixture
def db_tasks(settings, transactional_db):
    """The database queue and its worker, with real commits (no test transaction around them)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.NOTIFY_RETRY_SECONDS = 0  # retries due at once: the worker's batch run reaches them
    return Queue()
