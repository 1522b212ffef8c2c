"""How a view answers a script (JSON) or a page, with one error shape for each."""

from django.http import HttpRequest, JsonResponse


def wants_json(request: HttpRequest) -> bool:
    """The page's scripts ask for JSON; forms posted without script get pages."""
    return "application/json" in request.headers.get("Accept", "")


def json_error(message: str, status: int, **extra) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)
