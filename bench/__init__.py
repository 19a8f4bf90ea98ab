"""Benchmarks and drills for DutyDesk (not shipped in the wheel). `python -m bench --help`."""
