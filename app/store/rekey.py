"""Key rotation: a new key generation seals every value again and recomputes every blind index, in one transaction.

Order, so a crash at any point loses nothing: (1) the key file gains the new generation, made active, written
durably (the old ones stay: values not yet re-sealed still open, and so do older backups); (2) one transaction
re-seals every sealed column of every table and recomputes the blind indexes with the new index key, then
records the new generation in the store's key record; (3) the engine uses the new keys. A crash after (1) leaves
a store wholly under the old generation and a file that opens it; running the rotation again finishes the job.
Generic over a declarative base, so the counter's store and the hub's use the same code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase

from app.store.crypto import (
    DataKeyError,
    DataKeys,
    SealedJSON,
    SealedText,
    bind_keys,
    keys_of,
    new_generation,
    record_values,
    write_key_file,
)
from app.store.engine import Store


@dataclass(frozen=True)
class RotationReport:
    old: str
    new: str
    values: int  # sealed values re-sealed
    indexes: int  # blind indexes recomputed

    def to_json(self) -> dict[str, Any]:
        return {"old_key": self.old, "new_key": self.new, "values": self.values, "indexes": self.indexes}


def _index_maps(base: type[DeclarativeBase]) -> dict[str, dict[str, str]]:
    """table name → {index column: sealed number column} from the models' ``__blind_indexes__``."""
    found: dict[str, dict[str, str]] = {}
    for mapper in base.registry.mappers:
        mapping = getattr(mapper.class_, "__blind_indexes__", None)
        if mapping:
            table = mapper.local_table
            found[str(table.name)] = {mapper.attrs[i].columns[0].name: mapper.attrs[s].columns[0].name  # type: ignore[attr-defined]
                                      for i, s in mapping.items()}
    return found


def rotate(store: Store, base: type[DeclarativeBase], *, record_table: str, at: dt.datetime) -> RotationReport:
    """Re-seal everything in ``store`` (its models under ``base``) with a new key generation."""
    old = keys_of(store.engine.dialect)
    if old.path is None:
        raise DataKeyError("数据密钥不是从密钥文件读取的，不能轮换")
    gen = new_generation(at)
    generations = {**old.generations, gen.id: gen}
    write_key_file(old.path, generations.values(), gen.id)  # (1): the old generations stay
    new = DataKeys(generations=generations, active=gen.id, index_id=gen.id, path=old.path)
    indexes = _index_maps(base)
    values = recomputed = 0
    with store.write() as session:
        conn = session.connection()
        for table in base.metadata.sorted_tables:
            sealed = [c for c in table.columns if isinstance(c.type, SealedText | SealedJSON)]
            if not sealed:
                continue
            pk = [c.name for c in table.primary_key.columns]
            index_of = indexes.get(str(table.name), {})
            raw = sa.table(str(table.name), *(sa.column(n) for n in {*pk, *(c.name for c in sealed), *index_of}))
            for row in conn.execute(sa.select(*(raw.c[c.name] for c in table.columns if c.name in raw.c))).all():
                changes: dict[str, Any] = {}
                for column in sealed:
                    value = getattr(row, column.name)
                    if not value:
                        continue
                    label = column.type.label  # type: ignore[attr-defined]
                    changes[column.name] = new.seal(old.open(value, label=label), label=label)
                    values += 1
                for index_column, source in index_of.items():
                    value = getattr(row, source)
                    changes[index_column] = new.blind_index(old.open(value, label=table.c[source].type.label)  # type: ignore[attr-defined]
                                                            if value else "")
                    recomputed += 1
                if changes:
                    where = sa.and_(*(raw.c[n] == getattr(row, n) for n in pk))
                    conn.execute(sa.update(raw).where(where).values(changes))
        record = sa.table(record_table, sa.column("id"), sa.column("probe"), sa.column("index_key_id"),
                          sa.column("updated_at"))
        fresh = {k: v for k, v in record_values(new).items() if k != "id"}
        conn.execute(sa.update(record).where(record.c.id == 1).values({**fresh, "updated_at": at}))
    bind_keys(store.engine.dialect, replace(new))
    return RotationReport(old.active, gen.id, values, recomputed)

