"""Feed rows keep their name and details: the row key now covers the whole row (its
name and details enter as a digest), so what the digest stands for is stored with it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('feed_rows', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('details', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('feed_rows', schema=None) as batch_op:
        batch_op.drop_column('details')
        batch_op.drop_column('name')
