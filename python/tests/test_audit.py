"""Client.audit_public_accounts against the mock: each finding as a typed
record, a clean account, errors, pickling, and the GIL released."""

import pickle
import threading

import pytest

import eiam
from eiam import AuditFinding, FindingKind
from eiam.testing import MockServer


def public(mock: MockServer, app: str, name: str, owner: str | None, users: list[str]) -> None:
    mock.add_account(app, "PUBLIC_ACCOUNT", name, id=name, owner=owner, users=users)


def test_each_finding_is_a_typed_record(mock: MockServer, client: eiam.Client) -> None:
    mock.add_user("gone", disabled=True)
    public(mock, "a", "clean", "zhangsan", ["zhangsan"])
    public(mock, "a", "orphaned", None, ["zhangsan"])
    public(mock, "a", "stale-owner", "gone", ["zhangsan"])
    public(mock, "a", "stale-members", "zhangsan", ["gone", "zhangsan", "lisi"])
    public(mock, "a", "unused", "zhangsan", [])
    findings = list(client.audit_public_accounts("a"))
    assert [(f.account_id, f.kind, f.user_names) for f in findings] == [
        ("orphaned", FindingKind.NO_OWNER, ()),
        ("stale-owner", FindingKind.DISABLED_OWNER, ("gone",)),
        ("stale-members", FindingKind.DISABLED_MEMBERS, ("gone", "lisi")),
        ("unused", FindingKind.NO_MEMBERS, ()),
    ]
    first = findings[0]
    assert isinstance(first.kind, FindingKind)
    assert first.kind == "no_owner"
    assert (first.app_id, first.account_name) == ("a", "orphaned")
    with pytest.raises(AttributeError):
        first.kind = FindingKind.NO_MEMBERS  # type: ignore[misc]


def test_the_demo_app_and_records_by_value(client: eiam.Client) -> None:
    findings = list(client.audit_public_accounts("demo-app"))
    expected = [
        AuditFinding("demo-app", "pub-2", "pub-2", "no_owner", []),
        AuditFinding("demo-app", "pub-2", "pub-2", "no_members", []),
    ]
    assert findings == expected
    assert len(set(findings)) == 2
    assert pickle.loads(pickle.dumps(findings[0])) == findings[0]
    assert repr(findings[0]) == (
        "AuditFinding(app_id='demo-app', account_id='pub-2', account_name='pub-2', "
        "kind='no_owner', user_names=())"
    )
    with pytest.raises(ValueError, match="kind must be one of"):
        AuditFinding("a", "b", "c", "bad", [])


def test_a_clean_application_yields_nothing(mock: MockServer, client: eiam.Client) -> None:
    public(mock, "clean-app", "ok", "zhangsan", ["cq04130006"])
    assert list(client.audit_public_accounts("clean-app")) == []


def test_an_error_is_raised_and_ends_the_audit(client: eiam.Client) -> None:
    audit = client.audit_public_accounts("no-such-app")
    with pytest.raises(eiam.ApiError) as raised:
        next(audit)
    assert raised.value.code == "APP.0001"
    assert list(audit) == []


def test_the_gil_is_released_while_it_waits(mock: MockServer, client: eiam.Client) -> None:
    # The owner query hangs for a while; another Python thread keeps running.
    mock.delay_next(1.0, count=1)
    ticks = 0
    done = threading.Event()

    def tick() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            done.wait(0.01)

    ticker = threading.Thread(target=tick)
    ticker.start()
    try:
        findings = list(client.audit_public_accounts("demo-app"))
    finally:
        done.set()
        ticker.join()
    assert len(findings) == 2
    assert ticks > 5, ticks
