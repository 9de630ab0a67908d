"""The account family through the Python API, against the mock: every
call's success, the documented error codes, paging, the iterators' rules,
extension round-trips, retries of creates and deletes, the raw request, and
that a password shows up nowhere."""

import copy
import json
import logging
import math
import pickle
import threading
from collections.abc import Callable
from typing import Any

import pytest

import eiam
from eiam.testing import MockServer
from helpers import page_as_served, wait_until

ZHANGSAN_ID = "20220331164602949-904C-D475B60AE"
SALES_ORG_ID = "20220401000000002-0A0A-000000002"
PASSWORD = "pw-7c1e55a0-never-shown"
EXTENSION: "dict[str, Any]" = {"部门": {"级别": [1, 2.5, True, None]}, "z": "末", "a": {}}


@pytest.fixture
def authenticated(client: eiam.Client) -> eiam.Client:
    """A client holding its token, so the counters see API requests only."""
    client.authenticate()
    return client


def api_requests(mock: MockServer) -> int:
    return mock.stats.api_requests


# ---- every call's success ----------------------------------------------------


def test_create_public_account_sends_every_field(client: eiam.Client, mock: MockServer) -> None:
    account_id = client.create_public_account(
        "demo-app", "shared-1", name="Shared", org_code="sales", password=PASSWORD, disabled=True, extension=EXTENSION
    )
    stored = mock.account("demo-app", account_id)
    assert stored is not None
    assert (stored["account_type"], stored["account_name"], stored["name"]) == ("PUBLIC_ACCOUNT", "shared-1", "Shared")
    assert (stored["org_id"], stored["disabled"], stored["has_password"]) == (SALES_ORG_ID, True, True)
    assert mock.password_is("demo-app", account_id, PASSWORD)
    assert stored["extension"] == EXTENSION


def test_create_basic_account_defaults_its_name_to_the_user(client: eiam.Client, mock: MockServer) -> None:
    account_id = client.create_basic_account("demo-app", ZHANGSAN_ID)
    stored = mock.account("demo-app", account_id)
    assert stored is not None
    assert (stored["account_type"], stored["account_name"], stored["user_id"]) == (
        "BASIC_ACCOUNT",
        "zhangsan",
        ZHANGSAN_ID,
    )
    named = client.create_basic_account("demo-app", ZHANGSAN_ID, account_name="zs", disabled=False)
    assert mock.account("demo-app", named) == {**stored, "id": named, "account_name": "zs"}


def test_create_orphan_account(client: eiam.Client, mock: MockServer) -> None:
    before = mock.account_count("demo-app")
    account_id = client.create_orphan_account("demo-app", "robot", name="Robot")
    account = client.get_account("demo-app", account_id)
    assert account == eiam.Account(account_id, "robot", "Robot", None, "ORPHAN_ACCOUNT", False, {})
    assert account.account_type == eiam.AccountType.ORPHAN
    assert mock.account_count("demo-app") == before + 1


def test_members_are_added_listed_and_removed(client: eiam.Client, mock: MockServer) -> None:
    assert client.add_public_account_users("demo-app", "pub-2", ["zhangsan", "lisi"]) == "pub-2"
    assert client.add_public_account_users("demo-app", "pub-2", ("zhangsan",)) == "pub-2"
    assert mock.members_of("demo-app", "pub-2") == ["zhangsan", "lisi"]
    page = client.list_public_account_users("demo-app", "pub-2", page_size=10)
    assert isinstance(page, eiam.Page)
    assert (page.total, page.page) == (2, 0)
    assert [u.user_name for u in page.items] == ["zhangsan", "lisi"]
    assert page.items[0] == eiam.AccountUser(ZHANGSAN_ID, "zhangsan", False)
    assert page.items[1].disabled is True  # lisi is a disabled user
    assert client.remove_public_account_users("demo-app", "pub-2", ["lisi"]) == "pub-2"
    assert mock.members_of("demo-app", "pub-2") == ["zhangsan"]
    assert [u.user_name for u in client.iter_public_account_users("demo-app", "pub-2")] == ["zhangsan"]


def test_iter_public_account_users_fetches_one_page_per_request(
    authenticated: eiam.Client, mock: MockServer
) -> None:
    names = [f"user-{i:02}" for i in range(25)]
    for name in names:
        mock.add_user(name)
    mock.add_account("demo-app", "PUBLIC_ACCOUNT", "crowd", id="crowd", users=names)
    before = api_requests(mock)
    users = list(authenticated.iter_public_account_users("demo-app", "crowd", page_size=10))
    assert [u.user_name for u in users] == names
    assert api_requests(mock) - before == 3


def test_get_account(client: eiam.Client, mock: MockServer) -> None:
    mock.add_account(
        "demo-app", "BASIC_ACCOUNT", "zs", id="b-1", name="张三", org_id=SALES_ORG_ID, disabled=True, extension=EXTENSION
    )
    account = client.get_account("demo-app", "b-1")
    assert account == eiam.Account("b-1", "zs", "张三", SALES_ORG_ID, "BASIC_ACCOUNT", True, EXTENSION)
    assert (account.id, account.account_name, account.name, account.org_id) == ("b-1", "zs", "张三", SALES_ORG_ID)
    assert (account.account_type, account.disabled) == ("BASIC_ACCOUNT", True)
    assert list(account.extension) == ["部门", "z", "a"]  # the order as sent


def test_list_accounts_by_type(authenticated: eiam.Client, mock: MockServer) -> None:
    # paging-app: 250 accounts, by n % 3 public, basic or orphan.
    kinds: "list[tuple[eiam.AccountType | str, str, int]]" = [
        (eiam.AccountType.BASIC, "BASIC_ACCOUNT", 84),
        ("ORPHAN_ACCOUNT", "ORPHAN_ACCOUNT", 83),
        (eiam.AccountType.PUBLIC, "PUBLIC_ACCOUNT", 83),
    ]
    for kind, name, total in kinds:
        page = authenticated.list_accounts("paging-app", account_type=kind, page=0, page_size=10)
        assert page.total == total
        assert len(page.items) == 10
        assert {a.account_type for a in page.items} == {name}
    everything = authenticated.list_accounts("paging-app", page=2)
    assert (everything.total, everything.page, len(everything.items)) == (250, 2, 50)
    assert everything.items[-1].id == "acct-250"
    past_the_end = authenticated.list_accounts("paging-app", page=3)
    assert (past_the_end.total, past_the_end.items) == (250, ())


def test_update_account_changes_the_fields_given(client: eiam.Client, mock: MockServer) -> None:
    account_id = client.create_orphan_account("demo-app", "robot", name="Robot", extension={"k": 1})
    assert client.update_account("demo-app", account_id, "robot-2", org_code="root", password=PASSWORD) == account_id
    account = client.get_account("demo-app", account_id)
    assert (account.account_name, account.name, account.extension) == ("robot-2", "Robot", {"k": 1})
    assert account.org_id == "20220401000000001-0A0A-000000001"
    assert mock.password_is("demo-app", account_id, PASSWORD)
    client.update_account("demo-app", account_id, "robot-2", disabled=True, extension={"k": [2]}, name="R")
    account = client.get_account("demo-app", account_id)
    assert (account.name, account.disabled, account.extension) == ("R", True, {"k": [2]})


def test_disable_and_enable(client: eiam.Client, mock: MockServer) -> None:
    assert client.disable_account("demo-app", "pub-1") == "pub-1"
    assert client.get_account("demo-app", "pub-1").disabled is True
    assert client.enable_account("demo-app", "pub-1") == "pub-1"
    stored = mock.account("demo-app", "pub-1")
    assert stored is not None and stored["disabled"] is False


def test_delete_account(client: eiam.Client, mock: MockServer) -> None:
    before = mock.account_count("demo-app")
    assert client.delete_account("demo-app", "pub-2") is None  # type: ignore[func-returns-value]
    assert mock.account("demo-app", "pub-2") is None
    assert mock.account_count("demo-app") == before - 1
    with pytest.raises(eiam.ApiError) as caught:
        client.delete_account("demo-app", "pub-2")
    assert caught.value.code == "APP.ACCOUNT.0028"


# ---- the documented errors ---------------------------------------------------

ERRORS: "list[Any]" = [
    pytest.param(lambda c: c.create_public_account("nope", "x"), "APP.0001", id="create-unknown-app"),
    pytest.param(lambda c: c.create_basic_account("nope", ZHANGSAN_ID), "APP.0001", id="basic-unknown-app"),
    pytest.param(lambda c: c.create_orphan_account("demo-app", "x", org_code="nope"), "APP.ORG.0024", id="bad-org"),
    pytest.param(lambda c: c.create_public_account("demo-app", "x", org_code="nope"), "APP.ORG.0024", id="bad-org-public"),
    pytest.param(lambda c: c.create_basic_account("demo-app", "no-such-user"), "USER.0001", id="basic-unknown-user"),
    pytest.param(lambda c: c.add_public_account_users("demo-app", "pub-1", ["ghost"]), "USER.0001", id="bind-unknown-user"),
    pytest.param(lambda c: c.add_public_account_users("demo-app", "nope", ["lisi"]), "APP.ACCOUNT.0038", id="bind-no-account"),
    pytest.param(lambda c: c.remove_public_account_users("demo-app", "nope", ["lisi"]), "APP.ACCOUNT.0038", id="unbind-no-account"),
    pytest.param(lambda c: c.list_public_account_users("demo-app", "nope"), "APP.ACCOUNT.0038", id="members-no-account"),
    pytest.param(lambda c: list(c.iter_public_account_users("demo-app", "nope")), "APP.ACCOUNT.0038", id="iter-members-no-account"),
    # The mock sends " APP.ACCOUNT. 0028" here, as the documentation shows.
    pytest.param(lambda c: c.get_account("demo-app", "nope"), "APP.ACCOUNT.0028", id="get-no-account"),
    pytest.param(lambda c: c.update_account("demo-app", "nope", "x"), "APP.ACCOUNT.0028", id="update-no-account"),
    pytest.param(lambda c: c.update_account("nope", "pub-1", "x"), "APP.0001", id="update-unknown-app"),
    pytest.param(lambda c: c.disable_account("demo-app", "nope"), "APP.ACCOUNT.0028", id="disable-no-account"),
    pytest.param(lambda c: c.enable_account("demo-app", "nope"), "APP.ACCOUNT.0028", id="enable-no-account"),
    pytest.param(lambda c: c.delete_account("demo-app", "nope"), "APP.ACCOUNT.0028", id="delete-no-account"),
    pytest.param(lambda c: c.delete_account("nope", "pub-1"), "APP.0001", id="delete-unknown-app"),
    pytest.param(lambda c: c.list_accounts("nope"), "APP.0001", id="list-unknown-app"),
]


@pytest.mark.parametrize(("call", "code"), ERRORS)
def test_documented_errors(authenticated: eiam.Client, mock: MockServer, call: Callable[[eiam.Client], object], code: str) -> None:
    with pytest.raises(eiam.ApiError) as caught:
        call(authenticated)
    assert (caught.value.code, caught.value.http_status) == (code, 400)
    assert str(caught.value).startswith(f"{code} (HTTP 400): ")
    assert api_requests(mock) == 1


LOCAL: "list[Any]" = [
    pytest.param(lambda c: c.list_accounts("paging-app", account_type="BASIC"), "APP.ACCOUNT.0045", id="list-bad-type"),
    pytest.param(lambda c: c.iter_accounts("paging-app", account_type="public_account"), "APP.ACCOUNT.0045", id="iter-bad-type"),
    pytest.param(lambda c: c.list_accounts("paging-app", page_size=9), "OAP.PAGE.0002", id="list-9"),
    pytest.param(lambda c: c.list_accounts("paging-app", page_size=101), "OAP.PAGE.0002", id="list-101"),
    pytest.param(lambda c: c.list_public_account_users("demo-app", "pub-1", page_size=9), "OAP.PAGE.0002", id="members-9"),
    pytest.param(lambda c: c.list_public_account_users("demo-app", "pub-1", page_size=101), "OAP.PAGE.0002", id="members-101"),
    pytest.param(lambda c: next(c.iter_accounts("paging-app", page_size=9)), "OAP.PAGE.0002", id="iter-9"),
    pytest.param(lambda c: next(c.iter_public_account_users("demo-app", "pub-1", page_size=101)), "OAP.PAGE.0002", id="iter-members-101"),
    pytest.param(lambda c: c.get_account("", "pub-1"), "APP.0006", id="get-empty-app"),
    pytest.param(lambda c: c.get_account("demo-app", " "), "APP.ACCOUNT.0047", id="get-blank-id"),
    pytest.param(lambda c: c.delete_account("demo-app", ""), "APP.ACCOUNT.0047", id="delete-empty-id"),
    pytest.param(lambda c: c.add_public_account_users("", "pub-1", ["lisi"]), "APP.0006", id="bind-empty-app"),
    pytest.param(lambda c: c.add_public_account_users("demo-app", "", ["lisi"]), "APP.ACCOUNT.0047", id="bind-empty-id"),
    pytest.param(lambda c: c.remove_public_account_users("demo-app", "", ["lisi"]), "APP.ACCOUNT.0047", id="unbind-empty-id"),
    pytest.param(lambda c: c.create_public_account("demo-app", ""), "APP.ACCOUNT.0001", id="create-empty-name"),
    pytest.param(lambda c: c.add_public_account_users("demo-app", "pub-1", []), None, id="bind-no-names"),
    pytest.param(lambda c: c.request("GET", "/v2/tenant/applications"), None, id="request-bad-path"),
    pytest.param(lambda c: c.request("GET", "/api/../token"), None, id="request-dotdot"),
    pytest.param(lambda c: c.request("FETCH", "/api/v2/tenant/users"), None, id="request-bad-method"),
]


@pytest.mark.parametrize(("call", "code"), LOCAL)
def test_refused_before_anything_is_sent(
    authenticated: eiam.Client, mock: MockServer, call: Callable[[eiam.Client], object], code: "str | None"
) -> None:
    with pytest.raises(eiam.InvalidArgumentError) as caught:
        call(authenticated)
    assert caught.value.code == code
    assert caught.value.http_status is None
    assert mock.stats.requests == 1  # the token request only


def test_account_type_enum_members_are_the_service_names() -> None:
    assert [t.value for t in eiam.AccountType] == ["BASIC_ACCOUNT", "ORPHAN_ACCOUNT", "PUBLIC_ACCOUNT"]
    assert eiam.AccountType("PUBLIC_ACCOUNT") is eiam.AccountType.PUBLIC
    basic: str = eiam.AccountType.BASIC
    assert basic == "BASIC_ACCOUNT" and "BASIC_ACCOUNT" == basic


@pytest.mark.parametrize("bad", [5, b"PUBLIC_ACCOUNT", ["PUBLIC_ACCOUNT"]])
def test_account_type_of_a_wrong_type_is_a_type_error(authenticated: eiam.Client, mock: MockServer, bad: object) -> None:
    with pytest.raises(TypeError, match="^account_type must be str, eiam.AccountType or None"):
        authenticated.list_accounts("paging-app", account_type=bad)  # type: ignore[arg-type]
    assert mock.stats.requests == 1


# ---- arguments: NUL, types, user_names -----------------------------------------

NUL = "x\x00y"
# Every text argument of every call, each replaced by one with a NUL in it.
TEXT_ARGS: "list[tuple[str, str, Callable[[eiam.Client, str], object]]]" = [
    ("create_public_account", "app_id", lambda c, v: c.create_public_account(v, "n")),
    ("create_public_account", "account_name", lambda c, v: c.create_public_account("demo-app", v)),
    ("create_public_account", "name", lambda c, v: c.create_public_account("demo-app", "n", name=v)),
    ("create_public_account", "org_code", lambda c, v: c.create_public_account("demo-app", "n", org_code=v)),
    ("create_basic_account", "app_id", lambda c, v: c.create_basic_account(v, ZHANGSAN_ID)),
    ("create_basic_account", "user_id", lambda c, v: c.create_basic_account("demo-app", v)),
    ("create_basic_account", "account_name", lambda c, v: c.create_basic_account("demo-app", ZHANGSAN_ID, account_name=v)),
    ("create_orphan_account", "account_name", lambda c, v: c.create_orphan_account("demo-app", v)),
    ("create_orphan_account", "name", lambda c, v: c.create_orphan_account("demo-app", "n", name=v)),
    ("add_public_account_users", "app_user_id", lambda c, v: c.add_public_account_users("demo-app", v, ["lisi"])),
    ("add_public_account_users", "user_names[1]", lambda c, v: c.add_public_account_users("demo-app", "pub-1", ["lisi", v])),
    ("remove_public_account_users", "app_id", lambda c, v: c.remove_public_account_users(v, "pub-1", ["lisi"])),
    ("remove_public_account_users", "user_names[0]", lambda c, v: c.remove_public_account_users("demo-app", "pub-1", [v])),
    ("list_public_account_users", "app_user_id", lambda c, v: c.list_public_account_users("demo-app", v)),
    ("iter_public_account_users", "app_id", lambda c, v: next(c.iter_public_account_users(v, "pub-1"))),
    ("get_account", "app_id", lambda c, v: c.get_account(v, "pub-1")),
    ("get_account", "account_id", lambda c, v: c.get_account("demo-app", v)),
    ("list_accounts", "app_id", lambda c, v: c.list_accounts(v)),
    ("iter_accounts", "app_id", lambda c, v: next(c.iter_accounts(v))),
    ("update_account", "account_id", lambda c, v: c.update_account("demo-app", v, "n")),
    ("update_account", "account_name", lambda c, v: c.update_account("demo-app", "pub-1", v)),
    ("update_account", "org_code", lambda c, v: c.update_account("demo-app", "pub-1", "n", org_code=v)),
    ("disable_account", "account_id", lambda c, v: c.disable_account("demo-app", v)),
    ("enable_account", "app_id", lambda c, v: c.enable_account(v, "pub-1")),
    ("delete_account", "account_id", lambda c, v: c.delete_account("demo-app", v)),
    ("request", "path", lambda c, v: c.request("GET", "/api/v2/" + v)),
    ("request", "query[0].value", lambda c, v: c.request("GET", "/api/v2/tenant/users", query={"offset": v})),
]


@pytest.mark.parametrize(("param", "call"), [pytest.param(p, c, id=f"{m}-{p}") for m, p, c in TEXT_ARGS])
def test_nul_in_any_text_argument_is_refused_naming_it(
    authenticated: eiam.Client, mock: MockServer, param: str, call: Callable[[eiam.Client, str], object]
) -> None:
    with pytest.raises(eiam.InvalidArgumentError) as caught:
        call(authenticated, NUL)
    assert caught.value.message.startswith(param), caught.value.message
    assert mock.stats.requests == 1


@pytest.mark.parametrize(
    ("call", "match"),
    [
        pytest.param(lambda c: c.get_account(None, "pub-1"), "^app_id must be str, not NoneType$", id="app_id"),
        pytest.param(lambda c: c.delete_account("demo-app", 5), "^account_id must be str, not int$", id="account_id"),
        pytest.param(lambda c: c.create_public_account("demo-app", "n", name=5), "^name must be str or None", id="name"),
        pytest.param(lambda c: c.create_public_account("demo-app", "n", password=b"pw"), "^password must be str or None", id="password"),
        pytest.param(lambda c: c.create_public_account("demo-app", "n", disabled=1), "^disabled must be bool or None, not int$", id="disabled"),
        pytest.param(lambda c: c.create_public_account("demo-app", "n", extension=[1]), "^extension must be dict or None, not list$", id="extension"),
        pytest.param(lambda c: c.add_public_account_users("demo-app", "pub-1", "lisi"), "^user_names must be a sequence of str", id="user_names-str"),
        pytest.param(lambda c: c.add_public_account_users("demo-app", "pub-1", b"lisi"), "^user_names must be a sequence of str", id="user_names-bytes"),
        pytest.param(lambda c: c.add_public_account_users("demo-app", "pub-1", {"lisi"}), "^user_names must be a sequence of str, not set$", id="user_names-set"),
        pytest.param(lambda c: c.remove_public_account_users("demo-app", "pub-1", ["lisi", 5]), r"^user_names\[1\] must be str, not int$", id="user_names-item"),
        pytest.param(lambda c: c.list_accounts("paging-app", page="0"), "^page must be int, not str$", id="page"),
        pytest.param(lambda c: c.iter_accounts("paging-app", page_size=True), "^page_size must be int, not bool$", id="page_size"),
        pytest.param(lambda c: c.request("GET", "/api/v2/x", query="a=b"), "^query must be a mapping or a sequence", id="query-str"),
        pytest.param(lambda c: c.request("GET", "/api/v2/x", query=[("a", 1)]), r"^query\[0\] value must be str, not int$", id="query-int"),
        pytest.param(lambda c: c.request("GET", "/api/v2/x", query=[("a",)]), r"^query\[0\] must be a \(name, value\) pair", id="query-single"),
        pytest.param(lambda c: c.request("GET", "/api/v2/x", idempotent="yes"), "^idempotent must be bool or None", id="idempotent"),
    ],
)
def test_wrong_types_are_type_errors_naming_the_argument(
    authenticated: eiam.Client, mock: MockServer, call: Callable[[Any], object], match: str
) -> None:
    with pytest.raises(TypeError, match=match):
        call(authenticated)
    assert mock.stats.requests == 1


# ---- extension and JSON ----------------------------------------------------------


def test_extension_round_trips_nested_values_and_non_ascii(client: eiam.Client, mock: MockServer) -> None:
    extension = {"部门": {"级别": [1, 2.5, True, None]}, "名字": "张三", "big": 2**63, "neg": -(2**63), "t": (1, "x")}
    account_id = client.create_orphan_account("demo-app", "ext", extension=extension)
    account = client.get_account("demo-app", account_id)
    assert account.extension == {**extension, "t": [1, "x"]}
    assert list(account.extension) == list(extension)
    assert account.extension["部门"]["级别"][1] == 2.5 and isinstance(account.extension["big"], int)
    # A copy on every read: the account stays as it was.
    account.extension["部门"]["级别"].append("changed")
    assert account.extension["部门"]["级别"] == [1, 2.5, True, None]


def self_containing() -> "list[Any]":
    loop: "list[Any]" = []
    loop.append(loop)
    return loop


@pytest.mark.parametrize(
    ("extension", "error", "match"),
    [
        pytest.param({"s": {1, 2}}, TypeError, r'^extension\["s"\] must be JSON data .* not set$', id="set"),
        pytest.param({"a": [1, math.nan]}, ValueError, r'^extension\["a"\]\[1\] is NaN, which JSON cannot represent$', id="nan"),
        pytest.param({"a": math.inf}, ValueError, r'^extension\["a"\] is inf', id="inf"),
        pytest.param({"a": {1: "x"}}, TypeError, r'^extension\["a"\] has a key of type int: JSON keys are str$', id="int-key"),
        pytest.param({"a": 2**64}, ValueError, r'^extension\["a"\] is an int too large for JSON', id="huge-int"),
        pytest.param({"a": b"x"}, TypeError, r'^extension\["a"\] must be JSON data .* not bytes$', id="bytes"),
        pytest.param({"a": object()}, TypeError, r'^extension\["a"\] must be JSON data .* not object$', id="object"),
        pytest.param({"a": self_containing()}, ValueError, r"^extension\[\"a\"\](\[0\])+ is nested more than 128 levels", id="loop"),
    ],
)
def test_extension_refuses_what_json_cannot_hold(
    authenticated: eiam.Client, mock: MockServer, extension: "dict[str, Any]", error: "type[Exception]", match: str
) -> None:
    with pytest.raises(error, match=match):
        authenticated.create_public_account("demo-app", "x", extension=extension)
    with pytest.raises(error, match=match.replace("extension", "json", 1)):
        authenticated.request("POST", "/api/v2/x", json=extension)
    assert mock.stats.requests == 1


# ---- paging and the iterators -----------------------------------------------------


def test_250_accounts_in_3_pages_and_3_requests(authenticated: eiam.Client, mock: MockServer) -> None:
    before = api_requests(mock)
    accounts = list(authenticated.iter_accounts("paging-app", page_size=100))
    assert len(accounts) == 250
    assert len({a.id for a in accounts}) == 250
    assert accounts[0].id == "acct-001" and accounts[-1].id == "acct-250"
    assert api_requests(mock) - before == 3
    # By type, the default page size (100): 84 basic accounts in one request.
    basic = list(authenticated.iter_accounts("paging-app", account_type=eiam.AccountType.BASIC))
    assert len(basic) == 84 and {a.account_type for a in basic} == {"BASIC_ACCOUNT"}
    assert api_requests(mock) - before == 4


def test_the_iterator_is_lazy(authenticated: eiam.Client, mock: MockServer) -> None:
    before = api_requests(mock)
    walk = authenticated.iter_accounts("paging-app", page_size=10)
    assert api_requests(mock) == before
    assert iter(walk) is walk
    first = [next(walk) for _ in range(10)]
    assert api_requests(mock) - before == 1
    next(walk)
    assert api_requests(mock) - before == 2
    assert [a.id for a in first] == [f"acct-{n:03}" for n in range(1, 11)]


def test_a_server_repeating_a_page_ends_the_walk_with_an_error(authenticated: eiam.Client, mock: MockServer) -> None:
    page = authenticated.list_accounts("paging-app", page_size=10)
    body = page_as_served(page, total=250)
    mock.fail_next(50, status=200, body=body)
    before = api_requests(mock)
    seen = []
    with pytest.raises(eiam.ProtocolError, match="same 10 items"):
        for account in authenticated.iter_accounts("paging-app", page_size=10):
            seen.append(account.id)
    assert seen == [a.id for a in page.items]
    assert api_requests(mock) - before == 2


def test_a_failed_page_raises_and_ends_the_walk(authenticated: eiam.Client, mock: MockServer) -> None:
    walk = authenticated.iter_accounts("paging-app", page_size=100)
    assert len([next(walk) for _ in range(100)]) == 100
    mock.fail_next(9, status=503)
    with pytest.raises(eiam.ApiError) as caught:
        next(walk)
    assert caught.value.http_status == 503
    with pytest.raises(StopIteration):
        next(walk)


def test_an_iterator_works_from_another_thread(authenticated: eiam.Client, mock: MockServer) -> None:
    walk = authenticated.iter_accounts("paging-app", page_size=50)
    ids: "list[str]" = []
    errors: "list[BaseException]" = []

    def consume() -> None:
        try:
            for account in walk:
                ids.append(account.id)
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    workers = [threading.Thread(target=consume) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    assert sorted(ids) == [f"acct-{n:03}" for n in range(1, 251)]


def test_an_iterator_fetches_without_the_gil(authenticated: eiam.Client, mock: MockServer) -> None:
    walk = authenticated.iter_accounts("paging-app")
    mock.delay_next(0.5)
    worker = threading.Thread(target=lambda: next(walk))
    worker.start()
    seen_in_flight = wait_until(lambda: mock.stats.in_flight == 1)
    worker.join()
    assert seen_in_flight


def test_an_iterator_of_a_closed_client_raises(client: eiam.Client) -> None:
    walk = client.iter_public_account_users("demo-app", "pub-1")
    client.close()
    with pytest.raises(eiam.InvalidArgumentError, match="closed"):
        next(walk)


# ---- retries of writes -----------------------------------------------------------


def test_a_create_is_not_sent_again_after_its_answer_was_lost(authenticated: eiam.Client, mock: MockServer) -> None:
    for at in ("before_status_line", "mid_body"):
        before, requests = mock.account_count("demo-app"), api_requests(mock)
        mock.cut_next(at)
        with pytest.raises(eiam.TransportError):
            authenticated.create_orphan_account("demo-app", f"lost-{at}")
        assert api_requests(mock) - requests == 1
        assert mock.account_count("demo-app") == before + 1


def test_a_delete_whose_answer_was_lost_is_retried_and_succeeds(authenticated: eiam.Client, mock: MockServer) -> None:
    mock.cut_next("before_status_line")
    before = api_requests(mock)
    authenticated.delete_account("demo-app", "pub-2")
    assert api_requests(mock) - before == 2
    assert mock.account("demo-app", "pub-2") is None


def test_an_update_is_retried_after_a_lost_answer(authenticated: eiam.Client, mock: MockServer) -> None:
    mock.cut_next("mid_body")
    assert authenticated.update_account("demo-app", "pub-2", "renamed") == "pub-2"
    stored = mock.account("demo-app", "pub-2")
    assert stored is not None and stored["account_name"] == "renamed"
    assert api_requests(mock) == 2


# ---- the raw request ---------------------------------------------------------------


def test_request_get_returns_the_decoded_answer(client: eiam.Client) -> None:
    answer = client.request("GET", "/api/v2/tenant/applications/demo-app/accounts/pub-1")
    assert isinstance(answer, dict)
    assert (answer["id"], answer["account_type"]) == ("pub-1", "PUBLIC_ACCOUNT")
    page = client.request(
        "get", "/api/v2/tenant/applications/paging-app/accounts", query={"offset": "1", "limit": "10"}
    )
    assert page["total"] == 250 and page["accounts"][0]["id"] == "acct-011"
    same = client.request(
        "GET", "/api/v2/tenant/applications/paging-app/accounts", query=[("offset", "1"), ("limit", "10")]
    )
    assert same == page


def test_request_post_creates_and_delete_answers_none(client: eiam.Client, mock: MockServer) -> None:
    answer = client.request(
        "POST",
        "/api/v2/tenant/applications/demo-app/accounts/orphan-account",
        json={"account_name": "raw", "extension": EXTENSION},
    )
    assert isinstance(answer, dict) and list(answer) == ["account_id"]
    account = client.get_account("demo-app", answer["account_id"])
    assert (account.account_name, account.extension) == ("raw", EXTENSION)
    path = f"/api/v2/tenant/applications/demo-app/accounts/{answer['account_id']}"
    assert client.request("DELETE", path) is None
    assert mock.account("demo-app", answer["account_id"]) is None


def test_request_errors_are_the_typed_exceptions(client: eiam.Client) -> None:
    with pytest.raises(eiam.ApiError) as caught:
        client.request("GET", "/api/v2/tenant/applications/demo-app/accounts/nope")
    assert (caught.value.code, caught.value.http_status) == ("APP.ACCOUNT.0028", 400)


def test_a_post_through_request_is_not_retried_unless_told(authenticated: eiam.Client, mock: MockServer) -> None:
    path = "/api/v2/tenant/applications/demo-app/accounts/orphan-account"
    before = mock.account_count("demo-app")
    mock.cut_next("before_status_line")
    with pytest.raises(eiam.TransportError):
        authenticated.request("POST", path, json={"account_name": "once"})
    mock.cut_next("before_status_line")
    assert "account_id" in authenticated.request("POST", path, json={"account_name": "twice"}, idempotent=True)
    assert mock.account_count("demo-app") == before + 3
    assert api_requests(mock) == 3


# ---- secrets ------------------------------------------------------------------------


def echo_fault(mock: MockServer) -> None:
    """The next answer is an error that echoes the password back."""
    body = json.dumps({"error_code": " APP.ORG.0024", "error_msg": f"bad org; password was {PASSWORD}"})
    mock.fail_next(1, status=400, body=body)


def test_a_password_is_never_shown(client: eiam.Client, mock: MockServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="eiam")
    calls: "list[Callable[[], object]]" = [
        lambda: client.create_public_account("demo-app", "p", password=PASSWORD),
        lambda: client.create_basic_account("demo-app", ZHANGSAN_ID, password=PASSWORD),
        lambda: client.update_account("demo-app", "pub-1", "p", password=PASSWORD),
        lambda: client.request("POST", "/api/v2/tenant/applications/demo-app/accounts/public-account",
                               json={"account_name": "p", "x": [{"password": PASSWORD}]}),
    ]
    seen = [repr(client)]
    for call in calls:
        echo_fault(mock)
        with pytest.raises(eiam.ApiError) as caught:
            call()
        e = caught.value
        assert e.code == "APP.ORG.0024"
        seen += [str(e), repr(e), e.message, repr(e.args)]
    # A wrong type of password names the argument, not the value.
    with pytest.raises(TypeError) as wrong:
        client.create_public_account("demo-app", "p", password=[PASSWORD])  # type: ignore[arg-type]
    seen.append(str(wrong.value))
    account_id = client.create_public_account("demo-app", "ok", password=PASSWORD)
    account = client.get_account("demo-app", account_id)
    seen += [repr(account), repr(mock.account("demo-app", account_id)), repr(client.list_accounts("demo-app"))]
    seen += [r.getMessage() for r in caplog.records]
    assert mock.password_is("demo-app", account_id, PASSWORD)
    assert all(PASSWORD not in text for text in seen), [t for t in seen if PASSWORD in t]
    assert any("redacted" in text for text in seen)


# ---- the result types ---------------------------------------------------------------


def test_results_are_frozen_comparable_and_pickle(client: eiam.Client) -> None:
    account = client.get_account("demo-app", "pub-1")
    users = client.list_public_account_users("demo-app", "pub-1")
    accounts = client.list_accounts("paging-app", page_size=10)
    user = users.items[0]
    for value in (account, user, users, accounts):
        for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
            assert pickle.loads(pickle.dumps(value, protocol)) == value
        assert copy.copy(value) == value and copy.deepcopy(value) == value
    assert account == client.get_account("demo-app", "pub-1")
    assert account != client.get_account("demo-app", "pub-2")
    assert users == client.list_public_account_users("demo-app", "pub-1")
    assert users != accounts and users != users.items
    # AccountUser and a page of them hash; an Account holds a dict, so not.
    assert hash(user) == hash(eiam.AccountUser(user.id, user.user_name, user.disabled))
    assert len({users, client.list_public_account_users("demo-app", "pub-1")}) == 1
    with pytest.raises(TypeError):
        hash(account)
    with pytest.raises(TypeError):
        hash(accounts)
    for obj, attr in ((account, "account_name"), (user, "user_name"), (users, "total")):
        with pytest.raises(AttributeError):
            setattr(obj, attr, "x")
    assert isinstance(users.items, tuple)


def test_reprs() -> None:
    user = eiam.AccountUser("u1", "zhangsan", False)
    assert repr(user) == "AccountUser(id='u1', user_name='zhangsan', disabled=False)"
    account = eiam.Account("a1", "zs", None, "o1", "BASIC_ACCOUNT", True, {"部门": [1]})
    assert repr(account) == (
        "Account(id='a1', account_name='zs', name=None, org_id='o1', account_type='BASIC_ACCOUNT', "
        "disabled=True, extension={'部门': [1]})"
    )
    assert repr(eiam.Page([user], 7, 0)) == f"Page(items=({user!r},), total=7, page=0)"
    assert eiam.Page[eiam.AccountUser] is not None
