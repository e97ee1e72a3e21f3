"""device bound to its hall: hub_device.hall_code (filled from the cases a device already sent, when one hall);
an index on hub_case_file.upload_id (upload quota and sweep); hub_audit_anchor (counters' audit-chain heads)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('hub_device', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hall_code', sa.String(length=12), nullable=False, server_default=''))
    # A device that has only ever sent cases of one hall is bound to it; one that sent several (or none) stays
    # unbound until the admin runs `device bind`, or its first accepted case binds it.
    op.execute(
        "UPDATE hub_device SET hall_code = (SELECT MIN(hall_code) FROM hub_case WHERE hub_case.device_id = hub_device.id)"
        " WHERE (SELECT COUNT(DISTINCT hall_code) FROM hub_case WHERE hub_case.device_id = hub_device.id) = 1"
    )


    with op.batch_alter_table('hub_case_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hub_case_file_upload_id'), ['upload_id'], unique=False)
    op.create_table(
        'hub_audit_anchor',
        sa.Column('op_id', sa.String(length=64), nullable=False),
        sa.Column('device_id', sa.Integer(), nullable=False),
        sa.Column('count', sa.BigInteger(), nullable=False),
        sa.Column('head', sa.String(length=64), nullable=False),
        sa.Column('anchored_at', sa.String(length=40), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('op_id', name=op.f('pk_hub_audit_anchor')),
    )
    with op.batch_alter_table('hub_audit_anchor', schema=None) as batch_op:
        batch_op.create_index('ix_hub_audit_anchor_device', ['device_id', 'count'], unique=False)


def downgrade() -> None:
    op.drop_table('hub_audit_anchor')
    with op.batch_alter_table('hub_case_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hub_case_file_upload_id'))
    with op.batch_alter_table('hub_device', schema=None) as batch_op:
        batch_op.drop_column('hall_code')
