"""Kill test: a process accepting cases is SIGKILLed at named points and at random moments; afterwards the store
holds each case whole (case, materials, event, outbox, audit, attachment files with the right hash) or not at all.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.store import open_store
from app.store.models import Attachment, AuditEvent, Case, CaseEvent, CaseMaterial, Outbox
from tests.app._case_kit import prepare

REPO = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent(
    """
    import os, sys, uuid
    sys.path.insert(0, {repo!r})
    from pathlib import Path
    from app.cases.service import AttachmentInput, accept, CRASH_ENV
    from app.store import open_store
    from tests.app._case_kit import pension_request, person_id
    from tests.hall_clock import CLOCK

    store = open_store(sys.argv[1], upgrade=False)
    files = Path(sys.argv[2])
    point, after = os.environ.get("KILL_POINT", ""), int(os.environ.get("KILL_AFTER", "0"))
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        if point and n > after:
            os.environ[CRASH_ENV] = point
        scan = os.urandom(20000 + n)
        request = pension_request(id_no=person_id(seq=n % 1000), photo="deferred" if n % 3 == 0 else "original",
                                  files=(AttachmentInput(f"scan{{n}}.jpg", scan),))
        print("start", request.request_id, flush=True)
        accept(store, request, files_dir=files, clock=CLOCK)
        print("done", request.request_id, flush=True)
    """
)


def _run_child(url: str, files: Path, script: Path, *, point: str = "", after: int = 0,
               kill_after_lines: int | None = None) -> tuple[list[str], int]:
    env = dict(os.environ, KILL_POINT=point, KILL_AFTER=str(after))
    env.pop("ZC_CRASH_AT", None)
    proc = subprocess.Popen([sys.executable, str(script), url, str(files)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=REPO)
    assert proc.stdout is not None
    lines: list[str] = []
    for line in proc.stdout:
        lines.append(line.strip())
        if kill_after_lines is not None and len(lines) >= kill_after_lines:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=60)
    stderr = proc.stderr.read() if proc.stderr else ""
    proc.stdout.close()
    if proc.stderr:
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL, stderr
    return lines, proc.returncode


def _check_whole_or_nothing(url: str, files: Path, done_ids: set[str]) -> int:
    store = open_store(url, upgrade=False)
    try:
        with store.read() as s:
            cases = {c.id: c for c in s.scalars(select(Case))}
            assert done_ids <= set(cases), "a case the process reported accepted is missing"
            for case in cases.values():
                n_materials = s.scalar(select(func.count()).select_from(CaseMaterial)
                                       .where(CaseMaterial.case_id == case.id))
                assert n_materials == len(case.matter_snapshot["materials"]) - 2  # minus the 2 proxy-only ones
                assert s.scalar(select(func.count()).select_from(CaseEvent).where(
                    CaseEvent.case_id == case.id, CaseEvent.kind == "accept")) == 1
                outbox = s.scalars(select(Outbox).where(Outbox.case_id == case.id,
                                                         Outbox.kind == "case.accept")).all()
                assert len(outbox) == 1 and outbox[0].payload["case_no"] == case.case_no
                assert s.scalar(select(func.count()).select_from(AuditEvent).where(
                    AuditEvent.action == "case.accept", AuditEvent.target == case.case_no)) == 1
                attachments = s.scalars(select(Attachment).where(Attachment.case_id == case.id)).all()
                assert len(attachments) == 1
                for att in attachments:
                    data = (files / att.path).read_bytes()
                    assert hashlib.sha256(data).hexdigest() == att.sha256 and len(data) == att.size
            # Nothing that belongs to a case exists without it.
            assert set(s.scalars(select(Outbox.case_id).where(Outbox.kind == "case.accept"))) <= set(cases)
            numbers = set(s.scalars(select(AuditEvent.target).where(AuditEvent.action == "case.accept")))
            assert numbers == {c.case_no for c in cases.values()}
            assert set(s.scalars(select(CaseMaterial.case_id))) <= set(cases)
            assert set(s.scalars(select(Attachment.case_id))) <= set(cases)
        return len(cases)
    finally:
        store.dispose()


@pytest.mark.timeout(240)
def test_sigkill_at_named_points_leaves_whole_cases_or_nothing(any_url: str, tmp_path: Path) -> None:
    store = open_store(any_url)
    prepare(store)
    store.dispose()
    script = tmp_path / "child.py"
    script.write_text(CHILD.format(repo=str(REPO)), encoding="utf-8")
    files = tmp_path / "files"
    done: set[str] = set()
    total_before = 0
    for point in ("after_files", "after_flush", "before_commit", "after_commit"):
        lines, _rc = _run_child(any_url, files, script, point=point, after=2)
        done |= {line.split()[1] for line in lines if line.startswith("done")}
        in_flight = [line.split()[1] for line in lines if line.startswith("start")][-1]
        count = _check_whole_or_nothing(any_url, files, done)
        # Killed before the commit: the case in flight is absent; killed after it: present and whole.
        store = open_store(any_url, upgrade=False)
        with store.read() as s:
            present = s.get(Case, in_flight) is not None
        store.dispose()
        assert present == (point == "after_commit"), point
        assert count == total_before + 2 + (1 if point == "after_commit" else 0)
        total_before = count


@pytest.mark.timeout(240)
def test_sigkill_at_random_moments_leaves_whole_cases_or_nothing(any_url: str, tmp_path: Path) -> None:
    store = open_store(any_url)
    prepare(store)
    store.dispose()
    script = tmp_path / "child.py"
    script.write_text(CHILD.format(repo=str(REPO)), encoding="utf-8")
    files = tmp_path / "files"
    rng = random.Random(20261122)
    done: set[str] = set()
    for _ in range(4):
        # Kill after a random number of progress lines: lands between and inside acceptances.
        lines, _rc = _run_child(any_url, files, script, kill_after_lines=rng.randrange(2, 14))
        done |= {line.split()[1] for line in lines if line.startswith("done")}
        _check_whole_or_nothing(any_url, files, done)
    assert len(done) >= 4  # the kills fell at different points of several acceptances
