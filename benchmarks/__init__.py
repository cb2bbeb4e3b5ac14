"""Benchmark scripts: each prints figures (medians, percentiles, ratios against peers measured in the same run)."""
