import email
import email.policy
import socket
import time
from email.message import EmailMessage

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from geopol.articles.tests.factories import ArticleFactory  # noqa: F401  (re-exported)
from geopol.core.tests.tasks import run_tasks  # noqa: F401  (re-exported)

aiosmtpd = pytest.importorskip("aiosmtpd.controller", reason="aiosmtpd is a dev dependency")


class Inbox:
    """What the SMTP server received, parsed."""

    def __init__(self) -> None:
        self.raw: list[tuple[list[str], bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("bounce"):  # a mailbox that does not exist
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.raw.append((list(envelope.rcpt_tos), envelope.original_content or envelope.content))
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[EmailMessage]:
        return [
            email.message_from_bytes(data, policy=email.policy.default)  # type: ignore[misc]
            for _, data in self.raw
        ]

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def clear(self) -> None:
        self.raw.clear()


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_server():
    inbox = Inbox()
    controller = aiosmtpd.Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def inbox(smtp_server, settings):
    """A real SMTP server on loopback; Django sends to it through its SMTP backend."""
    controller, box = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = controller.hostname
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    box.clear()
    yield box
    box.clear()


def wait_for(inbox: Inbox, count: int, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while len(inbox.raw) < count and time.monotonic() < deadline:
        time.sleep(0.01)


@pytest.fixture
def make_user(db):
    def make(name: str, members: bool = False, **extra):
        user = get_user_model().objects.create_user(
            username=name, email=f"{name}@example.org", password="a long enough passphrase"
        )
        if members:
            user.user_permissions.add(Permission.objects.get(codename="read_members"))
            user = get_user_model().objects.get(pk=user.pk)  # fresh permission cache
        return user

    return make
