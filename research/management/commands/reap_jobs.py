"""Re-queue transcription jobs whose worker died (also runs inside the workers)."""

from django.core.management.base import BaseCommand

from research import tasks


class Command(BaseCommand):
    help = "Re-queue running transcription jobs whose lease expired; start the reaper task."

    def handle(self, *args, **options):
        reaped = tasks.reap()
        tasks.reaper_schedule()
        self.stdout.write(f"{reaped} job(s) re-queued or failed")
