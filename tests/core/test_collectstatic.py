"""The production build: collectstatic under production settings (CONTRACT.md section 6).

The production-parity suite (tests/production/) runs it from a clean copy through the
Procfile; this is the quick check that the manifest is complete and viewflow-free."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_collectstatic_under_production_settings_builds_a_hashed_compressed_manifest(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "STATIC_ROOT": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    paths = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in ("css/alur.css", "js/upload.js", "admin/css/base.css"):
        hashed = paths[name]
        assert hashed != name and (tmp_path / hashed).exists()
        assert (tmp_path / f"{hashed}.gz").exists()  # WhiteNoise serves it compressed
    assert not [p for p in paths if p.startswith("viewflow/")]
