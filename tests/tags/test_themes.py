"""Tags as themes: autocomplete, the tag page, rename and merge, and the theme board."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from research.models import Highlight, Insight, TaggedConversation, TaggedHighlight, TeamTag
from research.selectors.tags import tag_usage
from research.services.highlights import highlight_create
from research.services.insights import insight_create
from research.services.tags import tag_merge, tags_resolve, tags_set
from tests.builders import interview


@pytest.fixture
def tagged(team, owner):
    conversation, transcript, _ = interview(team, owner)
    tags_set(obj=conversation, names=["exports", "reporting"])
    h1 = highlight_create(
        conversation=conversation,
        created_by=owner,
        transcript=transcript,
        start=0,
        end=9.5,
        quote="Exporting to Excel takes me an hour every Monday.",
        tags=["exports"],
    )
    h2 = highlight_create(
        conversation=conversation,
        created_by=owner,
        quote="weekly exports",
        tags=["exports", "reporting"],
    )
    h3 = highlight_create(
        conversation=conversation, created_by=owner, quote="pivot table", tags=["reporting"]
    )
    insight = insight_create(
        team=team, created_by=owner, title="Exports hurt", tags=["reporting"], highlights=[h1]
    )
    return conversation, (h1, h2, h3), insight


def _names(obj) -> list[str]:
    return sorted(t.name for t in obj.tags.all())


def test_every_tag_field_offers_the_teams_vocabulary(owner_client, team, outsider, tagged):
    conversation, (h1, *_), insight = tagged
    tags_resolve(team=outsider.team, names=["secret-theirs"])
    for url in [
        reverse("research:conversation_create"),
        reverse("research:highlight_create", args=[conversation.uid]),
        reverse("research:highlight_edit", args=[h1.uid]),
        reverse("research:insight_create"),
        reverse("research:insight_edit", args=[insight.uid]),
        conversation.get_absolute_url(),
    ]:
        body = owner_client.get(url).content.decode()
        assert 'list="team-tags"' in body, url
        assert '<option value="exports">' in body and '<option value="reporting">' in body, url
        assert "secret-theirs" not in body, url


def test_tag_page_lists_everything_with_counts_and_use_over_time(owner_client, tagged):
    conversation, (h1, h2, h3), insight = tagged
    tag = TeamTag.objects.get(name="reporting")
    response = owner_client.get(reverse("research:tag_detail", args=[tag.slug]))
    assert response.status_code == 200
    assert response.context["counts"] == {"conversations": 1, "highlights": 2, "insights": 1}
    body = response.content.decode()
    assert "weekly exports" in body and "pivot table" in body and "Exports hurt" in body
    assert conversation.title in body
    assert "Exporting to Excel" not in body  # tagged exports only
    this_month = response.context["usage"][-1]
    assert (this_month.conversations, this_month.highlights, this_month.insights) == (1, 2, 1)


def test_usage_counts_highlights_in_the_month_they_were_said(team, owner):
    conversation, _, _ = interview(team, owner)
    conversation.occurred_at = timezone.now() - timedelta(days=62)
    conversation.save()
    highlight_create(conversation=conversation, created_by=owner, quote="old", tags=["legacy"])
    usage = tag_usage(tag=TeamTag.objects.get(name="legacy"), today=timezone.localdate())
    assert len(usage) == 12
    assert sum(m.highlights for m in usage) == 1
    assert usage[-1].highlights == 0 and usage[-1].month == timezone.localdate().replace(day=1)


def test_tag_list_counts(owner_client, tagged):
    response = owner_client.get(reverse("research:tag_list"))
    rows = {t.name: t for t in response.context["tags"]}
    assert (rows["exports"].highlight_count, rows["exports"].conversation_count) == (2, 1)
    assert rows["reporting"].insight_count == 1


def test_rename_keeps_every_item_and_changes_the_slug(owner_client, tagged):
    conversation, (h1, h2, h3), insight = tagged
    tag = TeamTag.objects.get(name="reporting")
    response = owner_client.post(
        reverse("research:tag_edit", args=[tag.slug]),
        {"name": "Weekly reporting", "description": "For managers", "color": "#3366CC"},
    )
    tag.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("research:tag_detail", args=[tag.slug])
    assert (tag.name, tag.slug, tag.color) == ("Weekly reporting", "weekly-reporting", "#3366cc")
    assert "Weekly reporting" in _names(conversation) and _names(h3) == ["Weekly reporting"]
    assert _names(insight) == ["Weekly reporting"]


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"name": "EXPORTS"}, "name", "merge into it instead"),
        ({"name": "  "}, "name", ""),
        ({"name": "a, b"}, "name", "no commas"),
        ({"name": "ok", "color": "red"}, "color", "hex colour"),
    ],
)
def test_rename_refuses_clashes_and_bad_colours(owner_client, tagged, data, field, message):
    tag = TeamTag.objects.get(name="reporting")
    response = owner_client.post(reverse("research:tag_edit", args=[tag.slug]), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert message in " ".join(response.context["form"].errors[field])
    tag.refresh_from_db()
    assert tag.name == "reporting" and tag.color == ""


def test_merge_moves_everything_and_loses_nothing(owner_client, team, tagged):
    conversation, (h1, h2, h3), insight = tagged
    source = TeamTag.objects.get(name="reporting")
    target = TeamTag.objects.get(name="exports")
    before = {
        "conversations": TaggedConversation.objects.filter(tag__in=[source, target]).count(),
    }
    response = owner_client.post(
        reverse("research:tag_merge", args=[source.slug]), {"target": target.slug}
    )
    assert response.status_code == 302
    assert not TeamTag.objects.filter(pk=source.pk).exists()
    # h2 had both tags: it keeps exactly one "exports"; h3 had only "reporting".
    assert [_names(h) for h in (h1, h2, h3)] == [["exports"], ["exports"], ["exports"]]
    assert _names(insight) == ["exports"] and _names(conversation) == ["exports"]
    assert TaggedHighlight.objects.filter(tag=target).count() == 3
    assert before["conversations"] == 2  # the conversation had both; it now has one
    assert Highlight.objects.count() == 3


def test_merge_refuses_another_teams_tag(team, outsider, tagged):
    from django.core.exceptions import ValidationError

    (theirs,) = tags_resolve(team=outsider.team, names=["theirs"])
    with pytest.raises(ValidationError):
        tag_merge(source=TeamTag.objects.get(team=team, name="exports"), target=theirs)
    assert TeamTag.objects.filter(team=team, name="exports").exists()


def test_merge_form_does_not_offer_other_teams_tags(owner_client, team, outsider, tagged):
    (theirs,) = tags_resolve(team=outsider.team, names=["theirs"])
    tag = TeamTag.objects.get(team=team, name="exports")
    response = owner_client.post(
        reverse("research:tag_merge", args=[tag.slug]), {"target": theirs.slug}
    )
    assert response.status_code == 400
    assert TeamTag.objects.filter(pk=tag.pk).exists()


def test_board_shows_columns_and_moving_a_card_retags_it(owner_client, tagged):
    _, (h1, h2, h3), _ = tagged
    board = owner_client.get(reverse("research:theme_board") + "?tag=exports&tag=reporting")
    columns = board.context["columns"]
    assert [c["tag"].name for c in columns] == ["exports", "reporting"]
    assert {h.pk for h in columns[0]["cards"]} == {h1.pk, h2.pk}
    response = owner_client.post(
        reverse("research:board_move"),
        {"highlight": str(h1.uid), "from": "exports", "to": "reporting"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    assert response.json() == {"highlight": str(h1.uid), "tag": "reporting"}
    assert _names(h1) == ["reporting"]
    # Without script the card's form posts and comes back to the board.
    back = reverse("research:theme_board") + "?tag=exports&tag=reporting"
    response = owner_client.post(
        reverse("research:board_move"),
        {"highlight": str(h3.uid), "from": "reporting", "to": "exports", "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    assert _names(h3) == ["exports"]


def test_board_move_refuses_offsite_next(owner_client, tagged):
    _, (h1, *_), _ = tagged
    response = owner_client.post(
        reverse("research:board_move"),
        {"highlight": str(h1.uid), "to": "reporting", "next": "//evil.example/"},
    )
    assert response["Location"] == reverse("research:theme_board")


def test_group_board_cards_into_a_new_insight(owner_client, team, tagged):
    _, (h1, h2, h3), _ = tagged
    page = owner_client.get(
        reverse("research:insight_create") + f"?highlight={h2.uid}&highlight={h3.uid}"
    )
    assert "weekly exports" in page.content.decode()
    response = owner_client.post(
        reverse("research:insight_create"),
        {"title": "Grouped", "highlights": [str(h2.uid), str(h3.uid)], "status": "draft"},
    )
    assert response.status_code == 302
    assert set(Insight.objects.get(title="Grouped").highlights.all()) == {h2, h3}


def test_a_colour_set_elsewhere_never_reaches_a_style_attribute(owner_client, tagged):
    TeamTag.objects.filter(name="exports").update(color="red;a:b")  # e.g. through the admin
    body = owner_client.get(reverse("research:tag_list")).content.decode()
    assert "red;a:b" not in body and 'style="background:' not in body


def test_board_columns_stop_at_their_newest_cards(owner_client, team, owner, monkeypatch):
    from research.selectors import tags as selectors

    monkeypatch.setattr(selectors, "BOARD_CARDS_PER_COLUMN", 3)
    conversation, _, _ = interview(team, owner)
    made = [
        highlight_create(conversation=conversation, created_by=owner, quote=f"q{i}", tags=["x"])
        for i in range(5)
    ]
    columns = selectors.board(team=team, slugs=["x"])
    assert [h.quote for h in columns[0]["cards"]] == [h.quote for h in made[::-1][:3]]
