"""Report indexes (issue 21: the week's report at a million cases): ix_case_event_kind_at, so the 延期 / 暂停计时 /
退回补正 counts read a range's events of one kind instead of walking every case of the hall; and
ix_ticket_event_ticket_kind_at in place of ix_ticket_event_ticket_id, so a ticket's first call, print and transfer
are read from the index alone

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-07
"""

from alembic import op

revision = '0012'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_case_event_kind_at', 'case_event', ['kind', 'at'], unique=False)
    op.create_index('ix_ticket_event_ticket_kind_at', 'ticket_event', ['ticket_id', 'kind', 'at'], unique=False)
    op.drop_index('ix_ticket_event_ticket_id', table_name='ticket_event')


def downgrade() -> None:
    op.create_index('ix_ticket_event_ticket_id', 'ticket_event', ['ticket_id'], unique=False)
    op.drop_index('ix_ticket_event_ticket_kind_at', table_name='ticket_event')
    op.drop_index('ix_case_event_kind_at', table_name='case_event')
