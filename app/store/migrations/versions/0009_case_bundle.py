"""case.bundle_id: the 一件事一次办 intake a case was taken in with (issue 16); the cases of one intake share it

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bundle_id', sa.String(length=36), nullable=True))
        batch_op.create_index('ix_case_bundle_id', ['bundle_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_bundle_id')
        batch_op.drop_column('bundle_id')
