"""queue day: the 绿色通道 reason on a ticket, where an appointment came from and who booked it, the slot index

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.add_column(sa.Column('priority_reason', sa.String(length=60), nullable=False, server_default=''))
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=12), nullable=False, server_default='counter'))
        batch_op.add_column(sa.Column('booked_by', sa.String(length=60), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('booked_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_appointment_slot', ['hall_code', 'service_date', 'category', 'start'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.drop_index('ix_appointment_slot')
        batch_op.drop_column('booked_at')
        batch_op.drop_column('booked_by')
        batch_op.drop_column('source')
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_column('priority_reason')
