"""assisted service (issue 18): help_record (帮办代办), case.after_hours (延时服务), case.home_visit (上门服务) and
case.post_in (政务专递 received by post)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('after_hours', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('home_visit', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('post_in', sa.JSON(), nullable=True))
    op.create_table(
        'help_record',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('hall_code', sa.String(length=12), nullable=False),
        sa.Column('service_date', sa.Date(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('window_number', sa.Integer(), nullable=False),
        sa.Column('clerk_id', sa.Integer(), nullable=True),
        sa.Column('helper', sa.String(length=60), nullable=False),
        sa.Column('mode', sa.String(length=12), nullable=False),
        sa.Column('case_id', sa.String(length=36), nullable=True),
        sa.Column('case_no', sa.String(length=32), nullable=False),
        sa.Column('matter_code', sa.String(length=40), nullable=False),
        sa.Column('matter_name', sa.String(length=200), nullable=False),
        sa.Column('applicant_name', sa.String(length=200), nullable=False),
        sa.Column('agent', sa.JSON(), nullable=True),
        sa.Column('note', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_help_record_case_id_case')),
        sa.ForeignKeyConstraint(['hall_code'], ['hall.code'], name=op.f('fk_help_record_hall_code_hall')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_help_record')),
    )
    op.create_index('ix_help_record_service_date', 'help_record', ['service_date'], unique=False)
    op.create_index(op.f('ix_help_record_case_id'), 'help_record', ['case_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_help_record_case_id'), table_name='help_record')
    op.drop_index('ix_help_record_service_date', table_name='help_record')
    op.drop_table('help_record')
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_column('post_in')
        batch_op.drop_column('home_visit')
        batch_op.drop_column('after_hours')
