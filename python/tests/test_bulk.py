"""Client.bind_public_account_owners."""

import sys
from typing import NamedTuple

import pytest

import eiam
from eiam.testing import MockServer


def accounts(mock: MockServer, n: int) -> "list[tuple[str, str, str]]":
    for i in range(n):
        mock.add_public_account("demo-app", f"acct-{i}")
    return [("demo-app", f"acct-{i}", "zhangsan") for i in range(n)]


def test_results_in_input_order_with_per_item_errors(client: eiam.Client, mock: MockServer) -> None:
    items = accounts(mock, 6)
    items[2] = ("demo-app", "missing", "zhangsan")
    items[4] = ("demo-app", "acct-4", "")
    results = client.bind_public_account_owners(items, concurrency=3)
    assert [r.ok for r in results] == [True, True, False, True, False, True]
    assert isinstance(results[2].error, eiam.ApiError)
    assert results[2].error.code == "APP.ACCOUNT.0038"
    assert isinstance(results[4].error, eiam.InvalidArgumentError)
    assert results[0].account_id and results[0].error is None
    assert results[2].account_id is None
    assert mock.owner_of("demo-app", "acct-5") == "zhangsan"


def test_concurrency_is_bounded(client: eiam.Client, mock: MockServer) -> None:
    items = accounts(mock, 16)
    mock.delay_next(0.05, count=16)
    results = client.bind_public_account_owners(items, concurrency=4)
    assert all(r.ok for r in results)
    assert 2 <= mock.stats.max_in_flight <= 4


def test_progress_reports_and_cancels(client: eiam.Client, mock: MockServer) -> None:
    items = accounts(mock, 8)
    seen = []

    def progress(done: int, total: int, failures: int) -> bool:
        seen.append((done, total, failures))
        return done < 3

    results = client.bind_public_account_owners(items, concurrency=1, progress=progress)
    assert seen == [(1, 8, 0), (2, 8, 0), (3, 8, 0)]
    assert [r.ok for r in results[:3]] == [True] * 3
    assert all(isinstance(r.error, eiam.CancelledError) for r in results[3:])
    assert mock.stats.api_requests == 3


def test_an_exception_in_progress_cancels_and_is_raised_with_the_partial_results(
    client: eiam.Client, mock: MockServer
) -> None:
    items = accounts(mock, 5)

    def progress(done: int, total: int, failures: int) -> None:
        if done == 2:
            raise RuntimeError("stop here")

    with pytest.raises(RuntimeError, match="stop here") as caught:
        client.bind_public_account_owners(items, concurrency=1, progress=progress)
    assert mock.stats.api_requests == 2
    # The binds already made are not lost: one result per item, as the
    # call would have returned them.
    partial = caught.value.partial_results  # type: ignore[attr-defined]
    assert [r.ok for r in partial] == [True, True, False, False, False]
    assert all(isinstance(r.error, eiam.CancelledError) for r in partial[2:])
    assert [mock.owner_of(*item[:2]) for item in items[:2]] == ["zhangsan"] * 2
    if sys.version_info >= (3, 11):
        assert any("partial_results" in note for note in caught.value.__notes__)


def test_items_must_be_triples_of_str(client: eiam.Client) -> None:
    with pytest.raises(TypeError, match=r"items\[1\]"):
        client.bind_public_account_owners([("a", "b", "c"), ("a", "b")])
    with pytest.raises(TypeError, match=r"items\[0\]\[2\] \(user_name\) must be str"):
        client.bind_public_account_owners([("a", "b", None)])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"items\[0\]"):
        client.bind_public_account_owners(["abc"])


@pytest.mark.parametrize("concurrency", [0, -1])
def test_concurrency_must_be_positive(client: eiam.Client, mock: MockServer, concurrency: int) -> None:
    with pytest.raises(eiam.InvalidArgumentError, match="concurrency"):
        client.bind_public_account_owners([("demo-app", "pub-1", "zhangsan")], concurrency=concurrency)
    assert mock.stats.requests == 0


def test_only_false_cancels(client: eiam.Client, mock: MockServer) -> None:
    items = accounts(mock, 4)
    answers = iter([None, 0, "", True])
    results = client.bind_public_account_owners(items, concurrency=1, progress=lambda *_: next(answers))
    assert all(r.ok for r in results)
    assert mock.stats.api_requests == 4


class Item(NamedTuple):
    app_id: str
    app_user_id: str
    user_name: str


def test_empty_job_any_iterable_and_any_sequence_item(client: eiam.Client, mock: MockServer) -> None:
    assert client.bind_public_account_owners([]) == []
    results = client.bind_public_account_owners(
        iter([["demo-app", "pub-2", "lisi"], Item("demo-app", "pub-1", "zhangsan")])
    )
    assert [r.ok for r in results] == [True, True]
    assert repr(results[0]).startswith("BindResult(ok=True, account_id=")


def test_progress_and_concurrency_types(client: eiam.Client, mock: MockServer) -> None:
    items = [("demo-app", "pub-1", "zhangsan")]
    with pytest.raises(TypeError, match="^progress must be callable or None, not int"):
        client.bind_public_account_owners(items, progress=5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="^concurrency must be int, not str"):
        client.bind_public_account_owners(items, concurrency="8")  # type: ignore[arg-type]
    assert mock.stats.requests == 0
