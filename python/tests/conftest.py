from collections.abc import Iterator

import pytest

import eiam
from eiam.testing import MockServer


@pytest.fixture
def mock() -> Iterator[MockServer]:
    with MockServer() as server:
        yield server


@pytest.fixture
def client(mock: MockServer) -> Iterator[eiam.Client]:
    with eiam.Client(
        mock.base_url, client_id=mock.client_id, client_secret=mock.client_secret, timeout=10.0
    ) as c:
        yield c
