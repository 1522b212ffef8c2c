from functools import partial

from django.conf import settings

from research.selectors.tags import tag_names


def team(request):
    membership = getattr(request, "membership", None)
    current = getattr(request, "team", None)
    return {
        "current_team": current,
        "membership": membership,
        "other_memberships": [
            m for m in getattr(request, "memberships", []) if m is not membership
        ],
        "can_edit": bool(membership and membership.can_edit),
        # Called (one query) only by a page that shows a tag field's suggestions.
        "team_tag_names": partial(tag_names, team=current) if current else list,
        # The recorder stops by itself ahead of these.
        "capture_max_bytes": settings.FIELDNOTES_MAX_UPLOAD_BYTES,
        "capture_max_seconds": settings.FIELDNOTES_MAX_DURATION_SECONDS,
    }
