"""The Client against the mock: success paths, every error class and code,
configuration and type errors, repr, close."""

import builtins
import pathlib
import pickle
import re
import socket

import pytest

import eiam
from eiam.testing import MockServer


def test_version_matches_the_crate() -> None:
    cargo = pathlib.Path(__file__).parents[2] / "Cargo.toml"
    match = re.search(r'^version = "([^"]+)"', cargo.read_text(), re.MULTILINE)
    assert match is not None
    assert eiam.__version__ == match.group(1)


def test_bind_then_query(client: eiam.Client, mock: MockServer) -> None:
    account_id = client.bind_public_account_owner("demo-app", "pub-2", "cq04130006")
    assert account_id == "20220415171558023-84A4-ED5C390B9"
    assert mock.owner_of("demo-app", "pub-2") == "cq04130006"
    owner = client.get_public_account_owner("demo-app", "pub-2")
    assert isinstance(owner, eiam.Owner)
    assert (owner.user_name, owner.disabled) == ("cq04130006", False)
    assert owner.user_id


def test_owner_is_frozen_comparable_and_hashable(client: eiam.Client) -> None:
    a = client.get_public_account_owner("demo-app", "pub-1")
    b = client.get_public_account_owner("demo-app", "pub-1")
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a == eiam.Owner("20220331164602949-904C-D475B60AE", "zhangsan", False)
    assert a != eiam.Owner("x", "zhangsan", False)
    assert repr(a) == (
        "Owner(user_id='20220331164602949-904C-D475B60AE', user_name='zhangsan', disabled=False)"
    )
    with pytest.raises(AttributeError):
        a.user_name = "lisi"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("app_id", "app_user_id", "user_name", "code", "message"),
    [
        ("nope", "pub-1", None, "APP.0001", "应用不存在"),
        ("demo-app", "nope", None, "APP.ACCOUNT.0038", "公共账号不存在"),
        ("demo-app", "pub-2", None, "APP.ACCOUNT.0037", "责任人不存在"),
        ("demo-app", "pub-1", "ghost", "APP.ACCOUNT.0037", "责任人不存在"),
    ],
)
def test_api_errors_carry_status_code_and_message(
    client: eiam.Client, app_id: str, app_user_id: str, user_name: "str | None", code: str, message: str
) -> None:
    with pytest.raises(eiam.ApiError) as caught:
        if user_name is None:
            client.get_public_account_owner(app_id, app_user_id)
        else:
            client.bind_public_account_owner(app_id, app_user_id, user_name)
    err = caught.value
    assert (err.http_status, err.code, err.message) == (400, code, message)
    assert str(err) == f"{code} (HTTP 400): {message}"
    assert isinstance(err, eiam.EiamError) and isinstance(err, Exception)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("", "pub-1"), "APP.0006"),
        (("  ", "pub-1"), "APP.0006"),
        (("demo-app", ""), "APP.ACCOUNT.0047"),
        (("..", "pub-1"), None),
        (("demo-app", "a\r\nb"), None),
    ],
)
def test_invalid_ids_fail_before_the_wire(
    client: eiam.Client, mock: MockServer, args: "tuple[str, str]", code: "str | None"
) -> None:
    with pytest.raises(eiam.InvalidArgumentError) as caught:
        client.get_public_account_owner(*args)
    assert isinstance(caught.value, ValueError)
    assert caught.value.code == code
    assert caught.value.http_status is None
    assert mock.stats.requests == 0


def test_empty_user_name_is_an_invalid_argument(client: eiam.Client) -> None:
    with pytest.raises(eiam.InvalidArgumentError, match="user_name"):
        client.bind_public_account_owner("demo-app", "pub-1", "")


@pytest.mark.parametrize("bad", [None, 5, b"demo-app", ["demo-app"]])
def test_wrong_types_raise_type_error_naming_the_parameter(client: eiam.Client, bad: object) -> None:
    with pytest.raises(TypeError, match="app_id must be str"):
        client.get_public_account_owner(bad, "pub-1")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="user_name must be str"):
        client.bind_public_account_owner("demo-app", "pub-1", bad)  # type: ignore[arg-type]


def test_lone_surrogates_are_invalid_arguments(client: eiam.Client) -> None:
    with pytest.raises(eiam.InvalidArgumentError, match="surrogate"):
        client.get_public_account_owner("demo-\udcff", "pub-1")


def test_bad_credentials_are_an_auth_error_without_the_secret(mock: MockServer) -> None:
    c = eiam.Client(mock.base_url, client_id=mock.client_id, client_secret="very-secret-value")
    with pytest.raises(eiam.AuthError) as caught:
        c.get_public_account_owner("demo-app", "pub-1")
    assert (caught.value.code, caught.value.http_status) == ("invalid_client", 401)
    assert "very-secret-value" not in str(caught.value) + repr(caught.value) + repr(c)
    with pytest.raises(eiam.AuthError):
        c.authenticate()


def test_a_rejected_static_token_is_an_auth_error_that_hides_it(mock: MockServer) -> None:
    c = eiam.Client(mock.base_url, access_token="static-token-123")
    with pytest.raises(eiam.AuthError) as caught:
        c.get_public_account_owner("demo-app", "pub-1")
    assert caught.value.code == "invalid_token"
    assert "static-token-123" not in str(caught.value)
    assert "static-token-123" not in repr(c)


def test_transport_error_is_a_connection_error() -> None:
    c = eiam.Client("http://127.0.0.1:1", client_id="a", client_secret="b", max_retries=0)
    with pytest.raises(eiam.TransportError) as caught:
        c.get_public_account_owner("demo-app", "pub-1")
    assert isinstance(caught.value, ConnectionError)
    assert caught.value.http_status is None


def test_timeout_is_both_transport_and_builtin_timeout_error() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        c = eiam.Client(f"http://127.0.0.1:{port}", client_id="a", client_secret="b", timeout=0.3)
        with pytest.raises(eiam.TimeoutError) as caught:
            c.get_public_account_owner("demo-app", "pub-1")
    assert isinstance(caught.value, builtins.TimeoutError)
    assert isinstance(caught.value, eiam.TransportError)


def test_protocol_error_on_an_html_page(client: eiam.Client, mock: MockServer) -> None:
    client.authenticate()
    mock.fail_next(3, status=502, body="<html>Bad Gateway</html>", content_type="text/html", retry_after="0")
    with pytest.raises(eiam.ProtocolError) as caught:
        client.get_public_account_owner("demo-app", "pub-1")
    assert caught.value.http_status == 502
    assert "Bad Gateway" in caught.value.message


def test_retries_then_success(client: eiam.Client, mock: MockServer) -> None:
    mock.fail_next(2, status=503, retry_after="0")
    assert client.get_public_account_owner("demo-app", "pub-1").user_name == "zhangsan"
    assert mock.stats.api_requests == 3


def test_a_panic_surfaces_as_eiam_error() -> None:
    from eiam import _eiam

    with pytest.raises(eiam.EiamError) as caught:
        _eiam._panic_for_tests()  # type: ignore[attr-defined]
    assert type(caught.value) is eiam.EiamError
    assert "panic" in caught.value.message


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"base_url": "not a url", "client_id": "a", "client_secret": "b"}, "base_url"),
        ({"base_url": "http://tenant.example.com", "client_id": "a", "client_secret": "b"}, "https"),
        ({"base_url": "https://h", "client_id": "a", "client_secret": "b", "access_token": "t"}, "not both"),
        ({"base_url": "https://h"}, "no credentials"),
        ({"base_url": "https://h", "client_id": "a"}, "both client_id and client_secret"),
        ({"base_url": "https://h", "access_token": "t", "timeout": 0}, "timeout"),
        ({"base_url": "https://h", "access_token": "t", "timeout": -1.0}, "timeout"),
    ],
)
def test_configuration_mistakes_raise_from_the_constructor(kwargs: dict, match: str) -> None:
    with pytest.raises(eiam.InvalidArgumentError, match=match):
        eiam.Client(**kwargs)


def test_insecure_http_can_be_allowed_explicitly() -> None:
    c = eiam.Client("http://tenant.example.com", access_token="t", allow_insecure_http=True)
    assert c.base_url == "http://tenant.example.com"


def test_repr_shows_url_and_auth_kind_but_no_secret(mock: MockServer) -> None:
    c = eiam.Client(mock.base_url + "/", client_id="cid", client_secret="s3cr3t")
    assert repr(c) == f"Client('{mock.base_url}', auth='client_credentials')"
    t = eiam.Client(mock.base_url, access_token="tok-456")
    assert "tok-456" not in repr(t) and "access_token" in repr(t)


def test_close_and_context_manager(mock: MockServer) -> None:
    with eiam.Client(mock.base_url, client_id=mock.client_id, client_secret=mock.client_secret) as c:
        assert c.get_public_account_owner("demo-app", "pub-1").user_name == "zhangsan"
    assert "closed" in repr(c)
    with pytest.raises(eiam.InvalidArgumentError, match="closed"):
        c.get_public_account_owner("demo-app", "pub-1")
    c.close()  # idempotent


def test_exceptions_pickle_with_their_fields() -> None:
    err = eiam.ApiError("公共账号不存在", http_status=400, code="APP.ACCOUNT.0038")
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is eiam.ApiError
    assert (back.message, back.http_status, back.code) == (err.message, 400, "APP.ACCOUNT.0038")


def test_exception_hierarchy() -> None:
    assert issubclass(eiam.EiamError, Exception)
    assert issubclass(eiam.InvalidArgumentError, ValueError)
    assert issubclass(eiam.TransportError, ConnectionError)
    assert issubclass(eiam.TimeoutError, builtins.TimeoutError)
    assert issubclass(eiam.TimeoutError, eiam.TransportError)
    for cls in (eiam.ApiError, eiam.AuthError, eiam.ProtocolError, eiam.CancelledError):
        assert issubclass(cls, eiam.EiamError)
