"""Enrolments say what their amount is paid per: 'month', or 'once' for a one-off payment
(temporary aid), which covers its one month and is never reviewed.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('period', sa.String(length=8), nullable=False,
                                      server_default='month'))


def downgrade() -> None:
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.drop_column('period')
