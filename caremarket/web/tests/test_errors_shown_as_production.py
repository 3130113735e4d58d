"""The service runs as a council runs it, the demo included: DEBUG off, so that an error or a
wrong address shows the service's own page, never a traceback or the site's URL patterns."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import path

from caremarket import urls


def broken(request):
    raise RuntimeError("secret internals: SELECT * FROM citizens")


urlpatterns = [path("broken/", broken), *urls.urlpatterns]
handler500 = urls.handler500


@pytest.mark.parametrize("environment, debug", [({}, "False"), ({"DJANGO_DEBUG": "1"}, "True"),
                                                ({"DJANGO_DEBUG": "1", "CAREMARKET_ENV": "production",
                                                  "DJANGO_SECRET_KEY": "x" * 50}, "False")])
def test_debug_is_off_unless_a_developer_asks_and_never_in_production(environment, debug):
    """What `make run` gets: the settings read afresh in a process of their own."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG", "CAREMARKET_ENV")}
    said = subprocess.run([sys.executable, "-c", "from django.conf import settings; print(settings.DEBUG)"],
                          env={**env, "DJANGO_SETTINGS_MODULE": "caremarket.settings", **environment},
                          capture_output=True, text=True, cwd=settings.BASE_DIR, check=True)
    assert said.stdout.strip() == debug


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_shows_the_services_page_and_no_traceback(db):
    answer = Client(raise_request_exception=False).get("/broken/")
    page = answer.content.decode()
    assert answer.status_code == 500 and "Sorry, there is a problem with the service" in page
    assert "secret internals" not in page and "Traceback" not in page


def test_a_wrong_address_does_not_list_the_sites_url_patterns(db, client):
    page = client.get("/no-such-page/").content.decode()
    assert "Page not found" in page and "brokerage/" not in page


@pytest.mark.parametrize("path", ["/api/no-such-thing", "/api/citizens/1/nothing"])
def test_api_errors_are_json_even_for_unknown_paths(db, client, path):
    assert client.get(path)["Content-Type"] == "application/json"
