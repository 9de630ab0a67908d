"""Client SDK for the EIAM (Employee Identity) management API of Bamboo
Cloud IDaaS.

    import eiam
    with eiam.Client("https://acme.idaas.example.com",
                     client_id="...", client_secret="...") as client:
        account_id = client.bind_public_account_owner("app1", "pub-1", "zhangsan")
        owner = client.get_public_account_owner("app1", "pub-1")
        for account in client.iter_accounts("app1", account_type=eiam.AccountType.PUBLIC):
            print(account.id, account.account_name)

Test code that uses eiam with :class:`eiam.testing.MockServer`.
"""

from ._eiam import Account, AccountUser, BindResult, Client, Owner, Page, __version__
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
from ._types import AccountType

__all__ = [
    "Account",
    "AccountType",
    "AccountUser",
    "ApiError",
    "AuthError",
    "BindResult",
    "CancelledError",
    "Client",
    "EiamError",
    "InvalidArgumentError",
    "Owner",
    "Page",
    "ProtocolError",
    "TimeoutError",
    "TransportError",
    "__version__",
]
