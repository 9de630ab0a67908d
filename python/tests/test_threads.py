"""Calls release the GIL: threads sharing one Client overlap at the server."""

import threading

import eiam
from eiam.testing import MockServer
from helpers import wait_until


def test_eight_threads_share_one_client_and_overlap(client: eiam.Client, mock: MockServer) -> None:
    client.authenticate()
    # Every answer is held back, so calls can only overlap at the server
    # if the GIL is released while they wait.
    mock.delay_next(0.3, count=8)
    start = threading.Barrier(8)
    owners: "list[eiam.Owner]" = []
    errors: "list[Exception]" = []

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


def test_a_waiting_call_lets_other_python_threads_run(client: eiam.Client, mock: MockServer) -> None:
    # The main thread can only see the call in flight at the server if the
    # calling thread released the GIL while it waits for the answer.
    client.authenticate()
    mock.delay_next(0.5)
    worker = threading.Thread(target=client.get_public_account_owner, args=("demo-app", "pub-1"))
    worker.start()
    seen_in_flight = wait_until(lambda: mock.stats.in_flight == 1)
    worker.join()
    assert seen_in_flight
    assert mock.stats.in_flight == 0


def test_bulk_bind_runs_without_the_gil(client: eiam.Client, mock: MockServer) -> None:
    for i in range(4):
        mock.add_public_account("demo-app", f"acct-{i}")
    client.authenticate()
    mock.delay_next(1.0, count=4)
    results: "list[eiam.BindResult]" = []
    worker = threading.Thread(
        target=lambda: results.extend(
            client.bind_public_account_owners([("demo-app", f"acct-{i}", "lisi") for i in range(4)], concurrency=4)
        )
    )
    worker.start()
    seen_all_in_flight = wait_until(lambda: mock.stats.in_flight == 4)
    worker.join()
    assert seen_all_in_flight
    assert [r.ok for r in results] == [True] * 4
