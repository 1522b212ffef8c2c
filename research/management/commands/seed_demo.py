import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from research.demo import conversations as demo_conversations
from research.demo import insights as demo_insights
from research.demo import transcripts as demo_transcripts
from research.models import Team
from research.services.teams import team_create

DEMO_TEAM = "Demo: Acme Industrial Software"


class Command(BaseCommand):
    help = "Fill a demo team with realistic research data and print how to sign in."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="demo")
        parser.add_argument("--password", default="", help="Default: a random one, printed.")

    def handle(self, *args, username: str, password: str, **options):
        if Team.objects.filter(name=DEMO_TEAM).exists():
            raise CommandError(f"The demo team “{DEMO_TEAM}” exists already; not seeding twice.")
        password = password or secrets.token_urlsafe(9)
        user_model = get_user_model()
        with transaction.atomic():
            if user_model.objects.filter(username=username).exists():
                raise CommandError(f"A user named {username!r} exists; pass --username.")
            owner = user_model.objects.create_user(
                username=username,
                email=f"{username}@example.com",
                password=password,
                first_name="Dana",
                last_name="Demo",
            )
            team = team_create(name=DEMO_TEAM, owner=owner)
            conversations = demo_conversations.seed(team=team, owner=owner)
            for domain in (demo_transcripts, demo_insights):
                domain.seed(team=team, users=[owner], conversations=conversations)
        self.stdout.write(self.style.SUCCESS(f"Demo team “{DEMO_TEAM}” is ready."))
        self.stdout.write(f"Sign in at /accounts/login/ as {username} with password {password}")
