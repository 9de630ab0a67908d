"""eiam.testing.MockServer, the helper users test their own code with."""

import time

import pytest

import eiam
from eiam.testing import MockServer, MockStats


def test_seeded_data_and_additions() -> None:
    with MockServer() as mock:
        assert mock.base_url.startswith("http://127.0.0.1:")
        assert (mock.client_id, mock.client_secret) == ("demo-client", "demo-secret")
        assert mock.owner_of("demo-app", "pub-1") == "zhangsan"
        assert mock.owner_of("demo-app", "pub-2") is None
        mock.add_application("app1")
        account_id = mock.add_public_account("app1", "pub1")
        user_id = mock.add_user("wangwu", disabled=True)
        c = eiam.Client(mock.base_url, client_id=mock.client_id, client_secret=mock.client_secret)
        assert c.bind_public_account_owner("app1", "pub1", "wangwu") == account_id
        owner = c.get_public_account_owner("app1", "pub1")
        assert (owner.user_id, owner.disabled) == (user_id, True)


def test_custom_credentials_and_no_demo_data() -> None:
    with MockServer(client_id="me", client_secret="pw", demo_data=False) as mock:
        c = eiam.Client(mock.base_url, client_id="me", client_secret="pw")
        with pytest.raises(eiam.ApiError) as caught:
            c.get_public_account_owner("demo-app", "pub-1")
        assert caught.value.code == "APP.0001"


def test_fail_next_with_retry_after_and_counters(mock: MockServer) -> None:
    c = eiam.Client(mock.base_url, client_id=mock.client_id, client_secret=mock.client_secret, max_retries=0)
    mock.fail_next(1, status=429, retry_after="5")
    with pytest.raises(eiam.EiamError) as caught:
        c.get_public_account_owner("demo-app", "pub-1")
    assert caught.value.http_status == 429
    assert mock.stats == mock.stats  # MockStats compares by value
    assert isinstance(mock.stats, MockStats)
    assert (mock.stats.token_requests, mock.stats.api_requests) == (1, 1)
    mock.fail_next(1, status=500, target="token")
    mock.expire_tokens()
    with pytest.raises(eiam.EiamError) as caught:
        c.get_public_account_owner("demo-app", "pub-1")
    assert mock.stats.token_requests == 2
    mock.reset()
    assert mock.stats.requests == 0


def test_close_next_is_a_transport_failure_that_is_retried(mock: MockServer) -> None:
    c = eiam.Client(mock.base_url, client_id=mock.client_id, client_secret=mock.client_secret)
    mock.close_next(1)
    assert c.get_public_account_owner("demo-app", "pub-1").user_name == "zhangsan"
    assert mock.stats.api_requests == 2


def test_delay_next_holds_the_answer(mock: MockServer) -> None:
    c = eiam.Client(mock.base_url, client_id=mock.client_id, client_secret=mock.client_secret, timeout=0.4, max_retries=0)
    c.authenticate()
    mock.delay_next(2.0)
    started = time.monotonic()
    with pytest.raises(eiam.TimeoutError):
        c.get_public_account_owner("demo-app", "pub-1")
    assert time.monotonic() - started < 1.5


def test_token_lifetime_is_configurable() -> None:
    with MockServer(token_lifetime=1.0) as mock:
        c = eiam.Client(mock.base_url, client_id=mock.client_id, client_secret=mock.client_secret)
        c.get_public_account_owner("demo-app", "pub-1")
        time.sleep(0.95)  # time passing is the point: the 1 s token is renewed early
        c.get_public_account_owner("demo-app", "pub-1")
        # The renewal runs in the background: the call did not wait for it.
        deadline = time.monotonic() + 5
        while mock.stats.token_requests < 2 and time.monotonic() < deadline:
            time.sleep(0.001)
        assert (mock.stats.token_requests, mock.stats.api_requests) == (2, 2)


def test_bad_arguments_and_closed_server() -> None:
    mock = MockServer()
    with pytest.raises(ValueError, match="target"):
        mock.fail_next(target="everything")
    with pytest.raises(ValueError):
        mock.set_token_lifetime(-1)
    mock.close()
    mock.close()
    with pytest.raises(RuntimeError, match="closed"):
        mock.add_user("x")


def test_fail_next_can_delay_its_answer(mock: MockServer) -> None:
    c = eiam.Client(mock.base_url, client_id=mock.client_id, client_secret=mock.client_secret, timeout=0.3, max_retries=0)
    c.authenticate()
    mock.fail_next(1, status=503, delay=1.0)
    with pytest.raises(eiam.TimeoutError):
        c.get_public_account_owner("demo-app", "pub-1")
    assert mock.stats.api_requests == 1


def test_token_faults_and_counters_add_up(mock: MockServer) -> None:
    mock.fail_next(1, status=401, body='{"error":"invalid_client","error_description":"nope"}', target="token")
    c = eiam.Client(mock.base_url, client_id=mock.client_id, client_secret=mock.client_secret)
    with pytest.raises(eiam.AuthError) as caught:
        c.authenticate()
    assert caught.value.code == "invalid_client"
    c.authenticate()
    c.get_public_account_owner("demo-app", "pub-1")
    stats = mock.stats
    assert (stats.requests, stats.token_requests, stats.api_requests) == (3, 2, 1)
    assert repr(stats).startswith("MockStats(requests=3, token_requests=2, api_requests=1")


def test_clear_faults_drops_queued_faults(mock: MockServer) -> None:
    c = eiam.Client(mock.base_url, client_id=mock.client_id, client_secret=mock.client_secret, max_retries=0)
    mock.fail_next(5, status=500, target="any")
    mock.clear_faults()
    assert c.get_public_account_owner("demo-app", "pub-1").user_name == "zhangsan"


def test_helper_arguments_are_checked(mock: MockServer) -> None:
    with pytest.raises(TypeError, match="^user_name must be str, not NoneType"):
        mock.add_user(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="^disabled must be bool"):
        mock.add_user("x", disabled="yes")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="^app_user_id must be str"):
        mock.owner_of("demo-app", 1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="status"):
        mock.fail_next(1, status=42)
    with pytest.raises(ValueError, match="count"):
        mock.fail_next(-1)
    with pytest.raises(TypeError, match="^delay must be a number of seconds"):
        mock.fail_next(1, delay="1")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="^port must be int"):
        MockServer(port="0")  # type: ignore[arg-type]
    assert mock.stats.requests == 0


def test_stats_pickle_on_every_protocol_copy_and_are_unhashable(mock: MockServer) -> None:
    import copy
    import pickle

    eiam.Client(mock.base_url, client_id=mock.client_id, client_secret=mock.client_secret).authenticate()
    stats = mock.stats
    copies = [pickle.loads(pickle.dumps(stats, protocol=p)) for p in range(pickle.HIGHEST_PROTOCOL + 1)]
    for back in copies + [copy.copy(stats), copy.deepcopy(stats)]:
        assert type(back) is MockStats and back == stats and repr(back) == repr(stats)
    # Compared by value, and the counters move: a set or dict key would lie.
    assert MockStats.__hash__ is None
    with pytest.raises(TypeError, match="unhashable"):
        hash(stats)
