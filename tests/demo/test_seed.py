"""The demo seeds believable evidence on whatever conversations the demo made."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from research.demo import insights as demo
from research.models import Conversation, Feature, Highlight, Insight, Project
from tests.builders import interview


@pytest.mark.django_db
def test_seed_makes_highlights_insights_and_features(owner_client, team, owner, teammate):
    with_transcript, _, _ = interview(team, owner)
    notes_only = Conversation.objects.create(
        team=team,
        project=Project.objects.get(team=team),
        title="Site visit",
        notes="The team lead said onboarding took two full weeks. Nobody found the invite button.",
    )
    demo.seed(team=team, users=[owner, teammate], conversations=[with_transcript, notes_only])

    from_audio = Highlight.objects.filter(conversation=with_transcript)
    assert from_audio.count() == 2 and all(h.start is not None for h in from_audio)
    assert list(
        Highlight.objects.filter(conversation=notes_only).values_list("quote", flat=True)
    ) == ["Nobody found the invite button.", "The team lead said onboarding took two full weeks."]
    assert Insight.objects.filter(team=team).count() == 3
    features = {f.name: f for f in Feature.objects.filter(team=team)}
    assert set(features) == {"Scheduled reports", "Excel add-in", "Guided setup", "Dark mode"}
    response = owner_client.get(reverse("research:feature_list"))
    flags = {
        e.feature.name: (e.has_evidence, e.is_contradicted) for e in response.context["features"]
    }
    assert flags["Dark mode"] == (False, False)
    assert flags["Excel add-in"] == (True, True)
    assert flags["Scheduled reports"] == (True, False)
    for feature in features.values():
        page = owner_client.get(feature.get_absolute_url())
        assert page.status_code == 200
        evidence = page.context["evidence"]
        body = page.content.decode()
        assert f"<h1>{feature.name}</h1>" in body
        assert (evidence.has_evidence, evidence.is_contradicted) == flags[feature.name]
        # Each linked insight shows on the page with its quotes.
        for linked in evidence.validating + evidence.contradicting:
            assert escape(linked.link.insight.title) in body
            for quote in linked.strength.quotes:
                assert escape(quote.text.split()[0]) in body
