"""The central archive's Alembic environment (PostgreSQL): run only through
dutydesk.services.central.schema.upgrade(), which hands over its connection."""

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("The central schema is migrated through `dutydesk central init`")

context.configure(connection=connection, target_metadata=None, version_table="central_version")
with context.begin_transaction():
    context.run_migrations()
