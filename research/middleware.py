from .models import Membership

SESSION_TEAM_KEY = "fieldnotes_team_id"


class CurrentTeamMiddleware:
    """Puts the signed-in user's current team and membership on the request (or None)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = None
        request.team = None
        if request.user.is_authenticated:
            memberships = Membership.objects.select_related("team").filter(user=request.user)
            wanted = request.session.get(SESSION_TEAM_KEY)
            membership = None
            if wanted:
                membership = memberships.filter(team_id=wanted).first()
            if membership is None:
                membership = memberships.order_by("created_at", "id").first()
            if membership is not None:
                request.membership = membership
                request.team = membership.team
        return self.get_response(request)
