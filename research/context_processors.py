def team(request):
    membership = getattr(request, "membership", None)
    return {
        "current_team": getattr(request, "team", None),
        "membership": membership,
        "other_memberships": [
            m for m in getattr(request, "memberships", []) if m is not membership
        ],
        "can_edit": bool(membership and membership.can_edit),
    }
