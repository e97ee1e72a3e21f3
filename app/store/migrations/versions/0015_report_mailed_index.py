"""Report index (issue 21): ix_case_handed_over_at, so the report's 政务专递寄出 count reads the range's handed-over
cases instead of scanning every case of the store (at a million cases it was the largest part of the week)

Revision ID: 0015
Revises: 0010
Create Date: 2026-12-07
"""

from alembic import op

revision = '0015'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_case_handed_over_at', 'case', ['handed_over_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_case_handed_over_at', table_name='case')
