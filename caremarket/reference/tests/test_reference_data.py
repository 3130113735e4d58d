from caremarket.accounts.roles import Role
from caremarket.audit.models import AuditEvent
from caremarket.reference.models import NeedGroup, ServiceType


def test_the_strategys_service_types_are_loaded_with_their_entry_rules(db):
    closed = set(ServiceType.objects.filter(open_to_new_entrants=False).values_list("code", flat=True))
    assert closed == {"home-support", "quick-discharge", "approved-premises"}
    assert ServiceType.objects.get(code="quick-discharge").max_providers == 1
    assert ServiceType.objects.get(code="approved-premises").max_providers == 4
    assert NeedGroup.objects.count() == 7


def test_a_commissioner_adds_a_need_group_in_the_back_office_and_it_is_audited(commissioner, signed_in):
    client = signed_in(commissioner)
    response = client.post("/reference-data/reference/needgroup/add/",
                           {"code": "autism", "name": "Autism", "is_active": "on"})
    assert response.status_code == 302
    event = AuditEvent.objects.get()
    assert (event.action, event.after["name"], event.actor) == ("needgroup.added", "Autism", commissioner)


def test_a_change_records_before_and_after(commissioner, signed_in):
    group = NeedGroup.objects.get(code="dementia")
    signed_in(commissioner).post(f"/reference-data/reference/needgroup/{group.pk}/change/",
                                 {"code": "dementia", "name": "Dementia and memory loss", "is_active": "on"})
    event = AuditEvent.objects.get()
    assert (event.before["name"], event.after["name"]) == ("Dementia", "Dementia and memory loss")


def test_a_duplicate_code_is_refused_and_nothing_is_stored(commissioner, signed_in):
    page = signed_in(commissioner).post("/reference-data/reference/needgroup/add/",
                                        {"code": "dementia", "name": "Another"}).content.decode()
    assert "Need group with this Code already exists" in page
    assert NeedGroup.objects.count() == 7 and AuditEvent.objects.count() == 0


def test_only_commissioners_reach_the_back_office(make_user, council, signed_in):
    finance = signed_in(make_user(Role.FINANCE_OFFICER, council))
    assert finance.get("/reference-data/").status_code == 302


def test_a_commissioner_changes_a_focussed_inspection_threshold_and_it_is_audited(commissioner, signed_in):
    from caremarket.quality.models import TriggerThreshold

    threshold = TriggerThreshold.objects.get(kind="complaint")
    response = signed_in(commissioner).post(f"/reference-data/quality/triggerthreshold/{threshold.pk}/change/",
                                            {"kind": "complaint", "count": 3, "window_days": 91})
    assert response.status_code == 302
    threshold.refresh_from_db()
    assert threshold.count == 3
    event = AuditEvent.objects.get()
    assert (event.before["count"], event.after["count"]) == (5, 3)


def test_entry_criteria_are_data_commissioners_can_see(commissioner, signed_in):
    page = signed_in(commissioner).get("/reference-data/framework/entrycriterion/").content.decode()
    assert "Employer&#x27;s liability insurance certificate" in page
