"""Helpers for testing code that uses eiam, without a tenant.

    from eiam.testing import MockServer

    with MockServer() as mock:
        mock.add_public_account("app1", "pub1")
        mock.add_user("zhangsan")
        client = eiam.Client(mock.base_url, client_id=mock.client_id,
                             client_secret=mock.client_secret)
        mock.fail_next(2, status=503, retry_after="0")   # exercise retries
        ...
        assert mock.stats.token_requests == 1
"""

from ._eiam import MockServer, MockStats

__all__ = ["MockServer", "MockStats"]
