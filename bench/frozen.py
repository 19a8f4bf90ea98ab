"""Run `dutydesk` on a frozen clock, for the bench and drills: `python -m bench.frozen --at ISO
-- [dutydesk arguments]`. The installed program has no such switch: it reads the system clock
only; this module (not shipped in the wheel) passes a clock in code."""

from __future__ import annotations

import argparse
import sys


def parse(argv: list[str]) -> tuple[str, list[str]]:
    parser = argparse.ArgumentParser(prog="python -m bench.frozen")
    parser.add_argument("--at", required=True, help="ISO 8601 time with an offset")
    parser.add_argument("rest", nargs=argparse.REMAINDER, help="-- then dutydesk's arguments")
    options = parser.parse_args(argv)
    rest = options.rest[1:] if options.rest[:1] == ["--"] else options.rest
    return options.at, rest


def main(argv: list[str] | None = None) -> None:
    from dutydesk.clock import FrozenClock
    from dutydesk.launch import main as dutydesk_main

    at, rest = parse(sys.argv[1:] if argv is None else argv)
    dutydesk_main(rest, FrozenClock(at))


if __name__ == "__main__":
    main()
