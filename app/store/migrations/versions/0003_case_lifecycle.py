"""case lifecycle: 告知承诺 核查 tasks, credit records, and who/why/how long on the excluded list

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'pledge_check',
        sa.Column('id', BigId, nullable=False),
        sa.Column('case_id', sa.String(length=36), nullable=False),
        sa.Column('material_key', sa.String(length=60), nullable=False),
        sa.Column('material_name', sa.String(length=200), nullable=False),
        sa.Column('method', sa.String(length=12), nullable=False),
        sa.Column('due', sa.Date(), nullable=False),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('checked_by', sa.String(length=60), nullable=False),
        sa.Column('checked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_pledge_check_case_id_case'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pledge_check')),
        sa.UniqueConstraint('case_id', 'material_key', name=op.f('uq_pledge_check_case_id')),
    )
    with op.batch_alter_table('pledge_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pledge_check_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_pledge_check_state_due', ['state', 'due'], unique=False)
    op.create_table(
        'credit_record',
        sa.Column('id', BigId, nullable=False),
        sa.Column('id_no', sa.String(length=32), nullable=False),
        sa.Column('id_kind', sa.String(length=20), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('case_no', sa.String(length=32), nullable=False),
        sa.Column('recorded_on', sa.Date(), nullable=False),
        sa.Column('reason', sa.String(length=300), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_record')),
    )
    with op.batch_alter_table('credit_record', schema=None) as batch_op:
        batch_op.create_index('ix_credit_record_id_no', ['id_no'], unique=False)
    with op.batch_alter_table('excluded_applicant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('id_kind', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('kind', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('listed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('until', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('case_no', sa.String(length=32), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('excluded_applicant', schema=None) as batch_op:
        for column in ('case_no', 'until', 'listed_on', 'kind', 'id_kind'):
            batch_op.drop_column(column)
    op.drop_table('credit_record')
    op.drop_table('pledge_check')
