from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping, Sequence
from enum import Enum
from os import PathLike
from types import GenericAlias, TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, final

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
    "AuditFinding",
    "AuthError",
    "BindResult",
    "BindStream",
    "CancelledError",
    "Client",
    "EiamError",
    "FindingKind",
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

    # pdoc runs this stub to read its annotations, and an Enum whose
    # __new__ returns None cannot be built; type checkers see it.
    if TYPE_CHECKING:
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

class FindingKind(str, Enum):
    """What an audit found on a public account; members are str."""

    if TYPE_CHECKING:
        def __new__(cls, value: object) -> FindingKind: ...

    NO_OWNER = "no_owner"
    DISABLED_OWNER = "disabled_owner"
    DISABLED_MEMBERS = "disabled_members"
    NO_MEMBERS = "no_members"

@final
class AuditFinding:
    """One thing that needs attention on one public account (immutable,
    hashable)."""

    def __new__(
        cls, app_id: str, account_id: str, account_name: str, kind: str, user_names: Sequence[str]
    ) -> AuditFinding: ...
    @property
    def app_id(self) -> str: ...
    @property
    def account_id(self) -> str: ...
    @property
    def account_name(self) -> str: ...
    @property
    def kind(self) -> FindingKind: ...
    @property
    def user_names(self) -> tuple[str, ...]:
        """The disabled owner, or the disabled members; empty for the
        other kinds."""
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(
        self,
    ) -> tuple[type[AuditFinding], tuple[str, str, str, str, list[str]]]: ...

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
    def authenticate(self) -> None:
        """Fetches an access token now (or reuses the cached one), so that bad
        credentials fail here rather than at the first call. With a static
        access token there is nothing to check and it returns at once.

        Errors: `AuthError` when the token endpoint refuses the client id and
        secret; `TransportError` or `TimeoutError` when it cannot be reached in
        time.

        Example (eiam.Client):

            >>> client.authenticate()
        """
    def bind_public_account_owner(self, app_id: str, app_user_id: str, user_name: str) -> str:
        """Makes `user_name` the owner of public account `app_user_id` of
        application `app_id`, replacing any previous owner, and returns the
        public account's account id. Binding the same owner again is harmless,
        so the call is retried like a read.

        Errors: `InvalidArgumentError` for an empty `app_id` (`APP.0006`) or
        `app_user_id` (`APP.ACCOUNT.0047`), before anything is sent; `ApiError`
        with `APP.0001` (no such application) or `APP.ACCOUNT.0038` (no such
        public account).

        Example (eiam.Client):

            >>> client.bind_public_account_owner("demo-app", "pub-2", "zhangsan")
            'pub-2'
        """
    def get_public_account_owner(self, app_id: str, app_user_id: str) -> Owner:
        """Returns the owner of public account `app_user_id` of application
        `app_id`: the user's id and name and whether the user is disabled.

        Errors: `InvalidArgumentError` for an empty `app_id` (`APP.0006`) or
        `app_user_id` (`APP.ACCOUNT.0047`), before anything is sent; `ApiError`
        with `APP.ACCOUNT.0038` (no such public account) or `APP.ACCOUNT.0037`
        (the account has no owner).

        Example (eiam.Client):

            >>> client.get_public_account_owner("demo-app", "pub-1").user_name
            'zhangsan'
        """
    def bind_public_account_owners(
        self,
        items: Iterable[Sequence[str]],
        concurrency: int = 8,
        progress: Callable[[int, int, int], object] | None = None,
    ) -> list[BindResult]:
        """Binds the owner of every item (an `app_id`, `app_user_id` and
        `user_name`) with at most `concurrency` calls in flight (the library's
        default is 8, the most 64) and returns one result per item, in input
        order: the account id, or the item's own error. One item's failure never
        stops the others.

        Errors: Each item's result carries the errors of
        `bind_public_account_owner`; items not started when the job is cancelled
        fail with `CancelledError`.

        Items are sequences of three str: (app_id, app_user_id, user_name).
        `progress(done, total, failures)` is called after each item; returning
        False cancels the items not yet started.

        If progress raises, or Ctrl-C interrupts the job (KeyboardInterrupt),
        no new item starts, the calls in flight finish, and that exception
        is raised with an attribute partial_results: the list[BindResult]
        the call would have returned, items not started failing with
        CancelledError.

        Example (eiam.Client):

            >>> results = client.bind_public_account_owners(
            ...     [("demo-app", "pub-1", "cq04130006"), ("demo-app", "no-such", "lisi")]
            ... )
            >>> [r.account_id for r in results]
            ['pub-1', None]
            >>> results[1].error.code
            'APP.ACCOUNT.0038'
        """
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
        """Creates a public (shared) account named `account_name` in application
        `app_id`, with the optional fields given, and returns its account id. It
        is not retried once the request may have reached the service: a second
        create would make a second account.

        Errors: `InvalidArgumentError` for an empty `app_id` (`APP.0006`) or
        `account_name` (`APP.ACCOUNT.0001`), before anything is sent; `ApiError`
        with `APP.0001` (no such application) or `APP.ORG.0024` (no such
        organization code); `TransportError` or `TimeoutError` when the answer
        was lost, and then the account may exist (list the accounts to find
        out).

        Example (eiam.Client):

            >>> account_id = client.create_public_account("demo-app", "shared-mailbox")
            >>> client.get_account("demo-app", account_id).account_type
            'PUBLIC_ACCOUNT'
        """
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
    ) -> str:
        """Creates a compliance (basic) account of user `user_id` in application
        `app_id`, with the optional fields given, and returns its account id.
        Without an `account_name` the service names it after the user. Retried
        as `create_public_account` is.

        Errors: `InvalidArgumentError` for an empty `app_id` (`APP.0006`) or
        `user_id`, before anything is sent; `ApiError` with `APP.0001` (no such
        application), `USER.0001` (no such user) or `APP.ORG.0024` (no such
        organization code); `TransportError` or `TimeoutError` when the answer
        was lost, and then the account may exist.

        Example (eiam.Client):

            >>> account_id = client.create_basic_account("demo-app", "20220331164602949-904C-D475B60AE")
            >>> client.get_account("demo-app", account_id).account_name
            'zhangsan'
        """
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
    ) -> str:
        """Creates an orphan account (one with no user) named `account_name` in
        application `app_id`, with the optional fields given, and returns its
        account id. Retried as `create_public_account` is.

        Errors: As `create_public_account`: `InvalidArgumentError` for an empty
        `app_id` or `account_name`; `ApiError` with `APP.0001` or
        `APP.ORG.0024`; `TransportError` or `TimeoutError` when the answer was
        lost, and then the account may exist.

        Example (eiam.Client):

            >>> account_id = client.create_orphan_account("demo-app", "build-bot", name="Build bot")
            >>> client.get_account("demo-app", account_id).name
            'Build bot'
        """
    def add_public_account_users(self, app_id: str, app_user_id: str, user_names: Sequence[str]) -> str:
        """Gives the users named `user_names` access to public account
        `app_user_id` of application `app_id` and returns the account's id.
        Adding a member again is harmless, so the call is retried like a read.

        Errors: `InvalidArgumentError` for an empty `user_names`, an empty name
        in it, or an empty `app_id` or `app_user_id`, before anything is sent;
        `ApiError` with `APP.0001` (no such application) or `APP.ACCOUNT.0038`
        (no such public account).

        `user_names` is a sequence of str.

        Example (eiam.Client):

            >>> client.add_public_account_users("demo-app", "pub-2", ["zhangsan", "lisi"])
            'pub-2'
        """
    def remove_public_account_users(self, app_id: str, app_user_id: str, user_names: Sequence[str]) -> str:
        """Takes access to public account `app_user_id` of application `app_id`
        away from the users named `user_names` and returns the account's id.
        Retried like a read, as `add_public_account_users` is.

        Errors: As `add_public_account_users`: `InvalidArgumentError` for an
        empty `user_names` or id; `ApiError` with `APP.0001` or
        `APP.ACCOUNT.0038`.

        `user_names` is a sequence of str.

        Example (eiam.Client):

            >>> client.remove_public_account_users("demo-app", "pub-1", ["cq04130006"])
            'pub-1'
        """
    def list_public_account_users(
        self, app_id: str, app_user_id: str, *, page: int = 0, page_size: int = 100
    ) -> Page[AccountUser]:
        """Returns one page of the members of public account `app_user_id` of
        application `app_id`: page `page` (from 0) of `page_size` users (10 to
        100), with the list's total.

        Errors: `InvalidArgumentError` for a `page_size` outside 10 to 100 or an
        empty id, before anything is sent; `ApiError` with `APP.ACCOUNT.0038`
        (no such public account).

        Example (eiam.Client):

            >>> page = client.list_public_account_users("demo-app", "pub-1", page_size=10)
            >>> sorted(user.user_name for user in page.items), page.total
            (['cq04130006', 'zhangsan'], 2)
        """
    def iter_public_account_users(
        self, app_id: str, app_user_id: str, *, page_size: int = 100
    ) -> Iterator[AccountUser]:
        """Walks every member of public account `app_user_id` of application
        `app_id`, fetching a page of `page_size` users when it is needed. The
        walk stops after the list's total or at an empty page.

        Errors: Each step fails as `list_public_account_users` does, and with
        `ProtocolError` when the service repeats a page (a walk that would never
        end).

        An iterator: each page is fetched as it is read, from any thread.

        Example (eiam.Client):

            >>> [user.user_name for user in client.iter_public_account_users("demo-app", "pub-1")]
            ['zhangsan', 'cq04130006']
        """
    def get_account(self, app_id: str, account_id: str) -> Account:
        """Returns account `account_id` of application `app_id`: its names, type,
        organization, state and custom attributes (`extension`).

        Errors: `InvalidArgumentError` for an empty `app_id` (`APP.0006`) or
        `account_id` (`APP.ACCOUNT.0047`), before anything is sent; `ApiError`
        with `APP.ACCOUNT.0028` (no such account).

        Example (eiam.Client):

            >>> client.get_account("demo-app", "pub-1").account_type
            'PUBLIC_ACCOUNT'
        """
    def list_accounts(
        self, app_id: str, *, account_type: _AccountTypeArg = None, page: int = 0, page_size: int = 100
    ) -> Page[Account]:
        """Returns one page of the accounts of application `app_id`, of one
        `account_type` (`BASIC_ACCOUNT`, `ORPHAN_ACCOUNT`, `PUBLIC_ACCOUNT`) or
        of every type: page `page` (from 0) of `page_size` accounts (10 to 100),
        with the list's total.

        Errors: `InvalidArgumentError` for a `page_size` outside 10 to 100, an
        empty `app_id`, or an unknown `account_type` (`APP.ACCOUNT.0045`),
        before anything is sent; `ApiError` with `APP.0001` (no such
        application).

        Example (eiam.Client):

            >>> page = client.list_accounts("paging-app", account_type="ORPHAN_ACCOUNT", page_size=10)
            >>> page.total, len(page.items)
            (83, 10)
        """
    def iter_accounts(
        self, app_id: str, *, account_type: _AccountTypeArg = None, page_size: int = 100
    ) -> Iterator[Account]:
        """Walks every account of application `app_id` (of one `account_type`, or
        of every type), fetching a page of `page_size` accounts when it is
        needed. The walk stops after the list's total or at an empty page.

        Errors: Each step fails as `list_accounts` does, and with
        `ProtocolError` when the service repeats a page (a walk that would never
        end).

        An iterator: each page is fetched as it is read, from any thread.

        Example (eiam.Client):

            >>> len([account for account in client.iter_accounts("paging-app")])
            250
        """
    def audit_public_accounts(self, app_id: str) -> Iterator[AuditFinding]:
        """The public accounts that need attention, one AuditFinding per
        problem, fetched account by account as it is read."""
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
    ) -> str:
        """Updates account `account_id` of application `app_id`: `account_name`
        (which the service requires) and the optional fields given; the others
        stay as they are. Returns the account's id. Retried like a read (the
        same update twice leaves the same account).

        Errors: `InvalidArgumentError` for an empty `app_id`, `account_id` or
        `account_name`, before anything is sent; `ApiError` with `APP.0001` (no
        such application), `APP.ACCOUNT.0028` (no such account) or
        `APP.ORG.0024` (no such organization code).

        Example (eiam.Client):

            >>> client.update_account("demo-app", "pub-1", "pub-1", name="Team mailbox")
            'pub-1'
            >>> client.get_account("demo-app", "pub-1").name
            'Team mailbox'
        """
    def disable_account(self, app_id: str, account_id: str) -> str:
        """Disables account `account_id` of application `app_id` and returns its
        id. Retried like a read.

        Errors: `InvalidArgumentError` for an empty `app_id` or `account_id`,
        before anything is sent; `ApiError` with `APP.ACCOUNT.0028` (no such
        account).

        Example (eiam.Client):

            >>> client.disable_account("demo-app", "pub-1")
            'pub-1'
            >>> client.get_account("demo-app", "pub-1").disabled
            True
        """
    def enable_account(self, app_id: str, account_id: str) -> str:
        """Enables account `account_id` of application `app_id` and returns its id.
        Retried like a read.

        Errors: As `disable_account`: `InvalidArgumentError` for an empty id;
        `ApiError` with `APP.ACCOUNT.0028` (no such account).

        Example (eiam.Client):

            >>> client.enable_account("demo-app", "pub-1")
            'pub-1'
        """
    def delete_account(self, app_id: str, account_id: str) -> None:
        """Deletes account `account_id` (of any type) of application `app_id`.
        Retried like a read: when an earlier attempt's answer was lost and the
        retry finds no such account, that attempt deleted it and the call
        succeeds.

        Errors: `InvalidArgumentError` for an empty `app_id` or `account_id`,
        before anything is sent; `ApiError` with `APP.0001` (no such
        application) or `APP.ACCOUNT.0028` (no such account).

        Example (eiam.Client):

            >>> client.delete_account("demo-app", "pub-2")
            >>> try:
            ...     client.get_account("demo-app", "pub-2")
            ... except eiam.ApiError as e:
            ...     print(e.code)
            APP.ACCOUNT.0028
        """
    def request(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        json: Any = None,
        idempotent: bool | None = None,
    ) -> Any:
        """Sends any management API request: `method` to `path` (relative to the
        base URL, starting with `/api/`, sent as given) with `query` pairs
        (encoded) and an optional JSON body, with the client's token, deadline,
        retries and errors. Returns the answer's JSON, or nothing for an empty
        answer. It is retried as a typed call is when `idempotent` says so (by
        default GET, PUT and DELETE are; POST and PATCH only when they certainly
        did not arrive).

        Errors: `InvalidArgumentError` for an unknown `method` or a `path` not
        under `/api/`, before anything is sent; `ApiError` with the service's
        code for an error answer (the values of `password` keys in the body are
        redacted from it); `ProtocolError` for an answer that is not JSON.

        `query` is a mapping or a sequence of (name, value) pairs of str, and
        `json` the body; the answer is the decoded JSON, or None for an empty
        one.

        Example (eiam.Client):

            >>> client.request("GET", "/api/v2/tenant/applications/demo-app/accounts/pub-1")["account_type"]
            'PUBLIC_ACCOUNT'
        """
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
    async def authenticate(self) -> None:
        """Fetches an access token now (or reuses the cached one), so that bad
        credentials fail here rather than at the first call. With a static
        access token there is nothing to check and it returns at once.

        Errors: `AuthError` when the token endpoint refuses the client id and
        secret; `TransportError` or `TimeoutError` when it cannot be reached in
        time.

        Example (eiam.AsyncClient):

            >>> await client.authenticate()
        """
    async def bind_public_account_owner(self, app_id: str, app_user_id: str, user_name: str) -> str:
        """Makes `user_name` the owner of public account `app_user_id` of
        application `app_id`, replacing any previous owner, and returns the
        public account's account id. Binding the same owner again is harmless,
        so the call is retried like a read.

        Errors: `InvalidArgumentError` for an empty `app_id` (`APP.0006`) or
        `app_user_id` (`APP.ACCOUNT.0047`), before anything is sent; `ApiError`
        with `APP.0001` (no such application) or `APP.ACCOUNT.0038` (no such
        public account).

        Example (eiam.AsyncClient):

            >>> await client.bind_public_account_owner("demo-app", "pub-2", "zhangsan")
            'pub-2'
        """
    async def get_public_account_owner(self, app_id: str, app_user_id: str) -> Owner:
        """Returns the owner of public account `app_user_id` of application
        `app_id`: the user's id and name and whether the user is disabled.

        Errors: `InvalidArgumentError` for an empty `app_id` (`APP.0006`) or
        `app_user_id` (`APP.ACCOUNT.0047`), before anything is sent; `ApiError`
        with `APP.ACCOUNT.0038` (no such public account) or `APP.ACCOUNT.0037`
        (the account has no owner).

        Example (eiam.AsyncClient):

            >>> (await client.get_public_account_owner("demo-app", "pub-1")).user_name
            'zhangsan'
        """
    async def bind_public_account_owners(
        self,
        items: Iterable[Sequence[str]],
        concurrency: int = 8,
        progress: Callable[[int, int, int], object] | None = None,
    ) -> list[BindResult]:
        """Binds the owner of every item (an `app_id`, `app_user_id` and
        `user_name`) with at most `concurrency` calls in flight (the library's
        default is 8, the most 64) and returns one result per item, in input
        order: the account id, or the item's own error. One item's failure never
        stops the others.

        Errors: Each item's result carries the errors of
        `bind_public_account_owner`; items not started when the job is cancelled
        fail with `CancelledError`.

        As `eiam.Client.bind_public_account_owners`; `progress` runs on a worker
        thread, not the loop's. Cancelling the task cancels the items not yet
        done.

        Example (eiam.AsyncClient):

            >>> results = await client.bind_public_account_owners(
            ...     [("demo-app", "pub-1", "cq04130006"), ("demo-app", "no-such", "lisi")]
            ... )
            >>> [r.account_id for r in results]
            ['pub-1', None]
            >>> results[1].error.code
            'APP.ACCOUNT.0038'
        """
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
        """Creates a public (shared) account named `account_name` in application
        `app_id`, with the optional fields given, and returns its account id. It
        is not retried once the request may have reached the service: a second
        create would make a second account.

        Errors: `InvalidArgumentError` for an empty `app_id` (`APP.0006`) or
        `account_name` (`APP.ACCOUNT.0001`), before anything is sent; `ApiError`
        with `APP.0001` (no such application) or `APP.ORG.0024` (no such
        organization code); `TransportError` or `TimeoutError` when the answer
        was lost, and then the account may exist (list the accounts to find
        out).

        Example (eiam.AsyncClient):

            >>> account_id = await client.create_public_account("demo-app", "shared-mailbox")
            >>> (await client.get_account("demo-app", account_id)).account_type
            'PUBLIC_ACCOUNT'
        """
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
    ) -> str:
        """Creates a compliance (basic) account of user `user_id` in application
        `app_id`, with the optional fields given, and returns its account id.
        Without an `account_name` the service names it after the user. Retried
        as `create_public_account` is.

        Errors: `InvalidArgumentError` for an empty `app_id` (`APP.0006`) or
        `user_id`, before anything is sent; `ApiError` with `APP.0001` (no such
        application), `USER.0001` (no such user) or `APP.ORG.0024` (no such
        organization code); `TransportError` or `TimeoutError` when the answer
        was lost, and then the account may exist.

        Example (eiam.AsyncClient):

            >>> account_id = await client.create_basic_account("demo-app", "20220331164602949-904C-D475B60AE")
            >>> (await client.get_account("demo-app", account_id)).account_name
            'zhangsan'
        """
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
    ) -> str:
        """Creates an orphan account (one with no user) named `account_name` in
        application `app_id`, with the optional fields given, and returns its
        account id. Retried as `create_public_account` is.

        Errors: As `create_public_account`: `InvalidArgumentError` for an empty
        `app_id` or `account_name`; `ApiError` with `APP.0001` or
        `APP.ORG.0024`; `TransportError` or `TimeoutError` when the answer was
        lost, and then the account may exist.

        Example (eiam.AsyncClient):

            >>> account_id = await client.create_orphan_account("demo-app", "build-bot", name="Build bot")
            >>> (await client.get_account("demo-app", account_id)).name
            'Build bot'
        """
    async def add_public_account_users(self, app_id: str, app_user_id: str, user_names: Sequence[str]) -> str:
        """Gives the users named `user_names` access to public account
        `app_user_id` of application `app_id` and returns the account's id.
        Adding a member again is harmless, so the call is retried like a read.

        Errors: `InvalidArgumentError` for an empty `user_names`, an empty name
        in it, or an empty `app_id` or `app_user_id`, before anything is sent;
        `ApiError` with `APP.0001` (no such application) or `APP.ACCOUNT.0038`
        (no such public account).

        `user_names` is a sequence of str.

        Example (eiam.AsyncClient):

            >>> await client.add_public_account_users("demo-app", "pub-2", ["zhangsan", "lisi"])
            'pub-2'
        """
    async def remove_public_account_users(self, app_id: str, app_user_id: str, user_names: Sequence[str]) -> str:
        """Takes access to public account `app_user_id` of application `app_id`
        away from the users named `user_names` and returns the account's id.
        Retried like a read, as `add_public_account_users` is.

        Errors: As `add_public_account_users`: `InvalidArgumentError` for an
        empty `user_names` or id; `ApiError` with `APP.0001` or
        `APP.ACCOUNT.0038`.

        `user_names` is a sequence of str.

        Example (eiam.AsyncClient):

            >>> await client.remove_public_account_users("demo-app", "pub-1", ["cq04130006"])
            'pub-1'
        """
    async def list_public_account_users(
        self, app_id: str, app_user_id: str, *, page: int = 0, page_size: int = 100
    ) -> Page[AccountUser]:
        """Returns one page of the members of public account `app_user_id` of
        application `app_id`: page `page` (from 0) of `page_size` users (10 to
        100), with the list's total.

        Errors: `InvalidArgumentError` for a `page_size` outside 10 to 100 or an
        empty id, before anything is sent; `ApiError` with `APP.ACCOUNT.0038`
        (no such public account).

        Example (eiam.AsyncClient):

            >>> page = await client.list_public_account_users("demo-app", "pub-1", page_size=10)
            >>> sorted(user.user_name for user in page.items), page.total
            (['cq04130006', 'zhangsan'], 2)
        """
    def iter_public_account_users(
        self, app_id: str, app_user_id: str, *, page_size: int = 100
    ) -> AsyncIterator[AccountUser]:
        """Walks every member of public account `app_user_id` of application
        `app_id`, fetching a page of `page_size` users when it is needed. The
        walk stops after the list's total or at an empty page.

        Errors: Each step fails as `list_public_account_users` does, and with
        `ProtocolError` when the service repeats a page (a walk that would never
        end).

        For `async for`: each page is fetched on a worker; cancelling a fetch
        ends the walk.

        Example (eiam.AsyncClient):

            >>> [user.user_name async for user in client.iter_public_account_users("demo-app", "pub-1")]
            ['zhangsan', 'cq04130006']
        """
    async def get_account(self, app_id: str, account_id: str) -> Account:
        """Returns account `account_id` of application `app_id`: its names, type,
        organization, state and custom attributes (`extension`).

        Errors: `InvalidArgumentError` for an empty `app_id` (`APP.0006`) or
        `account_id` (`APP.ACCOUNT.0047`), before anything is sent; `ApiError`
        with `APP.ACCOUNT.0028` (no such account).

        Example (eiam.AsyncClient):

            >>> (await client.get_account("demo-app", "pub-1")).account_type
            'PUBLIC_ACCOUNT'
        """
    async def list_accounts(
        self, app_id: str, *, account_type: _AccountTypeArg = None, page: int = 0, page_size: int = 100
    ) -> Page[Account]:
        """Returns one page of the accounts of application `app_id`, of one
        `account_type` (`BASIC_ACCOUNT`, `ORPHAN_ACCOUNT`, `PUBLIC_ACCOUNT`) or
        of every type: page `page` (from 0) of `page_size` accounts (10 to 100),
        with the list's total.

        Errors: `InvalidArgumentError` for a `page_size` outside 10 to 100, an
        empty `app_id`, or an unknown `account_type` (`APP.ACCOUNT.0045`),
        before anything is sent; `ApiError` with `APP.0001` (no such
        application).

        Example (eiam.AsyncClient):

            >>> page = await client.list_accounts("paging-app", account_type="ORPHAN_ACCOUNT", page_size=10)
            >>> page.total, len(page.items)
            (83, 10)
        """
    def iter_accounts(
        self, app_id: str, *, account_type: _AccountTypeArg = None, page_size: int = 100
    ) -> AsyncIterator[Account]:
        """Walks every account of application `app_id` (of one `account_type`, or
        of every type), fetching a page of `page_size` accounts when it is
        needed. The walk stops after the list's total or at an empty page.

        Errors: Each step fails as `list_accounts` does, and with
        `ProtocolError` when the service repeats a page (a walk that would never
        end).

        For `async for`: each page is fetched on a worker; cancelling a fetch
        ends the walk.

        Example (eiam.AsyncClient):

            >>> len([account async for account in client.iter_accounts("paging-app")])
            250
        """
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
    ) -> str:
        """Updates account `account_id` of application `app_id`: `account_name`
        (which the service requires) and the optional fields given; the others
        stay as they are. Returns the account's id. Retried like a read (the
        same update twice leaves the same account).

        Errors: `InvalidArgumentError` for an empty `app_id`, `account_id` or
        `account_name`, before anything is sent; `ApiError` with `APP.0001` (no
        such application), `APP.ACCOUNT.0028` (no such account) or
        `APP.ORG.0024` (no such organization code).

        Example (eiam.AsyncClient):

            >>> await client.update_account("demo-app", "pub-1", "pub-1", name="Team mailbox")
            'pub-1'
            >>> (await client.get_account("demo-app", "pub-1")).name
            'Team mailbox'
        """
    async def disable_account(self, app_id: str, account_id: str) -> str:
        """Disables account `account_id` of application `app_id` and returns its
        id. Retried like a read.

        Errors: `InvalidArgumentError` for an empty `app_id` or `account_id`,
        before anything is sent; `ApiError` with `APP.ACCOUNT.0028` (no such
        account).

        Example (eiam.AsyncClient):

            >>> await client.disable_account("demo-app", "pub-1")
            'pub-1'
            >>> (await client.get_account("demo-app", "pub-1")).disabled
            True
        """
    async def enable_account(self, app_id: str, account_id: str) -> str:
        """Enables account `account_id` of application `app_id` and returns its id.
        Retried like a read.

        Errors: As `disable_account`: `InvalidArgumentError` for an empty id;
        `ApiError` with `APP.ACCOUNT.0028` (no such account).

        Example (eiam.AsyncClient):

            >>> await client.enable_account("demo-app", "pub-1")
            'pub-1'
        """
    async def delete_account(self, app_id: str, account_id: str) -> None:
        """Deletes account `account_id` (of any type) of application `app_id`.
        Retried like a read: when an earlier attempt's answer was lost and the
        retry finds no such account, that attempt deleted it and the call
        succeeds.

        Errors: `InvalidArgumentError` for an empty `app_id` or `account_id`,
        before anything is sent; `ApiError` with `APP.0001` (no such
        application) or `APP.ACCOUNT.0028` (no such account).

        Example (eiam.AsyncClient):

            >>> await client.delete_account("demo-app", "pub-2")
            >>> try:
            ...     await client.get_account("demo-app", "pub-2")
            ... except eiam.ApiError as e:
            ...     print(e.code)
            APP.ACCOUNT.0028
        """
    async def request(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        json: Any = None,
        idempotent: bool | None = None,
    ) -> Any:
        """Sends any management API request: `method` to `path` (relative to the
        base URL, starting with `/api/`, sent as given) with `query` pairs
        (encoded) and an optional JSON body, with the client's token, deadline,
        retries and errors. Returns the answer's JSON, or nothing for an empty
        answer. It is retried as a typed call is when `idempotent` says so (by
        default GET, PUT and DELETE are; POST and PATCH only when they certainly
        did not arrive).

        Errors: `InvalidArgumentError` for an unknown `method` or a `path` not
        under `/api/`, before anything is sent; `ApiError` with the service's
        code for an error answer (the values of `password` keys in the body are
        redacted from it); `ProtocolError` for an answer that is not JSON.

        `query` is a mapping or a sequence of (name, value) pairs of str, and
        `json` the body; the answer is the decoded JSON, or None for an empty
        one.

        Example (eiam.AsyncClient):

            >>> (await client.request("GET", "/api/v2/tenant/applications/demo-app/accounts/pub-1"))["account_type"]
            'PUBLIC_ACCOUNT'
        """
    async def close(self) -> None: ...
    async def __aenter__(self) -> AsyncClient: ...
    async def __aexit__(
        self,
        *_exc: type[BaseException] | BaseException | TracebackType | None,
    ) -> bool: ...
