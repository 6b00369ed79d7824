"""Each chain entry and ledger head records the canonical form it was hashed in.

``form`` on ``chain_entries`` and ``ledger_heads``: ``jcs`` (RFC 8785) for everything
written from this revision on; NULL for what was written before, hashed in the legacy form
(Python's json.dumps with sorted keys). Nothing already written changes: adding a nullable
column rewrites no row (and fires no append-only trigger), so every old entry keeps the
hash it was given and verifies in its own form. See docs/chain.md.

Revision ID: 0007_chain
Revises: 0006
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_chain"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (no table rebuild on SQLite), so the triggers of 0002 and 0006 stay.
    for table in ("chain_entries", "ledger_heads"):
        op.add_column(table, sa.Column("form", sa.String(length=8), nullable=True))


def downgrade() -> None:
    """Refused: entries since are hashed in RFC 8785, which the code at 0006 does not
    know, and on SQLite dropping the column rebuilds the chain table without its triggers."""
    raise RuntimeError("migration 0007_chain is not undone: entries written since are hashed "
                       "in RFC 8785 (JCS), which revision 0006 cannot verify; restore the "
                       "copy of the database taken before upgrading")
