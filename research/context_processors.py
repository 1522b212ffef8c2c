def team(request):
    membership = getattr(request, "membership", None)
    return {
        "current_team": getattr(request, "team", None),
        "membership": membership,
        "can_edit": bool(membership and membership.can_edit),
    }
