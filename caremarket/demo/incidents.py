"""The demo's incidents and concerns: a few reports about the demo care home and home-support
provider, one waiting to be triaged, one being investigated and one closed with its learning."""

from __future__ import annotations

import datetime as dt

from caremarket.accounts.models import User
from caremarket.core import clock
from caremarket.incidents import services
from caremarket.incidents.models import Incident

from .names import demo_username


def build(market):
    quality = User.objects.get(username=demo_username("quality"))
    home_admin = User.objects.get(username=demo_username("care.home.admin"))
    home, today = market.homes[0].locations.first(), market.today
    reports = [
        (20, "complaint", "A relative says call bells were not answered for 20 minutes at night", ""),
        (12, "safeguarding", "Unexplained bruising on a resident's forearm", "GP called; family told; body map"),
        (3, "concern", "Staffing below the rota on two weekend shifts", ""),
    ]
    made = []
    for days, kind, what, done in reports:
        on = today - dt.timedelta(days=days)
        with clock.frozen(dt.datetime.combine(on + dt.timedelta(days=1), dt.time(11), tzinfo=clock.LONDON)):
            made.append(services.report(home_admin, Incident(
                council=market.council, location=home, kind=kind, occurred_on=on, what_happened=what,
                immediate_action=done)))
    with clock.frozen(dt.datetime.combine(today - dt.timedelta(days=15), dt.time(14), tzinfo=clock.LONDON)):
        services.triage(quality, made[0], substantiated=True, severity="low", notes="Two nights' call logs agree")
    with clock.frozen(dt.datetime.combine(today - dt.timedelta(days=5), dt.time(14), tzinfo=clock.LONDON)):
        services.close(quality, made[0], findings="Night staff were on a break together",
                       learning="Breaks staggered at night; call bell response audited monthly")
        services.triage(quality, made[1], substantiated=True, severity="high",
                        notes="Referred to the safeguarding team; the provider's own investigation awaited")
