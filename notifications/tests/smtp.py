"""A real SMTP server's handler for the mail tests (aiosmtpd's Controller runs it)."""

from email import message_from_bytes
from email.header import decode_header, make_header


class Inbox:
    """Keeps what arrived: the recipients, the decoded subject and the Message-ID."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content)
        self.messages.append(
            {
                "to": envelope.rcpt_tos,
                "subject": str(make_header(decode_header(message["Subject"]))),
                "message_id": message["Message-ID"],
            }
        )
        return "250 Message accepted for delivery"

    def subjects(self, prefix: str = "") -> list[str]:
        return [m["subject"] for m in self.messages if m["subject"].startswith(prefix)]
