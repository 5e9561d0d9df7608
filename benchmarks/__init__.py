"""Benchmarks: ``python -m benchmarks --sizes 10000,100000,1000000`` (see benchmarks/run.py)."""
