"""Benchmarks of wirogen at catalogue scale: ``make bench`` (see ``bench/run.py``)."""
