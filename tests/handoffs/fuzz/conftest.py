"""Hypothesis profiles for the fuzz tests: a fixed, quick run in the suite; a long one on demand.

`HYPOTHESIS_PROFILE=fuzz` (what `make fuzz` sets) runs 2,000 examples for each of the five
properties, 10,000 in all, with fresh randomness; the default profile replays the same 400 examples
(80 per property) on every run, so CI is stable.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# Examples share the test's database (rows of accepted handoffs pile up), and some are huge or
# deeply nested on purpose: the per-example health checks would only get in the way.
_COMMON = {
    "deadline": None,
    "database": None,
    "print_blob": True,
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
}
settings.register_profile("ci", max_examples=80, derandomize=True, **_COMMON)
settings.register_profile("fuzz", max_examples=2_000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
