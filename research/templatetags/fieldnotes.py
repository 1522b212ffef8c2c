from django import template

from research.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str):
    return render_markdown(text)


@register.filter
def timecode(seconds) -> str:
    if seconds is None:
        return ""
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (for filters and paging)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    params.pop("page", None) if "page" not in changes else None
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.inclusion_tag("research/_tag_datalist.html", takes_context=True)
def team_tag_datalist(context):
    """The team's tag vocabulary as a <datalist> for every tag field on the page."""
    from research.models import TeamTag

    team = context.get("current_team")
    names = (
        list(TeamTag.objects.filter(team=team).order_by("name").values_list("name", flat=True))
        if team
        else []
    )
    return {"tag_names": names}
