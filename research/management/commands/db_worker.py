"""django-tasks-db's worker, with malloc set up for the speech decoder first.

The one-arena setting must be made before any thread allocates (see
research.transcription.allocator);
this command runs before the worker starts its threads. It also makes sure the reaper's
periodic round waits in the queue (it re-queues dead workers' jobs and finishes idle browser
recordings), even before the first transcription is sent.
"""

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from research.transcription.allocator import share_one_arena


class Command(DbWorkerCommand):
    def handle(self, *args, **options):
        share_one_arena()
        from research import tasks  # after the arena setting: it imports the speech decoder

        tasks.reaper_schedule()
        return super().handle(*args, **options)
