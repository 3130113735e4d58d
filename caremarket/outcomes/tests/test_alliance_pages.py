"""An alliance run on its pages: partners show their costs on the open book, the commissioner
scores the KPIs and settles, and each partner's payment goes into the payment run."""

import datetime as dt
from decimal import Decimal

import pytest

from caremarket.accounts.roles import Role
from caremarket.core import clock
from caremarket.organisations.models import Organisation
from caremarket.outcomes.models import (
    AllianceContract,
    AllianceCost,
    AllianceKpi,
    AlliancePartner,
    AlliancePeriod,
)
from caremarket.payments.models import PaymentDue

from .conftest import at


@pytest.fixture
def alliance(db, council, make_user):
    return build_alliance(make_user, make_user(Role.COMMISSIONER, council))


def build_alliance(make_user, commissioner) -> dict:
    """Three providers in the Home First alliance, two KPIs, and the first half of 2026/27."""
    contract = AllianceContract.objects.create(
        reference="HOME-FIRST", name="Home First alliance", purpose="People home from hospital within a day",
        starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2029, 3, 31), kpi_threshold=Decimal("0.7"),
        gain_share=Decimal("0.5"), pain_share=Decimal("0.5"))
    partners = []
    for name, share in (("Ash Home Care", "0.5"), ("Beech Reablement", "0.3"), ("Cedar Nursing", "0.2")):
        organisation = Organisation.objects.create(kind=Organisation.Kind.PROVIDER, name=name)
        partners.append(AlliancePartner.objects.create(contract=contract, organisation=organisation,
                                                       share=Decimal(share), allowance_pence=10_000_00))
    AllianceKpi.objects.create(contract=contract, name="Home within a day", measure="Share of discharges",
                               weight=Decimal("0.6"))
    AllianceKpi.objects.create(contract=contract, name="Still at home after 91 days", measure="Share of people",
                               weight=Decimal("0.4"))
    period = AlliancePeriod.objects.create(contract=contract, label="2026-H1", starts_on=dt.date(2026, 4, 1),
                                           ends_on=dt.date(2026, 9, 30), target_cost_pence=300_000_00)
    outsider = Organisation.objects.create(kind=Organisation.Kind.PROVIDER, name="Elsewhere Care")
    return {"contract": contract, "partners": partners, "period": period,
            "people": [make_user(Role.PROVIDER_ADMIN, p.organisation) for p in partners],
            "outsider": make_user(Role.PROVIDER_ADMIN, outsider), "commissioner": commissioner}


def test_partners_show_costs_the_commissioner_scores_and_settles_and_each_partner_is_paid(alliance, signed_in):
    contract, period = alliance["contract"], alliance["period"]
    base = f"/alliances/{contract.pk}/periods/{period.pk}"
    with clock.frozen(at(dt.date(2026, 10, 5))):
        for person, pounds in zip(alliance["people"], ("140000", "90000", "50000")):  # £280,000: £20,000 under
            assert signed_in(person).post(f"{base}/costs/", {"direct_costs": pounds, "note": "Staff"}).status_code == 302
        commissioner = signed_in(alliance["commissioner"])
        kpis = list(contract.kpis.all())
        assert commissioner.post(f"{base}/scores/", {f"kpi_{kpis[0].pk}": "0.9", f"kpi_{kpis[1].pk}": "0.8"}) \
            .status_code == 302
        check = commissioner.get(f"{base}/settle/").content.decode()
        assert "an under-run of £20,000.00" in check and not PaymentDue.objects.exists()
        assert commissioner.post(f"{base}/settle/").status_code == 302
    paid = {d.organisation.name: d.amount_pence for d in PaymentDue.objects.all()}
    # Score 0.86: 86% of £30,000 allowances = £25,800, plus half the under-run (£10,000), split 50/30/20.
    assert paid == {"Ash Home Care": 140_000_00 + 17_900_00, "Beech Reablement": 90_000_00 + 10_740_00,
                    "Cedar Nursing": 50_000_00 + 7_160_00}
    dashboard = signed_in(alliance["people"][2]).get(f"/alliances/{contract.pk}/").content.decode()
    assert "Settled" in dashboard and "£140,000.00" in dashboard  # another partner's costs: the open book
    with clock.frozen(at(dt.date(2026, 10, 6))):
        again = signed_in(alliance["people"][0]).post(f"{base}/costs/", {"direct_costs": "1"})
        assert "is settled" in again.content.decode()
        assert "was settled already" in commissioner.post(f"{base}/settle/").content.decode()
    assert AllianceCost.objects.get(partner=alliance["partners"][0]).direct_costs_pence == 140_000_00


def test_a_period_is_settled_only_after_it_ends_and_with_every_cost_and_score(alliance, signed_in):
    contract, period = alliance["contract"], alliance["period"]
    commissioner = signed_in(alliance["commissioner"])
    with clock.frozen(at(dt.date(2026, 9, 30))):
        assert "it is settled after that" in commissioner.get(
            f"/alliances/{contract.pk}/periods/{period.pk}/settle/").content.decode()
    with clock.frozen(at(dt.date(2026, 10, 1))):
        page = commissioner.post(f"/alliances/{contract.pk}/periods/{period.pk}/settle/").content.decode()
    assert "Ash Home Care has not shown its actual costs" in page and "has no score" in page
    assert not PaymentDue.objects.exists() and AlliancePeriod.objects.get().settled_at is None


def test_only_partners_and_the_council_see_an_alliance_and_a_partner_shows_only_its_own_costs(alliance, signed_in):
    contract, period = alliance["contract"], alliance["period"]
    assert signed_in(alliance["outsider"]).get(f"/alliances/{contract.pk}/").status_code == 404
    assert "Home First" not in signed_in(alliance["outsider"]).get("/alliances/").content.decode()
    assert signed_in(alliance["commissioner"]).get(f"/alliances/{contract.pk}/").status_code == 200
    with clock.frozen(at(dt.date(2026, 10, 5))):
        signed_in(alliance["people"][1]).post(f"/alliances/{contract.pk}/periods/{period.pk}/costs/",
                                              {"direct_costs": "-5"})
        assert signed_in(alliance["commissioner"]).post(
            f"/alliances/{contract.pk}/periods/{period.pk}/costs/", {"direct_costs": "5"}).status_code == 403
    assert not AllianceCost.objects.exists()


def test_the_commissioners_home_page_asks_for_an_ended_period_to_be_settled(alliance, signed_in):
    with clock.frozen(at(dt.date(2026, 10, 5))):
        page = signed_in(alliance["commissioner"]).get("/").content.decode()
    assert "1 alliance period has ended and can be settled" in page and "Home First alliance, 2026-H1" in page


def test_another_councils_alliance_is_not_there_and_its_settlement_is_its_councils_to_pay(
        alliance, signed_in, neighbour, make_user):
    """The alliance is the first council's: the second council's staff find nothing of it, and
    on an install of two councils its partners' payments are still the first council's."""
    contract, period = alliance["contract"], alliance["period"]
    theirs = signed_in(make_user(Role.COMMISSIONER, neighbour, username="alliances@neighbour.test"))
    assert contract.name not in theirs.get("/alliances/").content.decode()
    assert theirs.get(f"/alliances/{contract.pk}/").status_code == 404
    base = f"/alliances/{contract.pk}/periods/{period.pk}"
    with clock.frozen(at(dt.date(2026, 10, 5))):
        for person, pounds in zip(alliance["people"], ("140000", "90000", "50000")):
            signed_in(person).post(f"{base}/costs/", {"direct_costs": pounds, "note": "Staff"})
        commissioner = signed_in(alliance["commissioner"])
        kpis = list(contract.kpis.all())
        commissioner.post(f"{base}/scores/", {f"kpi_{kpis[0].pk}": "0.9", f"kpi_{kpis[1].pk}": "0.8"})
        assert theirs.post(f"{base}/settle/").status_code == 404
        assert commissioner.post(f"{base}/settle/").status_code == 302
    assert {due.council_id for due in PaymentDue.objects.all()} == {contract.council_id}
