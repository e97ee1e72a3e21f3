"""hub_case.bundle_id: the 一件事一次办 intake a received case belongs to (issue 16), from its payload's bundle

Revision ID: 0006
Revises: 0003
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('hub_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bundle_id', sa.String(length=36), nullable=False, server_default=''))
        batch_op.create_index('ix_hub_case_bundle_id', ['bundle_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('hub_case', schema=None) as batch_op:
        batch_op.drop_index('ix_hub_case_bundle_id')
        batch_op.drop_column('bundle_id')
