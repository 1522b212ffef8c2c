import time

from django.core.management.base import BaseCommand
from django.db import connections

from research import search


class Command(BaseCommand):
    help = "Drop the full-text search index and build it again from every row."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database, **options):
        started = time.monotonic()
        search.rebuild(connections[database])
        self.stdout.write(f"Search index rebuilt in {time.monotonic() - started:.1f}s.")
