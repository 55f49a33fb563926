"""Extractor speed against trafilatura's own extraction, on the same pages.

Pages are built from the labelled dev set (tests/data/labelled.jsonl) in the sample site's
page template (navigation, sidebar, comments, footer), five paragraphs a page. The
extractors alone are timed on the dev-set text repeated to at least --mb megabytes; then
trafilatura (as the pipeline calls it) and the extractors are timed page by page on the
same --pages pages, and the ratio of the two is printed.

    .venv/bin/python bench/bench_extractors.py [--mb 5] [--pages 400]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import trafilatura

from core.topic import default_topic_path, load_topic
from drainwatch.sample_site import SiteArticle, render_article
from extractors.cues import Cues
from extractors.figures import extract_figures
from extractors.sentences import split_sentences

ROOT = Path(__file__).resolve().parent.parent


def dev_paragraphs() -> list[str]:
    lines = (ROOT / "tests" / "data" / "labelled.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(x)["text"] for x in lines if x.strip()]


def pages(paragraphs: list[str], n: int) -> list[bytes]:
    out = []
    for i in range(n):
        chunk = tuple(paragraphs[(i * 5 + k) % len(paragraphs)] for k in range(5))
        a = SiteArticle("bench", "Bench Herald", "en", f"p{i}", f"Page {i}", "Desk", "2025-01-01", chunk, False, False)
        out.append(render_article(a, "http://127.0.0.1", []).encode("utf-8"))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=5.0, help="MB of text for the extractor-only figure")
    ap.add_argument("--pages", type=int, default=400, help="pages for the side-by-side figure")
    args = ap.parse_args()
    cues = Cues.from_mapping(load_topic(default_topic_path()).cue_words)
    paras = dev_paragraphs()

    block = "\n".join(paras)
    text_parts, size = [], 0
    while size < args.mb * 1_000_000:
        text_parts.append(block)
        size += len(block.encode("utf-8"))
    docs = [p for p in text_parts]
    n_sent = sum(len(split_sentences(d)) for d in docs)
    t0 = time.perf_counter()
    n_fig = sum(len(extract_figures(d, cues).figures) for d in docs)
    t_ext = time.perf_counter() - t0

    html = pages(paras, args.pages)
    t0 = time.perf_counter()
    texts = []
    for body in html:
        doc = trafilatura.bare_extraction(
            body, url="http://127.0.0.1/x", with_metadata=True, include_comments=False, include_tables=True
        )
        texts.append((doc.text or "") if isinstance(doc, trafilatura.settings.Document) else "")
    t_traf = time.perf_counter() - t0
    t0 = time.perf_counter()
    for t in texts:
        extract_figures(t, cues)
    t_fig = time.perf_counter() - t0

    print(f"extractors alone: {size / 1e6:.1f} MB, {n_sent} sentences, {n_fig} figures in {t_ext:.2f} s")
    print(f"  {n_sent / t_ext:,.0f} sentences/s, {size / 1e6 / t_ext:.2f} MB/s")
    print(
        f"same {len(html)} pages: trafilatura {1000 * t_traf / len(html):.2f} ms/page, "
        f"extractors {1000 * t_fig / len(html):.2f} ms/page"
    )
    print(f"extractor_vs_trafilatura={t_fig / t_traf:.3f}  (target < 0.25)")


if __name__ == "__main__":
    main()
