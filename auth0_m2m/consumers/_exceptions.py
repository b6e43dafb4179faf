"""Errors raised by the consumers (verify, export targets), each with a one-line message.

```
ConsumerError                 base: catch this to report any consumer failure as one line
├── ConsumerSettingsError     an AUTH0_M2M_* environment setting is missing or invalid (names the variable)
├── TargetSpecError           an export target string (`json:PATH`, `nango:` ...) cannot be parsed
├── TokenRequestError         the tenant refused the token request or could not be reached
├── AccessTokenError          the token came back but fails the JWKS / claim checks
├── SinkError                 an export target could not be written (names the target)
└── RotationError             a client secret could not be rotated, or the stack's state not brought in line
```

No message ever carries a client secret or an access token: sinks and the token request pass
every text that came from a server through `redact` before raising.
"""

from __future__ import annotations

from collections.abc import Iterable

REDACTED = "**********"


def redact(text: str, secrets: Iterable[str]) -> str:
    """Return `text` with each non-empty secret replaced by asterisks (same marker as SecretStr)."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text


class ConsumerError(Exception):
    """A consumer failed; `str()` is one line that says what failed and, where possible, the fix."""


class ConsumerSettingsError(ConsumerError, ValueError):
    """An `AUTH0_M2M_*` setting is missing or invalid; the message names the environment variable."""


class TargetSpecError(ConsumerError, ValueError):
    """An export target string is malformed or names an unknown kind of target."""


class TokenRequestError(ConsumerError):
    """The token request failed: refused by the tenant (`status_code` set) or not delivered."""

    def __init__(self, message: str, *, status_code: int | None = None, error: str | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        """HTTP status of the refusal, or None when no response arrived."""
        self.error = error
        """Auth0's `error` code (e.g. `access_denied`), when the tenant sent one."""


class AccessTokenError(ConsumerError):
    """The access token fails validation; `problems` lists each failed check as one short line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class SinkError(ConsumerError):
    """An export target could not be written; the message starts with the target's name."""


class RotationError(ConsumerError):
    """Rotating a client secret failed, or the stack's state could not be brought in line afterwards."""
