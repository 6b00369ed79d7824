"""The database itself refuses to update or delete a chain entry.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

MESSAGE = "chain_entries is append-only: entries are never updated or deleted"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION chain_entries_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$ LANGUAGE plpgsql""")
        op.execute("""
            CREATE TRIGGER chain_entries_append_only BEFORE UPDATE OR DELETE ON chain_entries
            FOR EACH ROW EXECUTE FUNCTION chain_entries_append_only()""")
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(f"""
                CREATE TRIGGER chain_entries_no_{event.lower()} BEFORE {event} ON chain_entries
                BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER chain_entries_append_only ON chain_entries")
        op.execute("DROP FUNCTION chain_entries_append_only()")
    else:
        for event in ("update", "delete"):
            op.execute(f"DROP TRIGGER chain_entries_no_{event}")
