"""Client.bind_public_account_owners_streaming: any iterable in, each
result out as soon as it is known, with bounded memory."""

import os
import sys
import threading
from collections.abc import Iterator

import pytest

import eiam
from eiam.testing import MockServer
from helpers import wait_until

def job_threads() -> int:
    """The job's threads: its own, named eiam-bulk, and its workers, which
    inherit that name from it."""
    names = []
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/comm") as comm:
                names.append(comm.read().strip())
        except FileNotFoundError:  # the thread ended meanwhile
            pass
    return names.count("eiam-bulk")


def accounts(mock: MockServer, n: int) -> "list[tuple[str, str, str]]":
    for i in range(n):
        mock.add_public_account("demo-app", f"acct-{i}")
    return [("demo-app", f"acct-{i}", "zhangsan") for i in range(n)]


class Counted:
    """An iterable that counts how many items were pulled from it."""

    def __init__(self, items: "Iterator[tuple[str, str, str]]") -> None:
        self.pulled = 0
        self._items = items

    def __iter__(self) -> "Iterator[tuple[str, str, str]]":
        for item in self._items:
            self.pulled += 1
            yield item


def test_each_result_carries_its_index_and_item(client: eiam.Client, mock: MockServer) -> None:
    items = accounts(mock, 10)
    items[3] = ("demo-app", "missing", "zhangsan")
    items[6] = ("demo-app", "acct-6", "\ud800")  # not valid Unicode text: fails alone
    results = list(client.bind_public_account_owners_streaming(iter(items), concurrency=3))
    assert sorted(r.index for r in results) == list(range(10))
    for r in results:
        assert r.item == items[r.index]
        assert r.ok == (r.index not in (3, 6))
        assert (r.account_id is not None) == r.ok and (r.error is None) == r.ok
    by_index = {r.index: r for r in results}
    assert isinstance(by_index[3].error, eiam.ApiError) and by_index[3].error.code == "APP.ACCOUNT.0038"
    assert isinstance(by_index[6].error, eiam.InvalidArgumentError)
    assert mock.stats.api_requests == 9
    assert mock.owner_of("demo-app", "acct-9") == "zhangsan"
    assert repr(by_index[0]).startswith("FinishedBind(index=0, item=('demo-app', 'acct-0', 'zhangsan'), ok=True")


def test_a_generator_of_100000_items_is_never_far_ahead_of_the_results(
    client: eiam.Client, mock: MockServer
) -> None:
    concurrency = 8
    # Every 100th item is a real bind; the others fail alone before any
    # request (an empty app id), so the job stays quick.
    source = Counted(
        ("demo-app", "pub-1", "zhangsan") if i % 100 == 0 else ("", "pub-1", "zhangsan") for i in range(100_000)
    )
    read = 0
    furthest_ahead = 0
    for result in client.bind_public_account_owners_streaming(source, concurrency=concurrency):
        read += 1
        furthest_ahead = max(furthest_ahead, source.pulled - read)
        assert result.ok == (result.index % 100 == 0)
    assert read == 100_000 and source.pulled == 100_000
    # In the workers (concurrency) or in the results queue (concurrency).
    assert furthest_ahead <= 2 * concurrency
    assert mock.stats.api_requests == 1000


def test_leaving_the_loop_stops_the_job_and_its_threads(client: eiam.Client, mock: MockServer) -> None:
    client.authenticate()
    source = Counted(iter([("demo-app", "pub-1", "zhangsan")] * 10_000))
    mock.delay_next(0.02, count=10_000)
    stream = client.bind_public_account_owners_streaming(source, concurrency=4)
    read = 0
    for _ in stream:
        read += 1
        if read == 6:
            break
    assert job_threads() == 4
    stream.close()
    # Nothing is started after close(), and its threads are gone.
    assert job_threads() == 0
    assert source.pulled <= read + 2 * 4
    assert mock.stats.api_requests == source.pulled
    assert list(stream) == []

    # Without close(), dropping the iterator stops the job all the same.
    source = Counted(iter([("demo-app", "pub-1", "zhangsan")] * 10_000))
    for _ in client.bind_public_account_owners_streaming(source, concurrency=4):
        break
    assert wait_until(lambda: job_threads() == 0)
    assert source.pulled < 100


def test_an_iterable_that_raises_stops_the_job_with_the_results_not_yet_read(
    client: eiam.Client, mock: MockServer
) -> None:
    items = accounts(mock, 6)

    def rows() -> "Iterator[tuple[str, str, str]]":
        yield from items
        raise ValueError("bad row 7")

    seen: "list[eiam.FinishedBind]" = []
    with pytest.raises(ValueError, match="bad row 7") as caught:
        for result in client.bind_public_account_owners_streaming(rows(), concurrency=2):
            seen.append(result)
    partial: "list[eiam.FinishedBind]" = caught.value.partial_results  # type: ignore[attr-defined]
    # Every started item is handed over exactly once: yielded, or with the
    # exception.
    assert sorted(r.index for r in seen + partial) == list(range(6))
    assert all(r.ok for r in seen + partial)
    assert mock.stats.api_requests == 6
    if sys.version_info >= (3, 11):
        assert any("partial_results" in note for note in caught.value.__notes__)


def test_an_item_that_is_not_three_str_stops_the_job_with_type_error(client: eiam.Client, mock: MockServer) -> None:
    items: "list[object]" = [("demo-app", "pub-1", "zhangsan"), ("demo-app", "pub-1"), ("demo-app", "pub-2", "lisi")]
    seen: "list[eiam.FinishedBind]" = []
    with pytest.raises(TypeError, match=r"items\[1\]") as caught:
        for result in client.bind_public_account_owners_streaming(items):  # type: ignore[arg-type]
            seen.append(result)
    partial = caught.value.partial_results  # type: ignore[attr-defined]
    assert [r.index for r in seen + partial] == [0]
    assert mock.stats.api_requests == 1


def test_arguments_are_checked_before_anything_starts(client: eiam.Client, mock: MockServer) -> None:
    with pytest.raises(TypeError, match="items must be an iterable"):
        client.bind_public_account_owners_streaming(5)  # type: ignore[arg-type]
    with pytest.raises(eiam.InvalidArgumentError, match="concurrency"):
        client.bind_public_account_owners_streaming([], concurrency=0)
    assert list(client.bind_public_account_owners_streaming([])) == []
    assert mock.stats.requests == 0


def test_threads_share_one_stream_and_one_client(client: eiam.Client, mock: MockServer) -> None:
    items = accounts(mock, 200)
    stream = client.bind_public_account_owners_streaming(items, concurrency=8)
    other = client.bind_public_account_owners_streaming(items[:50], concurrency=2)
    taken: "list[list[int]]" = [[] for _ in range(4)]

    def read(mine: "list[int]") -> None:
        mine.extend(r.index for r in stream)

    threads = [threading.Thread(target=read, args=(mine,)) for mine in taken]
    for t in threads:
        t.start()
    other_results = list(other)
    for t in threads:
        t.join()
    indexes = [i for mine in taken for i in mine]
    assert sorted(indexes) == list(range(200))
    assert sorted(r.index for r in other_results) == list(range(50))
    assert mock.stats.api_requests == 250
