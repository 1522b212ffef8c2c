from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "research"
    verbose_name = "Research"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_repair_search_index, sender=self)

        # The audit trail of sign-ins: the auth framework's own seam, so every sign-in form
        # (ours, the admin's) is recorded.
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from research.services import accounts

        user_logged_in.connect(accounts.signin_recorded, dispatch_uid="audit-sign-in")
        user_login_failed.connect(accounts.signin_failure_recorded, dispatch_uid="audit-failed")


def _repair_search_index(sender, using, **kwargs):
    """On SQLite a migration that remakes an indexed table drops its search triggers."""
    from django.db import connections

    from research import search

    search.repair(connections[using])
