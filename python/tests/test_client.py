"""The Client against the mock: success paths, every error class and code,
configuration and type errors, repr, close."""

import builtins
import copy
import pathlib
import pickle
import re
import socket
from typing import Any

import pytest

import eiam
from eiam.testing import MockServer
from helpers import wait_until


def test_version_matches_the_crate() -> None:
    cargo = pathlib.Path(__file__).parents[2] / "Cargo.toml"
    match = re.search(r'^version = "([^"]+)"', cargo.read_text(), re.MULTILINE)
    assert match is not None
    assert eiam.__version__ == match.group(1)


def test_bind_then_query(client: eiam.Client, mock: MockServer) -> None:
    account_id = client.bind_public_account_owner("demo-app", "pub-2", "cq04130006")
    assert account_id == "pub-2"
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
def test_wrong_types_raise_type_error_naming_the_parameter(
    client: eiam.Client, mock: MockServer, bad: object
) -> None:
    with pytest.raises(TypeError, match=f"^app_id must be str, not {type(bad).__name__}$"):
        client.get_public_account_owner(bad, "pub-1")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="^app_user_id must be str"):
        client.get_public_account_owner("demo-app", bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="^user_name must be str"):
        client.bind_public_account_owner("demo-app", "pub-1", bad)  # type: ignore[arg-type]
    assert mock.stats.requests == 0


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
    import importlib

    _eiam = importlib.import_module("eiam._eiam")  # private, so not in the stubs
    with pytest.raises(eiam.EiamError) as caught:
        _eiam._panic_for_tests()
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
def test_configuration_mistakes_raise_from_the_constructor(kwargs: "dict[str, Any]", match: str) -> None:
    with pytest.raises(eiam.InvalidArgumentError, match=match):
        eiam.Client(**kwargs)


def test_a_password_in_base_url_is_not_echoed() -> None:
    with pytest.raises(eiam.InvalidArgumentError) as caught:
        eiam.Client("http://u:hunter2pw@127.0.0.1:1", client_id="a", client_secret="b")
    assert "base_url" in caught.value.message
    assert "hunter2pw" not in str(caught.value) + repr(caught.value)


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


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"base_url": None, "access_token": "t"}, "base_url must be str, not NoneType"),
        ({"base_url": 5, "access_token": "t"}, "base_url must be str, not int"),
        ({"base_url": "https://h", "client_id": 5, "client_secret": "s"}, "client_id must be str or None, not int"),
        ({"base_url": "https://h", "access_token": b"t"}, "access_token must be str or None, not bytes"),
        ({"base_url": "https://h", "access_token": "t", "timeout": "30"}, "timeout must be a number of seconds"),
        ({"base_url": "https://h", "access_token": "t", "timeout": None}, "timeout must be a number of seconds"),
        ({"base_url": "https://h", "access_token": "t", "connect_timeout": True}, "connect_timeout must be a number"),
        ({"base_url": "https://h", "access_token": "t", "max_retries": 2.5}, "max_retries must be int, not float"),
        ({"base_url": "https://h", "access_token": "t", "max_retries": None}, "max_retries must be int, not NoneType"),
        ({"base_url": "https://h", "access_token": "t", "ca_file": 5}, "ca_file must be str, os.PathLike or None"),
        ({"base_url": "https://h", "access_token": "t", "use_platform_roots": "no"}, "use_platform_roots must be bool"),
        ({"base_url": "https://h", "access_token": "t", "allow_insecure_http": 1}, "allow_insecure_http must be bool"),
        ({"base_url": "https://h", "access_token": "t", "proxy": 8080}, "proxy must be str or None, not int"),
        ({"base_url": "https://h", "access_token": "t", "user_agent": 1}, "user_agent must be str or None"),
    ],
)
def test_constructor_type_errors_name_the_parameter(kwargs: "dict[str, Any]", message: str) -> None:
    # In the message itself, not only in an exception note (which Python
    # before 3.11 does not show).
    with pytest.raises(TypeError) as caught:
        eiam.Client(**kwargs)
    assert str(caught.value).startswith(message), str(caught.value)


def test_ca_file_takes_a_path_object(tmp_path: pathlib.Path) -> None:
    missing = tmp_path / "missing.pem"
    with pytest.raises(eiam.InvalidArgumentError, match="missing.pem"):
        eiam.Client("https://tenant.example.com", access_token="t", ca_file=missing)


def test_numbers_may_be_int_and_defaults_match_the_signature() -> None:
    import inspect

    c = eiam.Client("https://h", access_token="t", timeout=5, connect_timeout=2, max_retries=0)
    assert c.base_url == "https://h"
    params = inspect.signature(eiam.Client).parameters
    defaults = {name: p.default for name, p in params.items() if p.default is not p.empty}
    assert defaults["timeout"] == 30.0 and defaults["max_retries"] == 2
    assert defaults["use_platform_roots"] is True and defaults["client_id"] is None


def test_negative_max_retries_is_an_invalid_argument() -> None:
    with pytest.raises(eiam.InvalidArgumentError, match="max_retries"):
        eiam.Client("https://h", access_token="t", max_retries=-1)


def test_ids_can_be_passed_by_keyword(client: eiam.Client) -> None:
    owner = client.get_public_account_owner(app_id="demo-app", app_user_id="pub-1")
    assert owner.user_name == "zhangsan"
    account_id = client.bind_public_account_owner(app_id="demo-app", app_user_id="pub-2", user_name="lisi")
    assert account_id == client.bind_public_account_owner("demo-app", "pub-2", "lisi")


PROTOCOLS = range(pickle.HIGHEST_PROTOCOL + 1)


def round_trips(value: object) -> "list[Any]":
    """`value` through pickle on every protocol, then copy and deepcopy."""
    return [pickle.loads(pickle.dumps(value, protocol=p)) for p in PROTOCOLS] + [
        copy.copy(value),
        copy.deepcopy(value),
    ]


def test_owners_pickle_on_every_protocol_and_copy(client: eiam.Client) -> None:
    owner = client.get_public_account_owner("demo-app", "pub-1")
    for back in round_trips(owner):
        assert type(back) is eiam.Owner and back == owner


def test_bind_results_pickle_on_every_protocol_and_copy(client: eiam.Client) -> None:
    # What multiprocessing.Pool.map sends back from a worker.
    results = client.bind_public_account_owners(
        [("demo-app", "pub-1", "zhangsan"), ("demo-app", "nope", "zhangsan")]
    )
    for ok, failed in zip(round_trips(results[0]), round_trips(results[1])):
        assert type(ok) is eiam.BindResult and type(failed) is eiam.BindResult
        assert (ok.ok, ok.account_id, ok.error) == (True, results[0].account_id, None)
        assert (failed.ok, failed.account_id) == (False, None)
        assert type(failed.error) is eiam.ApiError
        assert repr(failed.error) == repr(results[1].error)
        assert repr(ok) == repr(results[0]) and repr(failed) == repr(results[1])


@pytest.mark.parametrize(
    "cls",
    [
        eiam.EiamError,
        eiam.InvalidArgumentError,
        eiam.ApiError,
        eiam.AuthError,
        eiam.TransportError,
        eiam.TimeoutError,
        eiam.ProtocolError,
        eiam.CancelledError,
    ],
)
def test_every_exception_class_pickles_on_every_protocol_and_copies(cls: "type[eiam.EiamError]") -> None:
    err = cls("公共账号不存在", http_status=400, code="APP.ACCOUNT.0038")
    for back in round_trips(err):
        assert type(back) is cls
        assert (back.message, back.http_status, back.code) == (err.message, 400, "APP.ACCOUNT.0038")
        assert str(back) == str(err) and repr(back) == repr(err)


def test_every_error_pickles_as_its_own_class(client: eiam.Client) -> None:
    with pytest.raises(eiam.ApiError) as caught:
        client.get_public_account_owner("demo-app", "nope")
    back = pickle.loads(pickle.dumps(caught.value))
    assert type(back) is eiam.ApiError
    assert str(back) == str(caught.value) == "APP.ACCOUNT.0038 (HTTP 400): 公共账号不存在"


def test_str_without_code_or_status_is_the_message() -> None:
    assert str(eiam.TransportError("connection refused")) == "connection refused"
    assert str(eiam.ProtocolError("not JSON", http_status=502)) == "(HTTP 502): not JSON"
    assert repr(eiam.AuthError("no", code="invalid_client")) == (
        "AuthError('no', http_status=None, code='invalid_client')"
    )


def test_close_while_a_call_is_in_flight_lets_it_finish(client: eiam.Client, mock: MockServer) -> None:
    import threading

    client.authenticate()
    mock.delay_next(0.5)
    outcome: "list[eiam.Owner]" = []
    worker = threading.Thread(
        target=lambda: outcome.append(client.get_public_account_owner("demo-app", "pub-1"))
    )
    worker.start()
    assert wait_until(lambda: mock.stats.in_flight == 1)
    client.close()
    worker.join()
    assert [o.user_name for o in outcome] == ["zhangsan"]
    with pytest.raises(eiam.InvalidArgumentError, match="closed"):
        client.authenticate()


def test_the_extension_does_not_pose_as_the_c_library() -> None:
    # The C ABI is compiled out of the extension (the core's `ffi` feature),
    # so a process that also loads libeiam.so through an FFI gets the real one.
    import ctypes
    import importlib

    extension = ctypes.CDLL(importlib.import_module("eiam._eiam").__file__)
    assert not hasattr(extension, "eiam_version")
    assert not hasattr(extension, "eiam_client_new")
