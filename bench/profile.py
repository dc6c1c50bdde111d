"""Where a key page spends its time: pyinstrument over a few requests to it, in this process,
under the settings and on the database `make bench` uses (bench/run.py).

    BENCH_DATABASE_URL=postgres://… .venv/bin/python bench/profile.py referral_history [key …]

Prints, for each page, the functions it spends most of its own time in, or with --tree the call
tree (the keys are those of learning_reviews/home/key_pages.py).
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("keys", nargs="+", help="key pages to profile")
    parser.add_argument("--requests", type=int, default=5, help="requests profiled per page")
    parser.add_argument("--tree", action="store_true", help="the call tree, not the flat list")
    parser.add_argument("--top", type=int, default=25, help="lines of the flat list")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", run.DEFAULT_DATABASE)
    run.check_database(url)
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as tmp:
        os.environ.update(run.production_environment(url, Path(tmp)))
        import django

        django.setup()
        from django.core.management import call_command

        # As make bench does: without the static files' manifest every page fails before it
        # renders, and the profile would leave rendering out.
        call_command("collectstatic", "--no-input", verbosity=0)
        from pyinstrument import Profiler

        from learning_reviews.home.key_pages import key_pages

        pages = {p.key: p for p in key_pages(run.organisation_to_bench())}
        unknown = [key for key in args.keys if key not in pages]
        if unknown:
            sys.exit(f"bench: no key page {', '.join(unknown)}; there are {', '.join(pages)}")
        clients = run.sign_in({pages[key].username for key in args.keys})
        for key in args.keys:
            page, client = pages[key], clients[pages[key].username]
            client.get(page.url, secure=True)  # warm
            profiler = Profiler(interval=0.0005)
            with profiler:
                for _ in range(args.requests):
                    client.get(page.url, secure=True)
            print(f"\n=== {page.label} ({page.url}), {args.requests} requests")
            if args.tree:
                print(profiler.output_text(unicode=True))
            else:
                # Time spent in each function itself, across the whole request, largest first.
                text = profiler.output_text(unicode=True, flat=True, time="percent_of_total")
                print("\n".join(text.splitlines()[: args.top + 6]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
