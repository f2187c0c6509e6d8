"""Hypothesis profiles: ``dev`` (default, quick) and ``ci`` (more examples, set FULLSTACK_CI=1)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile("ci" if os.environ.get("FULLSTACK_CI") else "dev")
