"""API tokens held to their scopes, their expiry and their person: a call outside its scopes is
refused before its body is read; an expired, revoked or replaced-and-overlapped token stops;
an administrator sees and revokes the tokens of the people they manage, and nobody else's."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from caremarket.accounts import token_rules
from caremarket.accounts.models import ApiToken
from caremarket.accounts.roles import Role
from caremarket.audit.models import AuditEvent
from caremarket.core import clock


def _api(key):
    return Client(headers={"Authorization": f"Bearer {key}"}, REMOTE_ADDR="192.0.2.7")


def _in_days(days):
    return (clock.today() + dt.timedelta(days=days)).strftime("%d/%m/%Y")


# --- the rules ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path, area", [
    ("/api/me", "people"), ("/api/people", "people"), ("/api/tendering/opportunities/3/offer", "tendering"),
    ("/api/client-records/people", "client-records"), ("/api/open-data/ocds/releases", "open-data"),
    ("/api/openapi.json", None), ("/api/", None), ("/api/../admin/", None)])
def test_a_calls_area_is_the_first_part_of_its_path(path, area):
    assert token_rules.area_of(path) == area


@given(st.sets(st.sampled_from(token_rules.EVERY_SCOPE)), st.sampled_from(list(token_rules.AREAS)),
       st.sampled_from(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]))
def test_a_token_reads_with_read_or_write_and_changes_only_with_write(scopes, area, method):
    access = token_rules.access_for(method)
    expected = f"{area}:write" in scopes or (method in ("GET", "HEAD") and f"{area}:read" in scopes)
    assert token_rules.allows(scopes, area, access) == expected
    assert not token_rules.allows(scopes, None, access)


@pytest.mark.parametrize("scope", ["tendering:delete", "tendering", "everything:read", ":read", "TENDERING:READ"])
def test_a_scope_that_does_not_exist_is_named_in_the_refusal(scope):
    assert f"“{scope}” is not a scope" in token_rules.scope_problem(scope)


def test_a_token_lasts_at_most_a_year_and_expires_in_the_future():
    now = dt.datetime(2026, 12, 7, 12, tzinfo=clock.LONDON)
    assert token_rules.expiry_problem(now, now + dt.timedelta(days=365)) is None
    assert token_rules.expiry_problem(now, now + dt.timedelta(days=365, seconds=1)) == \
        "A token can last at most a year"
    assert token_rules.expiry_problem(now, now - dt.timedelta(days=1)) == "The expiry date must be in the future"
    assert token_rules.after_rotation(now, now + dt.timedelta(days=30)) == now + dt.timedelta(days=7)
    assert token_rules.after_rotation(now, now + dt.timedelta(days=2)) == now + dt.timedelta(days=2)


def test_a_token_cannot_be_made_with_a_scope_that_does_not_exist_or_for_more_than_a_year(provider_admin):
    with pytest.raises(ValidationError) as refused:
        ApiToken.issue(provider_admin, "feed", scopes=["payments:read", "payments:delete"])
    assert refused.value.message_dict == {"scopes": [
        "“payments:delete” is not a scope: a scope is an area of the API and read or write, like tendering:read"]}
    with pytest.raises(ValidationError, match="at most a year"):
        ApiToken.issue(provider_admin, "feed", expires_at=clock.now() + dt.timedelta(days=400))
    assert not ApiToken.objects.exists()


# --- the API ------------------------------------------------------------------------------------

def test_a_call_outside_the_tokens_scopes_is_refused_before_its_body_is_read(provider_admin, provider):
    _, key = ApiToken.issue(provider_admin, "Rota system", scopes=["organisations:read"])
    assert _api(key).get(f"/api/organisations/{provider.pk}").status_code == 200
    response = _api(key).patch(f"/api/organisations/{provider.pk}", "{not json", content_type="application/json")
    assert response.status_code == 403  # not 400: the body was never read
    assert response.json()["errors"][0]["message"] == (
        "This token may not change organisations (it needs the scope organisations:write)")
    response = _api(key).get("/api/me")
    assert response.status_code == 403
    assert "it needs the scope people:read" in response.json()["errors"][0]["message"]


def test_a_token_records_when_and_where_it_was_last_used(provider_admin):
    _, key = ApiToken.issue(provider_admin, "feed", scopes=["people:read"])
    _api(key).get("/api/me")
    token = ApiToken.objects.get()
    assert token.last_used_at is not None and token.last_used_from == "192.0.2.7"


def test_an_expired_token_or_a_leavers_token_stops_working(provider_admin):
    _, key = ApiToken.issue(provider_admin, "feed", scopes=["people:read"],
                            expires_at=clock.now() + dt.timedelta(days=1))
    assert _api(key).get("/api/me").status_code == 200
    with clock.frozen(clock.now() + dt.timedelta(days=1, seconds=1)):
        assert _api(key).get("/api/me").status_code == 401
    provider_admin.is_active = False
    provider_admin.save()
    assert _api(key).get("/api/me").status_code == 401


def test_a_replaced_token_works_for_a_week_beside_its_replacement_then_stops(provider_admin, signed_in):
    _, old_key = ApiToken.issue(provider_admin, "Call monitoring feed", scopes=["payments:write"])
    old = ApiToken.objects.get()
    page = signed_in(provider_admin).post(f"/api-tokens/{old.pk}/rotate/").content.decode()
    new_key = page.split('<code class="cm-hash">')[1].split("</code>")[0]
    new = ApiToken.objects.exclude(pk=old.pk).get()
    assert (new.name, new.scopes) == ("Call monitoring feed", ["payments:write"])
    for key in (old_key, new_key):
        assert _api(key).get("/api/payments/invoices").status_code == 200
    with clock.frozen(clock.now() + dt.timedelta(days=7, seconds=1)):
        assert _api(old_key).get("/api/payments/invoices").status_code == 401
        assert _api(new_key).get("/api/payments/invoices").status_code == 200
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {"api_token.issued", "api_token.rotated"}


# --- the pages ----------------------------------------------------------------------------------

def test_a_person_makes_a_token_for_some_parts_of_the_api_until_a_day(provider_admin, signed_in):
    client = signed_in(provider_admin)
    page = client.get("/api-tokens/").content.decode()
    assert "Tendering, offers and care packages" in page and "tendering:write" in page
    client.post("/api-tokens/", {"name": "Rota system", "scopes": ["tendering:read", "payments:write"],
                                 "expires_on-day": "1", "expires_on-month": "3",
                                 "expires_on-year": str(clock.today().year + 1)})
    token = ApiToken.objects.get()
    assert token.scopes == ["payments:write", "tendering:read"]
    assert clock.local(token.expires_at) == dt.datetime(clock.today().year + 1, 3, 1, tzinfo=clock.LONDON)
    page = client.get("/api-tokens/").content.decode()
    assert "Tendering, offers and care packages: read" in page
    assert "Visits, invoices, queries and remittances: read and change" in page


@pytest.mark.parametrize("post, error", [
    ({"scopes": []}, "Choose at least one part of the API the token may read or change"),
    ({"scopes": ["tendering:delete"]}, "“tendering:delete” is not a scope: choose from the list"),
    ({"expires_on": _in_days(0)}, "The expiry date must be in the future"),
    ({"expires_on": _in_days(366)}, "A token can last at most a year"),
    ({"expires_on": "31/2/2027"}, "The expiry date must be a real date"),
])
def test_a_token_with_bad_scopes_or_expiry_gets_a_clear_error_and_is_not_made(provider_admin, signed_in, post,
                                                                               error):
    fields = {"name": "Rota system", "scopes": ["tendering:read"], "expires_on": _in_days(30), **post}
    page = signed_in(provider_admin).post("/api-tokens/", fields).content.decode()
    assert error in page.replace("&#x27;", "'")
    assert not ApiToken.objects.exists()


def test_an_administrator_sees_and_revokes_the_tokens_of_the_people_they_manage(
        make_user, provider, other_provider, commissioner, signed_in):
    staff, stranger = make_user(Role.PROVIDER_STAFF, provider), make_user(Role.PROVIDER_STAFF, other_provider)
    _, key = ApiToken.issue(staff, "Staff's spreadsheet", scopes=["people:read"])
    ApiToken.issue(stranger, "Another provider's feed", scopes=["people:read"])
    admin = make_user(Role.PROVIDER_ADMIN, provider)
    client = signed_in(admin)
    page = client.get("/people/api-tokens/").content.decode()
    assert "Staff&#x27;s spreadsheet" in page and "Another provider" not in page
    theirs = ApiToken.objects.get(user=stranger)
    assert client.post(f"/api-tokens/{theirs.pk}/revoke/").status_code == 404
    mine = ApiToken.objects.get(user=staff)
    assert client.post(f"/api-tokens/{mine.pk}/revoke/").status_code == 302
    assert _api(key).get("/api/me").status_code == 401
    event = AuditEvent.objects.get(action="api_token.revoked")
    assert (event.actor_id, event.reason) == (admin.pk, "Revoked by an administrator")
    assert "Another provider" in signed_in(commissioner).get("/people/api-tokens/").content.decode()
    assert signed_in(staff).get("/people/api-tokens/").status_code == 403
    csv = b"".join(signed_in(commissioner).get("/people/api-tokens/?format=csv").streaming_content).decode()
    assert csv.splitlines()[0].startswith("Used by,Person,Organisation,Starts with,Scopes")
