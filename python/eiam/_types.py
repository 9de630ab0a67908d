"""Plain-Python types of the package."""

from enum import Enum


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
