"""Feature page at scale: one feature, 500 insights, 5,000 highlights.

Builds the data in a throwaway test database (SQLite in memory, or `test_<name>` on PostgreSQL
when DATABASE_URL is set), then renders the feature page and the feature list a few times and
prints the query counts and render times.

    .venv/bin/python benchmarks/feature_page.py [--insights 500] [--highlights 5000] [--profile]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fieldnotes.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from django.urls import reverse  # noqa: E402


def measure(client: Client, url: str, runs: int) -> tuple[int, list[float], int]:
    client.get(url)  # warm-up: sessions, template loading
    times, queries, size = [], 0, 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        queries, size = len(captured), len(response.content)
    return queries, times, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--insights", type=int, default=500)
    parser.add_argument("--highlights", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one render")
    args = parser.parse_args()

    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        from research.demo.insights import build_feature_load
        from research.services.teams import team_create

        user = get_user_model().objects.create_user("bench", "bench@example.com", "bench-pw-1")
        team = team_create(name="Benchmark team", owner=user)
        started = time.perf_counter()
        small = build_feature_load(team=team, owner=user, insights=3, highlights=12)
        feature = build_feature_load(
            team=team, owner=user, insights=args.insights, highlights=args.highlights
        )
        print(
            f"built {args.insights} insights / {args.highlights} highlights "
            f"in {time.perf_counter() - started:.1f}s on {connection.vendor}"
        )
        client = Client()
        client.force_login(user)
        for label, url in [
            ("feature page (3 insights / 12 highlights)", small.get_absolute_url()),
            (
                f"feature page ({args.insights} insights / {args.highlights} highlights)",
                feature.get_absolute_url(),
            ),
            (
                "feature page, every insight listed (?show=all)",
                feature.get_absolute_url() + "?show=all",
            ),
            ("feature list", reverse("research:feature_list")),
        ]:
            queries, times, size = measure(client, url, args.runs)
            print(
                f"{label}: {queries} queries, median {statistics.median(times):.0f} ms, "
                f"min {min(times):.0f} ms, max {max(times):.0f} ms, {size / 1024:.0f} KiB"
            )
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            client.get(feature.get_absolute_url())
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
