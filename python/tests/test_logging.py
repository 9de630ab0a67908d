"""Logging goes to the standard `logging` module, logger "eiam", without
secrets, and importing eiam configures nothing."""

import logging
import pathlib
import subprocess
import sys

import pytest

import eiam
from eiam.testing import MockServer


def test_records_reach_the_eiam_logger_without_secrets(caplog: pytest.LogCaptureFixture) -> None:
    with MockServer() as mock:
        caplog.set_level(logging.DEBUG, logger="eiam")
        c = eiam.Client(mock.base_url, client_id=mock.client_id, client_secret=mock.client_secret)
        c.get_public_account_owner("demo-app", "pub-1")
        mock.expire_tokens()
        mock.fail_next(1, status=503, retry_after="0")
        c.get_public_account_owner("demo-app", "pub-1")
    eiam_records = [r for r in caplog.records if r.name.startswith("eiam")]
    messages = [r.getMessage() for r in eiam_records]
    assert any("retry" in m for m in messages), messages
    assert any("rejected" in m for m in messages), messages
    for m in messages:
        assert "demo-secret" not in m
        assert "Bearer" not in m and "Basic" not in m


def test_import_configures_no_logging(tmp_path: pathlib.Path) -> None:
    code = (
        "import logging; root = logging.getLogger(); before = (list(root.handlers), root.level);"
        "import eiam;"
        "assert (list(root.handlers), root.level) == before;"
        "assert logging.getLogger('eiam').handlers == [];"
        "print('ok')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert out.stdout.strip() == "ok"


def test_only_eiam_loggers_receive_records(caplog: pytest.LogCaptureFixture) -> None:
    # Even with the root logger at DEBUG, the HTTP and TLS libraries under
    # the core stay silent: everything is under "eiam".
    with MockServer() as mock:
        caplog.set_level(logging.DEBUG)
        c = eiam.Client(mock.base_url, client_id=mock.client_id, client_secret=mock.client_secret)
        c.get_public_account_owner("demo-app", "pub-1")
    names = {r.name for r in caplog.records}
    assert any(n.startswith("eiam.") for n in names), names
    assert {n for n in names if n != "eiam" and not n.startswith("eiam.")} == set()


def test_levels_set_before_a_client_is_created_apply(caplog: pytest.LogCaptureFixture) -> None:
    with MockServer() as mock:
        caplog.set_level(logging.DEBUG, logger="eiam")
        eiam.Client(mock.base_url, client_id=mock.client_id, client_secret=mock.client_secret).authenticate()
        assert any(r.name.startswith("eiam") for r in caplog.records)
        caplog.clear()
        logging.getLogger("eiam").setLevel(logging.ERROR)
        eiam.Client(mock.base_url, client_id=mock.client_id, client_secret=mock.client_secret).authenticate()
        assert [r for r in caplog.records if r.name.startswith("eiam")] == []


def test_a_child_logger_more_verbose_than_eiam_gets_its_records(caplog: pytest.LogCaptureFixture) -> None:
    # Records the `eiam` logger would drop are not dropped before the bridge
    # when one of its children wants them.
    with MockServer() as mock:
        caplog.set_level(logging.WARNING, logger="eiam")
        caplog.set_level(logging.DEBUG, logger="eiam.transport")
        c = eiam.Client(mock.base_url, client_id=mock.client_id, client_secret=mock.client_secret)
        c.get_public_account_owner("demo-app", "pub-1")
    levels = {(r.name, r.levelno) for r in caplog.records if r.name.startswith("eiam")}
    assert ("eiam.transport", logging.DEBUG) in levels, levels
    assert {name for name, _ in levels} == {"eiam.transport"}, levels


def test_logging_disable_silences_the_bridge(caplog: pytest.LogCaptureFixture) -> None:
    with MockServer() as mock:
        caplog.set_level(logging.DEBUG, logger="eiam")
        logging.disable(logging.CRITICAL)
        try:
            eiam.Client(mock.base_url, client_id=mock.client_id, client_secret=mock.client_secret).authenticate()
        finally:
            logging.disable(logging.NOTSET)
        assert [r for r in caplog.records if r.name.startswith("eiam")] == []
        eiam.Client(mock.base_url, client_id=mock.client_id, client_secret=mock.client_secret).authenticate()
        assert any(r.name.startswith("eiam") for r in caplog.records)
