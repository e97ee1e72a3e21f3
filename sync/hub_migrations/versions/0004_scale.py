"""the hub at a region's scale: hub_upload.storage (the file store's state: S3 multipart id, parts, staged chunks)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('hub_upload') as batch:
        batch.add_column(sa.Column('storage', sa.JSON(), nullable=False, server_default='{}'))


def downgrade() -> None:
    with op.batch_alter_table('hub_upload') as batch:
        batch.drop_column('storage')
