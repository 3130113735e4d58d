import datetime as dt
import re
import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, connections

from caremarket.core import clock
from caremarket.outcomes import vouchers
from caremarket.outcomes.models import Booking, Listing, Voucher, VoucherBudget
from caremarket.payments import runs
from caremarket.payments.models import PaymentDue, PaymentLine

from .conftest import at, new_carer

TODAY = dt.date(2026, 10, 20)


@pytest.fixture
def budget(consortium):
    return VoucherBudget.objects.create(contract=consortium["contract"], starts_on=dt.date(2026, 10, 1),
                                        ends_on=dt.date(2027, 3, 31), budget_pence=30_000)


@pytest.fixture
def listing(consortium):
    return Listing.objects.create(organisation=consortium["south"], title="Spa afternoon", category="therapy",
                                  description="Massage and tea", where="Moseley", price_pence=12_000, places=2)


def carer(consortium, i=0, hours=20, email=""):
    return new_carer(consortium, consortium["north"], consortium["north_user"], given=f"Carer{i}", family=f"F{i}",
                     hours=Decimal(hours), email=email)


def ask(consortium, who):
    with clock.frozen(at(TODAY)):
        return vouchers.ask(consortium["north_user"], who, consortium["contract"])


def test_a_voucher_is_for_more_than_ten_hours_of_care_once_a_year(consortium, budget):
    with pytest.raises(ValidationError, match="more than 10 hours of care a week; this carer gives 10"):
        ask(consortium, carer(consortium, hours=10))
    assert not Voucher.objects.exists()
    someone = carer(consortium, 1, hours="10.5")
    granted = ask(consortium, someone)
    assert (granted.status, granted.amount_pence, granted.budget) == ("granted", 15_000, budget)
    Voucher.objects.filter(pk=granted.pk).update(status="spent")
    with pytest.raises(ValidationError, match="has had a voucher this year"):
        ask(consortium, someone)


def test_a_spent_budget_puts_carers_on_a_waiting_list_granted_in_turn_by_the_next_budget(consortium, budget):
    first, second, third, fourth = (ask(consortium, carer(consortium, i)) for i in range(4))
    assert [v.status for v in (first, second, third, fourth)] == ["granted", "granted", "waiting", "waiting"]
    assert "£0.00 left, less than a voucher's £150.00" in third.reason
    with pytest.raises(ValidationError, match="on the waiting list already"):
        ask(consortium, third.carer)
    with clock.frozen(at(dt.date(2027, 4, 1))):
        vouchers.add_budget(consortium["integrator"], consortium["contract"], dt.date(2027, 4, 1),
                            dt.date(2027, 9, 30), 15_000)
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert (third.status, fourth.status) == ("granted", "waiting")  # first asked, first granted; then no room


def test_a_voucher_books_one_activity_and_pays_its_organisation_in_the_next_run(consortium, budget, listing, calendar):
    someone = carer(consortium)
    ask(consortium, someone)
    with clock.frozen(at(TODAY)):
        booking = vouchers.book(someone, listing.pk)
        with pytest.raises(ValidationError, match="spent already"):
            vouchers.book(someone, listing.pk)
        run = runs.run_period(calendar[8], consortium["finance"])  # 14 October to 10 November
    assert booking.voucher.status == "spent" and booking.amount_pence == 12_000
    line = run.lines.get(kind=PaymentLine.Kind.RESULTS)
    assert (line.organisation, line.amount_pence) == (consortium["south"], 12_000)
    assert "Time for Me voucher V" in line.reason and runs.line_reference(line).startswith("TFM-V")
    assert Booking.objects.count() == 1 and PaymentDue.objects.count() == 1



def test_the_organiser_sees_which_run_paid_a_booking(consortium, budget, listing, calendar, signed_in):
    someone = carer(consortium)
    ask(consortium, someone)
    with clock.frozen(at(TODAY)):
        vouchers.book(someone, listing.pk)
        run = runs.run_period(calendar[8], consortium["finance"])
        south = signed_in(consortium["south_user"])
        assert f"In the {runs.run_label(calendar[8])} run, to be paid on" in south.get("/marketplace/").content.decode()
        run.status = run.Status.POSTED
        run.save(update_fields=["status"])
        page = south.get("/marketplace/").content.decode()
    assert f"Paid in the {runs.run_label(calendar[8])} run, on {calendar[8].payment_date:%-d %B %Y}" in page


def test_a_full_or_dearer_activity_cannot_be_booked_and_nothing_is_spent(consortium, budget, listing):
    someone = carer(consortium)
    ask(consortium, someone)
    dear = Listing.objects.create(organisation=consortium["south"], title="Weekend away", category="short_break",
                                  description="Two nights", where="Wales", price_pence=15_001, places=5)
    with clock.frozen(at(TODAY)):
        with pytest.raises(ValidationError, match="costs £150.01, more than your voucher's £150.00"):
            vouchers.book(someone, dear.pk)
        listing.places = 0
        listing.save()
        with pytest.raises(ValidationError, match="is full"):
            vouchers.book(someone, listing.pk)
    assert Voucher.objects.get().status == "granted" and not Booking.objects.exists()
    assert not PaymentDue.objects.exists()


def test_a_sign_in_link_goes_only_to_a_carer_with_a_voucher_and_works_once(consortium, budget, client, tasks_at_once):
    someone = carer(consortium, email="priya@example.test")
    with clock.frozen(at(TODAY)):
        client.post("/time-for-me/", {"email": "priya@example.test"})
        assert mail.outbox == []  # no voucher yet: nothing sent, and the page says the same
        ask(consortium, someone)
        response = client.post("/time-for-me/", {"email": "PRIYA@example.test"})
        assert "Check your email" in response.content.decode()
        link = re.search(r"http://testserver(/time-for-me/sign-in/\S+/)", mail.outbox[0].body).group(1)
        assert client.get("/time-for-me/activities/").status_code == 302
        assert client.get(link)["Location"] == "/time-for-me/activities/"
        assert "Your voucher is worth" in client.get("/time-for-me/activities/").content.decode()
        assert client.get(link).status_code == 400  # used
        client.post("/time-for-me/sign-out/")
        assert client.get("/time-for-me/activities/").status_code == 302
        client.post("/time-for-me/", {"email": "priya@example.test"})
        late = re.search(r"http://testserver(/time-for-me/sign-in/\S+/)", mail.outbox[1].body).group(1)
    with clock.frozen(at(TODAY, hour=12)):
        assert client.get(late).status_code == 400  # more than an hour later


def test_one_voucher_makes_one_booking_however_many_are_tried_at_once(committed_db, consortium, budget, listing):
    if connection.vendor != "postgresql":
        pytest.skip("needs a server database with concurrent connections")
    someone = carer(consortium)
    ask(consortium, someone)
    other = Listing.objects.create(organisation=consortium["north"], title="Canal trip", category="day_trip",
                                   description="A day on the canal", where="Gas Street", price_pence=9_000, places=9)
    clock.set_time(at(TODAY))
    try:
        start, outcomes = threading.Barrier(8), []

        def press_book(listing_id):
            try:
                start.wait()
                outcomes.append(vouchers.book(someone, listing_id).pk)
            except ValidationError as refused:
                outcomes.append(" ".join(refused.messages))
            finally:
                connections.close_all()

        threads = [threading.Thread(target=press_book, args=[(listing, other)[i % 2].pk]) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        clock.set_time(None)
    assert Booking.objects.count() == 1 and PaymentDue.objects.count() == 1
    assert Voucher.objects.get().status == "spent"
    assert sorted(o for o in outcomes if isinstance(o, str)) == ["Your voucher has been spent already: each voucher "
                                                                 "pays for one activity"] * 7


def test_an_organisation_lists_an_activity_and_sees_who_booked_it(consortium, budget, signed_in, client):
    south = signed_in(consortium["south_user"])
    form = {"title": "Pottery morning", "category": "learning", "description": "Clay and coffee", "where": "Digbeth",
            "happens_on-day": "5", "happens_on-month": "11", "happens_on-year": "2026", "price": "150.001",
            "places": "6", "is_open": "on"}
    with clock.frozen(at(TODAY)):
        refused = south.post("/marketplace/add/", form)
        assert "Ensure that there are no more than 2 decimal places" in refused.content.decode()
        assert south.post("/marketplace/add/", {**form, "price": "35.50"}).status_code == 302
        listing = Listing.objects.get()
        assert (listing.organisation, listing.price_pence) == (consortium["south"], 3550)
        someone = carer(consortium, email="ann@example.test")
        ask(consortium, someone)
        session = client.session
        session[vouchers.CARER_SESSION_KEY] = someone.pk
        session.save()
        page = client.get(f"/time-for-me/activities/{listing.pk}/").content.decode()
        assert "Book with your voucher" in page
        assert client.post(f"/time-for-me/activities/{listing.pk}/",
                           {"needs_shared": "Step-free access, please"})["Location"] == "/time-for-me/your-voucher/"
        assert "You are booked" in client.get("/time-for-me/your-voucher/").content.decode()
        again = client.post(f"/time-for-me/activities/{listing.pk}/").content.decode()
        assert "There is a problem" in again and "no voucher" in again
    bookings = south.get("/marketplace/").content.decode()
    # Another member's carer: a booking reference, the first name and what the carer chose to share.
    voucher = Voucher.objects.get(carer=someone)
    assert f"Booking {voucher.reference}" in bookings and "Carer0" in bookings and "Step-free access" in bookings
    assert not re.search(r"\bF0\b", bookings) and someone.postcode not in bookings  # (a CSRF token may hold "F0")
    assert "To be paid in the next payment run" in bookings
    assert "Carer0" not in signed_in(consortium["outsider_user"]).get("/marketplace/").content.decode()


def test_an_organiser_outside_the_carers_register_never_sees_the_carers_full_name(
        consortium, budget, provider, make_user, signed_in):
    """Members, the integrator and any provider may list activities; only the carer's own
    register (its member, or the integrator) sees the carer's name on a booking."""
    from caremarket.accounts.roles import Role

    young = new_carer(consortium, consortium["north"], consortium["north_user"], given="Kai", family="Young",
                      born=dt.date(2011, 6, 1), email="kai@example.test")
    VoucherBudget.objects.filter(pk=budget.pk).update(from_age=12)  # a budget young carers may use too
    ask(consortium, young)
    organisers = {"the carer's own member": (consortium["north"], consortium["north_user"], True),
                  "the integrator": (consortium["lead"], consortium["integrator"], True),
                  "another member": (consortium["south"], consortium["south_user"], False),
                  "a provider outside the consortium": (provider, make_user(Role.PROVIDER_ADMIN, provider), False)}
    listings = {who: Listing.objects.create(organisation=org, title=f"Outing by {who}", category="day_trip",
                                            description="A day out", where="Sutton Park", price_pence=1_000,
                                            places=5) for who, (org, _, _) in organisers.items()}
    for who, (org, person, sees_name) in organisers.items():
        Booking.objects.all().delete()
        PaymentDue.objects.all().delete()
        Voucher.objects.filter(carer=young).update(status=Voucher.Status.GRANTED)
        with clock.frozen(at(TODAY)):
            vouchers.book(young, listings[who].pk, "Comes with a friend")
        page = signed_in(person).get("/marketplace/").content.decode()
        assert "Kai" in page and "Comes with a friend" in page, who
        assert ("Kai Young" in page) == sees_name, who
        assert "2011" not in page and young.postcode not in page, who


def test_asking_for_a_link_does_the_same_work_for_any_address_and_sends_from_the_background(
        consortium, budget, client, settings):
    """The page's work, statement by statement, is the same for a carer's address and for an
    unknown one (so its time tells nothing), and nothing is sent while the person waits."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ask(consortium, carer(consortium, email="priya@example.test"))
    shapes = {}
    with clock.frozen(at(TODAY)):
        for address in ("priya@example.test", "nobody@example.test"):
            with CaptureQueriesContext(connection) as sent:
                page = client.post("/time-for-me/", {"email": address}, REMOTE_ADDR=f"203.0.113.{len(shapes)}")
            assert "Check your email" in page.content.decode()
            shapes[address] = [re.sub(r"'[^']*'|\w*\d\w*", "?", q["sql"]) for q in sent.captured_queries]
    assert shapes["priya@example.test"] == shapes["nobody@example.test"]
    assert mail.outbox == []  # sent by the worker, not in the request
    from django_tasks_db.models import DBTaskResult
    assert DBTaskResult.objects.filter(task_path=vouchers.send_link.module_path).count() == 2


def test_links_are_limited_for_an_address_and_for_a_client(consortium, budget, client, tasks_at_once):
    ask(consortium, carer(consortium, email="priya@example.test"))
    with clock.frozen(at(TODAY)):
        answers = [client.post("/time-for-me/", {"email": "priya@example.test"},
                               REMOTE_ADDR=f"203.0.113.{n}").status_code for n in range(60)]
        assert answers == [200] * 60 and len(mail.outbox) == vouchers.LINKS_PER_ADDRESS
        pages = [client.post("/time-for-me/", {"email": f"someone{n}@example.test"}, REMOTE_ADDR="198.51.100.1")
                 for n in range(vouchers.REQUESTS_PER_CLIENT + 1)]
        assert [p.status_code for p in pages] == [200] * vouchers.REQUESTS_PER_CLIENT + [429]
        assert "Wait an hour, then ask again" in pages[-1].content.decode()
        assert client.post("/time-for-me/", {"email": "x@example.test"}, REMOTE_ADDR="198.51.100.2").status_code == 200
    with clock.frozen(at(TODAY, hour=12)):  # an hour later, the address may have links again
        client.post("/time-for-me/", {"email": "priya@example.test"}, REMOTE_ADDR="198.51.100.1")
        assert len(mail.outbox) == vouchers.LINKS_PER_ADDRESS + 1


def test_a_young_carer_is_refused_a_voucher_by_the_budgets_age_rule(consortium, budget):
    young = new_carer(consortium, consortium["north"], consortium["north_user"], given="Kai", family="Young",
                      born=dt.date(2010, 1, 1), hours=Decimal(30))
    with pytest.raises(ValidationError, match="aged 18 or over; this carer is 16: young carers have their own offer"):
        ask(consortium, young)
    assert not Voucher.objects.exists()
    VoucherBudget.objects.filter(pk=budget.pk).update(from_age=16)
    assert ask(consortium, young).status == "granted"
