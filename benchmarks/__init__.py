"""Performance benchmarks: `python -m benchmarks.run` (`make bench`) writes docs/BENCHMARKS.md."""
