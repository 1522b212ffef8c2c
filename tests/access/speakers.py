"""Access-matrix cases for speakers: rename, map, merge, confirm a voice, move lines, detect
again, a person's voice profile and the team's voice matching."""

from research.models import Conversation, Person, Project, VoiceProfile
from tests.builders import diarized, voice

from . import Case


def build(team, owner) -> dict[str, Case]:
    project = Project.objects.create(team=team, name="Speakers matrix", slug="speakers-matrix")
    conversation = Conversation.objects.create(
        team=team, project=project, title="Matrix speakers conversation", created_by=owner
    )
    person = Person.objects.create(team=team, name="Matrix voice")
    conversation.participants.add(person)
    transcript = diarized(
        team,
        conversation,
        [("Speaker 1", "Matrix hello"), ("Speaker 2", "Matrix hi"), ("Speaker 3", "Matrix yo")],
        voices={"Speaker 1": (voice(1), 10.0)},
    )
    one, two, three = transcript.speakers.order_by("label")
    VoiceProfile.objects.create(team=team, person=person, embedding=voice(1), seconds=30.0)
    return {
        "speaker_rename": Case(
            kwargs={"uid": two.uid},
            method="post",
            data={"name": "Matrix renamed"},
            member_status=302,
            writes=True,
        ),
        "speaker_map": Case(
            kwargs={"uid": three.uid},
            method="post",
            data={"person": "", "is_interviewer": "on"},
            member_status=302,
            writes=True,
        ),
        "speaker_merge": Case(
            kwargs={"uid": three.uid},
            method="post",
            data={"into": str(two.uid)},
            member_status=302,
            writes=True,
        ),
        "speaker_voice_confirm": Case(
            kwargs={"uid": one.uid},
            method="post",
            data={"person": str(person.uid)},
            member_status=302,
            writes=True,
        ),
        "lines_move": Case(
            kwargs={"uid": transcript.uid},
            method="post",
            data={"lines": ["0"], "speaker": str(two.uid)},
            member_status=302,
            writes=True,
        ),
        "speakers_detect": Case(
            kwargs={"uid": transcript.uid},
            method="post",
            data={"num_speakers": "2"},
            member_status=302,
            writes=True,
        ),
        "voice_profile_delete": Case(
            kwargs={"uid": person.uid}, method="post", member_status=302, writes=True
        ),
        "voice_settings": Case(
            method="post",
            data={"voice_match_threshold": "0.8", "voice_auto_apply": "0.9"},
            member_status=403,
            writes=True,
        ),
    }
