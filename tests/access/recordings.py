"""Access-matrix cases for recordings: upload, browser recording, status, audio, re-runs."""

from research.models import Conversation, Photo, Project, Recording

from . import Case


def build(team, owner) -> dict[str, Case]:
    project = Project.objects.create(team=team, name="Capture matrix", slug="capture-matrix")
    conversation = Conversation.objects.create(
        team=team, project=project, title="Matrix capture conversation", created_by=owner
    )
    recording = Recording.objects.create(
        team=team, conversation=conversation, original_name="matrix.webm", status="receiving"
    )
    rec = {"uid": recording.uid}
    # No file was written for this photo either.
    photo = Photo.objects.create(
        team=team,
        conversation=conversation,
        stored_name="none.jpg",
        content_type="image/jpeg",
        width=1,
        height=1,
        size_bytes=1,
    )
    return {
        # A member's POST without files is a clean refusal, never a 500.
        "recording_upload": Case(
            kwargs={"uid": conversation.uid}, method="post", member_status=400, writes=True
        ),
        "recording_start": Case(
            kwargs={"uid": conversation.uid}, method="post", member_status=201, writes=True
        ),
        "recording_chunk": Case(
            kwargs=rec, method="post", query="seq=5", member_status=400, writes=True
        ),
        "recording_finish": Case(kwargs=rec, method="post", member_status=400, writes=True),
        "recording_status": Case(kwargs=rec),
        # No file was ever written for this recording.
        "recording_audio": Case(kwargs=rec, member_status=404),
        "recording_transcribe": Case(kwargs=rec, method="post", member_status=409, writes=True),
        # A receiving recording offers no choice of what to transcribe.
        "recording_over_cap": Case(
            kwargs=rec, method="post", data={"choice": "split"}, member_status=409, writes=True
        ),
        # A member's POST without a file is a clean refusal.
        "photo_add": Case(
            kwargs={"uid": conversation.uid}, method="post", member_status=400, writes=True
        ),
        "photo_image": Case(kwargs={"uid": photo.uid}, member_status=404),
        "service_worker": Case(skip="public, no team data (tests/recordings/test_offline.py)"),
        "manifest": Case(skip="public, no team data (tests/recordings/test_offline.py)"),
    }
