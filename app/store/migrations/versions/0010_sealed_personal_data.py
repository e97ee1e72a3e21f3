"""sealed personal data: ID numbers and phones AES-GCM sealed, blind indexes for lookups, the data_key record

Every existing clear value is sealed with the data key bound to the store (``open_store`` loads it, or makes it
for a store that has none yet); the blind indexes are computed from the clear numbers. On PostgreSQL the sealed
columns become TEXT (a ciphertext does not fit VARCHAR(32)); SQLite keeps the declared types (it does not enforce
lengths), so no table holding foreign keys is rebuilt. ``excluded_applicant`` is keyed by the blind index now,
so it is rebuilt (nothing refers to it). A collector's ID number in a hand-over event is masked (it was only ever
a record, never read back). Downgrade opens every value again (with the same key) and restores the old shape.

Revision ID: 0010
Revises: 0012
Create Date: 2026-12-07
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

from app.masking import mask_id
from app.store.crypto import DataKeys, conn_keys, record_values

revision = '0010'
down_revision = '0012'
branch_labels = None
depends_on = None

# table → (primary key, {column: label}) of sealed text columns
TEXT_COLUMNS: dict[str, tuple[str, dict[str, str]]] = {
    'clerk': ('id', {'phone': 'clerk.phone'}),
    'case': ('id', {'applicant_id_no': 'case.applicant_id_no', 'applicant_phone': 'case.applicant_phone'}),
    'appointment': ('id', {'id_no': 'appointment.id_no', 'phone': 'appointment.phone'}),
    'ticket': ('id', {'id_no': 'ticket.id_no'}),
    'credit_record': ('id', {'id_no': 'credit_record.id_no'}),
}
# table → (primary key, {column: label}) of JSON columns sealed as a whole
JSON_COLUMNS: dict[str, tuple[str, dict[str, str]]] = {
    'case': ('id', {'proxy': 'case.proxy'}),
    'outbox': ('seq', {'payload': 'outbox.payload'}),
    'audit_event': ('id', {'detail': 'audit_event.detail'}),
    'help_record': ('id', {'agent': 'help_record.agent'}),  # 代办: the case's proxy record (name, ID, phone)
}
# table → (index column, the number column it indexes, its index's name)
INDEXES: dict[str, tuple[str, str, str]] = {
    'case': ('applicant_id_index', 'applicant_id_no', 'ix_case_applicant_id_index'),
    'appointment': ('id_index', 'id_no', 'ix_appointment_id_index'),
    'credit_record': ('id_index', 'id_no', 'ix_credit_record_id_index'),
}
OLD_INDEXES = {'case': 'ix_case_applicant_id_no', 'appointment': 'ix_appointment_id_no',
               'credit_record': 'ix_credit_record_id_no'}


def _json_in(value: Any) -> Any:
    """A JSON column's value as read through a plain TEXT select (SQLite) or JSON (PostgreSQL)."""
    return json.loads(value) if isinstance(value, str) else value


def _create_data_key() -> None:
    op.create_table('data_key',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('probe', sa.Text(), nullable=False),
                    sa.Column('index_key_id', sa.String(length=16), nullable=False),
                    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_key')))


def _excluded_table(key: str) -> None:
    columns = [sa.Column('id_index', sa.String(length=64), nullable=False)] if key == 'id_index' else []
    op.create_table('excluded_applicant',
                    *columns,
                    sa.Column('id_no', sa.Text() if key == 'id_index' else sa.String(length=32), nullable=False),
                    sa.Column('reason', sa.String(length=200), nullable=False),
                    sa.Column('source', sa.String(length=40), nullable=False),
                    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
                    sa.Column('id_kind', sa.String(length=20), nullable=False, server_default=''),
                    sa.Column('kind', sa.String(length=20), nullable=False, server_default=''),
                    sa.Column('listed_on', sa.Date(), nullable=True),
                    sa.Column('until', sa.Date(), nullable=True),
                    sa.Column('case_no', sa.String(length=32), nullable=False, server_default=''),
                    sa.PrimaryKeyConstraint(key, name=op.f('pk_excluded_applicant')))


def _rebuild_excluded(conn: sa.Connection, keys: DataKeys, *, seal: bool) -> None:
    rows = [dict(r._mapping) for r in conn.execute(sa.text('SELECT * FROM excluded_applicant'))]
    op.drop_table('excluded_applicant')
    _excluded_table('id_index' if seal else 'id_no')
    table = sa.table('excluded_applicant', *(sa.column(name) for name in (
        ['id_index'] if seal else []) + ['id_no', 'reason', 'source', 'updated_at', 'id_kind', 'kind', 'listed_on',
                                         'until', 'case_no']))
    merged: dict[str, dict[str, Any]] = {}
    for row in rows:
        row.pop('id_index', None)
        if seal:
            row['id_index'] = keys.blind_index(row['id_no'])
            row['id_no'] = keys.seal(row['id_no'], label='excluded_applicant.id_no')
            merged[row['id_index']] = row
        else:
            row['id_no'] = keys.open(row['id_no'], label='excluded_applicant.id_no')
            merged[row['id_no']] = row
    if merged:
        conn.execute(table.insert(), list(merged.values()))


def _convert(conn: sa.Connection, keys: DataKeys, *, seal: bool) -> None:
    """Seal (or open) every value of the columns above, row by row, in this migration's transaction."""
    for table_name, (pk, columns) in TEXT_COLUMNS.items():
        table = sa.table(table_name, sa.column(pk), *(sa.column(c, sa.Text) for c in columns))
        for row in conn.execute(sa.select(table)).all():
            values: dict[str, Any] = {}
            for column, label in columns.items():
                value = getattr(row, column)
                if value:
                    values[column] = keys.seal(value, label=label) if seal else keys.open(value, label=label)
            if values:
                conn.execute(sa.update(table).where(table.c[pk] == getattr(row, pk)).values(**values))
    for table_name, (pk, columns) in JSON_COLUMNS.items():
        # Read as text: SQLite keeps JSON as text, and on PostgreSQL the column is TEXT while this runs.
        table = sa.table(table_name, sa.column(pk), *(sa.column(c) for c in columns))
        for row in conn.execute(sa.select(table)).all():
            values = {}
            for column, label in columns.items():
                value = getattr(row, column)
                if value is None:
                    continue
                if seal:
                    parsed = _json_in(value)
                    # JSON null (how the JSON type stored "no 代办人") becomes SQL NULL, as SealedJSON writes None.
                    values[column] = None if parsed is None else keys.seal(
                        json.dumps(parsed, ensure_ascii=False, separators=(',', ':')), label=label)
                else:
                    values[column] = keys.open(value, label=label)  # TEXT until the downgrade's ALTER below
            if values:
                conn.execute(sa.update(table).where(table.c[pk] == getattr(row, pk)).values(**values))


def _mask_collectors(conn: sa.Connection) -> None:
    events = sa.table('case_event', sa.column('id'), sa.column('kind'), sa.column('detail'))
    for row in conn.execute(sa.select(events.c.id, events.c.detail)).all():
        detail = _json_in(row.detail)
        if isinstance(detail, dict) and detail.get('collector_id_no') and '*' not in str(detail['collector_id_no']):
            detail = {**detail, 'collector_id_no': mask_id(str(detail['collector_id_no']))}
            value: Any = json.dumps(detail, ensure_ascii=False) if conn.dialect.name == 'sqlite' else sa.cast(
                json.dumps(detail, ensure_ascii=False), sa.JSON)
            conn.execute(sa.update(events).where(events.c.id == row.id).values(detail=value))


def upgrade() -> None:
    conn = op.get_bind()
    keys = conn_keys(conn)
    postgres = conn.dialect.name == 'postgresql'
    if postgres:  # a ciphertext does not fit VARCHAR(32); JSON columns hold a sealed text now
        for table_name, (_pk, columns) in TEXT_COLUMNS.items():
            for column in columns:
                op.alter_column(table_name, column, type_=sa.Text())
        for table_name, (_pk, columns) in JSON_COLUMNS.items():
            for column in columns:
                op.alter_column(table_name, column, type_=sa.Text(), postgresql_using=f'{column}::text')
    for table_name, (index_column, _source, index_name) in INDEXES.items():
        with op.batch_alter_table(table_name, schema=None) as batch_op:  # ADD COLUMN / indexes: no rebuild
            batch_op.drop_index(OLD_INDEXES[table_name])
            batch_op.add_column(sa.Column(index_column, sa.String(length=64), nullable=False, server_default=''))
    # The blind indexes from the clear numbers, before they are sealed.
    for table_name, (index_column, source, _index_name) in INDEXES.items():
        table = sa.table(table_name, sa.column('id'), sa.column(source, sa.Text), sa.column(index_column))
        for row in conn.execute(sa.select(table.c.id, table.c[source])).all():
            digest = keys.blind_index(getattr(row, source) or '')
            if digest:
                conn.execute(sa.update(table).where(table.c.id == row.id).values({index_column: digest}))
    for table_name, (index_column, _source, index_name) in INDEXES.items():
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            batch_op.create_index(index_name, [index_column], unique=False)
    _convert(conn, keys, seal=True)
    _rebuild_excluded(conn, keys, seal=True)
    _mask_collectors(conn)
    _create_data_key()
    record = sa.table('data_key', sa.column('id'), sa.column('probe'), sa.column('index_key_id'),
                      sa.column('updated_at', sa.DateTime(timezone=True)))
    conn.execute(record.insert().values(**record_values(keys), updated_at=sa.func.current_timestamp()))


def downgrade() -> None:
    conn = op.get_bind()
    keys = conn_keys(conn)
    op.drop_table('data_key')
    _rebuild_excluded(conn, keys, seal=False)
    _convert(conn, keys, seal=False)
    for table_name, (index_column, source, index_name) in INDEXES.items():
        op.drop_index(index_name, table_name=table_name)
        op.drop_column(table_name, index_column)  # ALTER TABLE DROP COLUMN: no rebuild of a table others refer to
        op.create_index(OLD_INDEXES[table_name], table_name, [source], unique=False)
    if conn.dialect.name == 'postgresql':
        widths = {'phone': 40, 'applicant_phone': 40}
        for table_name, (_pk, columns) in TEXT_COLUMNS.items():
            for column in columns:
                op.alter_column(table_name, column, type_=sa.String(length=widths.get(column, 32)))
        for table_name, (_pk, columns) in JSON_COLUMNS.items():
            for column in columns:
                op.alter_column(table_name, column, type_=sa.JSON(), postgresql_using=f'{column}::json')
