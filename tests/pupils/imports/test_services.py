"""Reading a file into a preview and applying it, through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from incidents.models import PersonKind
from incidents.services import incident_create, involvement_add
from pupils.imports.plan import DIFFERENT, SAME
from pupils.imports.services import (
    StalePlanError,
    plan_for,
    pupil_import_answer,
    pupil_import_apply,
    pupil_import_read,
)
from pupils.models import ImportStatus, PupilImport
from safeguarding.history_chain import verify_audit_trail
from safeguarding.models import Pupil, SocialCare
from tests.factories import IncidentFactory, InvolvementFactory, PupilFactory
from tests.pupils.imports.conftest import example
from tests.pupils.imports.reading.builders import csv_bytes, pupil, upn

pytestmark = pytest.mark.django_db


def read(people, data, **options):
    return pupil_import_read(
        actor=people.dsl, school=people.school, data=data, file_name="roll.csv", **options
    )


def apply(people, pupil_import, decisions=None, **options):
    """Answer the possible matches (if given), then confirm the preview as shown."""
    if decisions:
        pupil_import = pupil_import_answer(
            actor=people.dsl, pupil_import=pupil_import, decisions=decisions
        )
    return pupil_import_apply(
        actor=people.dsl,
        pupil_import=pupil_import,
        expected_digest=plan_for(pupil_import).digest(),
        **options,
    )


def test_reading_writes_no_pupil_and_records_the_import(people):
    data = csv_bytes([pupil(1), pupil(2, Legal_Forename="Ravi")])
    pupil_import = read(people, data)
    assert Pupil.objects.count() == 0
    assert pupil_import.status == ImportStatus.PREVIEWED
    assert pupil_import.reference == "RA-P-2026-0001"
    assert (pupil_import.new_count, pupil_import.rejected_count) == (2, 0)
    assert len(pupil_import.sha256) == 64
    assert pupil_import.uploaded_by == people.dsl


def test_a_refused_file_stores_nothing(people):
    with pytest.raises(ValidationError) as refused:
        read(people, b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    assert "upload" in refused.value.message_dict
    assert PupilImport.objects.count() == 0


def test_applying_creates_pupils_with_a_chained_history_naming_the_import(people):
    pupil_import = read(people, csv_bytes([pupil(1), pupil(2, Legal_Forename="Ravi")]))
    apply(people, pupil_import)
    pupils = Pupil.objects.filter(school=people.school)
    assert pupils.count() == 2
    for created in pupils:
        (row,) = created.history.all()
        assert row.history_change_reason == pupil_import.history_reason
        assert row.history_user == people.dsl
        assert len(row.chain_hash) == 64
    pupil_import.refresh_from_db()
    assert pupil_import.status == ImportStatus.APPLIED
    assert pupil_import.applied_by == people.dsl
    assert verify_audit_trail().verified


def test_the_same_file_twice_changes_nothing(people):
    data = csv_bytes([pupil(1), pupil(2, Legal_Forename="Ravi")])
    apply(people, read(people, data))
    again = read(people, data)
    plan = plan_for(again)
    assert (len(plan.new), len(plan.changed), len(plan.leaving), plan.unchanged) == (0, 0, 0, 2)
    apply(people, again)
    assert all(p.history.count() == 1 for p in Pupil.objects.all())


def test_a_changed_field_is_shown_old_to_new_and_written_with_history(people):
    apply(people, read(people, csv_bytes([pupil(1, Year="7")])))
    pupil_import = read(
        people,
        csv_bytes([pupil(1, Year="8", Reg_Group="8JB")], headings=[*pupil(1), "Reg Group"]),
    )
    (changed,) = plan_for(pupil_import).changed
    assert [(c.label, c.before, c.after) for c in changed.changes] == [
        ("Year group", "Year 7", "Year 8"),
        ("Registration group", "(none)", "8JB"),
    ]
    apply(people, pupil_import)
    child = Pupil.objects.get()
    assert (child.year_group, child.registration_group) == ("8", "8JB")
    newest = child.history.first()
    assert newest.history_type == "~"
    assert newest.history_change_reason == pupil_import.history_reason
    assert verify_audit_trail().verified


def test_a_column_the_file_lacks_is_left_as_it_is(people):
    child = PupilFactory(
        school=people.school, upn=upn(1), send=True, registration_group="11A", year_group="11"
    )
    plan = plan_for(
        read(
            people,
            csv_bytes([pupil(1, Legal_Forename=child.given_name, Legal_Surname=child.family_name,
                             DOB="17/05/2010", Year="11")]),
        )
    )  # fmt: skip
    assert plan.unchanged == 1


def test_a_new_upn_with_the_name_and_birth_date_of_a_pupil_on_roll_waits_for_an_answer(people):
    old = PupilFactory(
        school=people.school,
        upn=upn(1),
        given_name="Zoë",
        family_name="Clarke",
        date_of_birth=dt.date(2014, 11, 14),
        year_group="7",
    )
    pupil_import = read(people, csv_bytes([pupil(9)]))
    plan = plan_for(pupil_import)
    (match,) = plan.matches
    assert (match.pupil_id, match.upn, match.decision) == (old.pk, upn(9), "")
    assert plan.new == []
    with pytest.raises(ValidationError, match="same child"):
        apply(people, pupil_import)
    apply(people, pupil_import, decisions={str(match.row): SAME})
    old.refresh_from_db()
    assert old.upn == upn(9)
    assert Pupil.objects.count() == 1


def test_a_different_child_is_added_beside_the_one_on_roll(people):
    PupilFactory(
        school=people.school,
        upn=upn(1),
        given_name="Zoë",
        family_name="Clarke",
        date_of_birth=dt.date(2014, 11, 14),
    )
    pupil_import = read(people, csv_bytes([pupil(9)]))
    (match,) = plan_for(pupil_import).matches
    apply(people, pupil_import, decisions={str(match.row): DIFFERENT})
    assert set(Pupil.objects.values_list("upn", flat=True)) == {upn(1), upn(9)}


def test_a_full_roll_marks_absent_pupils_as_left_and_never_deletes(people):
    stays = PupilFactory(school=people.school, upn=upn(1), given_name="Zoë", family_name="Clarke",
                         date_of_birth=dt.date(2014, 11, 14), year_group="7")  # fmt: skip
    leaves = PupilFactory(school=people.school, upn=upn(2))
    already_left = PupilFactory(school=people.school, upn=upn(3), left_on=dt.date(2025, 7, 20))
    pupil_import = read(
        people, csv_bytes([pupil(1)]), full_roll=True, leaving_on=dt.date(2026, 9, 1)
    )
    plan = plan_for(pupil_import)
    assert [item.pupil_id for item in plan.leaving] == [leaves.pk]
    apply(people, pupil_import)
    leaves.refresh_from_db()
    stays.refresh_from_db()
    already_left.refresh_from_db()
    assert leaves.left_on == dt.date(2026, 9, 1)
    assert stays.left_on is None
    assert already_left.left_on == dt.date(2025, 7, 20)
    assert Pupil.objects.count() == 3


def test_a_pupil_whose_row_is_rejected_is_not_marked_as_left(people):
    PupilFactory(school=people.school, upn=upn(1))
    data = csv_bytes([pupil(1, DOB="31/02/2014"), pupil(2)])
    plan = plan_for(read(people, data, full_roll=True, leaving_on=dt.date(2026, 9, 1)))
    assert plan.leaving == []
    assert plan.rejected_rows == 1


def test_leavers_with_safeguarding_records_are_counted_for_the_transfer(people):
    from pupils.imports.selectors import leavers_with_files, with_safeguarding_records

    involved = PupilFactory(school=people.school, upn=upn(2))
    InvolvementFactory(incident=IncidentFactory(school=people.school), pupil=involved)
    PupilFactory(school=people.school, upn=upn(3))
    pupil_import = read(
        people, csv_bytes([pupil(1)]), full_roll=True, leaving_on=dt.date(2026, 9, 1)
    )
    plan = plan_for(pupil_import)
    assert with_safeguarding_records([p.pupil_id for p in plan.leaving]) == {involved.pk}
    apply(people, pupil_import)
    assert list(leavers_with_files(people.school)) == [involved]


def test_a_roll_changed_since_the_preview_is_refused(people):
    pupil_import = read(people, csv_bytes([pupil(1)]))
    digest = plan_for(pupil_import).digest()
    PupilFactory(school=people.school, upn=upn(1))  # someone added her meanwhile
    with pytest.raises(StalePlanError):
        pupil_import_apply(actor=people.dsl, pupil_import=pupil_import, expected_digest=digest)
    assert Pupil.objects.count() == 1


def test_an_import_is_applied_once(people):
    pupil_import = read(people, csv_bytes([pupil(1)]))
    apply(people, pupil_import)
    with pytest.raises(ValidationError, match="already been applied"):
        apply(people, pupil_import)


def test_looked_after_keeps_social_care_consistent(people):
    child = PupilFactory(school=people.school, upn=upn(1), given_name="Zoë", family_name="Clarke",
                         date_of_birth=dt.date(2014, 11, 14), year_group="7")  # fmt: skip
    headings = [*pupil(1), "In Care"]
    apply(people, read(people, csv_bytes([pupil(1, In_Care="Y")], headings=headings)))
    child.refresh_from_db()
    assert (child.looked_after, child.social_care) == (True, SocialCare.CURRENT)
    apply(people, read(people, csv_bytes([pupil(1, In_Care="N")], headings=headings)))
    child.refresh_from_db()
    assert (child.looked_after, child.social_care) == (False, SocialCare.PREVIOUS)


def test_becoming_looked_after_re_triages_the_pupils_open_incidents(people):
    incident = incident_create(
        actor=people.dsl,
        school=people.school,
        came_to_light_how="disclosure_pupil",
        came_to_light_at=timezone.now() - dt.timedelta(hours=1),
        relationship=True,
    )
    child = PupilFactory(school=people.school, upn=upn(1), given_name="Zoë", family_name="Clarke",
                         date_of_birth=dt.date(2014, 11, 14), year_group="7")  # fmt: skip
    involvement_add(
        actor=people.dsl, incident=incident, kind=PersonKind.PUPIL, pupil=child, roles=["pictured"]
    )
    assert incident.triage_assessments.get().immediate_referral is False
    headings = [*pupil(1), "In Care"]
    apply(people, read(people, csv_bytes([pupil(1, In_Care="Y")], headings=headings)))
    newest = incident.triage_assessments.first()
    assert [c["id"] for c in newest.result["criteria"]] == ["vulnerable_pupil"]


def test_a_ctf_for_another_school_is_refused(riverside, people):
    riverside.dfe_number = "3839999"
    riverside.save()
    with pytest.raises(ValidationError, match="addressed to DfE number"):
        read(people, example("pupils-ctf.xml"))


def test_a_file_without_a_preferred_name_column_leaves_preferred_names_alone(people):
    PupilFactory(school=people.school, upn=upn(1), given_name="Zoë", family_name="Clarke",
                 preferred_given_name="Zee", date_of_birth=dt.date(2014, 11, 14),
                 year_group="7")  # fmt: skip
    plan = plan_for(read(people, csv_bytes([pupil(1)])))
    assert plan.unchanged == 1


def test_a_row_carrying_another_childs_upn_is_rejected_not_renamed(people):
    PupilFactory(school=people.school, upn=upn(1), given_name="Zoë", family_name="Clarke",
                 date_of_birth=dt.date(2014, 11, 14), year_group="7")  # fmt: skip
    data = csv_bytes([pupil(1, Legal_Forename="Ravi", Legal_Surname="Shah", DOB="02/02/2015")])
    plan = plan_for(read(people, data))
    (problem,) = plan.rejected
    assert problem.field == "UPN"
    assert "This UPN is that of Zoë Clarke (born 14/11/2014)" in problem.reason
    assert plan.changed == []


def test_a_whole_roll_with_a_rejected_row_marks_nobody_as_left(people):
    PupilFactory(school=people.school, upn=upn(1))
    PupilFactory(school=people.school, upn=upn(2))
    data = csv_bytes([pupil(3), pupil(4, UPN="A" + upn(4)[1:])])  # a mistyped check letter
    plan = plan_for(read(people, data, full_roll=True, leaving_on=dt.date(2026, 9, 1)))
    assert plan.leaving == []
    assert plan.leavers_held_back == 2


def test_a_pupil_admitted_after_the_leaving_date_is_not_marked_as_left(people):
    PupilFactory(school=people.school, upn=upn(2), admitted_on=dt.date(2026, 9, 7))
    plan = plan_for(
        read(people, csv_bytes([pupil(1)]), full_roll=True, leaving_on=dt.date(2026, 9, 1))
    )
    assert plan.leaving == []


def test_leaving_before_admission_is_a_rejected_row_naming_both_dates(people):
    headings = [*pupil(1), "Admission Date", "Date of Leaving"]
    row = pupil(1, Admission_Date="05/09/2026", Date_of_Leaving="01/09/2026")
    plan = plan_for(read(people, csv_bytes([row], headings=headings)))
    (problem,) = plan.rejected
    assert problem.reason == (
        "The date of leaving 01/09/2026 is before the date of admission 05/09/2026."
    )
    assert plan.new == []


def test_answering_different_child_shows_the_child_on_roll_leaving_before_confirming(people):
    old = PupilFactory(school=people.school, upn=upn(1), given_name="Zoe", family_name="Clarke",
                       date_of_birth=dt.date(2014, 11, 14), year_group="7")  # fmt: skip
    pupil_import = read(
        people, csv_bytes([pupil(9)]), full_roll=True, leaving_on=dt.date(2026, 9, 1)
    )
    (match,) = plan_for(pupil_import).matches  # "Zoë" matches "Zoe"
    assert plan_for(pupil_import).leaving == []
    shown = plan_for(pupil_import).digest()
    answered = pupil_import_answer(
        actor=people.dsl, pupil_import=pupil_import, decisions={str(match.row): DIFFERENT}
    )
    plan = plan_for(answered)
    assert [item.pupil_id for item in plan.leaving] == [old.pk]
    with pytest.raises(StalePlanError):  # the preview without the answer is not this one
        pupil_import_apply(actor=people.dsl, pupil_import=answered, expected_digest=shown)
    pupil_import_apply(actor=people.dsl, pupil_import=answered, expected_digest=plan.digest())
    old.refresh_from_db()
    assert old.left_on == dt.date(2026, 9, 1)


def test_a_long_file_name_still_fits_the_history(people):
    pupil_import = pupil_import_read(
        actor=people.dsl, school=people.school, data=csv_bytes([pupil(1)]),
        file_name="Riverside Academy Student Details Export for Safeguarding " + "x" * 150 + ".csv",
    )  # fmt: skip
    apply(people, pupil_import)
    row = Pupil.objects.get().history.get()
    assert row.history_change_reason == f"Pupil import {pupil_import.reference}"
