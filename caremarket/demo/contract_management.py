"""The demo's contract management: this quarter's reviews scheduled for the providers with the
largest share of the market, and the account manager's log of a few of its providers (visits,
calls and meetings, with actions, one of them overdue)."""

from __future__ import annotations

import datetime as dt

from caremarket.accounts.models import User
from caremarket.core import clock
from caremarket.management import reviews
from caremarket.management.models import Action, ContactEntry

from .names import demo_username

LOG = [  # (days ago, kind, summary, action or "", action due in days)
    (40, "meeting", "Quarterly meeting with the registered manager", "Share the recruitment plan", -10),
    (21, "monitoring_visit", "Monitoring visit: medication records", "Send the MAR chart audit", 14),
    (6, "call", "Call about two hand-backs in the north area", "", 0),
]


class DemoManagement:
    def __init__(self, market):
        self.market, self.today = market, market.today

    def build(self):
        manager = User.objects.get(username=demo_username("account.manager"))
        for organisation in self.market.home_support[:3]:
            for days, kind, summary, action, due_in in LOG:
                on = self.today - dt.timedelta(days=days)
                entry = ContactEntry.objects.create(
                    council=self.market.council, organisation=organisation, kind=kind, happened_on=on, summary=summary,
                    recorded_by=manager, recorded_at=dt.datetime.combine(on, dt.time(15), tzinfo=clock.LONDON))
                if action:
                    Action.objects.create(council=self.market.council, organisation=organisation, entry=entry,
                                          description=action, owner=manager,
                                          due_on=on + dt.timedelta(days=days + due_in))
        reviews.schedule("demo: load_demo_market", self.today)
