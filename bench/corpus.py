"""A generated corpus of realistic article pages for the benchmarks.

Pages mix paragraphs of the labelled dev set (our own sentences, four languages) with
generated filler, wrapped in heavy page furniture (navigation, link lists, scripts,
comments), from 2 KB to 200 KB. Deterministic for a given seed.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = (
    "market policy report officials said the city region company workers data survey growth year "
    "government plan budget analysts expect prices demand energy transport housing school health"
).split()


def dev_paragraphs() -> list[str]:
    lines = (ROOT / "tests" / "data" / "labelled.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(x)["text"].replace("\n", " ") for x in lines if x.strip()]


def _filler(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(25, 70))).capitalize() + "."


def make_page(i: int, rng: random.Random, paragraphs: list[str]) -> str:
    size_class = rng.choice([1, 1, 2, 2, 3, 4, 6, 10, 20, 40, 90])  # skewed towards small pages, up to ~200 KB
    body = []
    for _ in range(3 + size_class * 2):
        body.append(rng.choice(paragraphs) if rng.random() < 0.3 else _filler(rng))
    nav = "".join(f'<li><a href="/section/{k}">Section {k}</a></li>' for k in range(12 * size_class))
    related = "".join(
        f'<li><a href="/story/{i}-{k}">{_filler(rng)[:60]}</a> <span>{k * 7} comments</span></li>'
        for k in range(4 * size_class)
    )
    script = "<script>var cfg = {" + ",".join(f'"k{k}": {k}' for k in range(30 * size_class)) + "};</script>"
    lang = rng.choice(["en", "en", "ru", "de", "fr"])
    paras = "".join(f"<p>{p}</p>" for p in body)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>Story {i}</title>'
        f'<meta property="og:site_name" content="Bench Outlet {i % 7}"><link rel="canonical" href="/story/{i}.html">'
        f'<meta property="article:published_time" content="2025-{1 + i % 12:02d}-{1 + i % 28:02d}T08:00:00Z">{script}</head>'
        f"<body><header><nav><ul>{nav}</ul></nav></header><main><article><h1>Story {i}</h1>"
        f'<div class="byline">By Desk {i % 13}</div>{paras}</article><aside><ol>{related}</ol></aside>'
        f'<section class="comments"><h3>{i % 40} Comment(s)</h3></section></main>'
        f"<footer>{'<p>About us · Contact · Privacy · Terms</p>' * size_class}</footer></body></html>"
    )


def write_corpus(folder: Path, n: int, seed: int = 7) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    rng, paragraphs = random.Random(seed), dev_paragraphs()
    paths = []
    for i in range(n):
        p = folder / f"story-{i}.html"
        if not p.exists():
            p.write_text(make_page(i, rng, paragraphs), encoding="utf-8")
        else:
            make_page(i, rng, paragraphs)  # keep the generator in step
        paths.append(p)
    return paths
