"""the hub at a region's scale: hub_upload.storage (the file store's state: S3 multipart id, parts, staged chunks);
hub_rating, hub_pledge_check, hub_false_pledge (好差评, 核查 findings and the false-pledge list, for the county's figures)

Revision ID: 0004
Revises: 0007
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('hub_upload') as batch:
        batch.add_column(sa.Column('storage', sa.JSON(), nullable=False, server_default='{}'))
    op.create_table(
        'hub_rating',
        sa.Column('op_id', sa.String(length=64), nullable=False),
        sa.Column('device_id', sa.Integer(), nullable=False),
        sa.Column('hall_code', sa.String(length=12), nullable=False),
        sa.Column('case_id', sa.String(length=36), nullable=False),
        sa.Column('case_no', sa.String(length=32), nullable=False),
        sa.Column('ticket_code', sa.String(length=20), nullable=False),
        sa.Column('window_number', sa.Integer(), nullable=False),
        sa.Column('level', sa.Integer(), nullable=False),
        sa.Column('overall', sa.Integer(), nullable=False),
        sa.Column('efficiency', sa.Integer(), nullable=False),
        sa.Column('service', sa.Integer(), nullable=False),
        sa.Column('attitude', sa.Integer(), nullable=False),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.Column('day', sa.String(length=10), nullable=False),
        sa.Column('rated_at', sa.String(length=40), nullable=False),
        sa.Column('follow_up_due', sa.String(length=10), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('op_id', name=op.f('pk_hub_rating')),
    )
    op.create_index('ix_hub_rating_day', 'hub_rating', ['day', 'hall_code'])
    op.create_table(
        'hub_pledge_check',
        sa.Column('case_id', sa.String(length=36), nullable=False),
        sa.Column('material_key', sa.String(length=60), nullable=False),
        sa.Column('device_id', sa.Integer(), nullable=False),
        sa.Column('hall_code', sa.String(length=12), nullable=False),
        sa.Column('case_no', sa.String(length=32), nullable=False),
        sa.Column('material_name', sa.String(length=200), nullable=False),
        sa.Column('method', sa.String(length=12), nullable=False),
        sa.Column('due', sa.String(length=10), nullable=False),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('day', sa.String(length=10), nullable=False),
        sa.Column('op_id', sa.String(length=64), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('case_id', 'material_key', name=op.f('pk_hub_pledge_check')),
    )
    op.create_index('ix_hub_pledge_check_day', 'hub_pledge_check', ['day', 'hall_code'])
    op.create_table(
        'hub_false_pledge',
        sa.Column('id_index', sa.String(length=64), nullable=False),  # blind index (app.store.crypto)
        sa.Column('id_no', sa.Text(), nullable=False),  # sealed with the hub's key
        sa.Column('case_no', sa.String(length=32), nullable=False),
        sa.Column('id_kind', sa.String(length=20), nullable=False),
        sa.Column('hall_code', sa.String(length=12), nullable=False),
        sa.Column('device_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.Column('listed_on', sa.String(length=10), nullable=False),
        sa.Column('until', sa.String(length=10), nullable=False),
        sa.Column('op_id', sa.String(length=64), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id_index', 'case_no', name=op.f('pk_hub_false_pledge')),
    )


def downgrade() -> None:
    op.drop_table('hub_false_pledge')
    op.drop_index('ix_hub_pledge_check_day', table_name='hub_pledge_check')
    op.drop_table('hub_pledge_check')
    op.drop_index('ix_hub_rating_day', table_name='hub_rating')
    op.drop_table('hub_rating')
    with op.batch_alter_table('hub_upload') as batch:
        batch.drop_column('storage')
