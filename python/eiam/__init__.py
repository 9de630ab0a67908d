"""Client SDK for the EIAM (Employee Identity) management API of Bamboo
Cloud IDaaS.

    import eiam
    with eiam.Client("https://acme.idaas.example.com",
                     client_id="...", client_secret="...") as client:
        account_id = client.bind_public_account_owner("app1", "pub-1", "zhangsan")
        owner = client.get_public_account_owner("app1", "pub-1")
        for account in client.iter_accounts("app1", account_type=eiam.AccountType.PUBLIC):
            print(account.id, account.account_name)

For asyncio, ``eiam.AsyncClient`` has the same calls as coroutines:

    async with eiam.AsyncClient("https://acme.idaas.example.com",
                                client_id="...", client_secret="...") as client:
        owner = await client.get_public_account_owner("app1", "pub-1")
        async for account in client.iter_accounts("app1"):
            print(account.id)

Test code that uses eiam with :class:`eiam.testing.MockServer`.
"""

from enum import Enum

from ._eiam import (
    Account,
    AccountUser,
    AsyncClient,
    AuditFinding,
    BindResult,
    BindStream,
    Client,
    FinishedBind,
    Owner,
    Page,
    __version__,
)
from ._errors import (
    ApiError,
    AuthError,
    CancelledError,
    EiamError,
    InvalidArgumentError,
    ProtocolError,
    TimeoutError,
    TransportError,
)


class AccountType(str, Enum):
    """The kinds of application account. Members are ``str`` (their values
    are the service's names), so either form goes wherever an
    ``account_type`` is taken, and an ``Account.account_type`` compares
    equal to its member: ``account.account_type == AccountType.PUBLIC``."""

    BASIC = "BASIC_ACCOUNT"
    """A compliance account, tied to one user."""
    ORPHAN = "ORPHAN_ACCOUNT"
    """An account with no user."""
    PUBLIC = "PUBLIC_ACCOUNT"
    """A shared account with member users and one owner."""


class FindingKind(str, Enum):
    """What an audit found on a public account (``AuditFinding.kind``).
    Members are ``str``: their values are the names the CLI's audit
    prints."""

    NO_OWNER = "no_owner"
    """Nobody owns the account."""
    DISABLED_OWNER = "disabled_owner"
    """The owner's user is disabled."""
    DISABLED_MEMBERS = "disabled_members"
    """Some members' users are disabled."""
    NO_MEMBERS = "no_members"
    """Nobody may use the account."""


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
