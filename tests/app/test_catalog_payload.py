"""A matter survives the trip to JSON and back unchanged (it is what cases snapshot and the store keeps)."""

from __future__ import annotations

import json

import pytest

from app.catalog import load_catalog, matter_from_payload, matter_to_payload
from app.catalog.payload import catalog_from_payload, catalog_sha256, catalog_to_payload
from app.errors import CatalogError


def test_every_shipped_matter_round_trips_through_json() -> None:
    for matter in load_catalog().matters:
        payload = json.loads(json.dumps(matter_to_payload(matter), ensure_ascii=False))
        assert matter_from_payload(payload) == matter, matter.code


def test_payload_spells_out_pledge_terms_and_limits() -> None:
    matter = load_catalog().matter("150929-SB-005")
    assert matter is not None
    payload = matter_to_payload(matter)
    assert payload["promised"] == {"amount": 10, "unit": "workday"}
    kinship = next(x for x in payload["materials"] if x["key"] == "kinship")
    assert kinship["pledgeable"] and kinship["pledge"]["personal"] is True
    assert "不实承诺" in kinship["pledge"]["liability"]
    assert payload["department"] == "四子王旗社会保险事业服务中心"


def test_catalog_round_trip_and_stable_hash() -> None:
    catalog = load_catalog()
    again = catalog_from_payload(json.loads(json.dumps(catalog_to_payload(catalog))))
    assert again == catalog
    assert catalog_sha256(again) == catalog_sha256(catalog)


def test_broken_payload_is_a_catalog_error() -> None:
    matter = load_catalog().matters[0]
    payload = matter_to_payload(matter)
    del payload["materials"]
    with pytest.raises(CatalogError, match=f"事项 {matter.code} 的存储数据不完整"):
        matter_from_payload(payload)
