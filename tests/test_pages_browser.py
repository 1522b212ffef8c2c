"""The main pages in Chromium, as a new user meets them: a Content-Security-Policy that nothing
on them breaks, a phone menu that shows every section, 44 px touch targets on touch screens,
a visible focus ring (on the dark header too), focus back on a line after editing it, and no
serious or critical axe-core finding."""

from pathlib import Path

import pytest
from django.urls import reverse

from research.demo import insights as demo_insights
from research.models import Conversation, Feature, Insight, Project, TeamTag
from tests.browser_support import chromium, sign_in
from tests.builders import client_for, interview

AXE = Path(__file__).parent / "browser_vendor" / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "pw-olivia-123"

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def main_pages(team, owner) -> dict[str, str]:
    """A team with evidence (the demo's insights and features on an interview), and the pages
    a new user walks through."""
    conversation, _, person = interview(team, owner)
    notes = Conversation.objects.create(
        team=team,
        project=Project.objects.get(team=team),
        title="Site visit at the depot",
        notes="The team lead said onboarding took two full weeks. Nobody found the invite button.",
    )
    demo_insights.seed(team=team, users=[owner], conversations=[conversation, notes])
    insight = Insight.objects.filter(team=team).first()
    feature = Feature.objects.filter(team=team).first()
    tags = list(TeamTag.objects.filter(team=team).order_by("name")[:2])
    board = "&".join(f"tag={t.slug}" for t in tags)
    return {
        "dashboard": "/",
        "conversations": reverse("research:conversation_list"),
        "conversation": conversation.get_absolute_url(),
        "site visit": reverse("research:site_visit"),
        "search": reverse("research:search") + "?q=excel",
        "insights": reverse("research:insight_list"),
        "insight": insight.get_absolute_url(),
        "features": reverse("research:feature_list"),
        "feature": feature.get_absolute_url(),
        "themes": reverse("research:tag_list"),
        "projects": reverse("research:project_list"),
        "people": reverse("research:person_list"),
        "person": person.get_absolute_url(),
        "organizations": reverse("research:organization_list"),
        "team": reverse("research:team_members"),
        "tag": tags[0].get_absolute_url(),
        "theme board": reverse("research:theme_board") + f"?{board}",
        "new highlight": reverse("research:highlight_create", args=[conversation.uid]),
        "edit conversation": reverse("research:conversation_edit", args=[conversation.uid]),
        "new feature": reverse("research:feature_create") + f"?for_insight={insight.uid}",
        "missing": "/conversations/no-such-page/",
    }


@pytest.mark.django_db
def test_every_response_carries_the_policy_and_signed_in_pages_are_not_stored(owner, team):
    pages = main_pages(team, owner)
    client = client_for(owner)
    for name, path in pages.items():
        response = client.get(path)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "style-src 'self';" in policy, name
        assert "frame-ancestors 'none'" in policy, name
        assert response["Cache-Control"] == "private, no-store", name
        body = response.content.decode()
        # Nothing inline that the policy would block.
        assert "style=" not in body and "<style" not in body, name
        assert "<script>" not in body and "<script " not in body.replace("<script src=", ""), name
    anonymous = client_for(owner).__class__().get(reverse("login"))
    assert "default-src 'self'" in anonymous["Content-Security-Policy"]


@pytest.mark.django_db
def test_favicon_is_served(client):
    response = client.get("/favicon.ico", follow=True)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"


@pytest.fixture
def walk(live_server, owner, team):
    pages = main_pages(team, owner)

    def open_page(page, name):
        page.goto(live_server.url + pages[name])
        page.wait_for_load_state("load")

    open_page.pages = pages
    open_page.url = live_server.url
    return open_page


@pytest.mark.django_db(transaction=True)
def test_no_page_breaks_the_content_security_policy(walk):
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        problems = []
        page.on(
            "console",
            lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
        )
        page.on("pageerror", lambda e: problems.append(str(e)))
        sign_in(page, walk.url, "olivia", PASSWORD)
        for name in walk.pages:
            walk(page, name)
        assert problems == []
        # The scripts ran: the transcript's words marked, a tag's colour from data-colour.
        walk(page, "conversation")
        assert page.locator(".w.marked").count() > 0
        # The stylesheets did what the inline styles did, and what was missing: the speaker
        # names' inputs look like the other fields, the insight list's card has padding.
        page.locator("details.speakers summary").click()
        field = page.locator("details.speakers input[name=name]").first
        assert field.evaluate("e => getComputedStyle(e).borderTopLeftRadius") == "6px"
        walk(page, "insights")
        padding = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('ul.plain.card')).paddingLeft)"
        )
        assert padding >= 16


@pytest.mark.django_db(transaction=True)
def test_the_phone_menu_shows_every_section_without_sideways_scroll(walk):
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 375, "height": 800}, has_touch=True)
        sign_in(page, walk.url, "olivia", PASSWORD)
        for name in ("dashboard", "conversation", "search", "feature", "missing"):
            walk(page, name)
            assert page.evaluate("document.documentElement.scrollWidth") <= 375, name
        nav = page.locator("#main-nav")
        assert not nav.is_visible()
        page.click("[data-menu-button]")
        for section in ("Conversations", "Projects", "People", "Organizations", "Team"):
            assert nav.get_by_role("link", name=section, exact=True).is_visible(), section
        assert "Signed in as olivia in Acme Research" in nav.inner_text()
        assert nav.get_by_role("button", name="Sign out").is_visible()
        # A vertical list: each section below the one before.
        tops = [
            nav.get_by_role("link", name=s, exact=True).bounding_box()["y"]
            for s in ("Projects", "People", "Organizations")
        ]
        assert tops == sorted(tops) and len(set(tops)) == 3
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.keyboard.press("Escape")
        assert not nav.is_visible()


TARGETS = (
    "button, .btn, summary, select, a.play, .pager a, header.top a, nav a, "
    "input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file])"
)
MEASURE = """(selector) => {
  const small = [];
  const seen = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  const check = (el, label) => {
    const r = el.getBoundingClientRect();
    if (r.width < 43.5 || r.height < 43.5) {
      small.push(`${label} ${Math.round(r.width)}x${Math.round(r.height)}`);
    }
  };
  document.querySelectorAll(selector).forEach((el) => {
    if (seen(el)) check(el, (el.textContent || el.name || el.tagName).trim().slice(0, 30));
  });
  document.querySelectorAll('input[type=checkbox], input[type=radio]').forEach((el) => {
    const label = el.closest('label');
    if (label && seen(label)) check(label, 'label of ' + el.name);
  });
  return small;
}"""


@pytest.mark.django_db(transaction=True)
def test_touch_targets_are_at_least_44_px_on_a_phone(walk):
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 375, "height": 800}, has_touch=True)
        sign_in(page, walk.url, "olivia", PASSWORD)
        assert page.evaluate("matchMedia('(pointer: coarse)').matches")
        small = {}
        for name in walk.pages:
            walk(page, name)
            page.click("[data-menu-button]")  # the sections are targets too
            found = page.evaluate(MEASURE, TARGETS)
            if found:
                small[name] = found
        assert small == {}, "\n".join(f"{k}: {v}" for k, v in small.items())


@pytest.mark.django_db(transaction=True)
def test_focus_ring_shows_on_the_dark_header_and_returns_to_an_edited_line(walk):
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        sign_in(page, walk.url, "olivia", PASSWORD)
        walk(page, "conversation")
        page.keyboard.press("Tab")  # the skip link
        page.keyboard.press("Tab")  # the brand, on the dark header
        assert page.evaluate("document.activeElement.className") == "brand"
        ring = page.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement);"
            " return [s.outlineStyle, s.outlineColor, s.outlineWidth]; })()"
        )
        assert ring == ["solid", "rgb(255, 255, 255)", "3px"]

        edit = page.locator('.line[data-segment="1"] [data-edit]')
        edit.focus()
        page.keyboard.press("Enter")
        area = page.locator('.line[data-segment="1"] textarea')
        area.fill("What do you do with the weekly export?")
        area.press("Enter")
        page.locator('.line[data-segment="1"] .edited').wait_for()
        assert (
            page.evaluate(
                "document.activeElement.closest('.line') &&"
                " document.activeElement.closest('.line').dataset.segment"
            )
            == "1"
        )
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline == "solid"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [375, 1280])
def test_axe_finds_nothing_serious_on_the_main_pages(walk, width):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run scripts/browser-vendor.sh (make test does)")
    source = AXE.read_text()
    with chromium() as browser:
        page = browser.new_page(viewport={"width": width, "height": 900}, has_touch=width < 400)
        sign_in(page, walk.url, "olivia", PASSWORD)
        found = {}
        for name in walk.pages:
            walk(page, name)
            # evaluate() runs beside the page's policy: axe is served from the test's disk.
            page.evaluate(source)
            checked, violations = page.evaluate(
                "async () => { const r = await axe.run(document); return [r.passes.length,"
                " r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')"
                ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' '))"
                ".join(' | '))]; }"
            )
            assert checked > 10, name  # axe really looked at the page
            if violations:
                found[name] = violations
        assert found == {}
