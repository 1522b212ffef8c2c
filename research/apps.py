from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "research"
    verbose_name = "Research"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_repair_search_index, sender=self)


def _repair_search_index(sender, using, **kwargs):
    """On SQLite a migration that remakes an indexed table drops its search triggers."""
    from django.db import connections

    from research import search

    search.repair(connections[using])
