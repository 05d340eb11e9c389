"""The audit log: written from the flush, in the same transaction as the change it records."""

from datetime import date

import pytest

from coop.audit import acting_as
from coop.extensions import db
from coop.models import AuditEntry
from coop.services import accounts
from coop.services import attendance as attendance_service
from coop.services.errors import RecordInvalid
from coop.services.members import mine_by_code, save_enterprise, save_mine


def entries(**filters):
    query = db.select(AuditEntry).filter_by(**filters).order_by(AuditEntry.id)
    return db.session.execute(query).scalars().all()


def test_create_records_every_field(members):
    (entry,) = entries(record_type="mines", record_key="M2A")
    assert entry.action == "create"
    assert entry.actor == "test"
    assert entry.before is None
    assert entry.after == {
        "code": "M2A",
        "enterprise_code": "E2",  # the reference by its natural key, not an id
        "name": "Mine M2A",
        "minerals": "Zn,Pb",
        "mining_method": "underground",
        "processing_method": None,
        "status": "active",
        "opened_on": None,
        "closed_on": None,
    }


def test_update_records_only_what_changed(members):
    with acting_as("clerk"):
        save_mine(
            {"enterprise_code": "E2", "status": "closed", "closed_on": date(2006, 1, 31)},
            mine_by_code("M1B"),
        )
        db.session.commit()
    entry = entries(record_key="M1B", action="update")[-1]
    assert entry.actor == "clerk"
    assert entry.before == {"enterprise_code": "E1", "status": "active", "closed_on": None}
    assert entry.after == {"enterprise_code": "E2", "status": "closed", "closed_on": "2006-01-31"}


def test_saving_unchanged_values_logs_nothing(members):
    before = len(entries())
    with acting_as("clerk"):
        save_mine({"status": "active"}, mine_by_code("M1A"))
        db.session.commit()
    assert len(entries()) == before


def test_rolled_back_change_leaves_no_entry(members):
    before = len(entries())
    with acting_as("clerk"):
        save_enterprise({"code": "E9", "name": "Nine", "joined_on": date(2001, 1, 1)})
        assert len(entries()) == before + 1  # written with the change, in its transaction
        db.session.rollback()
    assert len(entries()) == before


def test_refused_change_leaves_no_entry(members):
    before = len(entries())
    with pytest.raises(RecordInvalid):
        save_mine({"status": "closed"}, mine_by_code("M1A"))
    db.session.rollback()
    assert len(entries()) == before


def test_password_hashes_never_copied(members):
    with acting_as("cli"):
        user = accounts.create_user("clerk", "operator", "long enough password", "E1")
        db.session.commit()
        accounts.reset_password(user, "another long password")
        db.session.commit()
    created, changed = entries(record_type="users", record_key="clerk")
    assert created.after["password_hash"] == "***"
    assert created.after["enterprise_code"] == "E1"
    assert changed.before == {"password_hash": "***"}
    assert changed.after == {"password_hash": "***"}


def test_change_by_a_signed_in_user_names_them(as_role):
    client = as_role("president")
    response = client.post(
        "/enterprises/E2/edit", data={"code": "E2", "name": "Renamed", "joined_on": "2003-03-01"}
    )
    assert response.status_code == 302
    entry = entries(record_key="E2", action="update")[-1]
    assert entry.actor == "president"
    assert entry.user.username == "president"
    assert entry.after == {"name": "Renamed"}


def test_a_new_record_keyed_by_its_references_is_logged_by_its_natural_key(members):
    """A production month, an attendance entry: their natural keys are made from the records
    they refer to (mine, meeting, enterprise), which a new record holds only as ids when the
    log is written; the log still names them NJT-style, never "None:2024-01"."""
    from coop.services import meetings
    from coop.services.production import save_production

    with acting_as("clerk"):
        save_production({"mine_code": "M1A", "month": "2024-01", "ore_mined_t": 5.0})
        meetings.save_meeting({"held_on": date(2024, 2, 16), "kind": "monthly"})
        attendance_service.save_attendance(
            {"held_on": date(2024, 2, 16), "kind": "monthly", "enterprise_code": "E1"}
            | {"status": "present"}
        )
        db.session.commit()
    assert [e.record_key for e in entries(action="create", actor="clerk")] == [
        "M1A:2024-01",
        "2024-02-16:monthly",
        "2024-02-16:monthly:E1",
    ]
