from django.core.management.base import BaseCommand, CommandError

from caremarket.demo.market import DemoMarket, market_exists
from caremarket.accounts.models import User
from caremarket.demo.names import DEMO_PASSWORD, DEMO_PEOPLE, NEIGHBOUR_PEOPLE, demo_username
from caremarket.opendata import files


class Command(BaseCommand):
    help = "Build the deterministic demo market (Birmingham-shaped; --scale multiplies it)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="1 = Birmingham, 10 = a large region")
        parser.add_argument("--seed", type=int, default=2018)
        parser.add_argument("--councils", type=int, default=2, choices=[1, 2],
                            help="2 (the default): Birmingham and a smaller neighbour sharing its providers")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when a market is already loaded")

    def handle(self, *args, scale, seed, councils, if_empty, **options):
        if market_exists():
            if if_empty:
                self.stdout.write("A market is already loaded; leaving it as it is.")
                self._sign_ins()
                return
            raise CommandError("This database already holds a market. Load the demo into an empty database.")
        if scale < 1:
            raise CommandError("--scale must be 1 or more")
        counts = DemoMarket(scale, seed, progress=lambda m: self.stdout.write(f"  … {m}"), councils=councils).build()
        self.stdout.write("  … the open contracting files")
        files.build_all()
        self.stdout.write(self.style.SUCCESS(
            f"Demo market loaded (scale {scale}, seed {seed}): {counts.organisations:,} organisations, "
            f"{counts.locations:,} locations, {counts.people:,} people, {counts.citizens:,} citizens."
        ))
        self._sign_ins()

    def _sign_ins(self):
        self.stdout.write(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
        for login, role, *_ in DEMO_PEOPLE:
            self.stdout.write(f"  {role.label:<32} {demo_username(login)}")
        if User.objects.filter(username=demo_username(NEIGHBOUR_PEOPLE[0][0])).exists():
            self.stdout.write("The neighbouring council's staff:")
            for login, role, *_ in NEIGHBOUR_PEOPLE:
                self.stdout.write(f"  {role.label:<32} {demo_username(login)}")
