"""docs/hub-openapi.json is generated from the code and matches it; an OpenAPI-driven fuzz run (schemathesis)
against the hub on loopback finds no 5xx and no answer outside the document."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync.server import __main__ as hub_cli
from sync.server.openapi import DOC, build_spec, render
from tests.sync.conftest import RunningHub

schemathesis = pytest.importorskip("schemathesis")


def test_the_checked_in_document_is_the_one_the_code_generates(capsys: pytest.CaptureFixture[str]) -> None:
    assert DOC.read_text(encoding="utf-8") == render(), "run: python -m sync.server openapi"
    assert hub_cli.main(["openapi", "--check"]) == 0
    spec = build_spec()
    assert set(spec["paths"]) == {"/v1/health", "/v1/enrol", "/files/", "/files/{upload_id}", "/v1/cases",
                                  "/v1/changes"}
    assert "rating" in spec["components"]["schemas"]["Item"]["properties"]["kind"]["enum"]


def test_check_fails_on_a_stale_document(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    stale = tmp_path / "hub-openapi.json"
    stale.write_text(render().replace("tus capabilities", "old words"), encoding="utf-8")
    assert hub_cli.main(["openapi", "--check", "--out", str(stale)]) == 1
    assert "与代码不一致" in capsys.readouterr().err


def test_schemathesis_finds_no_server_error_nor_an_undocumented_answer(hub: RunningHub) -> None:
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )
    from schemathesis.transport.requests import binary_serializer

    schemathesis.serializer("application/offset+octet-stream")(binary_serializer)  # tus chunks: raw bytes
    schema = schemathesis.openapi.from_dict(build_spec())
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 8
    calls: list[int] = []

    @settings(max_examples=40 * len(operations), deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def fuzz(data: st.DataObject) -> None:
        operation = data.draw(st.sampled_from(operations))
        case = data.draw(operation.as_strategy())
        response = case.call_and_validate(base_url=hub.url, headers=hub.auth(), checks=checks, timeout=10)
        calls.append(response.status_code)

    fuzz()
    assert len(calls) >= 100 and all(code < 500 for code in calls)
    assert any(200 <= code < 300 for code in calls)  # some calls were valid and went through
