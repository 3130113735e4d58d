"""Events out: written with the change or not at all, delivered to a real receiver on 127.0.0.1
(its own process) as signed Standard Webhooks, exactly once by id and in order whatever the
receiver does, never carrying personal data to a subscriber not allowed it, and read again
from a cursor by the pull feed."""

import datetime as dt
import json
import os
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test import override_settings

from caremarket.accounts.models import ApiToken
from caremarket.accounts.roles import Role
from caremarket.core import clock
from caremarket.core.local_processes import free_port, running
from caremarket.events import delivery, outbox
from caremarket.events.models import Delivery, Event, Subscriber
from caremarket.events.subscribers import new_secret, url_problem
from caremarket.organisations.models import Organisation

RECEIVER = Path(__file__).with_name("receiver.py")
CITIZEN = {"person_id": "P100", "given_name": "Ada", "family_name": "Lovelace", "date_of_birth": "1940-12-10",
           "nhs_number": "9434765919", "address": "1 Engine Row", "postcode": "B23 6SD"}
PERSONAL = ("Ada", "Lovelace", "1940-12-10", "9434765919", "Engine Row", "B23 6SD")


@pytest.fixture
def receiver(tmp_path):
    """Start a receiver process: receiver(*flags) → (url, secret, read_log)."""
    with ExitStack() as started:
        def start(*flags):
            port, secret = free_port(), new_secret()
            log = tmp_path / f"log-{port}.jsonl"
            started.enter_context(running([sys.executable, str(RECEIVER), str(port), secret, str(log), *flags], port))

            def read():
                return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
            return f"http://127.0.0.1:{port}/events", secret, read
        yield start


def _council(name="Test City Council"):
    return Organisation.objects.get_or_create(kind=Organisation.Kind.COUNCIL, name=name)[0]


def _subscriber(url, secret, *, personal_data=False, kinds=("package.started", "package.ended"), council=None):
    return Subscriber.objects.create(name=f"CRS {url}", url=url, secret=secret, kinds=list(kinds),
                                     personal_data=personal_data, council=council or _council())


def _write(kind="package.started", subject="package CP-000001", n=1, council=None):
    """Events of the council's work (the test council's unless another is said)."""
    council = council or _council()
    with transaction.atomic():
        return [outbox.write(kind, subject, {"package": subject.split()[-1], "n": i}, council=council,
                             citizen=CITIZEN) for i in range(n)]


def test_an_event_is_written_with_its_change_or_not_at_all(db):
    _subscriber("http://127.0.0.1:9/", new_secret(), kinds=["package.started"])
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        outbox.write("package.started", "package CP-000001", {}, council=_council())
        1 / 0  # the change fails after the event was written
    assert not Event.objects.exists() and not Delivery.objects.exists()


def test_a_webhook_is_signed_delivered_once_and_carries_no_personal_data_without_the_right(db, receiver):
    url, secret, read = receiver()
    anonymous = _subscriber(url, secret)
    _write(n=3)
    assert delivery.deliver_due() == 3
    got = read()
    assert [m["data"]["n"] for m in got] == [0, 1, 2]  # verified by the receiver, in order
    assert all(m["data"]["citizen"] == {"person_id": "P100"} for m in got)
    assert not any(detail in json.dumps(got) for detail in PERSONAL)
    assert delivery.deliver_due() == 0  # nothing is sent twice once taken
    assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}
    anonymous.personal_data = True
    anonymous.save()
    _write(kind="package.ended")
    delivery.deliver_due()
    assert read()[-1]["data"]["citizen"]["nhs_number"] == "9434765919"


def test_a_receiver_that_answers_500_gets_each_event_exactly_once_in_order_and_holds_back_only_that_record(
        db, receiver):
    url, secret, read = receiver("--fail-first", "2")
    _subscriber(url, secret)
    _write(subject="package CP-000002", n=2)
    _write()
    assert delivery.lane_of("package CP-000002") < delivery.lane_of("package CP-000001")  # so it goes first
    assert delivery.deliver_due() == 0  # 500 to each record's first: both wait a minute, the rest behind them
    first = Delivery.objects.order_by("event_id").first()
    assert (first.attempts, first.last_error) == (1, "The receiver answered 500")
    with clock.frozen(clock.now() + dt.timedelta(minutes=1, seconds=1)):
        assert delivery.deliver_due() == 3
    assert [(m["subject"], m["data"]["n"]) for m in read()] == [
        ("package CP-000002", 0), ("package CP-000002", 1), ("package CP-000001", 0)]


def test_one_records_failing_event_does_not_hold_back_another_records(db, receiver):
    url, secret, read = receiver("--fail-first", "1")
    _subscriber(url, secret)
    _write(subject="package CP-000002", n=2)  # its lane goes first, and the receiver answers 500
    _write()
    assert delivery.deliver_due() == 1
    assert [m["subject"] for m in read()] == ["package CP-000001"]
    assert Delivery.objects.get(event__data__n=1, subject="package CP-000002").attempts == 0  # held behind


def test_retries_back_off_doubling_to_at_most_six_hours():
    assert [delivery.backoff(n) for n in (1, 2, 3, 9, 12)] == [
        dt.timedelta(minutes=1), dt.timedelta(minutes=2), dt.timedelta(minutes=4),
        dt.timedelta(hours=4, minutes=16), dt.timedelta(hours=6)]


def test_a_receiver_that_times_out_gets_the_event_again_and_drops_the_duplicate(db, receiver):
    url, secret, read = receiver("--slow-first", "1")
    _subscriber(url, secret)
    _write()
    assert delivery.deliver_due() == 0  # it took too long: not known to be delivered
    with clock.frozen(clock.now() + dt.timedelta(minutes=2)):
        assert delivery.deliver_due() == 1
    time.sleep(0.2)
    assert len(read()) == 1  # the slow first answer may have been taken too: the id made it one


def test_a_delivery_that_keeps_failing_fails_for_good_is_listed_and_can_be_sent_again(db, receiver):
    url, secret, read = receiver("--fail-first", str(delivery.MOST_ATTEMPTS))
    _subscriber(url, secret)
    _write()
    moment = clock.now()
    for _ in range(delivery.MOST_ATTEMPTS):
        with clock.frozen(moment):
            delivery.deliver_due()
        moment += delivery.LONGEST_WAIT + dt.timedelta(seconds=1)
    failed = Delivery.objects.get()
    assert failed.status == "failed" and read() == []
    with clock.frozen(moment):
        delivery.send_again(failed)
        assert delivery.deliver_due() == 1, Delivery.objects.get().last_error
    assert len(read()) == 1


def test_the_pull_feed_reads_on_from_a_cursor_and_only_the_kinds_allowed(db, make_user, council, client):
    account = make_user(Role.COMMISSIONER, council)
    Subscriber.objects.create(name="Finance system", account=account, secret=new_secret(),
                              kinds=["package.started"])
    token = ApiToken.issue(account, "feed")[1]
    _write(n=3)
    _write(kind="package.ended")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    first = client.get("/api/events?limit=2", **auth).json()
    assert [e["data"]["n"] for e in first["events"]] == [0, 1]
    rest = client.get(f"/api/events?after={first['next']}", **auth).json()
    assert [e["data"]["n"] for e in rest["events"]] == [2] and rest["events"][0]["type"] == "package.started"
    assert client.get(f"/api/events?after={rest['next']}", **auth).json() == {"events": [], "next": rest["next"]}
    assert not any(detail in json.dumps(first) for detail in PERSONAL)
    other = ApiToken.issue(make_user(Role.FINANCE_OFFICER, council), "x")[1]
    assert client.get("/api/events", HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 403


def test_a_councils_events_go_to_its_own_systems_alone_and_national_ones_to_every_councils(
        db, make_user, council, neighbour, client, receiver):
    ours_url, ours_secret, ours = receiver()
    theirs_url, theirs_secret, theirs = receiver()
    _subscriber(ours_url, ours_secret, council=council, personal_data=True)
    _subscriber(theirs_url, theirs_secret, council=neighbour, personal_data=True)
    _write(subject="package CP-000001", council=council)
    _write(subject="package SW-000001", council=neighbour)
    with transaction.atomic():
        outbox.write("package.started", "carer C0000001", {"n": 9}, council=None)  # national
    delivery.deliver_due()
    assert sorted(e["data"].get("package", "national") for e in ours()) == ["CP-000001", "national"]
    assert sorted(e["data"].get("package", "national") for e in theirs()) == ["SW-000001", "national"]
    # The pull feed likewise: the neighbour's system never reads the first council's events.
    account = make_user(Role.COMMISSIONER, neighbour, username="feed@sandwell.test")
    Subscriber.objects.create(name="Sandwell finance", account=account, secret=new_secret(), council=neighbour,
                              kinds=["package.started"])
    token = ApiToken.issue(account, "feed")[1]
    read = client.get("/api/events", HTTP_AUTHORIZATION=f"Bearer {token}").json()["events"]
    assert sorted(e["subject"] for e in read) == ["carer C0000001", "package SW-000001"]


def test_a_webhook_address_must_be_https_in_production_and_not_the_service_itself(settings):
    settings.SITE_URL = "https://caremarket.council.example"
    settings.ALLOWED_HOSTS = ["caremarket.council.example"]
    assert url_problem("https://crs.council.example/hooks") is None
    assert "own address" in url_problem("https://caremarket.council.example/api/events")
    assert url_problem("ftp://crs.council.example/") is not None
    with override_settings(PRODUCTION=True):
        assert "https" in url_problem("http://crs.council.example/hooks")


def test_after_a_secret_is_rotated_the_old_one_still_signs_for_a_day(db, receiver):
    url, old_secret, read = receiver()
    subscriber = _subscriber(url, new_secret())
    subscriber.previous_secret, subscriber.rotated_at = old_secret, clock.now()
    subscriber.save()
    _write()
    assert delivery.deliver_due() == 1  # the receiver still checks with the old secret
    _write(subject="package CP-000002")
    with clock.frozen(clock.now() + dt.timedelta(days=1, minutes=1)):
        assert delivery.deliver_due() == 0  # a day on, only the new secret signs
    assert len(read()) == 1


DELIVER = "import django; django.setup(); from caremarket.events import delivery; delivery.deliver_due()"


@pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="another process shares the PostgreSQL test database")
def test_a_worker_killed_mid_batch_leaves_nothing_lost_and_each_event_is_taken_once_in_order(committed_db, receiver):
    """A real worker process is killed while it sends a batch: what it sent is not marked
    delivered, so the next worker sends it again and the receiver drops the repeats by id."""
    url, secret, read = receiver("--pause", "0.05")
    _subscriber(url, secret)
    _write(n=60)
    _write(subject="package CP-000002", n=20)
    database = connection.settings_dict
    worker = subprocess.Popen(
        [sys.executable, "-c", DELIVER], cwd=RECEIVER.parents[3],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "caremarket.settings", "DATABASE_URL":
             f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"})
    deadline = time.monotonic() + 30
    while len(read()) < 10 and time.monotonic() < deadline:  # well into its batch of 80 (4 seconds)
        time.sleep(0.05)
    worker.kill()
    worker.wait()
    taken_before = len(read())
    assert 10 <= taken_before < 80, "killed mid-batch"
    assert not Delivery.objects.filter(status=Delivery.Status.DELIVERED).exists()  # its transaction never ended
    assert delivery.deliver_due() == 80
    taken = read()
    assert len(taken) == len({m["id"] for m in taken}) == 80  # each once, the repeats dropped by id
    for subject, count in (("package CP-000001", 60), ("package CP-000002", 20)):
        assert [m["data"]["n"] for m in taken if m["subject"] == subject] == list(range(count))
