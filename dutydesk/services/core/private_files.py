"""Files the desk writes for people to take away (contact lists, rosters) are as private as the
register: readable by their owner only (0600), written whole or not at all."""

from __future__ import annotations

import os
import secrets
from contextlib import suppress
from pathlib import Path

from dutydesk.errors import RefusedInput

FILE_MODE = 0o600


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to `path` with mode 0600 through a temporary beside it, so a half-written file
    never takes the name. A folder that is missing or refuses the write is a plain message."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())  # on disk before it takes the name: whole or not at all
        os.chmod(temporary, FILE_MODE)  # whatever the umask left
        os.replace(temporary, path)
    except OSError as exc:
        with suppress(OSError):
            temporary.unlink()
        reason = exc.strerror or str(exc)
        raise RefusedInput("fix9_fixinput.cannot_write", path=str(path), reason=reason) from exc
