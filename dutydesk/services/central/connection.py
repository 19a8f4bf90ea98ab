"""Connecting to the central archive (PostgreSQL, through psycopg 3). The driver is the optional
extra `central`: it is imported here, when a central command runs, never when the desk starts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dutydesk.errors import DutyError, RefusedInput

if TYPE_CHECKING:
    import psycopg

URL_ENV = "DUTYDESK_CENTRAL_URL"
SCHEMA_REVISION = "c0011"  # the central schema this program reads and writes
TIME_ZONE = "Asia/Shanghai"  # the report's periods are dates in China's time


def central_url(given: str | None) -> str:
    """The URL given (by --url, else the settings' DUTYDESK_CENTRAL_URL): a postgresql:// URL."""
    url = given or ""
    if not url:
        raise DutyError("central.no_url", env=URL_ENV)
    if not url.startswith(("postgresql://", "postgres://")):
        raise DutyError("central.bad_url", url=shown_url(url))
    return url


def shown_url(url: str) -> str:
    """The URL as messages show it: a password in it replaced by ***."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


def driver() -> object:
    """psycopg, or a plain message naming the extra to install (the import fails without it)."""
    try:
        import psycopg
    except ImportError as exc:
        raise RefusedInput("fix9_fixinput.central_no_driver") from exc
    return psycopg


def connect(url: str, *, checked: bool = True) -> psycopg.Connection[tuple[Any, ...]]:
    """An autocommit connection (each write is an explicit transaction) in China's time zone; with `checked`, the schema must
    be the one this program knows (`dutydesk central init` creates it)."""
    driver()  # the plain message when the extra is missing, not an ImportError
    import psycopg

    try:
        conn = psycopg.connect(url, autocommit=True)
    except psycopg.Error as exc:
        detail = " ".join(str(exc).split())  # one line: the driver's text has newlines and tabs
        raise DutyError("central.cannot_connect", url=shown_url(url), detail=detail) from exc
    conn.execute(f"SET TIME ZONE '{TIME_ZONE}'")
    if checked:
        try:
            row = conn.execute("SELECT version_num FROM central_version").fetchone()
        except psycopg.Error:
            row = None
        if row is None or row[0] != SCHEMA_REVISION:
            conn.close()
            raise DutyError("central.not_initialised", url=shown_url(url))
    return conn
