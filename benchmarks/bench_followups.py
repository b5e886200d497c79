"""Generation and follow-up benchmark.

    python benchmarks/bench_followups.py --offline-only [--count 1000]

Offline part (the issue's bar: 1,000 generations from cached pages in under 10 s): the 66
homepages of tests/data/homepages are parsed once (`ai.homepage.parse_homepage`); a stub
researcher hands out those results, so the figure is the rest of the pipeline end to end:
category (the offline classifier), angle (the learning loop, rebuilt from stored outcomes
when they change), framework, the offline writer, validation, and storing contact, message
and events in a fresh SQLite file (WAL), each store call in a thread as in the app. Every
generation is a new domain, so each one also creates its contact.

Then 1,000 follow-ups on those contacts (marked sent 5 days ago), through the bulk runner at
the default concurrency (4), written from the research stored with each first message.

The part against a fake Claude API (200 follow-ups, 300 ms answers, concurrency 8) comes
with the Claude client.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from leadletter_tui.ai.homepage import parse_homepage  # noqa: E402
from leadletter_tui.ai.offline.adapters import offline_ai  # noqa: E402
from leadletter_tui.config import Paths, Settings  # noqa: E402
from leadletter_tui.services import open_services  # noqa: E402
from leadletter_tui.services.followups import FollowUpService  # noqa: E402
from leadletter_tui.services.generation import GenerationService  # noqa: E402

PAGES = ROOT / "tests" / "data" / "homepages"


class CachedResearcher:
    """Parsed pages handed out in turn, relabelled with the domain asked for."""

    def __init__(self, pages) -> None:
        self.pages = pages
        self.i = 0

    async def research(self, domain, url=None):
        page = self.pages[self.i % len(self.pages)]
        self.i += 1
        return dataclasses.replace(page, domain=domain, url=url or f"https://{domain}/")


def load_pages():
    pages = []
    for path in sorted(PAGES.glob("*.html")):
        domain = path.stem + ".example"
        pages.append(parse_homepage(path.read_bytes(), domain=domain, url=f"https://{domain}/",
                                    content_type="text/html"))
    return pages


async def run_offline(count: int, tmp: Path) -> None:
    started = time.perf_counter()
    pages = load_pages()
    parse_s = time.perf_counter() - started
    settings = Settings(now="2026-11-25T10:00:00", sender_name="Sam Reed",
                        sender_offer="I build booking pages for small businesses.",
                        sender_signature="Sam Reed\nNorth Studio")
    svc = open_services(settings, Paths(tmp, tmp, tmp), str(tmp / "bench.db"))
    ai = dataclasses.replace(offline_ai(seed=1), researcher=CachedResearcher(pages))
    gen = GenerationService(svc.store, settings, ai_factory=lambda _o: ai, seed=1)

    started = time.perf_counter()
    for i in range(count):
        await gen.generate(f"business{i:05d}.example")
    gen_s = time.perf_counter() - started
    print(f"parsed {len(pages)} cached homepages once in {parse_s:.2f} s")
    print(f"offline: {count:,} generations (new contacts) in {gen_s:.2f} s "
          f"({count / gen_s:,.0f}/s, {gen_s / count * 1000:.1f} ms each; bar: under 10 s)")

    svc.store.db.execute_sql("UPDATE contact SET status = 'sent', "
                             "last_sent_at = '2026-11-20 09:00:00'")
    fu = FollowUpService(gen)
    started = time.perf_counter()
    result = await fu.run()
    fu_s = time.perf_counter() - started
    print(f"offline: {len(result.generated):,} follow-ups (bulk, concurrency "
          f"{settings.follow_up_concurrency}) in {fu_s:.2f} s, {len(result.failed)} failed")
    svc.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offline-only", action="store_true",
                        help="Only the offline part (the fake-API part is not written yet).")
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    if not args.offline_only:
        print("only --offline-only exists so far; running it", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run_offline(args.count, Path(tmp)))


if __name__ == "__main__":
    main()
