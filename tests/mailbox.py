"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""

from __future__ import annotations

import email
import email.policy
import re
import socket
import threading
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Mailbox:
    """Messages received by the test SMTP server, parsed."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.messages: list[EmailMessage] = []
        self.raw: list[bytes] = []  # as received, for tests of header encoding
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(parsed)  # type: ignore[arg-type]
            self.raw.append(envelope.content)
        return "250 OK"

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()
            self.raw.clear()

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]

    def single(self, address: str) -> EmailMessage:
        found = self.to(address)
        assert len(found) == 1, f"expected one mail to {address}, got {len(found)}"
        return found[0]


def raw_header(raw: bytes, name: str) -> str:
    """A header exactly as it went over the wire, folds included ("\r\n ")."""
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    found = re.search(
        rf"^{re.escape(name)}:(.*(?:\r\n[ \t].*)*)", head, re.MULTILINE | re.IGNORECASE
    )
    assert found, f"no {name} header"
    return found.group(1).rstrip("\r").removeprefix(" ")


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content()


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return part.get_content()


def link_in(message: EmailMessage, path_fragment: str) -> str:
    """The first link in the text part whose path contains ``path_fragment``."""
    for url in re.findall(r"https?://\S+", text_of(message)):
        if path_fragment in url:
            return url
    raise AssertionError(f"no link containing {path_fragment!r} in the message")


def start_smtp_server() -> tuple[Mailbox, Controller]:
    port = free_port()
    mailbox = Mailbox(port)
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    return mailbox, controller
