"""Evidence by who said it: a quote takes its speaker's person; an interviewer's or colleague's
words count nobody; a quote nobody known said falls back to the participants and is counted
as unattributed on the insight and feature pages."""

import pytest
from django.urls import reverse

from research.models import Organization, Person, PersonKind, Project
from research.selectors.features import feature_evidence
from research.selectors.insights import insight_strengths
from research.services.conversations import conversation_create
from research.services.features import feature_create
from research.services.highlights import highlight_create
from research.services.insights import insight_create, insight_link_feature
from research.services.speakers import speaker_map
from tests.builders import diarized

LINES = [
    ("Speaker 1", "Exporting takes me an hour every Monday."),  # Amara
    ("Speaker 2", "What do you do with the export?"),  # the interviewer
    ("Speaker 3", "We rebuild the pivot table by hand."),  # nobody known
    ("Speaker 4", "Our team built that export last year."),  # a colleague
]


@pytest.fixture
def call(team, owner):
    people = {
        name: Person.objects.create(
            team=team,
            name=name,
            kind=kind,
            organization=Organization.objects.get_or_create(team=team, name=org)[0],
        )
        for name, kind, org in [
            ("Amara Okafor", PersonKind.CUSTOMER, "Globex"),
            ("Ben Ito", PersonKind.CUSTOMER, "Initech"),
            ("Cleo Park", PersonKind.COLLEAGUE, "Acme"),
        ]
    }
    project = Project.objects.create(team=team, name="Calls", slug="calls")
    conversation = conversation_create(
        team=team,
        created_by=owner,
        project=project,
        title="Call with Globex and Initech",
        participants=people.values(),
        interviewers=[owner],
    )
    transcript = diarized(team, conversation, LINES)
    speakers = {s.label: s for s in transcript.speakers.all()}
    speaker_map(speaker=speakers["Speaker 1"], person=people["Amara Okafor"])
    speaker_map(speaker=speakers["Speaker 2"], person=None, is_interviewer=True)
    speaker_map(speaker=speakers["Speaker 4"], person=people["Cleo Park"])
    quotes = [
        highlight_create(
            conversation=conversation,
            created_by=owner,
            transcript=transcript,
            start=i * 10.0 + 1,
            end=i * 10.0 + 8,
            quote=text.split()[0],
        )
        for i, (_, text) in enumerate(LINES)
    ]
    return people, quotes


def strength_of(team, owner, highlights):
    insight = insight_create(team=team, created_by=owner, title="Exports", highlights=highlights)
    return insight, insight_strengths([insight.pk])[insight.pk]


def test_quotes_take_their_speakers_person(call):
    people, (said, asked, unknown, colleague) = call
    assert (said.speaker, said.person) == ("Amara Okafor", people["Amara Okafor"])
    assert (asked.speaker, asked.person, asked.by_interviewer) == ("Speaker 2", None, True)
    assert (unknown.speaker, unknown.person, unknown.by_interviewer) == ("Speaker 3", None, False)
    assert colleague.person == people["Cleo Park"]


def test_a_customers_line_counts_only_that_customer(call, team, owner):
    _, (said, *_rest) = call
    _, strength = strength_of(team, owner, [said])
    assert sorted(strength.people.values()) == ["Amara Okafor"]
    assert sorted(strength.organizations.values()) == ["Globex"]
    assert strength.unattributed_count == 0


def test_interviewer_and_colleague_lines_count_nobody(call, team, owner):
    _, (_, asked, _, colleague) = call
    _, strength = strength_of(team, owner, [asked, colleague])
    assert (strength.highlight_count, strength.people_count, strength.unattributed_count) == (
        2,
        0,
        0,
    )


def test_an_unknown_speaker_falls_back_to_the_customer_participants(call, team, owner):
    _, (said, _, unknown, _) = call
    _, strength = strength_of(team, owner, [unknown])
    assert sorted(strength.people.values()) == ["Amara Okafor", "Ben Ito"]  # not Cleo
    assert strength.unattributed_count == 1
    _, both = strength_of(team, owner, [said, unknown])
    assert (both.people_count, both.unattributed_count) == (2, 1)


def test_mapping_the_speaker_later_attributes_the_quote(call, team, owner):
    people, (_, _, unknown, _) = call
    speaker = unknown.transcript.speakers.get(label="Speaker 3")
    speaker_map(speaker=speaker, person=people["Ben Ito"])
    unknown.refresh_from_db()
    assert (unknown.speaker, unknown.person) == ("Ben Ito", people["Ben Ito"])
    _, strength = strength_of(team, owner, [unknown])
    assert (sorted(strength.people.values()), strength.unattributed_count) == (["Ben Ito"], 0)


def test_insight_and_feature_pages_say_how_many_quotes_are_unattributed(
    call, team, owner, owner_client
):
    _, (said, asked, unknown, _) = call
    insight, _ = strength_of(team, owner, [said, asked, unknown])
    feature = feature_create(team=team, name="Scheduled reports")
    insight_link_feature(insight=insight, feature=feature)
    for url in [insight.get_absolute_url(), feature.get_absolute_url()]:
        body = owner_client.get(url).content.decode()
        assert "1 quote unattributed" in body, url
    assert feature_evidence(feature=feature).for_.unattributed_count == 1
    page = owner_client.get(reverse("research:insight_list")).content.decode()
    assert "Exports" in page


def test_a_quote_spanning_two_speakers_is_marked_mixed_on_the_page(call, team, owner, owner_client):
    people, _ = call
    conversation = people["Amara Okafor"].conversations.get()
    transcript = conversation.recordings.get().transcripts.get()
    mixed = highlight_create(
        conversation=conversation,
        created_by=owner,
        transcript=transcript,
        start=4,
        end=12,
        quote="every Monday. What do",
    )
    assert (mixed.speaker, mixed.speaker_mixed) == ("Amara Okafor", True)
    body = owner_client.get(conversation.get_absolute_url()).content.decode()
    assert "mixed speakers" in body
