"""Shared bits for the benchmarks: timing, percentiles, a throwaway data folder."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def time_calls(fn: Callable[[], object], n: int, warmup: int = 20) -> list[float]:
    """Seconds per call, after a warm-up so caches and imports are settled."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


def summary(samples: list[float]) -> dict[str, float]:
    return {
        "p50_ms": percentile(samples, 50) * 1000,
        "p99_ms": percentile(samples, 99) * 1000,
        "mean_ms": statistics.fmean(samples) * 1000,
    }


def scratch_dir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"voice-demo-bench-{prefix}-"))


# Session titles of the synthetic programmes (the kinds the week had).
TOPICS = [
    "Learn to code",
    "3D printing",
    "Service design",
    "Office 365 tips",
    "LinkedIn",
    "Mindfulness",
    "Digital champions",
    "Data basics",
    "Security",
    "Presenting",
    "Excel skills",
    "Accessible documents",
]
