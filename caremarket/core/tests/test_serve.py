"""`make run`: links name the address it serves on, and the console shows errors, not chatter."""

import logging

from caremarket.core.management.commands.serve import child_environment


def test_links_name_the_port_served_on_unless_the_council_set_an_address():
    assert child_environment("127.0.0.1", "8123", {})["CAREMARKET_SITE_URL"] == "http://127.0.0.1:8123"
    ours = {"CAREMARKET_SITE_URL": "https://care.council.gov.uk", "PATH": "/usr/bin"}
    assert child_environment("0.0.0.0", "80", ours) == ours


def test_the_console_is_quiet_about_each_task_and_a_refused_request(signed_in, make_user, provider, caplog):
    from caremarket.accounts.roles import Role

    with caplog.at_level(logging.INFO):
        refused = signed_in(make_user(Role.PROVIDER_STAFF, provider)).get("/audit/")
        assert refused.status_code == 403  # a provider may not read the audit trail: not an error
        logging.getLogger("django_tasks").info("Task id=1 path=x state=SUCCESSFUL")
    assert [r for r in caplog.records if r.name.startswith(("django_tasks", "django.request"))] == []
    assert logging.getLogger("django.request").isEnabledFor(logging.ERROR)
    assert logging.getLogger("django_tasks").isEnabledFor(logging.ERROR)  # a failed task still shows


def test_make_runs_worker_says_only_what_goes_wrong():
    from django_tasks_db.management.commands.db_worker import TASKS_LOGGER

    from caremarket.core.management.commands.worker import Command

    Command().configure_logging(1)
    tasks = logging.getLogger(TASKS_LOGGER)
    assert not tasks.isEnabledFor(logging.INFO) and tasks.isEnabledFor(logging.ERROR)
