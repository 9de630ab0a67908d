from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping, Sequence
from enum import Enum
from os import PathLike
from types import GenericAlias, TracebackType
from typing import Any, ClassVar, Generic, TypeVar, final

from eiam._errors import ApiError as ApiError
from eiam._errors import AuthError as AuthError
from eiam._errors import CancelledError as CancelledError
from eiam._errors import EiamError as EiamError
from eiam._errors import InvalidArgumentError as InvalidArgumentError
from eiam._errors import ProtocolError as ProtocolError
from eiam._errors import TimeoutError as TimeoutError
from eiam._errors import TransportError as TransportError

__all__ = [
    "Account",
    "AccountType",
    "AccountUser",
    "ApiError",
    "AsyncClient",
    "AuthError",
    "BindResult",
    "BindStream",
    "CancelledError",
    "Client",
    "EiamError",
    "FinishedBind",
    "InvalidArgumentError",
    "Owner",
    "Page",
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

_T_co = TypeVar("_T_co", covariant=True)

class AccountType(str, Enum):
    """The kinds of application account; members are str (the service's names)."""

    def __new__(cls, value: object) -> AccountType: ...
    BASIC = "BASIC_ACCOUNT"
    ORPHAN = "ORPHAN_ACCOUNT"
    PUBLIC = "PUBLIC_ACCOUNT"

_AccountTypeArg = AccountType | str | None

@final
class Account:
    """An application account (immutable). Compared by value; unhashable,
    as it holds a dict (extension, a new copy on every read)."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __new__(
        cls,
        id: str,
        account_name: str,
        name: str | None,
        org_id: str | None,
        account_type: str,
        disabled: bool,
        extension: dict[str, Any],
    ) -> Account: ...
    @property
    def id(self) -> str: ...
    @property
    def account_name(self) -> str: ...
    @property
    def name(self) -> str | None: ...
    @property
    def org_id(self) -> str | None: ...
    @property
    def account_type(self) -> str: ...
    @property
    def disabled(self) -> bool: ...
    @property
    def extension(self) -> dict[str, Any]: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __reduce__(
        self,
    ) -> tuple[type[Account], tuple[str, str, str | None, str | None, str, bool, dict[str, Any]]]: ...

@final
class AccountUser:
    """A member of a public account (immutable, hashable)."""

    def __new__(cls, id: str, user_name: str, disabled: bool) -> AccountUser: ...
    @property
    def id(self) -> str: ...
    @property
    def user_name(self) -> str: ...
    @property
    def disabled(self) -> bool: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[type[AccountUser], tuple[str, str, bool]]: ...

@final
class Page(Generic[_T_co]):
    """One page of a list (immutable): its items, the whole list's total
    and this page's number (from 0). Compared by value; hashable when its
    items are (a Page[Account] is not)."""

    def __new__(cls, items: Iterable[_T_co], total: int, page: int) -> Page[_T_co]: ...
    def __class_getitem__(cls, item: Any) -> GenericAlias: ...
    @property
    def items(self) -> tuple[_T_co, ...]: ...
    @property
    def total(self) -> int: ...
    @property
    def page(self) -> int: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[type[Page[_T_co]], tuple[tuple[_T_co, ...], int, int]]: ...

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
class FinishedBind:
    """One finished item of a streaming bulk bind: where it was in the
    input, the item as the iterable gave it, and its outcome."""

    @property
    def index(self) -> int: ...
    @property
    def item(self) -> Sequence[str]: ...
    @property
    def ok(self) -> bool: ...
    @property
    def account_id(self) -> str | None: ...
    @property
    def error(self) -> EiamError | None: ...

@final
class BindStream:
    """The results of Client.bind_public_account_owners_streaming, in
    completion order; usable from any thread."""

    def __iter__(self) -> BindStream: ...
    def __next__(self) -> FinishedBind: ...
    def close(self) -> None:
        """Starts no more items, waits for the calls in flight and drops
        their results."""
    def __enter__(self) -> BindStream: ...
    def __exit__(
        self,
        *_exc: type[BaseException] | BaseException | TracebackType | None,
    ) -> bool: ...

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
    def bind_public_account_owners_streaming(
        self,
        items: Iterable[Sequence[str]],
        concurrency: int = 8,
    ) -> BindStream:
        """Binds the owner of every item of any iterable (a generator, a
        csv reader) and yields a FinishedBind for each as soon as it is
        known, in completion order. The iterable is pulled only as workers
        free up; at most concurrency results wait to be read.

        If the iterable raises, or Ctrl-C interrupts the wait
        (KeyboardInterrupt), no new item starts, the calls in flight
        finish, and that exception is raised with an attribute
        partial_results: the list[FinishedBind] not yet yielded. close(),
        or leaving the loop, stops the job."""
    def create_public_account(
        self,
        app_id: str,
        account_name: str,
        *,
        name: str | None = None,
        org_code: str | None = None,
        password: str | None = None,
        disabled: bool | None = None,
        extension: dict[str, Any] | None = None,
    ) -> str:
        """Creates a public account; returns its id. Not retried once the
        request may have reached the service."""
    def create_basic_account(
        self,
        app_id: str,
        user_id: str,
        *,
        account_name: str | None = None,
        name: str | None = None,
        org_code: str | None = None,
        password: str | None = None,
        disabled: bool | None = None,
        extension: dict[str, Any] | None = None,
    ) -> str: ...
    def create_orphan_account(
        self,
        app_id: str,
        account_name: str,
        *,
        name: str | None = None,
        org_code: str | None = None,
        password: str | None = None,
        disabled: bool | None = None,
        extension: dict[str, Any] | None = None,
    ) -> str: ...
    def add_public_account_users(self, app_id: str, app_user_id: str, user_names: Sequence[str]) -> str: ...
    def remove_public_account_users(self, app_id: str, app_user_id: str, user_names: Sequence[str]) -> str: ...
    def list_public_account_users(
        self, app_id: str, app_user_id: str, *, page: int = 0, page_size: int = 100
    ) -> Page[AccountUser]: ...
    def iter_public_account_users(
        self, app_id: str, app_user_id: str, *, page_size: int = 100
    ) -> Iterator[AccountUser]:
        """Fetches a page at a time as it is read; stops at the list's
        total or an empty page, and raises ProtocolError if the service
        repeats a page. Usable from any thread."""
    def get_account(self, app_id: str, account_id: str) -> Account: ...
    def list_accounts(
        self, app_id: str, *, account_type: _AccountTypeArg = None, page: int = 0, page_size: int = 100
    ) -> Page[Account]: ...
    def iter_accounts(
        self, app_id: str, *, account_type: _AccountTypeArg = None, page_size: int = 100
    ) -> Iterator[Account]:
        """As iter_public_account_users, over the application's accounts."""
    def update_account(
        self,
        app_id: str,
        account_id: str,
        account_name: str,
        *,
        name: str | None = None,
        org_code: str | None = None,
        password: str | None = None,
        disabled: bool | None = None,
        extension: dict[str, Any] | None = None,
    ) -> str: ...
    def disable_account(self, app_id: str, account_id: str) -> str: ...
    def enable_account(self, app_id: str, account_id: str) -> str: ...
    def delete_account(self, app_id: str, account_id: str) -> None: ...
    def request(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        json: Any = None,
        idempotent: bool | None = None,
    ) -> Any:
        """Any management API endpoint; returns the decoded JSON answer, or
        None for an empty one."""
    def close(self) -> None: ...
    def __enter__(self) -> Client: ...
    def __exit__(
        self,
        *_exc: type[BaseException] | BaseException | TracebackType | None,
    ) -> bool: ...

@final
class AsyncClient:
    """eiam.Client's calls for asyncio, each a coroutine. They run on the
    library's worker threads (at most async_workers at once) and never
    block the event loop (asyncio's or uvloop's). Cancelling the awaiting
    task cancels the call: CancelledError at once, the call's request
    ended (a request already sent may still take effect on the service)."""

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
        async_workers: int = 128,
    ) -> AsyncClient: ...
    @property
    def base_url(self) -> str: ...
    async def authenticate(self) -> None: ...
    async def bind_public_account_owner(self, app_id: str, app_user_id: str, user_name: str) -> str: ...
    async def get_public_account_owner(self, app_id: str, app_user_id: str) -> Owner: ...
    async def bind_public_account_owners(
        self,
        items: Iterable[Sequence[str]],
        concurrency: int = 8,
        progress: Callable[[int, int, int], object] | None = None,
    ) -> list[BindResult]:
        """As Client.bind_public_account_owners; progress runs on a worker
        thread, not the loop's. Cancelling the task cancels the items not
        done."""
    async def create_public_account(
        self,
        app_id: str,
        account_name: str,
        *,
        name: str | None = None,
        org_code: str | None = None,
        password: str | None = None,
        disabled: bool | None = None,
        extension: dict[str, Any] | None = None,
    ) -> str:
        """Creates a public account; returns its id. Not retried once the
        request may have reached the service."""
    async def create_basic_account(
        self,
        app_id: str,
        user_id: str,
        *,
        account_name: str | None = None,
        name: str | None = None,
        org_code: str | None = None,
        password: str | None = None,
        disabled: bool | None = None,
        extension: dict[str, Any] | None = None,
    ) -> str: ...
    async def create_orphan_account(
        self,
        app_id: str,
        account_name: str,
        *,
        name: str | None = None,
        org_code: str | None = None,
        password: str | None = None,
        disabled: bool | None = None,
        extension: dict[str, Any] | None = None,
    ) -> str: ...
    async def add_public_account_users(self, app_id: str, app_user_id: str, user_names: Sequence[str]) -> str: ...
    async def remove_public_account_users(self, app_id: str, app_user_id: str, user_names: Sequence[str]) -> str: ...
    async def list_public_account_users(
        self, app_id: str, app_user_id: str, *, page: int = 0, page_size: int = 100
    ) -> Page[AccountUser]: ...
    def iter_public_account_users(
        self, app_id: str, app_user_id: str, *, page_size: int = 100
    ) -> AsyncIterator[AccountUser]:
        """For async for: fetches a page at a time on a worker as it is
        read; stops as Client.iter_public_account_users does. Cancelling a
        fetch ends the walk."""
    async def get_account(self, app_id: str, account_id: str) -> Account: ...
    async def list_accounts(
        self, app_id: str, *, account_type: _AccountTypeArg = None, page: int = 0, page_size: int = 100
    ) -> Page[Account]: ...
    def iter_accounts(
        self, app_id: str, *, account_type: _AccountTypeArg = None, page_size: int = 100
    ) -> AsyncIterator[Account]:
        """As iter_public_account_users, over the application's accounts."""
    async def update_account(
        self,
        app_id: str,
        account_id: str,
        account_name: str,
        *,
        name: str | None = None,
        org_code: str | None = None,
        password: str | None = None,
        disabled: bool | None = None,
        extension: dict[str, Any] | None = None,
    ) -> str: ...
    async def disable_account(self, app_id: str, account_id: str) -> str: ...
    async def enable_account(self, app_id: str, account_id: str) -> str: ...
    async def delete_account(self, app_id: str, account_id: str) -> None: ...
    async def request(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        json: Any = None,
        idempotent: bool | None = None,
    ) -> Any:
        """Any management API endpoint; returns the decoded JSON answer, or
        None for an empty one."""
    async def close(self) -> None: ...
    async def __aenter__(self) -> AsyncClient: ...
    async def __aexit__(
        self,
        *_exc: type[BaseException] | BaseException | TracebackType | None,
    ) -> bool: ...
