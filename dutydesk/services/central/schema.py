"""`dutydesk central init`: the central schema (its own Alembic environment,
dutydesk/central_migrations) and the ingest role, which may only read and insert."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dutydesk.errors import DutyError
from dutydesk.services.central.connection import connect

INGEST_ROLE = "dutydesk_ingest"

# Shown in the README: the ingest role reads, and writes only through the two checking
# functions (SECURITY DEFINER, owned by the schema's owner: central_migrations c0002); no
# INSERT, UPDATE or DELETE on any table, central_version included. The triggers refuse
# UPDATE, DELETE and TRUNCATE on every table even to the owner.
INGEST_FUNCTIONS = (
    "central_ingest", "central_hold", "central_head", "central_set_aside", "central_pending",
    "central_hold_signature")  # fmt: skip
GRANTS = f"""
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {INGEST_ROLE};
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {INGEST_ROLE};
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM {INGEST_ROLE};
REVOKE CREATE ON SCHEMA public FROM {INGEST_ROLE};
GRANT USAGE ON SCHEMA public TO {INGEST_ROLE};
GRANT SELECT ON ALL TABLES IN SCHEMA public TO {INGEST_ROLE};
GRANT EXECUTE ON FUNCTION {", ".join(INGEST_FUNCTIONS)} TO {INGEST_ROLE};
DO $$ BEGIN  -- no temporary tables to hide the real ones (central_migrations c0011)
    EXECUTE 'REVOKE TEMPORARY ON DATABASE ' || quote_ident(current_database())
        || ' FROM PUBLIC, {INGEST_ROLE}';
END $$;
"""

CREATE_ROLE = f"""
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{INGEST_ROLE}') THEN
        CREATE ROLE {INGEST_ROLE} NOLOGIN;
    END IF;
END $$;
"""


def _sqlalchemy_url(url: str) -> str:
    return "postgresql+psycopg://" + url.split("://", 1)[1]


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parents[2] / "central_migrations"))
    config.attributes["connection"] = connection
    return config


def init_central(url: str) -> str:
    """Create (or bring up to date) the central schema and grant the ingest role; returns the
    schema revision. Needs a role that may create tables and roles (the database's owner)."""
    import sqlalchemy
    from alembic import command

    connect(url, checked=False).close()  # a clear message if the server cannot be reached
    engine = sqlalchemy.create_engine(_sqlalchemy_url(url))
    try:
        with engine.begin() as connection:
            command.upgrade(_alembic_config(connection), "heads")
            connection.exec_driver_sql(CREATE_ROLE)
            connection.exec_driver_sql(GRANTS)
            revision = connection.exec_driver_sql("SELECT version_num FROM central_version")
            return str(revision.scalar_one())
    except sqlalchemy.exc.SQLAlchemyError as exc:
        raise DutyError(
            "central.init_failed", detail=str(getattr(exc, "orig", None) or exc).strip()
        ) from exc
    finally:
        engine.dispose()
