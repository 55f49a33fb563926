"""The lock must install on any machine: registry packages only, and in step with pyproject.toml.

A lock once named a wheel in a local folder; it passed CI on the machine that had the file and
broke every other install. These tests make that whole class fail here first.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "uv.lock"


def test_lock_names_no_local_file_or_vcs_reference():
    text = LOCK.read_text(encoding="utf-8")
    bad = [line for line in text.splitlines() if re.search(r"file:|@ /|git\+|\.\./|\bpath = ", line)]
    assert not bad, bad[:5]


def test_every_locked_package_comes_from_the_registry():
    packages = tomllib.loads(LOCK.read_text(encoding="utf-8"))["package"]
    for pkg in packages:
        source = pkg["source"]
        if pkg["name"] == "drainwatch":
            assert source == {"editable": "."}
            continue
        assert set(source) == {"registry"}, (pkg["name"], source)
        assert source["registry"].startswith("https://"), (pkg["name"], source)
        for dist in pkg.get("wheels", []) + ([pkg["sdist"]] if "sdist" in pkg else []):
            assert dist["url"].startswith("https://") and dist["hash"].startswith("sha256:"), (pkg["name"], dist)


def test_no_pip_freeze_lock_is_left_behind():
    assert not (ROOT / "constraints.txt").exists()
    assert "pip freeze" not in (ROOT / "Makefile").read_text(encoding="utf-8")


def _uv() -> str | None:
    local = ROOT / ".tools" / "bin" / "uv"
    return str(local) if local.exists() else shutil.which("uv")


@pytest.mark.skipif(_uv() is None, reason="uv is not installed (make venv installs it into .tools/)")
def test_lock_agrees_with_pyproject():
    done = subprocess.run(
        [_uv(), "lock", "--check", "--offline", "--python", "python3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
