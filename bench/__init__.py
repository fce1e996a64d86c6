"""Benchmarks and data generators; run each as ``python -m bench.<name>``."""
