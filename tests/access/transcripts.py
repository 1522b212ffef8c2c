"""Access-matrix cases for transcripts: a line's edit, speakers, exports."""

from research.models import Conversation, Project, Recording, Segment, Transcript

from . import Case


def build(team, owner) -> dict[str, Case]:
    project = Project.objects.create(team=team, name="Lines matrix", slug="lines-matrix")
    conversation = Conversation.objects.create(
        team=team, project=project, title="Matrix transcript conversation", created_by=owner
    )
    recording = Recording.objects.create(
        team=team, conversation=conversation, original_name="matrix.flac", status="stored"
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
    return {
        "segment_edit": Case(
            kwargs={"uid": segment.uid},
            method="post",
            data={"text": "Edited matrix line"},
            member_status=302,
            writes=True,
        ),
        "transcript_speakers": Case(
            kwargs={"uid": transcript.uid}, method="post", member_status=302, writes=True
        ),
        "transcript_export": Case(kwargs={"uid": transcript.uid, "fmt": "vtt"}),
    }
