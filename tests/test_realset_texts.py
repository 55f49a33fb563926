"""Where `drainwatch eval --realset` finds the real articles' texts: the verified folder first
(hash checked), then the sibling `<name>-unverified` folder, said on stderr. The tiny set here is
written for the test; it is not a real article."""

from __future__ import annotations

import hashlib
import json

import pytest
from click.testing import CliRunner

from core.errors import ConfigError
from drainwatch.cli import main
from drainwatch.evaluate import read_manifest, realset_text

from .conftest import TOPIC

ONE = "Officials in Moscow said that 100,000 IT specialists left Russia in 2022."
TWO = "A trade group reported that 50,000 IT specialists left Russia last year, and few came back."


@pytest.fixture
def realset(tmp_path):
    folder, texts = tmp_path / "set", tmp_path / "texts"
    folder.mkdir()
    texts.mkdir()
    (tmp_path / "texts-unverified").mkdir()
    rows = [("a1", ONE), ("a2", TWO)]
    (folder / "articles.jsonl").write_text(
        "".join(
            json.dumps(
                {
                    "id": i,
                    "part": "dev",
                    "kind": "on_topic",
                    "language": "en",
                    "url": f"http://127.0.0.1/{i}",
                    "sha256": hashlib.sha256(t.encode()).hexdigest(),
                }
            )
            + "\n"
            for i, t in rows
        )
    )
    gold = [("a1", 100000, ONE.index("100,000")), ("a2", 50000, TWO.index("50,000"))]
    (folder / "gold.jsonl").write_text(
        "".join(
            json.dumps({"article": a, "metric": "it_emigrants", "unit": "people", "value": v, "start": s, "end": s + 7})
            + "\n"
            for a, v, s in gold
        )
    )
    (texts / "a1.txt").write_text(ONE)
    return folder, texts


def test_a_missing_text_is_taken_unverified_and_said_on_stderr(realset):
    folder, texts = realset
    # A slightly different copy of the second article: still scores on metric, unit and value.
    (texts.parent / "texts-unverified" / "a2.txt").write_text("Intro line.\n" + TWO)
    result = CliRunner().invoke(main, ["eval", "--realset", str(folder), "--texts", str(texts), "--topic", str(TOPIC)])
    assert result.exit_code == 0, result.output
    assert "1 texts unverified" in result.stderr and "a2" in result.stderr
    assert "unverified" not in result.stdout
    overall = next(line for line in result.stdout.splitlines() if line.startswith("overall"))
    assert overall.split()[1:4] == ["1.000", "1.000", "1.000"]


def test_verified_text_wins_and_wrong_hash_there_is_an_error(realset):
    folder, texts = realset
    article = read_manifest(folder / "articles.jsonl")[0]
    (texts.parent / "texts-unverified" / "a1.txt").write_text("something else")
    assert realset_text(texts, article) == (ONE, True)
    (texts / "a1.txt").write_text(ONE + " Changed.")
    with pytest.raises(ConfigError, match="sha256"):
        realset_text(texts, article)


def test_a_text_in_neither_folder_is_an_error_naming_it(realset):
    folder, texts = realset
    result = CliRunner().invoke(main, ["eval", "--realset", str(folder), "--texts", str(texts), "--topic", str(TOPIC)])
    assert result.exit_code == 2
    assert "a2.txt" in result.output and "not found" in result.output


def test_skip_missing_leaves_the_article_out_and_says_so(realset):
    folder, texts = realset
    args = ["eval", "--realset", str(folder), "--texts", str(texts), "--topic", str(TOPIC), "--skip-missing"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "1 articles left out, no text: a2" in result.stderr
    overall = next(line for line in result.stdout.splitlines() if line.startswith("overall"))
    assert overall.split()[4:7] == ["1", "0", "0"]  # tp fp fn: the left-out article's gold is not a miss
