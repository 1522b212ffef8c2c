"""In Chromium: select transcript words, make a tagged highlight, make an insight from it, link
the insight to a feature as validating, and see the quote and the counts on the feature page."""

import os

import pytest
from django.conf import settings
from django.test import Client

from research.models import Highlight, Insight, InsightFeatureLink
from research.services.features import feature_create
from tests.builders import interview

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
QUOTE = "I rebuild the same pivot table for my manager."

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs /usr/bin/chromium"),
]


@pytest.fixture
def signed_in_cookie(owner):
    client = Client()
    client.force_login(owner)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.mark.django_db(transaction=True)
def test_from_transcript_selection_to_feature_evidence(
    live_server, team, owner, signed_in_cookie, monkeypatch
):
    from playwright.sync_api import expect, sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM work here is not async.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    conversation, transcript, _ = interview(team, owner)
    feature = feature_create(team=team, name="Scheduled reports")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        host = live_server.url.split("//", 1)[1].split(":")[0]
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": signed_in_cookie,
                    "domain": host,
                    "path": "/",
                }
            ]  # fmt: skip
        )
        page = context.new_page()
        page.goto(live_server.url + conversation.get_absolute_url())

        # Drag across the words of the third line, as a reader would.
        words = page.locator('.line[data-segment="2"] .w')
        first, last = words.first.bounding_box(), words.last.bounding_box()
        page.mouse.move(first["x"] + 1, first["y"] + first["height"] / 2)
        page.mouse.down()
        page.mouse.move(last["x"] + last["width"] - 1, last["y"] + last["height"] / 2, steps=8)
        page.mouse.up()
        form = page.locator("[data-highlight-form]")
        expect(form.locator("[name=quote]")).to_have_value(QUOTE)
        expect(form.locator("[name=start]")).to_have_value("20.00")
        expect(form.locator("[name=end]")).to_have_value("29.50")
        expect(form.locator("[data-readout]")).to_contain_text("From 0:20 to 0:29 · Ana")

        form.locator("[name=tags]").fill("reporting")
        form.locator("[name=comment]").fill("Every Monday")
        form.get_by_role("button", name="Save highlight").click()
        item = page.locator("li.hl", has_text=QUOTE)
        expect(item).to_be_visible()
        expect(item.locator(".tag")).to_have_text("reporting")
        expect(item).to_have_class("hl focus")
        expect(page.locator(".line.here")).to_have_attribute("data-segment", "2")

        item.get_by_role("link", name="Make insight").click()
        expect(page.locator("blockquote")).to_contain_text(QUOTE)
        page.get_by_label("Title").fill("Managers want the same report every week")
        page.get_by_label("Status").select_option("published")
        page.get_by_role("button", name="Create insight").click()
        expect(page.locator("h1")).to_have_text("Managers want the same report every week")

        link_form = page.locator("#link-form")
        link_form.get_by_label("Feature").select_option(label="Scheduled reports")
        link_form.get_by_label("Stance").select_option("validates")
        link_form.get_by_label("Weight").select_option("critical")
        link_form.get_by_label("One-line note").fill("Saves an hour a week")
        link_form.get_by_role("button", name="Link").click()
        page.locator("#features").get_by_role("link", name="Scheduled reports").click()

        expect(page.locator("h1")).to_have_text("Scheduled reports")
        validating = page.locator("#validating")
        expect(validating.locator("blockquote")).to_have_text(QUOTE)
        expect(validating.locator(".play")).to_have_attribute("data-clip-start", "20.00")
        figures = page.locator("section.for .figures")
        expect(figures).to_contain_text("1 highlight")
        expect(figures).to_contain_text("1 person")
        expect(figures).to_contain_text("1 organization")
        expect(page.locator("section.against .figures")).to_contain_text("0 highlights")
        expect(page.locator("text=Some evidence contradicts")).to_have_count(0)
        browser.close()

    highlight = Highlight.objects.get(team=team)
    assert (highlight.quote, highlight.start, highlight.end) == (QUOTE, 20.0, 29.5)
    assert highlight.speaker == "Ana" and [t.name for t in highlight.tags.all()] == ["reporting"]
    insight = Insight.objects.get(team=team)
    assert list(insight.highlights.all()) == [highlight]
    link = InsightFeatureLink.objects.get(feature=feature)
    assert (link.insight, link.stance, link.weight) == (insight, "validates", "critical")


@pytest.mark.django_db(transaction=True)
def test_theme_board_drag_retags_and_picked_cards_become_an_insight(
    live_server, team, owner, signed_in_cookie, monkeypatch
):
    from playwright.sync_api import expect, sync_playwright

    from research.services.highlights import highlight_create

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    conversation, _, _ = interview(team, owner)
    first = highlight_create(
        conversation=conversation, created_by=owner, quote="weekly exports", tags=["exports"]
    )
    second = highlight_create(
        conversation=conversation, created_by=owner, quote="pivot table", tags=["reporting"]
    )

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        host = live_server.url.split("//", 1)[1].split(":")[0]
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": signed_in_cookie,
                    "domain": host,
                    "path": "/",
                }
            ]  # fmt: skip
        )
        page = context.new_page()
        page.goto(f"{live_server.url}/themes/board/?tag=exports&tag=reporting")
        exports = page.locator('[data-column="exports"]')
        reporting = page.locator('[data-column="reporting"]')
        card = exports.locator(f'[data-card="{first.uid}"]')
        with page.expect_response("**/themes/board/move/") as moved:
            card.drag_to(reporting.locator(".cards"))
        assert moved.value.status == 200
        expect(reporting.locator(f'[data-card="{first.uid}"]')).to_be_visible()
        expect(exports.locator("[data-card]")).to_have_count(0)
        expect(reporting.locator("[data-count]")).to_have_text("2")
        # The moved card's own Move menu now offers the column it left.
        moved_card = reporting.locator(f'[data-card="{first.uid}"]')
        expect(moved_card.locator("select[name=to] option")).to_have_text(["→ exports"])

        for uid in (first.uid, second.uid):
            reporting.locator(f'[data-card="{uid}"]').get_by_label("pick for an insight").check()
        expect(page.locator("[data-picked-count]")).to_have_text("2 picked:")
        page.get_by_role("button", name="Group into a new insight").click()
        expect(page.locator("blockquote")).to_have_count(2)
        page.get_by_label("Title").fill("Reports are rebuilt by hand")
        page.get_by_role("button", name="Create insight").click()
        expect(page.locator("h1")).to_have_text("Reports are rebuilt by hand")
        browser.close()

    assert [t.name for t in first.tags.all()] == ["reporting"]
    insight = Insight.objects.get(title="Reports are rebuilt by hand")
    assert set(insight.highlights.all()) == {first, second}


@pytest.mark.django_db(transaction=True)
def test_a_hand_edited_line_is_selected_as_one_piece(
    live_server, team, owner, signed_in_cookie, monkeypatch
):
    """Once a line is edited, its word timings no longer spell it: the line is one selectable
    piece, and a selection in it quotes its words with the line's time range."""
    from playwright.sync_api import expect, sync_playwright

    from research.services.transcripts import segment_edit

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    conversation, transcript, _ = interview(team, owner)
    edited = "I rebuild the same pivot table for my boss."
    segment_edit(segment=transcript.segments.get(index=2), text=edited, user=owner)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        host = live_server.url.split("//", 1)[1].split(":")[0]
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": signed_in_cookie,
                    "domain": host,
                    "path": "/",
                }
            ]  # fmt: skip
        )
        page = context.new_page()
        page.goto(live_server.url + conversation.get_absolute_url())
        # One transcript on the page, the recording's own: nothing shown twice.
        expect(page.locator(".transcript[data-transcript]")).to_have_count(1)
        line = page.locator('.line[data-segment="2"]')
        expect(line.locator(".w")).to_have_count(1)
        text = line.locator("[data-text]")
        box = text.bounding_box()
        page.mouse.move(box["x"] + 1, box["y"] + box["height"] / 2)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] - 1, box["y"] + box["height"] / 2, steps=6)
        page.mouse.up()
        form = page.locator("[data-highlight-form]")
        expect(form.locator("[name=quote]")).to_have_value(edited)
        expect(form.locator("[name=start]")).to_have_value("20.00")
        expect(form.locator("[name=end]")).to_have_value("29.50")
        expect(form.locator("[data-readout]")).to_contain_text("· Ana")
        form.get_by_role("button", name="Save highlight").click()
        expect(page.locator("li.hl", has_text=edited)).to_be_visible()
        expect(page.locator(".w.marked")).to_have_count(1)
        expect(page.locator(".w.marked")).to_have_text(edited)
        browser.close()

    highlight = Highlight.objects.get(team=team)
    assert (highlight.start, highlight.end, highlight.transcript) == (20.0, 29.5, transcript)
