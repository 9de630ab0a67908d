"""Calls release the GIL: threads sharing one Client overlap at the server."""

import threading

import eiam
from eiam.testing import MockServer


def test_eight_threads_share_one_client_and_overlap(client: eiam.Client, mock: MockServer) -> None:
    client.authenticate()
    # Every answer is held back, so calls can only overlap at the server
    # if the GIL is released while they wait.
    mock.delay_next(0.3, count=8)
    start = threading.Barrier(8)
    owners: list = []
    errors: list = []

    def work() -> None:
        start.wait()
        try:
            owners.append(client.get_public_account_owner("demo-app", "pub-1"))
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert [o.user_name for o in owners] == ["zhangsan"] * 8
    stats = mock.stats
    assert stats.max_in_flight >= 4, stats
    assert stats.token_requests == 1


def test_token_reused_across_calls(client: eiam.Client, mock: MockServer) -> None:
    for _ in range(5):
        client.get_public_account_owner("demo-app", "pub-1")
    assert (mock.stats.token_requests, mock.stats.api_requests) == (1, 5)


def test_expired_token_is_renewed_once(client: eiam.Client, mock: MockServer) -> None:
    client.get_public_account_owner("demo-app", "pub-1")
    mock.expire_tokens()
    client.get_public_account_owner("demo-app", "pub-1")
    assert (mock.stats.token_requests, mock.stats.api_requests) == (2, 3)
