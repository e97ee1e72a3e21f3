"""The checklist rules: every rule on its own, and the property that one more material never hurts."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.catalog.model import Material, Matter, PledgeTerms, TimeLimit
from app.checklist import (
    OUTCOME_RANK,
    ApplicantFacts,
    ChecklistPolicy,
    evaluate_checklist,
)
from app.errors import CalendarError, ValidationError
from app.workdays import default_calendar

CAL = default_calendar()
DAY = dt.date(2026, 9, 28)  # a Monday before the National Day holiday: deadlines must skip 10-01..10-07

PLEDGE = PledgeTerms(basis="国办发〔2020〕42号", content="婚姻状况属实", text="本人承诺所填婚姻状况属实",
                     verification="网络核验")
PERSONAL = PledgeTerms(basis="内政办发〔2020〕51号", content="无犯罪记录", text="本人承诺无犯罪记录",
                       verification="书面核查", personal=True)

MATTER = Matter(
    code="T001", name="测试许可", department="测试局", department_code="D1", kind="行政许可",
    promised=TimeLimit(5), legal=TimeLimit(20), queue_category="A",
    materials=(
        Material("id_card", "居民身份证", core=True, e_license="居民身份证"),
        Material("form", "申请表", core=True),
        Material("house", "房屋产权证明", deferrable=True, supply_days=3),
        Material("marriage", "婚姻状况证明", pledgeable=True, pledge=PLEDGE),
        Material("record", "无犯罪记录证明", pledgeable=True, pledge=PERSONAL),
        Material("residence", "居住证明", deferrable=True, supply_days=10, pledgeable=True, pledge=PLEDGE),
        Material("core_pledge", "资格证明", core=True, deferrable=True, supply_days=3),
        Material("authorization", "授权委托书", condition="proxy"),
        Material("license", "营业执照", condition="organisation", core=True),
        Material("photo", "近期照片", required=False),
    ),
)
ALL = ("id_card", "form", "house", "marriage", "record", "residence", "core_pledge")
PERSON = ApplicantFacts()


def full(**changes: str) -> dict[str, str]:
    states = dict.fromkeys(ALL, "original")
    states.update(changes)
    return states


DEFAULT_POLICY = ChecklistPolicy()


def run(states: dict[str, str], applicant: ApplicantFacts = PERSON, policy: ChecklistPolicy = DEFAULT_POLICY):
    return evaluate_checklist(MATTER, states, applicant=applicant, accepted_on=DAY, calendar=CAL,  # type: ignore[arg-type]
                              policy=policy)


def test_everything_in_hand_is_normal_with_both_deadlines_on_the_workday_calendar() -> None:
    d = run(full())
    assert d.outcome == "normal" and d.label == "正常受理"
    # 5 working days from Mon 09-28: 29, 30, then after the holiday 10-08, 10-09 and the 调休 Saturday 10-10.
    assert d.promised_due == dt.date(2026, 10, 10)
    assert d.legal_due == dt.date(2026, 10, 30)
    assert d.notice == () and d.supplement_due is None


def test_copy_and_e_license_count_as_received() -> None:
    assert run(full(id_card="e_license", form="copy")).outcome == "normal"


def test_e_license_for_a_material_without_one_names_the_material() -> None:
    with pytest.raises(ValidationError) as err:
        run(full(form="e_license"))
    assert err.value.field == "form" and "申请表" in err.value.message


def test_a_key_the_matter_does_not_have_is_rejected_naming_the_key() -> None:
    with pytest.raises(ValidationError) as err:
        run(full(passport="original"))
    assert err.value.field == "passport" and "passport" in err.value.message


def test_an_unknown_state_is_rejected() -> None:
    with pytest.raises(ValidationError) as err:
        run(full(house="maybe"))
    assert err.value.field == "house"


def test_core_material_is_never_deferrable_even_when_marked_so() -> None:
    d = run(full(core_pledge="deferred"))
    assert d.outcome == "supplement"
    assert any("核心材料" in r for r in d.reasons)


def test_deferrable_material_defers_with_a_supply_deadline_in_working_days() -> None:
    d = run(full(house="deferred"))
    assert d.outcome == "deferred" and d.label == "容缺受理"
    assert d.deferred == ("house",)
    assert d.due_of("house") == dt.date(2026, 10, 8)  # 29, 30, then past the 国庆 holiday
    assert d.supplement_due == d.due_of("house")
    assert any("容缺受理承诺书" in r for r in d.reasons)


def test_supply_deadline_never_runs_past_the_promised_completion() -> None:
    d = run(full(residence="deferred"))  # 10 working days asked, promise is 5
    assert d.outcome == "deferred"
    assert d.due_of("residence") == d.promised_due
    assert CAL.add_workdays(DAY, 10) > d.promised_due  # type: ignore[operator]


def test_default_supply_days_apply_when_the_catalog_names_none() -> None:
    matter = Matter(code="T2", name="无期限", department="d", department_code="d", kind="k",
                    promised=TimeLimit(15), legal=TimeLimit(20), queue_category="A",
                    materials=(Material("a", "甲", deferrable=True),))
    d = evaluate_checklist(matter, {"a": "deferred"}, applicant=PERSON, accepted_on=DAY, calendar=CAL,
                           policy=ChecklistPolicy(default_supply_days=7))
    assert d.due_of("a") == CAL.add_workdays(DAY, 7)


def test_a_material_not_marked_deferrable_cannot_be_deferred() -> None:
    d = run(full(marriage="deferred"))
    assert d.outcome == "supplement"
    assert any("不在容缺材料清单内" in r for r in d.reasons)


def test_pledgeable_material_gives_pledge_outcome() -> None:
    d = run(full(marriage="pledge"))
    assert d.outcome == "pledge" and d.label == "告知承诺"
    assert d.pledged == ("marriage",) and d.promised_due is not None


def test_a_material_not_pledgeable_cannot_be_pledged() -> None:
    d = run(full(house="pledge"))
    assert d.outcome == "supplement"
    assert any("不适用告知承诺" in r for r in d.reasons)


def test_personal_pledge_cannot_be_signed_by_a_proxy() -> None:
    proxy = ApplicantFacts(proxy=True)
    d = run(full(record="pledge", authorization="original"), proxy)
    assert d.outcome == "supplement"
    assert any("本人到场签署" in r for r in d.reasons)
    item = next(n for n in d.notice if n.key == "record")
    assert "须本人签署" in item.options


def test_personal_pledge_in_person_is_accepted_and_marked() -> None:
    d = run(full(record="pledge"))
    assert d.outcome == "pledge"
    assert d.personal_pledges == ("record",)
    assert any("本人签署" in r for r in d.reasons)


def test_proxy_needs_the_authorization_and_a_person_does_not() -> None:
    proxy = ApplicantFacts(proxy=True)
    refused = run(full(), proxy)
    assert refused.outcome == "supplement"
    assert any("帮办代办须提交\"授权委托书\"" in r for r in refused.reasons)
    assert run(full(authorization="original"), proxy).outcome == "normal"
    assert run(full()).outcome == "normal"  # no proxy: the authorization is not asked for


def test_organisation_materials_apply_only_to_organisations() -> None:
    org = ApplicantFacts(organisation=True)
    assert run(full(), org).outcome == "supplement"
    assert run(full(license="original"), org).outcome == "normal"


def test_excluded_applicant_cannot_defer_or_pledge() -> None:
    bad = ApplicantFacts(excluded=True, excluded_reason="虚假承诺")
    d = run(full(house="deferred"), bad)
    assert d.outcome == "supplement" and any("失信" in r and "虚假承诺" in r for r in d.reasons)
    assert run(full(marriage="pledge"), bad).outcome == "supplement"
    lenient = ChecklistPolicy(excluded_blocks_pledge=False)
    assert run(full(marriage="pledge"), bad, lenient).outcome == "pledge"
    assert run(full(house="deferred"), bad, lenient).outcome == "supplement"  # 容缺 stays barred


def test_hall_switches_turn_off_deferral_and_pledge() -> None:
    d = run(full(house="deferred"), policy=ChecklistPolicy(allow_deferral=False))
    assert d.outcome == "supplement" and any("未开通容缺受理" in r for r in d.reasons)
    d = run(full(marriage="pledge"), policy=ChecklistPolicy(allow_pledge=False))
    assert d.outcome == "supplement" and any("未开通告知承诺" in r for r in d.reasons)


def test_deferral_dominates_pledge_and_both_sets_are_recorded() -> None:
    d = run(full(house="deferred", marriage="pledge"))
    assert d.outcome == "deferred"
    assert d.deferred == ("house",) and d.pledged == ("marriage",)
    assert any("告知承诺" in r for r in d.reasons)


def test_supplement_notice_lists_everything_still_needed_once() -> None:
    d = run({"id_card": "original", "house": "deferred", "marriage": "pledge", "core_pledge": "deferred"})
    assert d.outcome == "supplement" and d.label == "补正告知" and not d.accepted
    keys = [n.key for n in d.notice]
    assert len(keys) == len(set(keys))
    # Missing ones, the invalid deferral, and even what could be deferred/pledged: one trip brings it all.
    assert set(keys) == {"form", "record", "residence", "core_pledge", "house", "marriage"}
    assert "photo" not in keys  # optional
    assert d.promised_due is None and d.supplement_due is None


def test_optional_material_may_be_absent() -> None:
    assert run(full()).outcome == "normal"
    assert run(full(photo="missing")).outcome == "normal"


def test_a_date_outside_the_calendar_is_an_error_not_a_guess() -> None:
    with pytest.raises(CalendarError):
        evaluate_checklist(MATTER, full(), applicant=PERSON, accepted_on=dt.date(2031, 3, 3), calendar=CAL)  # type: ignore[arg-type]


def test_a_deadline_in_a_provisional_year_says_so() -> None:
    """Accepted on Mon 2026-12-07, the 20-working-day legal limit ends in January 2027, whose notice is not out:
    the decision is made, and its reasons say the date follows only the statutory holidays for now."""
    d = evaluate_checklist(MATTER, full(), applicant=PERSON, accepted_on=dt.date(2026, 12, 7), calendar=CAL)  # type: ignore[arg-type]
    assert d.outcome == "normal" and d.legal_due is not None and d.legal_due.year == 2027
    assert any("2027 年：该年放假安排尚未公布" in r for r in d.reasons), d.reasons
    assert not any("尚未公布" in r for r in run(full()).reasons)  # all of it in 2026: nothing to say


def test_to_json_carries_outcome_deadlines_and_notice() -> None:
    data = run(full(house="deferred")).to_json()
    assert data["outcome"] == "deferred" and data["label"] == "容缺受理"
    assert data["supplement_due"] == CAL.add_workdays(DAY, 3).isoformat()


STATE = st.sampled_from(["original", "copy", "deferred", "pledge", "defective", "missing"])
KEYS = [m.key for m in MATTER.materials if m.key != "id_card"]


@settings(max_examples=300, deadline=None)
@given(
    states=st.fixed_dictionaries({k: STATE for k in KEYS}),
    proxy=st.booleans(), organisation=st.booleans(), excluded=st.booleans(),
    allow_deferral=st.booleans(), allow_pledge=st.booleans(),
    which=st.sampled_from(KEYS),
)
def test_receiving_one_more_material_never_makes_the_decision_worse(
    states: dict[str, str], proxy: bool, organisation: bool, excluded: bool, allow_deferral: bool,
    allow_pledge: bool, which: str,
) -> None:
    applicant = ApplicantFacts(proxy=proxy, organisation=organisation, excluded=excluded)
    policy = ChecklistPolicy(allow_deferral=allow_deferral, allow_pledge=allow_pledge)
    before = run(states, applicant, policy)
    better = dict(states, **{which: "original"})
    after = run(better, applicant, policy)
    assert OUTCOME_RANK[after.outcome] >= OUTCOME_RANK[before.outcome]


@st.composite
def random_matter(draw: st.DrawFn) -> Matter:
    count = draw(st.integers(min_value=1, max_value=6))
    materials = []
    for i in range(count):
        personal = draw(st.booleans())
        materials.append(Material(
            key=f"m{i}", name=f"材料{i}", core=draw(st.booleans()), required=draw(st.booleans()),
            condition=draw(st.sampled_from(["always", "always", "proxy", "person", "organisation"])),
            deferrable=draw(st.booleans()), supply_days=draw(st.none() | st.integers(0, 30)),
            pledgeable=draw(st.booleans()), pledge=PERSONAL if personal else PLEDGE,
        ))
    return Matter(code="R", name="随机事项", department="d", department_code="d", kind="k",
                  promised=TimeLimit(draw(st.integers(0, 30))), legal=TimeLimit(draw(st.integers(0, 40))),
                  queue_category="A", materials=tuple(materials))


@settings(max_examples=300, deadline=None)
@given(matter=random_matter(), data=st.data(), proxy=st.booleans(), organisation=st.booleans(),
       excluded=st.booleans(), allow_deferral=st.booleans(), allow_pledge=st.booleans())
def test_one_more_material_never_hurts_for_any_catalog_entry(
    matter: Matter, data: st.DataObject, proxy: bool, organisation: bool, excluded: bool, allow_deferral: bool,
    allow_pledge: bool,
) -> None:
    states = {m.key: data.draw(STATE) for m in matter.materials}
    which = data.draw(st.sampled_from([m.key for m in matter.materials]))
    applicant = ApplicantFacts(proxy=proxy, organisation=organisation, excluded=excluded)
    policy = ChecklistPolicy(allow_deferral=allow_deferral, allow_pledge=allow_pledge)
    kwargs = dict(applicant=applicant, accepted_on=DAY, calendar=CAL, policy=policy)
    before = evaluate_checklist(matter, states, **kwargs)  # type: ignore[arg-type]
    after = evaluate_checklist(matter, dict(states, **{which: "original"}), **kwargs)  # type: ignore[arg-type]
    assert OUTCOME_RANK[after.outcome] >= OUTCOME_RANK[before.outcome]
    # Whatever the entry says, a supply deadline never runs past the promised completion.
    for d in (before, after):
        for m in d.materials:
            if m.due is not None:
                assert d.promised_due is not None and m.due <= d.promised_due
