"""The exceptions of eiam. Every one derives from :class:`EiamError`, which
derives from :class:`Exception`; each carries ``http_status`` (int or None),
``code`` (the service's code with whitespace removed, the OAuth ``error``
value, or None) and ``message``."""

from __future__ import annotations

import builtins
from typing import Optional


class EiamError(Exception):
    """Base class of every eiam error (also: a bug inside eiam)."""

    message: str
    http_status: Optional[int]
    code: Optional[str]

    def __init__(
        self,
        message: str,
        *,
        http_status: Optional[int] = None,
        code: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.http_status = http_status
        self.code = code

    def __str__(self) -> str:
        parts = []
        if self.code is not None:
            parts.append(self.code)
        if self.http_status is not None:
            parts.append(f"(HTTP {self.http_status})")
        prefix = " ".join(parts)
        return f"{prefix}: {self.message}" if prefix else self.message

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.message!r}, "
            f"http_status={self.http_status!r}, code={self.code!r})"
        )

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only fields survive pickling (multiprocessing pools).
        return (type(self), (self.message,), self.__dict__)


class InvalidArgumentError(EiamError, ValueError):
    """Rejected before any request: a bad argument or configuration. An
    empty ``app_id`` has code ``APP.0006``, an empty ``app_user_id``
    ``APP.ACCOUNT.0047``."""


class ApiError(EiamError):
    """The service answered with ``error_code``/``error_msg``."""


class AuthError(EiamError):
    """A token could not be obtained, or the service rejected it twice."""


class TransportError(EiamError, ConnectionError):
    """DNS, connect, TLS, proxy or a connection reset."""


class TimeoutError(TransportError, builtins.TimeoutError):
    """The call's deadline passed."""


class ProtocolError(EiamError):
    """The service answered with an unexpected status or body."""


class CancelledError(EiamError):
    """A bulk item that was not started because the job was cancelled."""
