"""Insights and features: computed strength, links with stance and weight, the feature page and
list, and the feature page's constant query count at 500 insights / 5,000 highlights."""

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from research.demo.insights import build_feature_load
from research.models import (
    Conversation,
    Feature,
    Highlight,
    Insight,
    InsightFeatureLink,
    Person,
    PersonKind,
    Stance,
    Weight,
)
from research.selectors.features import feature_evidence
from research.selectors.insights import insight_strengths
from research.services.features import feature_create
from research.services.highlights import highlight_create
from research.services.insights import (
    insight_attach_evidence,
    insight_create,
    insight_link_feature,
)
from research.services.tags import tags_resolve, tags_set
from tests.builders import interview


@pytest.fixture
def two_interviews(team, owner):
    ana_conv, ana_t, ana = interview(team, owner, org_name="Globex", person_name="Ana")
    bo_conv, bo_t, bo = interview(team, owner, title="Bo", org_name="Initech", person_name="Bo")
    bo_conv.occurred_at = timezone.now() - timedelta(days=40)
    bo_conv.save()
    ana_conv.occurred_at = timezone.now() - timedelta(days=3)
    ana_conv.save()
    return (ana_conv, ana_t, ana), (bo_conv, bo_t, bo)


def _quote(conversation, transcript, owner, start=0.0, end=9.5, quote="Exporting to Excel"):
    return highlight_create(
        conversation=conversation,
        created_by=owner,
        transcript=transcript,
        start=start,
        end=end,
        quote=quote,
    )


def test_strength_counts_distinct_people_organizations_newest_and_contradictions(
    team, owner, two_interviews
):
    (ana_conv, ana_t, ana), (bo_conv, bo_t, bo) = two_interviews
    colleague = Person.objects.create(team=team, name="Carl", kind=PersonKind.COLLEAGUE)
    ana_conv.participants.add(colleague)
    h1 = _quote(ana_conv, ana_t, owner)
    h2 = _quote(ana_conv, ana_t, owner, 20, 29.5, "the same pivot table")
    h3 = _quote(bo_conv, bo_t, owner)
    # From the notes: no speaker, so the conversation's customers count (not the colleague).
    h4 = highlight_create(conversation=bo_conv, created_by=owner, quote="weekly exports")
    against = _quote(bo_conv, bo_t, owner, 30, 39.5, "never open Excel again")
    insight = insight_create(
        team=team, created_by=owner, title="Reports eat Mondays", highlights=[h1, h2, h3, h4]
    )
    strength = insight_strengths([insight.pk])[insight.pk]
    assert strength.highlight_count == 4
    assert sorted(strength.people.values()) == ["Ana", "Bo"]
    assert sorted(strength.organizations.values()) == ["Globex", "Initech"]
    assert strength.newest == ana_conv.occurred_at
    assert not strength.has_contradictions

    insight_attach_evidence(insight=insight, highlights=[against], contradicting=True)
    strength = insight_strengths([insight.pk])[insight.pk]
    assert strength.has_contradictions and strength.contradicting == {against.pk}
    # A highlight sits on one side only.
    insight_attach_evidence(insight=insight, highlights=[h3], contradicting=True)
    assert set(insight.highlights.all()) == {h1, h2, h4}
    assert set(insight.contradicting_highlights.all()) == {h3, against}


def test_conversations_attached_directly_count_their_participants(team, owner, two_interviews):
    (ana_conv, _, _), _ = two_interviews
    insight = insight_create(
        team=team, created_by=owner, title="From a whole call", conversations=[ana_conv]
    )
    strength = insight_strengths([insight.pk])[insight.pk]
    assert (strength.highlight_count, strength.people_count, strength.organization_count) == (
        0,
        1,
        1,
    )
    assert strength.newest == ana_conv.occurred_at


def test_insight_from_highlights_through_the_form(owner_client, team, owner, two_interviews):
    (ana_conv, ana_t, _), (bo_conv, bo_t, _) = two_interviews
    h1, h2 = _quote(ana_conv, ana_t, owner), _quote(bo_conv, bo_t, owner)
    url = reverse("research:insight_create")
    page = owner_client.get(f"{url}?highlight={h1.uid}&highlight={h2.uid}")
    assert page.status_code == 200 and page.content.decode().count("<blockquote>") == 2
    response = owner_client.post(
        url,
        {
            "title": "  Exports   hurt ",
            "details": "More",
            "status": "published",
            "tags": "exports",
            "highlights": [str(h1.uid), str(h2.uid)],
        },
    )
    insight = Insight.objects.get(team=team)
    assert response.status_code == 302 and response["Location"] == insight.get_absolute_url()
    assert insight.title == "Exports hurt" and insight.status == "published"
    assert set(insight.highlights.all()) == {h1, h2}
    body = owner_client.get(insight.get_absolute_url()).content.decode()
    assert "Exporting to Excel" in body and "Globex" in body and "Initech" in body


def test_insight_form_refuses_another_teams_highlight(owner_client, team, outsider):
    conv, t, _ = interview(outsider.team, outsider, title="Theirs")
    theirs = _quote(conv, t, outsider)
    response = owner_client.post(
        reverse("research:insight_create"), {"title": "Mine", "highlights": [str(theirs.uid)]}
    )
    assert response.status_code == 400
    assert not Insight.objects.filter(team=team).exists()


def test_link_insight_to_feature_and_relink_changes_stance(owner_client, team, owner):
    insight = insight_create(team=team, created_by=owner, title="Finding")
    feature = feature_create(team=team, name="Scheduled reports")
    url = reverse("research:insight_link", args=[insight.uid])
    data = {"feature": str(feature.uid), "stance": "validates", "weight": "critical", "note": "x"}
    assert owner_client.post(url, data).status_code == 302
    assert owner_client.post(url, data | {"stance": "contradicts"}).status_code == 302
    link = InsightFeatureLink.objects.get()
    assert (link.stance, link.weight, link.note, link.team_id) == (
        "contradicts",
        "critical",
        "x",
        team.pk,
    )
    bad = owner_client.post(url, data | {"stance": "loves"})
    assert bad.status_code == 400
    response = owner_client.post(
        reverse("research:insight_unlink", args=[insight.uid, feature.uid])
    )
    assert response.status_code == 302 and not InsightFeatureLink.objects.exists()


def test_cannot_link_to_another_teams_feature(owner_client, team, owner, outsider):
    insight = insight_create(team=team, created_by=owner, title="Finding")
    theirs = feature_create(team=outsider.team, name="Theirs")
    response = owner_client.post(
        reverse("research:insight_link", args=[insight.uid]),
        {"feature": str(theirs.uid), "stance": "validates", "weight": "nice"},
    )
    assert response.status_code == 400 and not InsightFeatureLink.objects.exists()


TRACKER_URLS = [
    ("javascript:alert(1)", 400),
    ("JavaScript:alert(document.cookie)//https://x", 400),
    ("data:text/html,<script>alert(1)</script>", 400),
    ("ftp://tracker.example.com/1", 400),
    ("https://tracker.example.com/browse/FN-1", 302),
    ("http://tracker.local/issues/2", 302),
]


@pytest.mark.parametrize("url,status", TRACKER_URLS)
def test_tracker_url_must_be_http_or_https(owner_client, team, url, status):
    response = owner_client.post(
        reverse("research:feature_create"),
        {"name": "Reports", "status": "idea", "tracker_url": url},
    )
    assert response.status_code == status
    assert Feature.objects.filter(team=team).exists() == (status == 302)
    if status == 400:
        errors = response.context["form"].errors["tracker_url"]
        assert errors == ["Enter a web link that starts with http:// or https://."]


def test_tracker_url_refused_by_the_service_too(team):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        feature_create(team=team, name="X", tracker_url="javascript:alert(1)")
    assert "http:// or https://" in str(error.value)
    assert not Feature.objects.exists()


def test_feature_page_shows_quotes_counts_and_both_sides(owner_client, team, owner, two_interviews):
    (ana_conv, ana_t, _), (bo_conv, bo_t, _) = two_interviews
    feature = feature_create(team=team, name="Scheduled reports", tracker_url="https://t.example/1")
    pro = insight_create(
        team=team,
        created_by=owner,
        title="Managers want the report weekly",
        highlights=[
            _quote(ana_conv, ana_t, owner, 20, 29.5, "the same pivot table"),
            _quote(bo_conv, bo_t, owner),
        ],
    )
    con = insight_create(
        team=team,
        created_by=owner,
        title="Some never read reports",
        highlights=[_quote(bo_conv, bo_t, owner, 30, 39.5, "never open Excel again")],
    )
    insight_link_feature(insight=pro, feature=feature, stance=Stance.VALIDATES)
    insight_link_feature(insight=con, feature=feature, stance=Stance.CONTRADICTS)
    evidence = feature_evidence(feature=feature)
    assert (evidence.for_.people_count, evidence.for_.organization_count) == (2, 2)
    assert (evidence.against.people_count, evidence.against.highlight_count) == (1, 1)
    assert evidence.is_contradicted
    body = owner_client.get(feature.get_absolute_url()).content.decode()
    assert "the same pivot table" in body and "never open Excel again" in body
    assert f'href="{ana_conv.get_absolute_url()}?recording=' in body and "highlight=" in body
    assert 'data-clip-start="20.00" data-clip-end="29.50"' in body
    assert "Some evidence contradicts this feature." in body
    assert 'href="https://t.example/1" rel="noopener noreferrer"' in body


def test_feature_list_sorts_by_strength_and_flags(owner_client, team, owner, two_interviews):
    (ana_conv, ana_t, _), (bo_conv, bo_t, _) = two_interviews
    strong = feature_create(team=team, name="Zeta strong")
    weak = feature_create(team=team, name="Alpha weak")
    contested = feature_create(team=team, name="Beta contested")
    feature_create(team=team, name="Aardvark empty")
    two_people = insight_create(
        team=team,
        created_by=owner,
        title="Two people",
        highlights=[_quote(ana_conv, ana_t, owner), _quote(bo_conv, bo_t, owner)],
    )
    one_person = insight_create(
        team=team, created_by=owner, title="One", highlights=[_quote(ana_conv, ana_t, owner)]
    )
    insight_link_feature(insight=two_people, feature=strong, weight=Weight.NICE)
    insight_link_feature(insight=one_person, feature=weak, weight=Weight.CRITICAL)
    insight_link_feature(insight=one_person, feature=contested, stance=Stance.CONTRADICTS)
    response = owner_client.get(reverse("research:feature_list"))
    order = [e.feature.name for e in response.context["features"]]
    assert order == ["Zeta strong", "Alpha weak", "Aardvark empty", "Beta contested"]
    body = response.content.decode()
    row = body[body.index("Aardvark empty") :]
    assert "no evidence" in row[: row.index("</tr>")]
    row = body[body.index("Beta contested") :]
    assert "contradicted" in row[: row.index("</tr>")]


def test_conversation_page_shows_insights_and_features_it_feeds(owner_client, team, owner):
    conversation, transcript, _ = interview(team, owner)
    insight = insight_create(
        team=team,
        created_by=owner,
        title="Reports eat Mondays",
        highlights=[_quote(conversation, transcript, owner)],
    )
    feature = feature_create(team=team, name="Scheduled reports")
    insight_link_feature(insight=insight, feature=feature)
    body = owner_client.get(conversation.get_absolute_url()).content.decode()
    feeds = body[body.index('id="feeds"') :]
    assert "Reports eat Mondays" in feeds and "Scheduled reports" in feeds
    assert "validates" in feeds


def _feature_page_queries(client, feature) -> tuple[int, float, str]:
    url = feature.get_absolute_url()
    client.get(url)  # warm the session and template caches
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
    assert response.status_code == 200
    return len(queries), elapsed, response.content.decode()


@pytest.mark.slow
def test_feature_page_queries_are_constant_at_500_insights_and_5000_highlights(
    owner_client, team, owner, django_assert_max_num_queries
):
    small = build_feature_load(team=team, owner=owner, insights=3, highlights=12)
    small_queries, _, _ = _feature_page_queries(owner_client, small)
    big = build_feature_load(team=team, owner=owner, insights=500, highlights=5000)
    assert Highlight.objects.filter(team=team).count() == 5012
    assert InsightFeatureLink.objects.filter(feature=big).count() == 500
    big_queries, elapsed, body = _feature_page_queries(owner_client, big)
    assert big_queries == small_queries
    with django_assert_max_num_queries(small_queries):
        owner_client.get(big.get_absolute_url())
    # About 0.1 s on a laptop; the margin is for a loaded, shared CI machine.
    assert elapsed < 0.8, f"feature page took {elapsed:.2f}s"
    evidence = feature_evidence(feature=big)
    assert len(evidence.validating) == 450 and len(evidence.contradicting) == 50
    assert evidence.for_.highlight_count + evidence.against.highlight_count == 5000
    assert body.count('<article class="evidence-item">') == 40  # the 20 strongest per side
    assert body.count('<div class="quote">') == 120
    assert "Show all 450 validating insights" in body and "Show all 50 contradicting" in body
    assert f'<div class="n">{evidence.for_.people_count}</div>' in body


def test_feature_list_queries_do_not_grow_with_features(owner_client, team, owner):
    build_feature_load(team=team, owner=owner, insights=3, highlights=12)
    url = reverse("research:feature_list")
    owner_client.get(url)
    with CaptureQueriesContext(connection) as few:
        owner_client.get(url)
    for _ in range(3):
        build_feature_load(team=team, owner=owner, insights=20, highlights=60)
    with CaptureQueriesContext(connection) as more:
        owner_client.get(url)
    assert len(more) == len(few)
    assert Conversation.objects.filter(team=team).count() >= 1600


def test_an_interviewers_line_in_the_transcript_is_nobodys_evidence(team, owner):
    conversation, transcript, _ = interview(team, owner)
    question = _quote(conversation, transcript, owner, 10, 19.5, "What do you do with the export?")
    assert (question.speaker, question.person) == ("Interviewer", None)
    insight = insight_create(team=team, created_by=owner, title="Asked", highlights=[question])
    strength = insight_strengths([insight.pk])[insight.pk]
    assert (strength.highlight_count, strength.people_count, strength.organization_count) == (
        1,
        0,
        0,
    )


def test_whole_conversation_as_evidence_from_the_conversation_page(owner_client, team, owner):
    conversation, _, _ = interview(team, owner)
    insight = insight_create(team=team, created_by=owner, title="Reports eat Mondays")
    page = owner_client.get(conversation.get_absolute_url()).content.decode()
    assert "Use the whole conversation as evidence for" in page
    response = owner_client.post(
        reverse("research:conversation_to_insight", args=[conversation.uid]),
        {"insight": str(insight.uid)},
    )
    assert response.status_code == 302
    assert response["Location"] == conversation.get_absolute_url() + "#feeds"
    assert list(insight.conversations.all()) == [conversation]
    feeds = owner_client.get(conversation.get_absolute_url()).content.decode()
    assert "Reports eat Mondays" in feeds[feeds.index('id="feeds"') :]
    assert insight_strengths([insight.pk])[insight.pk].people_count == 1
    response = owner_client.post(
        reverse("research:insight_detach_conversation", args=[insight.uid, conversation.uid])
    )
    assert response.status_code == 302 and not insight.conversations.exists()


def test_conversation_page_queries_do_not_grow_with_highlights(owner_client, team, owner):
    conversation, transcript, _ = interview(team, owner)
    url = conversation.get_absolute_url()

    def count() -> int:
        owner_client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert owner_client.get(url).status_code == 200
        return len(queries)

    first = insight_create(
        team=team, created_by=owner, title="I", highlights=[_quote(conversation, transcript, owner)]
    )
    insight_link_feature(insight=first, feature=feature_create(team=team, name="F"))
    few = count()
    for i in range(15):
        h = _quote(conversation, transcript, owner, 10 + i, 11 + i, f"quote {i}")
        insight = insight_create(team=team, created_by=owner, title=f"I{i}", highlights=[h])
        insight_link_feature(insight=insight, feature=feature_create(team=team, name=f"F{i}"))
    h.tags.add(*tags_resolve(team=team, names=["a", "b"]))
    assert count() == few


def test_a_colleagues_words_are_not_customer_evidence(team, owner):
    conversation, transcript, ana = interview(team, owner)
    ana.kind = PersonKind.COLLEAGUE
    ana.save()
    said = _quote(conversation, transcript, owner)
    insight = insight_create(team=team, created_by=owner, title="Said by us", highlights=[said])
    strength = insight_strengths([insight.pk])[insight.pk]
    assert (strength.highlight_count, strength.people_count) == (1, 0)


@pytest.mark.parametrize("name", ["insight_list", "tag_list", "feature_list"])
def test_list_pages_keep_their_query_count(
    owner_client, team, owner, name, django_assert_max_num_queries
):
    conversation, transcript, _ = interview(team, owner)

    def grow(n: int) -> None:
        for i in range(n):
            h = _quote(conversation, transcript, owner, quote=f"{name} {i}")
            tags_set(obj=h, names=[f"t{i}", "shared"])
            insight = insight_create(
                team=team, created_by=owner, title=f"{name} {i}", highlights=[h], tags=[f"t{i}"]
            )
            feature = feature_create(team=team, name=f"{name}{i}")
            insight_link_feature(insight=insight, feature=feature)

    url = reverse(f"research:{name}")
    grow(1)
    owner_client.get(url)
    with CaptureQueriesContext(connection) as baseline:
        owner_client.get(url)
    grow(12)
    with django_assert_max_num_queries(len(baseline)):
        assert owner_client.get(url).status_code == 200
