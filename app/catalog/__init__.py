"""The matter catalog (事项目录): loading and validating the TOML files, searching, and JSON payloads.

Storing versions in the database lives in :mod:`app.catalog.store`.
"""

from app.catalog.loader import DEFAULT_CATALOG_DIR, CatalogInvalid, CatalogReport, check_catalog, load_catalog
from app.catalog.model import Catalog, Department, Material, Matter, PledgeTerms, TimeLimit
from app.catalog.payload import matter_from_payload, matter_to_payload
from app.catalog.search import MatterIndex

__all__ = [
    "DEFAULT_CATALOG_DIR",
    "Catalog",
    "CatalogInvalid",
    "CatalogReport",
    "Department",
    "Material",
    "Matter",
    "MatterIndex",
    "PledgeTerms",
    "TimeLimit",
    "check_catalog",
    "load_catalog",
    "matter_from_payload",
    "matter_to_payload",
]
