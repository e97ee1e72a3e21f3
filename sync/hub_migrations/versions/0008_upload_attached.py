"""hub_upload.attached: set when a received case names the upload, so the per-device quota reads only the
uploads still waiting for their case (an index on device_id, attached) instead of anti-joining every upload the
device ever sent with hub_case_file — 185 ms per upload for a device with a year of scans (3,650), measured.

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('hub_upload', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attached', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index('ix_hub_upload_pending', ['device_id', 'attached'], unique=False)
    op.execute("UPDATE hub_upload SET attached = true WHERE EXISTS "
               "(SELECT 1 FROM hub_case_file WHERE hub_case_file.upload_id = hub_upload.id)")


def downgrade() -> None:
    with op.batch_alter_table('hub_upload', schema=None) as batch_op:
        batch_op.drop_index('ix_hub_upload_pending')
        batch_op.drop_column('attached')
