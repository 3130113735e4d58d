from django.shortcuts import render

from caremarket.accounts.roles import Role

from .dashboards import cards_for


def home(request):
    if not request.user.is_authenticated:
        return render(request, "web/public_home.html")
    user = request.user
    title = f"{Role(user.role).label} dashboard" if user.role else "Administrator dashboard"
    return render(request, "web/dashboard.html", {"title": title, "cards": cards_for(user)})


def page_not_found(request, exception=None):
    return render(request, "web/404.html", status=404)


def permission_denied(request, exception=None):
    return render(request, "web/403.html", status=403)
