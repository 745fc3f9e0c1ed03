"""Where the team's shared, uncommitted material lives (the seed page, evaluation data).

Looked up beside the checkout (../shared), then at GEOPOL_SHARED_DIR, then /work/shared;
tests that need it skip when none exists.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def shared_path(relative: str) -> Path:
    candidates = [ROOT.parent / "shared"]
    if os.environ.get("GEOPOL_SHARED_DIR"):
        candidates.insert(0, Path(os.environ["GEOPOL_SHARED_DIR"]))
    candidates.append(Path("/work/shared"))
    for base in candidates:
        if (base / relative).exists():
            return base / relative
    return candidates[0] / relative
