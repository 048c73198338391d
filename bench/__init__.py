"""Benchmarks (see bench/README.md). A package so the load benchmark's settings import."""
