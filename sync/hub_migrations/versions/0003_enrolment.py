"""one-time enrolment codes: hub_enrolment (a code's SHA-256, its hall, expiry, the device it became)

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


def upgrade() -> None:
    op.create_table(
        'hub_enrolment',
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('hall_code', sa.String(length=12), nullable=False),
        sa.Column('device_name', sa.String(length=100), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('device_id', sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint('code_hash', name=op.f('pk_hub_enrolment')),
    )


def downgrade() -> None:
    op.drop_table('hub_enrolment')
