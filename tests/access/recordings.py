"""Access-matrix cases for recordings: upload, browser recording, status, audio, re-runs."""

from research.models import Conversation, Project, Recording

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
    }
