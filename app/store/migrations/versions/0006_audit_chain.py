"""audit chain: audit_event.prev_hash and hash, the existing entries chained in id order

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from app.store.audit_chain import GENESIS, entry_hash

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=False, server_default=''))
    audit = sa.table('audit_event', sa.column('id', sa.Integer), sa.column('at', sa.DateTime(timezone=True)),
                     sa.column('actor', sa.String), sa.column('action', sa.String), sa.column('target', sa.String),
                     sa.column('host', sa.String), sa.column('detail', sa.JSON), sa.column('prev_hash', sa.String),
                     sa.column('hash', sa.String))
    conn = op.get_bind()
    head = GENESIS
    rows = conn.execute(sa.select(audit.c.id, audit.c.at, audit.c.actor, audit.c.action, audit.c.target,
                                  audit.c.host, audit.c.detail).order_by(audit.c.id)).all()
    for row in rows:  # the entries made before the chain existed are chained as they stand at the upgrade
        digest = entry_hash(head, at=row.at, actor=row.actor, action=row.action, target=row.target, host=row.host,
                            detail=row.detail)
        conn.execute(sa.update(audit).where(audit.c.id == row.id).values(prev_hash=head, hash=digest))
        head = digest


def downgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
