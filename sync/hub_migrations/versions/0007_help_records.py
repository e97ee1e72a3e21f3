"""help records (issue 18): hub_help_record, the 帮办代办 records counters send as ``help.record`` items

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


def upgrade() -> None:
    op.create_table(
        'hub_help_record',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('op_id', sa.String(length=64), nullable=False),
        sa.Column('device_id', sa.Integer(), nullable=False),
        sa.Column('hall_code', sa.String(length=12), nullable=False),
        sa.Column('service_date', sa.Date(), nullable=False),
        sa.Column('mode', sa.String(length=12), nullable=False),
        sa.Column('case_no', sa.String(length=32), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hub_help_record')),
        sa.UniqueConstraint('op_id', name=op.f('uq_hub_help_record_op_id')),
    )
    op.create_index('ix_hub_help_record_day', 'hub_help_record', ['service_date', 'hall_code'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_hub_help_record_day', table_name='hub_help_record')
    op.drop_table('hub_help_record')
