from collections.abc import Callable, Iterable, Sequence
from os import PathLike
from types import TracebackType
from typing import final

from eiam._errors import ApiError as ApiError
from eiam._errors import AuthError as AuthError
from eiam._errors import CancelledError as CancelledError
from eiam._errors import EiamError as EiamError
from eiam._errors import InvalidArgumentError as InvalidArgumentError
from eiam._errors import ProtocolError as ProtocolError
from eiam._errors import TimeoutError as TimeoutError
from eiam._errors import TransportError as TransportError

__all__ = [
    "ApiError",
    "AuthError",
    "BindResult",
    "CancelledError",
    "Client",
    "EiamError",
    "InvalidArgumentError",
    "Owner",
    "ProtocolError",
    "TimeoutError",
    "TransportError",
    "__version__",
]

__version__: str

@final
class Owner:
    """The owner of a public account (immutable)."""

    def __new__(cls, user_id: str, user_name: str, disabled: bool) -> Owner: ...
    @property
    def user_id(self) -> str: ...
    @property
    def user_name(self) -> str: ...
    @property
    def disabled(self) -> bool: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[type[Owner], tuple[str, str, bool]]: ...

@final
class BindResult:
    """The outcome of one item of a bulk bind (immutable; pickles and
    copies, but is built only by a bulk job)."""

    @property
    def ok(self) -> bool: ...
    @property
    def account_id(self) -> str | None: ...
    @property
    def error(self) -> EiamError | None: ...
    def __reduce__(self) -> tuple[object, tuple[str | None, EiamError | None]]: ...

@final
class Client:
    """A client of one tenant's management API; thread-safe. On the main
    thread, Ctrl-C interrupts a call with KeyboardInterrupt: the call is
    abandoned, and its request may still take effect on the service."""

    def __new__(
        cls,
        base_url: str,
        *,
        client_id: str | None = None,
        client_secret: str | None = None,
        access_token: str | None = None,
        timeout: float = 30.0,
        connect_timeout: float = 10.0,
        max_retries: int = 2,
        ca_file: str | PathLike[str] | None = None,
        use_platform_roots: bool = True,
        proxy: str | None = None,
        allow_insecure_http: bool = False,
        danger_accept_invalid_certs: bool = False,
        user_agent: str | None = None,
    ) -> Client: ...
    @property
    def base_url(self) -> str: ...
    def authenticate(self) -> None: ...
    def bind_public_account_owner(self, app_id: str, app_user_id: str, user_name: str) -> str: ...
    def get_public_account_owner(self, app_id: str, app_user_id: str) -> Owner: ...
    def bind_public_account_owners(
        self,
        items: Iterable[Sequence[str]],
        concurrency: int = 8,
        progress: Callable[[int, int, int], object] | None = None,
    ) -> list[BindResult]:
        """One BindResult per item, in input order; items are sequences
        (tuples, lists) of three str. At most concurrency calls run at once
        (at most 64). progress(done, total, failures) runs after each item;
        returning False cancels the items not started.

        If progress raises, or Ctrl-C interrupts the job (KeyboardInterrupt),
        no new item starts, the calls in flight finish, and that exception
        is raised with an attribute partial_results: the list[BindResult]
        the call would have returned, items not started failing with
        CancelledError."""
    def close(self) -> None: ...
    def __enter__(self) -> Client: ...
    def __exit__(
        self,
        *_exc: type[BaseException] | BaseException | TracebackType | None,
    ) -> bool: ...
