"""window.name_mn: a window's name in Mongolian script, shown beside the Chinese on the hall display (issue 15;
"" = none given, the display then shows only "N ᠳᠤᠭᠠᠷ ᠴᠣᠩᠬᠤ")

Revision ID: 0013
Revises: 0010
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('window', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_mn', sa.String(length=120), server_default='', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('window', schema=None) as batch_op:
        batch_op.drop_column('name_mn')
