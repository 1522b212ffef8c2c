"""Import a folder of recordings as conversations of a project and queue them."""

import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from research import audio
from research.audio import store as audio_store
from research.audio.uploads import StoredUpload
from research.models import Conversation, ConversationKind, Project
from research.services.recordings import recording_attach_uploads


class Command(BaseCommand):
    help = "Create one conversation per audio file in DIR, in project SLUG, and queue each."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--project", required=True, help="Project slug")
        parser.add_argument("--team", default="", help="Team name, if several have the slug")
        parser.add_argument("--split-channels", action="store_true")

    def handle(self, *args, directory, project, team, split_channels, **options):
        folder = Path(directory)
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a directory")
        projects = Project.objects.filter(slug=project).select_related("team")
        if team:
            projects = projects.filter(team__name=team)
        if projects.count() != 1:
            raise CommandError(
                f"Found {projects.count()} projects with slug {project!r}; use --team NAME"
                if projects.exists()
                else f"No project with slug {project!r}"
            )
        target = projects.get()
        imported = refused = 0
        for path in sorted(p for p in folder.iterdir() if p.is_file()):
            copy = audio_store.incoming_path()
            shutil.copyfile(path, copy)
            upload = StoredUpload(copy, path.name, "", copy.stat().st_size)
            try:
                with transaction.atomic():
                    conversation = Conversation.objects.create(
                        team=target.team,
                        project=target,
                        title=path.stem.replace("_", " ")[:200],
                        kind=ConversationKind.OTHER,
                    )
                    recording_attach_uploads(
                        conversation=conversation,
                        uploads=[upload],
                        created_by=None,
                        split_channels=split_channels,
                    )
            except audio.AudioError as error:
                upload.discard()
                refused += 1
                self.stderr.write(f"skipped {path.name}: {error.message}")
                continue
            imported += 1
            self.stdout.write(f"queued {path.name} -> {conversation.get_absolute_url()}")
        self.stdout.write(f"{imported} imported, {refused} skipped")
