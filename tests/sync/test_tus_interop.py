"""The hub's tus 1.0 endpoint with a standard tus client (tuspy, the reference Python client): a scan uploaded in
chunks with checksums, resumed by a fresh client after a cut, and a chunk at a wrong offset refused — so any
tus-conformant uploader (a region's gateway, a future client) can send scans to the hub."""

from __future__ import annotations

import hashlib
import io
import os

import pytest
from sqlalchemy import select
from tusclient import client as tus
from tusclient.exceptions import TusCommunicationError

from sync.server.hubdb import open_hub_store
from sync.server.models import Upload
from tests.sync.conftest import RunningHub

SCAN = os.urandom(150_000) + b"%%EOF"  # a scan of a few chunks


def _client(hub: RunningHub) -> tus.TusClient:
    return tus.TusClient(f"{hub.url}/files", headers=hub.auth())


def _stored(hub: RunningHub, upload_url: str) -> tuple[bytes, Upload]:
    upload_id = upload_url.rstrip("/").rsplit("/", 1)[-1]
    store = open_hub_store(hub.db_url)
    try:
        with store.read() as session:
            row = session.scalars(select(Upload).where(Upload.id == upload_id)).one()
            session.expunge(row)
    finally:
        store.dispose()
    return (hub.files / "uploads" / upload_id).read_bytes(), row


def test_a_tus_client_uploads_with_checksums_and_resumes_after_a_cut(hub: RunningHub) -> None:
    first = _client(hub).uploader(file_stream=io.BytesIO(SCAN), chunk_size=40_000, upload_checksum=True,
                                  metadata={"attachment_id": "tus-interop-1", "filename": "scan.pdf"})
    first.upload_chunk()
    first.upload_chunk()  # the link is cut here: two chunks of four are at the hub
    assert first.url is not None and first.offset == 80_000

    # A new client (the counter restarted) resumes from the hub's offset, as tus clients do with a stored URL.
    resumed = _client(hub).uploader(file_stream=io.BytesIO(SCAN), url=first.url, chunk_size=40_000,
                                    upload_checksum=True)
    assert resumed.offset == 80_000, "the client asked the hub where to go on (HEAD)"
    resumed.upload()

    data, row = _stored(hub, first.url)
    assert data == SCAN
    assert row.sha256 == hashlib.sha256(SCAN).hexdigest() and row.completed_at is not None
    assert row.meta.get("filename") == "scan.pdf"


def test_a_chunk_at_a_wrong_offset_is_refused_and_nothing_is_written(hub: RunningHub) -> None:
    uploader = _client(hub).uploader(file_stream=io.BytesIO(SCAN), chunk_size=40_000,
                                     metadata={"attachment_id": "tus-interop-2"})
    uploader.upload_chunk()
    assert uploader.url is not None
    uploader.offset = 120_000  # a client that lost count
    uploader.file_stream.seek(120_000)
    with pytest.raises(TusCommunicationError) as refused:
        uploader.upload_chunk()
    assert refused.value.status_code == 409
    data, row = _stored(hub, uploader.url)
    assert len(data) == 40_000 and row.completed_at is None, "the hub kept what it had, no more"
