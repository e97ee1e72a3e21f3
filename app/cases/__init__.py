"""办件: accepting a case, its life afterwards, and the JSON it travels as.

Import from here: ``accept_case``, ``find_case``, ``search_cases`` and the request/view dataclasses.
"""

from app.case_no import CaseNo, normalize_case_no, speak_case_no
from app.cases.correction import complete_correction
from app.cases.request import AcceptRequest, ApplicantInput, AttachmentInput, MaterialInput, ProxyInput
from app.cases.service import AcceptResult, accept, accept_case, preview_decision, supply_materials
from app.cases.views import CaseSummary, CaseView, case_exists, find_case, list_cases, search_cases

__all__ = [
    "AcceptRequest",
    "AcceptResult",
    "ApplicantInput",
    "AttachmentInput",
    "CaseNo",
    "CaseSummary",
    "CaseView",
    "MaterialInput",
    "ProxyInput",
    "accept",
    "accept_case",
    "case_exists",
    "complete_correction",
    "find_case",
    "list_cases",
    "normalize_case_no",
    "preview_decision",
    "search_cases",
    "speak_case_no",
    "supply_materials",
]
