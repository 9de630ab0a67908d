"""Memory over a long run through Python: resident size after 100,000 calls
(queries, binds and failing calls) stays within a few MiB of where it was
after the first 1,000. The mock runs in the same process, so its memory
counts too."""

import gc
import pathlib
import sys

import pytest

import eiam
from eiam.testing import MockServer

WARMUP = 1_000
TOTAL = 100_000
ALLOWED_GROWTH_KIB = 3 * 1024


def resident_kib() -> int:
    for line in pathlib.Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS in /proc/self/status")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
def test_resident_size_is_flat_over_100000_calls() -> None:
    with MockServer() as mock:
        client = eiam.Client(mock.base_url, client_id=mock.client_id, client_secret=mock.client_secret)
        after_warmup = 0
        for i in range(TOTAL):
            if i % 10 == 9:
                with pytest.raises(eiam.ApiError):
                    client.get_public_account_owner("no-such-app", "pub-1")
            elif i % 4 == 0:
                assert client.bind_public_account_owner("demo-app", "pub-2", "lisi")
            else:
                assert client.get_public_account_owner("demo-app", "pub-1").user_name == "zhangsan"
            if i + 1 == WARMUP:
                gc.collect()
                after_warmup = resident_kib()
        gc.collect()
        after_all = resident_kib()
        assert mock.stats.api_requests == TOTAL
        assert mock.stats.token_requests == 1
    growth = after_all - after_warmup
    print(f"Python resident size: {after_warmup} KiB after {WARMUP} calls, {after_all} KiB after {TOTAL} ({growth:+} KiB)")
    assert growth <= ALLOWED_GROWTH_KIB, (after_warmup, after_all)
