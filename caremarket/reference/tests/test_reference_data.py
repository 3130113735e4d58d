from caremarket.accounts.roles import Role
from caremarket.audit.models import AuditEvent
from caremarket.reference.models import NeedGroup, ServiceType


def test_the_strategys_service_types_are_loaded_with_their_entry_rules(db):
    closed = set(ServiceType.objects.filter(open_to_new_entrants=False).values_list("code", flat=True))
    assert closed == {"home-support", "quick-discharge", "approved-premises"}
    assert ServiceType.objects.get(code="quick-discharge").max_providers == 1
    assert ServiceType.objects.get(code="approved-premises").max_providers == 4
    assert NeedGroup.objects.count() == 7


def test_a_commissioner_adds_a_need_group_on_its_page_and_it_is_audited(commissioner, signed_in):
    client = signed_in(commissioner)
    response = client.post("/reference-data/need-groups/add/", {"code": "autism", "name": "Autism", "is_active": "on"})
    assert response.status_code == 302 and response["Location"] == "/reference-data/need-groups/"
    event = AuditEvent.objects.get()
    assert (event.action, event.after["name"], event.actor) == ("needgroup.added", "Autism", commissioner)
    page = client.get("/reference-data/need-groups/?q=aut").content.decode()
    assert "Need group Autism added" in page and "Showing <b>1</b> to <b>1</b> of <b>1</b>" in page


def test_a_change_records_before_and_after_and_the_code_stays(commissioner, signed_in):
    group = NeedGroup.objects.get(code="dementia")
    client = signed_in(commissioner)
    assert 'name="code"' not in client.get(f"/reference-data/need-groups/{group.pk}/").content.decode()
    client.post(f"/reference-data/need-groups/{group.pk}/",
                {"code": "changed", "name": "Dementia and memory loss", "is_active": "on"})
    event = AuditEvent.objects.get()
    assert (event.before["name"], event.after["name"]) == ("Dementia", "Dementia and memory loss")
    assert NeedGroup.objects.get(pk=group.pk).code == "dementia"


def test_a_duplicate_code_is_refused_on_its_field_and_nothing_is_stored(commissioner, signed_in):
    page = signed_in(commissioner).post("/reference-data/need-groups/add/",
                                        {"code": "dementia", "name": "Another"}).content.decode()
    assert 'href="#id_code"' in page and "A need group with this code already exists" in page
    assert NeedGroup.objects.count() == 7 and AuditEvent.objects.count() == 0


def test_a_service_type_is_retired_not_deleted_and_the_list_says_so_in_words(commissioner, signed_in):
    home = ServiceType.objects.get(code="home-support")
    client = signed_in(commissioner)
    form = {"name": home.name, "setting": home.setting, "description": "", "is_home_support": "on",
            "max_providers": ""}  # "In use" unticked
    assert client.post(f"/reference-data/service-types/{home.pk}/", form).status_code == 302
    assert ServiceType.objects.filter(pk=home.pk, is_active=False).exists()
    retired = client.get("/reference-data/service-types/?is_active=false").content.decode()
    assert home.name in retired and "True" not in retired and "False" not in retired and "home-support" not in retired
    rows = client.get("/reference-data/service-types/?format=csv")
    assert b"".join(rows.streaming_content).decode().splitlines()[0] == (
        "Name,Where the care is given,Home support,Open to new providers,Most providers,In use")


def test_only_commissioners_reach_reference_data(make_user, council, signed_in):
    finance = signed_in(make_user(Role.FINANCE_OFFICER, council))
    for address in ("/reference-data/", "/reference-data/need-groups/", "/reference-data/wards/add/"):
        assert finance.get(address).status_code == 403
    assert finance.post("/reference-data/need-groups/add/", {"code": "x", "name": "X"}).status_code == 403
    assert finance.get("/reference-data/settings/").status_code == 302
    assert not NeedGroup.objects.filter(code="x").exists()


def test_the_reference_data_page_leads_to_each_kind_and_the_other_settings(commissioner, signed_in):
    page = signed_in(commissioner).get("/reference-data/").content.decode()
    for address in ("service-types", "need-groups", "areas", "wards", "settings"):
        assert f'href="/reference-data/{address}/"' in page
    assert "7 need groups" in page


def test_a_commissioner_changes_a_focussed_inspection_threshold_and_it_is_audited(commissioner, signed_in):
    from caremarket.quality.models import TriggerThreshold

    threshold = TriggerThreshold.objects.get(kind="complaint")
    response = signed_in(commissioner).post(f"/reference-data/settings/quality/triggerthreshold/{threshold.pk}/change/",
                                            {"kind": "complaint", "count": 3, "window_days": 91})
    assert response.status_code == 302
    threshold.refresh_from_db()
    assert threshold.count == 3
    event = AuditEvent.objects.get()
    assert (event.before["count"], event.after["count"]) == (5, 3)


def test_entry_criteria_are_data_commissioners_can_see(commissioner, signed_in):
    page = signed_in(commissioner).get("/reference-data/settings/framework/entrycriterion/").content.decode()
    assert "Employer&#x27;s liability insurance certificate" in page
