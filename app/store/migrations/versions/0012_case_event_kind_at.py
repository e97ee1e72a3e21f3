"""ix_case_event_kind_at: the reports' 延期 / 暂停计时 / 退回补正 counts read a range's events of one kind by index
instead of walking every case of the hall (issue 21: the week's report at a million cases)

Revision ID: 0012
Revises: 0006
Create Date: 2026-12-07
"""

from alembic import op

revision = '0012'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_case_event_kind_at', 'case_event', ['kind', 'at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_case_event_kind_at', table_name='case_event')
