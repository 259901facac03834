"""Log records carry text that people typed (a username at login, a page title, a URL path): a
carriage return or line feed in it would start a new line that a reader or a log shipper takes
for a separate, forged entry ("log injection", CWE-117; Django fixed its own request-path case as
CVE-2025-48432). The filter below escapes control characters in the message after it is formatted,
so every entry stays one line whatever the arguments held. Tracebacks are added by the formatter
afterwards and keep their lines."""

from __future__ import annotations

import logging
import re

# C0 controls except tab, DEL, C1 controls (NEL U+0085 among them) and the Unicode line and
# paragraph separators, which some viewers also break lines on.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r"}


def escape_control_characters(text: str) -> str:
    return _CONTROL.sub(lambda m: _NAMED.get(m.group(0)) or f"\\u{ord(m.group(0)):04x}", text)


class ControlCharacterFilter(logging.Filter):
    """Install on handlers (``LOGGING["filters"]``): it changes the record, and handler filters
    see every record that reaches the handler, including those propagated from other loggers."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        escaped = escape_control_characters(message)
        if escaped != message:
            record.msg, record.args = escaped, None
        return True
