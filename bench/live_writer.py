"""Another terminal writing to the register, for bench.measure.live:
`python -m bench.live_writer DB KIND EVERY_S COUNT` records COUNT incidents (KIND "incident", each
with its deadlines) or calls (KIND "call"), one every EVERY_S seconds, through the services, at
the real time; after each commit it prints the wall-clock time (time.time()), one a line."""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main(argv: list[str]) -> None:
    from dutydesk.clock import SystemClock
    from dutydesk.services.calls.calls import CallDraft, save_call
    from dutydesk.services.core.desk import open_desk
    from dutydesk.services.incidents.incidents import IncidentDraft, record_incident
    from dutydesk.services.roster.people import list_people

    path, kind, every, count = Path(argv[0]), argv[1], float(argv[2]), int(argv[3])
    desk = open_desk(path, SystemClock())
    try:
        recorder = next(p for p in list_people(desk) if p.role == "officer")
        print("ready", flush=True)
        for index in range(count):
            began = time.perf_counter()
            if kind == "incident":
                draft = IncidentDraft(type="accident", level="IV", occurred_at=desk.now(),
                                      place=f"外部写入{index + 1}号路口",
                                      summary="另一终端登记的交通事故")  # fmt: skip
                record_incident(desk, draft, recorder)
            else:
                call = CallDraft(caller="王强", unit="交警支队", phone="022-23456789",
                                 summary=f"另一终端登记的来电 {index + 1}", direction="in",
                                 category="notice")  # fmt: skip
                save_call(desk, call, recorder)
            print(f"{time.time():.6f}", flush=True)
            time.sleep(max(0.0, every - (time.perf_counter() - began)))
    finally:
        desk.close()


if __name__ == "__main__":
    main(sys.argv[1:])
