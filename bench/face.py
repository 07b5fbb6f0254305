"""Face verification cost: model load (a fresh process, network namespace removed with
`unshare -n` when allowed, so a model fetched from the network would fail) and the
per-photo time of detection + descriptor, for the test selfie and a 12-megapixel one.

Alone: `.venv/bin/python -m bench.face` (no database needed)."""

import io
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

IMAGES = Path(__file__).resolve().parent.parent / "tests" / "attendance" / "images"
LOAD = (
    "import time; t = time.perf_counter(); from attendance.face import load_models; "
    "load_models(); print(time.perf_counter() - t)"
)


def _load_seconds() -> tuple[float, str]:
    cmd = [sys.executable, "-c", LOAD]
    note = "fresh process"
    if (
        shutil.which("unshare")
        and subprocess.run(["unshare", "-n", "true"], capture_output=True, check=False).returncode
        == 0
    ):
        cmd, note = ["unshare", "-n", *cmd], "fresh process, no network (unshare -n)"
    out = subprocess.run(
        cmd, capture_output=True, text=True, check=True, cwd=IMAGES.parent.parent.parent
    )
    return float(out.stdout.strip().splitlines()[-1]), note


def _row(measure, samples, note):
    ms = sorted(s * 1000 for s in samples)
    return {
        "measure": measure,
        "n": len(ms),
        "median_ms": statistics.median(ms),
        "p95_ms": ms[max(0, int(len(ms) * 0.95) - 1)],
        "per_s": 1000 / statistics.median(ms),
        "note": note,
    }


def run(samples: int = 20) -> list[dict]:
    from PIL import Image

    from attendance import face

    loads = [_load_seconds() for _ in range(3)]
    rows = [_row("face model load (dlib, 3 models)", [s for s, _ in loads], loads[0][1])]
    face.load_models()
    selfie = (IMAGES / "same_face.jpg").read_bytes()
    big = io.BytesIO()
    Image.open(IMAGES / "face.jpg").resize((3000, 4000)).save(big, "JPEG", quality=90)
    for name, data in [("358x358 selfie", selfie), ("3000x4000 phone photo", big.getvalue())]:
        times = []
        for _ in range(samples):
            started = time.perf_counter()
            face.face_of(data)
            times.append(time.perf_counter() - started)
        rows.append(_row(f"face check: decode, detect, descriptor ({name})", times, "one thread"))
    return rows


if __name__ == "__main__":
    sys.path.insert(0, str(IMAGES.parent.parent.parent))
    from bench.__main__ import _table

    print(_table(run()))
