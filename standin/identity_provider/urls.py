"""The stand-in's addresses: OpenID Connect under /o/, a sign-in page, and a control to change a
person's groups while it runs (as the council's directory would)."""

import json

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.views import LoginView
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


@csrf_exempt
@require_POST
def set_groups(request):
    """{"username": ..., "groups": [...]}: the person's groups from now on."""
    body = json.loads(request.body)
    person = get_user_model().objects.get(username=body["username"])
    person.groups.set([Group.objects.get_or_create(name=name)[0] for name in body["groups"]])
    return HttpResponse(status=204)


urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("login/", LoginView.as_view(), name="login"),
    path("control/groups", set_groups),
]
