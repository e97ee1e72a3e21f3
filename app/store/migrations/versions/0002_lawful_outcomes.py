"""lawful outcomes: 补正告知 (收件-待补正) with its five-workday notice period

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07 10:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('correction_due', sa.Date(), nullable=True))
        batch_op.create_index('ix_case_state_correction_due', ['state', 'correction_due'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_state_correction_due')
        batch_op.drop_column('correction_due')
