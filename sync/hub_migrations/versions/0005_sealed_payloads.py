"""sealed payloads: the cases' payloads and the change feed sealed with the hub's own data key

A case arrives in clear over TLS (docs/security.md: the counter's key never leaves the PC, and the hub needs the
values — the excluded list it publishes names ID numbers); the hub seals ``hub_case.payload`` and
``hub_change.data`` at rest with its key (``open_hub_store`` loads it, or makes it for a hub that has none yet).
On PostgreSQL the two JSON columns become TEXT. Downgrade opens them again with the same key.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

from app.store.crypto import conn_keys, record_values

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

COLUMNS = {'hub_case': ('id', 'payload', 'hub_case.payload'), 'hub_change': ('seq', 'data', 'hub_change.data'),
           'hub_help_record': ('id', 'payload', 'hub_help_record.payload')}  # 帮办代办: the agent's ID and phone


def _json_in(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _convert(conn: sa.Connection, *, seal: bool) -> None:
    keys = conn_keys(conn)
    for table_name, (pk, column, label) in COLUMNS.items():
        table = sa.table(table_name, sa.column(pk), sa.column(column))
        for row in conn.execute(sa.select(table)).all():
            value = getattr(row, column)
            if value is None:
                continue
            new = (keys.seal(json.dumps(_json_in(value), ensure_ascii=False, separators=(',', ':')), label=label)
                   if seal else keys.open(value, label=label))
            conn.execute(sa.update(table).where(table.c[pk] == getattr(row, pk)).values({column: new}))


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == 'postgresql':
        for table_name, (_pk, column, _label) in COLUMNS.items():
            op.alter_column(table_name, column, type_=sa.Text(), postgresql_using=f'{column}::text')
    _convert(conn, seal=True)
    op.create_table('hub_data_key',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('probe', sa.Text(), nullable=False),
                    sa.Column('index_key_id', sa.String(length=16), nullable=False),
                    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_hub_data_key')))
    record = sa.table('hub_data_key', sa.column('id'), sa.column('probe'), sa.column('index_key_id'),
                      sa.column('updated_at', sa.DateTime(timezone=True)))
    conn.execute(record.insert().values(**record_values(conn_keys(conn)), updated_at=sa.func.current_timestamp()))


def downgrade() -> None:
    conn = op.get_bind()
    op.drop_table('hub_data_key')
    _convert(conn, seal=False)
    if conn.dialect.name == 'postgresql':
        for table_name, (_pk, column, _label) in COLUMNS.items():
            op.alter_column(table_name, column, type_=sa.JSON(), postgresql_using=f'{column}::json')
