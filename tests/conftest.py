"""Shared pytest configuration: Hypothesis profiles and repository paths.

Profiles: ``dev`` (fast, the default on a workstation) and ``ci`` (thousands of cases, chosen
automatically when the ``CI`` environment variable is set, or with ``HYPOTHESIS_PROFILE=ci``).
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parents[1]
SPECS = REPO / "specs"
SHARED = REPO.parent / "shared"

settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile(
    "ci",
    max_examples=1000,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)
