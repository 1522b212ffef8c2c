"""Access-matrix cases for recordings, transcripts and the site-visit page."""

from research.models import Conversation, Project, Recording, Segment, Transcript

from . import Case


def build(team, owner) -> dict[str, Case]:
    project = Project.objects.create(team=team, name="Capture matrix", slug="capture-matrix")
    conversation = Conversation.objects.create(
        team=team, project=project, title="Matrix capture conversation", created_by=owner
    )
    recording = Recording.objects.create(
        team=team, conversation=conversation, original_name="matrix.webm", status="receiving"
    )
    transcript = Transcript.objects.create(team=team, recording=recording, version=1)
    segment = Segment.objects.create(
        team=team,
        transcript=transcript,
        conversation=conversation,
        index=0,
        start=0,
        end=1,
        text="Matrix line",
    )
    rec = {"uid": recording.uid}
    return {
        "site_visit": Case(),
        # A member's POST without files is a clean refusal, never a 500.
        "recording_upload": Case(
            kwargs={"uid": conversation.uid}, method="post", member_status=400
        ),
        "recording_start": Case(kwargs={"uid": conversation.uid}, method="post", member_status=201),
        "recording_chunk": Case(kwargs=rec, method="post", query="seq=5", member_status=409),
        "recording_finish": Case(kwargs=rec, method="post", member_status=400),
        "recording_status": Case(kwargs=rec),
        # No file was ever written for this recording.
        "recording_audio": Case(kwargs=rec, member_status=404),
        "recording_transcribe": Case(kwargs=rec, method="post", member_status=409),
        "segment_edit": Case(
            kwargs={"uid": segment.uid},
            method="post",
            data={"text": "Edited matrix line"},
            member_status=302,
        ),
        "transcript_speakers": Case(
            kwargs={"uid": transcript.uid}, method="post", member_status=302
        ),
        "transcript_export": Case(kwargs={"uid": transcript.uid, "fmt": "vtt"}),
    }
