"""The figures of `make bench` (bench/run.py) judged against issue 13's targets, written as
bench/results/latest.json and as the results of docs/benchmarks.md, whose other sections (among
them "Before and after") are kept as they are. Pure functions, but for reading the machine and
writing the files; tested in learning_reviews/home/tests/test_bench_report.py."""

import json
import os
import platform
import re
import subprocess
from pathlib import Path
from typing import Any

# Issue 13's targets.
PAGE_P95_MS = 150.0
SEARCH_P95_MS = 200.0
SHARE_OF_HEALTHZ = 0.30
WORKER_RSS_MB = 200.0
DOCUMENT_SECONDS = {
    "referral_pdf": 1.0,
    "letter_docx": 0.5,
    "report_docx": 0.5,
    "action_plan_xlsx": 0.5,
}
DOCUMENT_LABELS = {
    "referral_pdf": "Referral form, PDF",
    "letter_docx": "Feedback letter, Word",
    "letter_pdf": "Feedback letter, PDF",
    "report_docx": "Review report, Word",
    "report_pdf": "Review report, PDF",
    "action_plan_xlsx": "Action plan, spreadsheet",
}
RESULTS_HEADING = "## Results of the last run"


def page_result(page: dict[str, Any], healthz_rps: float) -> dict[str, Any]:
    """One page's figures from wrk's, with its share of /healthz and whether it meets the
    targets: p95 within 150 ms (200 ms for a library search) and at least 30% of /healthz.
    A page that did not answer 200 to its person before the load has no figures and meets
    no target."""
    load = page["wrk"]
    p95_target = SEARCH_P95_MS if page.get("search") else PAGE_P95_MS
    if load is None:
        return {
            **{k: page[k] for k in ("key", "label", "url", "username", "status", "queries")},
            "p95_target_ms": p95_target,
            "meets_p95": False,
            "meets_share": False,
            "meets_targets": False,
        }
    share = load["rps"] / healthz_rps if healthz_rps else 0.0
    return {
        "key": page["key"],
        "label": page["label"],
        "url": page["url"],
        "username": page["username"],
        "status": page.get("status", 200),
        "p50_ms": round(load["p50_ms"], 1),
        "p95_ms": round(load["p95_ms"], 1),
        "p95_target_ms": p95_target,
        "rps": round(load["rps"], 1),
        "requests": load["requests"],
        "queries": page["queries"],
        "alone_ms": round(page["alone_ms"], 1) if page.get("alone_ms") is not None else None,
        "share_of_healthz": round(share, 3),
        "errors": request_errors(load),
        "meets_p95": load["p95_ms"] <= p95_target,
        "meets_share": share >= SHARE_OF_HEALTHZ,
        "meets_targets": load["p95_ms"] <= p95_target and share >= SHARE_OF_HEALTHZ,
    }


def request_errors(load: dict[str, Any]) -> int:
    """Answers other than 2xx or 3xx, and requests that failed or timed out."""
    return int(
        load["non_2xx_3xx"]
        + load["connect_errors"]
        + load["read_errors"]
        + load["write_errors"]
        + load["timeouts"]
    )


def build(
    *,
    pages: list[dict[str, Any]],
    healthz: list[dict[str, Any]],
    floor: dict[str, Any] | None = None,
    worker_rss_mb: float,
    documents: dict[str, float],
    redaction: dict[str, float],
    run: dict[str, Any],
) -> dict[str, Any]:
    """The run's result: one object per page, judged against /healthz's mean rate in the same
    run, and the run's own figures."""
    healthz_rps = sum(h["rps"] for h in healthz) / len(healthz)
    return {
        **run,
        "healthz_rps": round(healthz_rps, 1),
        "healthz": [
            {
                "rps": round(h["rps"], 1),
                "p95_ms": round(h["p95_ms"], 1),
                "errors": request_errors(h),
            }
            for h in healthz
        ],
        "pages": [page_result(page, healthz_rps) for page in pages],
        # A signed-in page doing next to nothing (bench/run.py): the most a key page can reach.
        "signed_in_floor": None
        if floor is None
        else {
            "url": floor["url"],
            "username": floor["username"],
            "p50_ms": round(floor["wrk"]["p50_ms"], 1),
            "p95_ms": round(floor["wrk"]["p95_ms"], 1),
            "rps": round(floor["wrk"]["rps"], 1),
            "share_of_healthz": round(floor["wrk"]["rps"] / healthz_rps, 3) if healthz_rps else 0,
        },
        "worker_rss_mb": round(worker_rss_mb, 1),
        "worker_rss_meets_target": worker_rss_mb <= WORKER_RSS_MB,
        "documents": {
            name: {
                "seconds": round(seconds, 3),
                "target_seconds": DOCUMENT_SECONDS.get(name),
                "meets_target": seconds <= DOCUMENT_SECONDS.get(name, float("inf")),
            }
            for name, seconds in documents.items()
        },
        "redaction_words": int(redaction["words"]),
        "redaction_words_per_second": round(redaction["words_per_second"]),
    }


def failures(result: dict[str, Any]) -> list[str]:
    """What makes the run fail (not a missed target: that is reported, not failed)."""
    found = [
        f"{page['label']} ({page['url']}): answered {page['status']} to {page['username']}, "
        "so it was not loaded"
        for page in result["pages"]
        if page["status"] != 200
    ]
    found += [
        f"{page['label']} ({page['url']}): {page['errors']} requests failed or answered other "
        "than 2xx/3xx"
        for page in result["pages"]
        if page.get("errors")
    ]
    found += [f"/healthz: {h['errors']} requests failed" for h in result["healthz"] if h["errors"]]
    return found


def _mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def results_section(result: dict[str, Any]) -> str:
    """The results of docs/benchmarks.md, from a run's result."""
    counts = result["database_counts"]
    lines = [
        RESULTS_HEADING,
        "",
        f"{result['date']}, commit `{result['commit']}`, on {result['machine']}. Database: "
        + ", ".join(f"{n:,} {name.replace('_', ' ')}" for name, n in counts.items())
        + f". Pages of {result['organisation']}, each for {result['seconds_per_page']} s at "
        f"{result['connections']} connections, against {result['web_workers']} gunicorn "
        f"workers. One-minute load average {result['load'][0]:.1f} as the run began and "
        f"{result['load'][1]:.1f} as it ended.",
        "",
        f"`/healthz`: **{result['healthz_rps']:.0f} requests/s** (mean of "
        + " and ".join(f"{h['rps']:.0f}" for h in result["healthz"])
        + ", at the start and the end).",
        "",
    ]
    floor = result.get("signed_in_floor")
    if floor:
        lines += [
            f"The signed-in floor, a page that reads next to nothing (`{floor['url']}`, the "
            f"layout, the session and the person's roles): **{floor['rps']:.0f} requests/s**, "
            f"{floor['share_of_healthz']:.0%} of `/healthz`, p50 {floor['p50_ms']:.0f} ms, "
            f"p95 {floor['p95_ms']:.0f} ms.",
            "",
        ]
    lines += [
        "| Page | p50 ms | p95 ms | p95 target | Requests/s | Share of /healthz | ≥ 30% "
        "| SQL queries | Alone ms |",
        "|---|---:|---:|:-:|---:|---:|:-:|---:|---:|",
    ]
    for page in result["pages"]:
        if page["status"] != 200:
            lines.append(
                f"| {page['label']} | — | — | ✗ answered {page['status']} | — | — | ✗ | — | — |"
            )
            continue
        lines.append(
            f"| {page['label']} | {page['p50_ms']:.0f} | {page['p95_ms']:.0f} | "
            f"{_mark(page['meets_p95'])} ≤ {page['p95_target_ms']:.0f} | {page['rps']:.1f} | "
            f"{page['share_of_healthz']:.0%} | {_mark(page['meets_share'])} | {page['queries']} | "
            + (f"{page['alone_ms']:.0f} |" if page.get("alone_ms") is not None else "— |")
        )
    met = sum(1 for page in result["pages"] if page["meets_targets"])
    lines += [
        "",
        f'{met} of {len(result["pages"])} pages meet both targets. "Alone" is the median time '
        "of one request with nothing else running (in the bench's process, before the load).",
        "",
        "| Document or figure | Measured | Target |",
        "|---|---:|:-:|",
    ]
    for name, figure in result["documents"].items():
        target = figure["target_seconds"]
        lines.append(
            f"| {DOCUMENT_LABELS.get(name, name)} | {figure['seconds']:.2f} s | "
            + (f"{_mark(figure['meets_target'])} ≤ {target:g} s |" if target else "— |")
        )
    lines += [
        f"| Largest gunicorn worker after the load (RSS) | {result['worker_rss_mb']:.0f} MB | "
        f"{_mark(result['worker_rss_meets_target'])} ≤ {WORKER_RSS_MB:.0f} MB |",
        f"| Redaction ({result['redaction_words']:,} words of briefings) | "
        f"{result['redaction_words_per_second']:,} words/s | — |",
        "",
    ]
    return "\n".join(lines)


def with_results(text: str, section: str) -> str:
    """`text` (docs/benchmarks.md) with its results section replaced by `section`, or, if it has
    none, `section` added before "Before and after" (or at the end); every other section is
    kept as it is."""
    pattern = re.compile(rf"^{re.escape(RESULTS_HEADING)}\n.*?(?=^## |\Z)", flags=re.M | re.S)
    if pattern.search(text):
        return pattern.sub(lambda _: section.rstrip("\n") + "\n\n", text, count=1).rstrip() + "\n"
    before = text.find("\n## Before and after")
    if before == -1:
        return text.rstrip("\n") + "\n\n" + section.rstrip("\n") + "\n"
    return text[: before + 1] + section.rstrip("\n") + "\n\n" + text[before + 1 :]


def write_json(result: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")


def write_doc(result: dict[str, Any], path: Path) -> None:
    path.write_text(with_results(path.read_text(), results_section(result)))


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown processor",
    )
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    os_name = platform.freedesktop_os_release().get("PRETTY_NAME", platform.system())
    return f"{os.cpu_count()} × {model}, {memory_kb // 1024**2} GB memory, {os_name}"


def commit(root: Path) -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or "unknown"
