"""Capture offline: the service worker and the web app manifest, served by the app itself.

The worker is served at /sw.js (a view, not a static file) so that its scope is the whole
site; it lists the offline shell (the site-visit page and its scripts) by their real static
URLs. Both are public: they hold no team data, and a browser fetches the manifest without
cookies.
"""

from __future__ import annotations

import hashlib
import json

from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

# Bump when the worker's own logic changes; the shell's URLs change the script by themselves.
WORKER_VERSION = "1"
SHELL_STATIC = [
    "fieldnotes/app.css",
    "fieldnotes/recorder.css",
    "fieldnotes/capture.js",
    "fieldnotes/recorder.js",
    "fieldnotes/visits.js",
    "fieldnotes/tags.js",
    "fieldnotes/confirm.js",
    "fieldnotes/icon.svg",
]


def offline_shell() -> list[str]:
    return [reverse("research:site_visit"), *(static(name) for name in SHELL_STATIC)]


@require_GET
def service_worker(request):
    shell = json.dumps(offline_shell())
    # A new static file (a new hashed name) makes a new cache; the old one is dropped.
    version = f"{WORKER_VERSION}-{hashlib.sha256(shell.encode()).hexdigest()[:10]}"
    context = {"version": version, "shell_json": shell}
    response = render(
        request, "research/capture_service_worker.js", context, content_type="text/javascript"
    )
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def manifest(request):
    data = {
        "name": "Fieldnotes",
        "short_name": "Fieldnotes",
        "start_url": reverse("research:site_visit"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#f6f7f9",
        "theme_color": "#1d2330",
        "icons": [{"src": static("fieldnotes/icon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    return JsonResponse(data, content_type="application/manifest+json")
