import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from caremarket.audit.models import AuditEvent
from caremarket.audit.trail import history, record, seal, snapshot, verify


def _rename(organisation, name, actor, reason="Company renamed"):
    with transaction.atomic():
        before = snapshot(organisation)
        organisation.name = name
        organisation.save()
        return record(actor, "organisation.renamed", organisation, before=before, reason=reason)


def test_a_change_records_who_when_what_before_after_and_why(provider, commissioner):
    event = _rename(provider, "Acorn Care Ltd", commissioner)
    assert event.actor == commissioner
    assert event.actor_label.startswith(commissioner.username)
    assert event.before["name"] == "Acorn Home Care" and event.after["name"] == "Acorn Care Ltd"
    assert event.reason == "Company renamed"
    assert event.object_type == "organisations.organisation" and event.object_id == str(provider.pk)
    assert list(history(provider)) == [event]
    assert verify() == []


def test_snapshots_never_hold_passwords(commissioner):
    assert "password" not in snapshot(commissioner)


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused(provider, commissioner):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        record(commissioner, "organisation.renamed", provider)
    assert AuditEvent.objects.count() == 0


def test_a_failed_change_leaves_no_audit_record(provider, commissioner):
    with pytest.raises(ZeroDivisionError):
        with transaction.atomic():
            record(commissioner, "organisation.renamed", provider)
            1 / 0
    assert AuditEvent.objects.count() == 0


def test_events_cannot_be_changed_or_deleted_through_the_application(provider, commissioner):
    event = _rename(provider, "New name", commissioner)
    event.reason = "something else"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def _table():
    return connection.ops.quote_name(AuditEvent._meta.db_table)


def test_an_edited_event_is_detected_by_the_verify_command(provider, commissioner, capsys):
    for n in range(3):
        _rename(provider, f"Name {n}", commissioner)
    call_command("verify_audit_trail")
    assert "3 newer events are waiting to be sealed" in capsys.readouterr().out
    assert seal() == 3
    call_command("verify_audit_trail")
    assert "intact: 3 events" in capsys.readouterr().out
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {_table()} SET reason = %s WHERE sequence = 2", ["covering tracks"])
    with pytest.raises(CommandError, match="tampered"):
        call_command("verify_audit_trail")
    assert "event 2: its content has been changed" in capsys.readouterr().err


def test_a_deleted_event_is_detected(provider, commissioner):
    for n in range(3):
        _rename(provider, f"Name {n}", commissioner)
    seal()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_table()} WHERE sequence = 2")
    messages = [str(p) for p in verify()]
    assert any("event 3: expected event 2 here" in m for m in messages)


def test_deleting_the_newest_events_is_detected(provider, commissioner):
    for n in range(3):
        _rename(provider, f"Name {n}", commissioner)
    seal()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_table()} WHERE sequence = 3")
    assert [str(p) for p in verify()] == ["event 3: the chain should end at event 3 but ends at 2"]


def test_simultaneous_changes_keep_one_unbroken_chain(committed_db, provider, commissioner):
    """Twelve writers at once (real connections on PostgreSQL; SQLite serialises writers itself),
    none waiting for another's place in the chain; sealed afterwards into one chain."""
    import threading

    if connection.vendor != "postgresql":
        pytest.skip("needs a server database with concurrent connections")
    barrier = threading.Barrier(12)
    failures = []

    def writer(n):
        try:
            barrier.wait()
            for i in range(5):
                _rename(type(provider).objects.get(pk=provider.pk), f"Name {n}-{i}", commissioner)
        except Exception as error:  # reported below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert AuditEvent.objects.count() == 60
    assert seal() == 60 and verify() == []
    assert sorted(AuditEvent.objects.values_list("sequence", flat=True)) == list(range(1, 61))


def test_events_are_sealed_in_the_order_they_were_written_and_a_reseal_changes_nothing(provider, commissioner):
    first = _rename(provider, "Name 1", commissioner)
    assert first.sequence is None and first.hash is None  # written without waiting for the chain
    assert verify() == []  # nothing sealed, nothing wrong
    assert seal() == 1
    second, third = (_rename(provider, f"Name {n}", commissioner) for n in (2, 3))
    assert seal(batch=1) == 2  # in batches
    assert seal() == 0
    chain = list(AuditEvent.objects.order_by("sequence").values_list("pk", "sequence"))
    assert chain == [(first.pk, 1), (second.pk, 2), (third.pk, 3)]
    assert verify() == []


def test_reordered_sealed_events_are_detected(provider, commissioner):
    for n in range(3):
        _rename(provider, f"Name {n}", commissioner)
    seal()
    with connection.cursor() as cursor:  # swap events 1 and 2's places
        cursor.execute(f"UPDATE {_table()} SET sequence = 1000 WHERE sequence = 1")
        cursor.execute(f"UPDATE {_table()} SET sequence = 1 WHERE sequence = 2")
        cursor.execute(f"UPDATE {_table()} SET sequence = 2 WHERE sequence = 1000")
    messages = [str(p) for p in verify()]
    assert any("does not follow on from the event before it" in m for m in messages)


def test_an_unsealed_event_shows_on_the_audit_page_as_being_sealed(provider, commissioner, signed_in):
    event = _rename(provider, "Name 1", commissioner)
    page = signed_in(commissioner).get(f"/audit/organisations.organisation/{provider.pk}/").content.decode()
    assert "Being sealed into the chain" in page and event.reason in page


def test_the_history_of_a_kind_of_record_that_does_not_exist_is_not_found(provider, commissioner, signed_in):
    client = signed_in(commissioner)
    assert client.get("/audit/no.such-thing/1/").status_code == 404
    assert client.get("/audit/anything/1/").status_code == 404
    assert client.get(f"/audit/organisations.organisation/{provider.pk + 1000}/").status_code == 200  # no history yet


def test_the_audit_filter_offers_the_kinds_of_record_the_trail_has_and_finds_them(provider, commissioner, signed_in):
    _rename(provider, "Name 1", commissioner)
    client = signed_in(commissioner)
    page = client.get("/audit/").content.decode()
    assert '<option value="organisations.organisation">Organisation</option>' in page
    assert "Care package" not in page.split('id="id_kind"')[1].split("</select>")[0]  # none recorded yet
    found = client.get("/audit/?kind=organisations.organisation").content.decode()
    assert "Name 1" in found
