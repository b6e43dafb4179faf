"""Keep secrets out of third-party debug logs while a sink talks to a secrets store.

botocore logs every request's parameters at DEBUG ("Making request for OperationModel(...) with
params: {... 'body': ...}"), the secret value included. `redacted_logs` attaches a filter to the
loggers of the HTTP libraries the sinks use that replaces each given secret with asterisks in
records they create, for the duration of a `with` block. Loggers must exist when the block is
entered: create the client first.

A read (`Sink.holds`) may get back secrets we do not know, such as a secret rotated away since the
last write, so they cannot be redacted by value: with `withhold_responses=True` botocore's
"Response body" records are replaced by a placeholder instead.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from auth0_m2m.consumers._exceptions import redact

LIBRARY_LOGGERS: tuple[str, ...] = ("botocore", "boto3", "urllib3", "requests", "hvac", "httpx", "httpcore")
WITHHELD_BODY = "Response body: (withheld: it may hold secrets)"


class RedactingFilter(logging.Filter):
    """Rewrite a record's message with the given secrets replaced; never drops a record."""

    def __init__(self, secrets: Iterable[str], *, withhold_responses: bool = False) -> None:
        super().__init__()
        self.secrets = [secret for secret in secrets if secret]
        self.withhold_responses = withhold_responses

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the formatted message in place (or withhold a response body, if asked)."""
        message = record.getMessage()
        body = record.name.startswith("botocore") and message.startswith("Response body")
        if body and self.withhold_responses:
            record.msg, record.args = WITHHELD_BODY, None
            return True
        cleaned = redact(message, self.secrets)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


@contextmanager
def redacted_logs(
    secrets: Iterable[str], roots: Iterable[str] = LIBRARY_LOGGERS, *, withhold_responses: bool = False
) -> Iterator[None]:
    """Redact `secrets` from records created by the `roots` loggers and their existing children.

    `withhold_responses`: also replace botocore's response bodies (for reads, see the module docstring).
    """
    roots = tuple(roots)
    names = [name for name in list(logging.root.manager.loggerDict) if name.split(".")[0] in roots]
    loggers = [logging.getLogger(name) for name in {*names, *roots}]
    redactor = RedactingFilter(secrets, withhold_responses=withhold_responses)
    for logger in loggers:
        logger.addFilter(redactor)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(redactor)
