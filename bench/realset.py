"""Build the real-article evaluation set from labellers' files.

The set is real published articles, labelled by hand per FIGURES.md. Their text is not ours to
redistribute, so the repository keeps only facts: each article's URL, outlet, language, date,
part (dev or test) and the SHA-256 of the text as labelled (tests/data/realset/articles.jsonl),
and each figure's fields with the character offsets of its quote in that text
(tests/data/realset/gold.jsonl). The texts live in a local folder ($DRAINWATCH_REALSET, default
~/.cache/drainwatch/realset/texts/<id>.txt); the hash proves a text is the one labelled.

    python bench/realset.py build LABEL_DIR   # manifest-*.jsonl, gold-*.jsonl, texts/ -> tests/data/realset
    python bench/realset.py add LABEL_DIR     # append a later batch, keeping each article's own `part`

`build` splits a whole set: every third article of each language group and kind is held back.
`add` appends articles labelled later (e.g. a batch found only to be held back, `"part": "test"`
in its manifest) without moving any article already in the set from one part to the other.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "realset"

# One spelling per speaker across labellers and languages (the labels' canonical form).
SAME_SPEAKER = {
    "Sergej Plugotarenko": "Sergei Plugotarenko",
    "Sergey Plugotarenko": "Sergei Plugotarenko",
    "Сергей Плуготаренко": "Sergei Plugotarenko",
    "Руссофт": "Russoft",
    "Йоханнес Вахс": "Johannes Wachs",
    "Washington Post": "The Washington Post",
    "Служба внешней разведки Украины": "Foreign Intelligence Service of Ukraine",
    "Служба зовнішньої розвідки України": "Foreign Intelligence Service of Ukraine",
    "Forbes Russia": "Forbes",
    "Russian government": "government estimate",
}


def _group(lang: str) -> str:
    return lang if lang in ("en", "ru") else "other"


def _read(label_dir: Path) -> tuple[list[dict], list[dict]]:
    articles = [
        json.loads(x)
        for f in sorted(label_dir.glob("manifest-*.jsonl"))
        for x in f.read_text().splitlines()
        if x.strip()
    ]
    gold = [
        json.loads(x) for f in sorted(label_dir.glob("gold-*.jsonl")) for x in f.read_text().splitlines() if x.strip()
    ]
    return articles, gold


def _rows(label_dir: Path, articles: list[dict], gold: list[dict]) -> tuple[list[dict], list[dict]]:
    """Facts only: the text becomes its length and hash, each quote its offsets in the text."""
    rows = []
    for a in sorted(articles, key=lambda a: a["id"]):
        if a.get("part") not in ("dev", "test"):
            raise SystemExit(f"{a['id']}: part must be 'dev' or 'test', not {a.get('part')!r}")
        text = (label_dir / "texts" / f"{a['id']}.txt").read_text(encoding="utf-8")
        rows.append(
            {k: a.get(k) for k in ("id", "part", "kind", "language", "outlet", "url", "date")}
            | {"chars": len(text), "sha256": hashlib.sha256(text.encode()).hexdigest()}
        )
    out_gold = []
    for g in gold:
        text = (label_dir / "texts" / f"{g['article']}.txt").read_text(encoding="utf-8")
        start = text.find(g["quote"])
        if start < 0:
            raise SystemExit(f"{g['article']}: quote not in text: {g['quote'][:60]}")
        speaker = SAME_SPEAKER.get(g["speaker"], g["speaker"]) if g.get("speaker") else None
        out_gold.append(
            {k: g.get(k) for k in ("article", "metric", "value", "low", "high", "qualifier", "unit")}
            | {"speaker": speaker, "period": g.get("period"), "start": start, "end": start + len(g["quote"])}
        )
    return rows, out_gold


def _write(name: str, rows: list[dict], mode: str = "w") -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / name).open(mode, encoding="utf-8") as f:
        f.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))


def build(label_dir: Path) -> None:
    articles, gold = _read(label_dir)
    # A third of each (language, kind) stratum is held back: every third article by id.
    strata: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for a in articles:
        strata[(_group(a["language"]), a["kind"])].append(a)
    for group in strata.values():
        for i, a in enumerate(sorted(group, key=lambda a: a["id"])):
            a["part"] = "test" if i % 3 == 2 else "dev"
    rows, out_gold = _rows(label_dir, articles, gold)
    _write("articles.jsonl", rows)
    _write("gold.jsonl", out_gold)
    print(
        f"{len(rows)} articles ({sum(r['part'] == 'test' for r in rows)} held back), {len(out_gold)} gold figures -> {OUT}"
    )


def add(label_dir: Path) -> None:
    articles, gold = _read(label_dir)
    known = {json.loads(x)["id"] for x in (OUT / "articles.jsonl").read_text().splitlines() if x.strip()}
    again = sorted(known & {a["id"] for a in articles})
    if again:
        raise SystemExit(f"{label_dir}: already in the set: {', '.join(again)}")
    ids = {a["id"] for a in articles}
    stray = sorted({g["article"] for g in gold} - ids)
    if stray:
        raise SystemExit(f"{label_dir}: gold for articles not in its manifest: {', '.join(stray)}")
    rows, out_gold = _rows(label_dir, articles, gold)
    _write("articles.jsonl", rows, "a")
    _write("gold.jsonl", out_gold, "a")
    print(
        f"added {len(rows)} articles ({sum(r['part'] == 'test' for r in rows)} held back), "
        f"{len(out_gold)} gold figures -> {OUT}"
    )


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("build", "add"):
        raise SystemExit(__doc__)
    {"build": build, "add": add}[sys.argv[1]](Path(sys.argv[2]).expanduser())
