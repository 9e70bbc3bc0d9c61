"""Small timing helpers shared by the benchmark commands."""

import statistics
import time


def time_calls(function, repeat: int) -> list[float]:
    """Wall time in milliseconds of each of ``repeat`` calls."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "n": len(ordered),
        "median_ms": statistics.median(ordered),
        "p90_ms": ordered[int(0.9 * (len(ordered) - 1))],
        "mean_ms": statistics.fmean(ordered),
    }


def format_row(label: str, stats: dict) -> str:
    return f"{label:<28} n={stats['n']:<5} median={stats['median_ms']:8.2f} ms  p90={stats['p90_ms']:8.2f} ms"
