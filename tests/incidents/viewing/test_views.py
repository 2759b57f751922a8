"""Recording a viewing of the imagery (002 §5.1, §5.2): only for a permitted reason, by
one of the school's DSLs of the same sex as the person pictured, never in Spain; each
refusal names its field; who may do what over HTTP; the headteacher's sign-off queue;
and the page's and the timeline's queries do not grow with the number of viewings."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from incidents.models import ImageryViewing, Incident, PersonKind, SignOffKind, ViewingReason
from incidents.restricted.services import restricted_access_grant
from incidents.signoff.selectors import queue, school_items
from incidents.viewing.selectors import SIGN_OFF_TAG, delegated_safeguarding_staff, timeline_entries
from incidents.viewing.services import imagery_viewing_record
from safeguarding.audit import save_audited
from safeguarding.models import Jurisdiction, Membership, Role, Sex
from safeguarding.services import membership_grant, membership_revoke
from tests.factories import IncidentFactory, InvolvementFactory, UserFactory

pytestmark = pytest.mark.django_db

WRITERS = ("dsl", "deputy")
READERS = ("head", "trust_lead")
STRANGERS = ("staff", "other_dsl", "nobody")
SEXES = {
    "dsl": Sex.FEMALE,
    "deputy": Sex.MALE,
    "head": Sex.FEMALE,
    "staff": Sex.FEMALE,
    "trust_lead": Sex.FEMALE,
    "other_dsl": Sex.FEMALE,
    "nobody": Sex.FEMALE,
}  # colleague_dsl's sex is left unrecorded


def url(incident: Incident) -> str:
    return reverse("viewing:record", kwargs={"incident_id": incident.pk})


def ago(days: int = 1, hours: int = 0) -> dt.datetime:
    return (timezone.now() - dt.timedelta(days=days, hours=hours)).replace(second=0, microsecond=0)


def set_sex(user, sex: str, by) -> None:
    user.sex = sex
    save_audited(user, actor=by)


@pytest.fixture(autouse=True)
def sexes(people):
    for who, sex in SEXES.items():
        set_sex(getattr(people, who), sex, people.operator)


@pytest.fixture
def incident(people):
    return IncidentFactory(
        school=people.school, created_by=people.dsl, lead_dsl=people.dsl, status="awaiting_review"
    )


@pytest.fixture
def girl(incident):
    return InvolvementFactory(incident=incident, pupil__sex=Sex.FEMALE)


@pytest.fixture
def boy(incident):
    return InvolvementFactory(incident=incident, pupil__sex=Sex.MALE)


def record(people, incident, pictured, **overrides) -> ImageryViewing:
    details = {
        "actor": people.dsl,
        "incident": incident,
        "pictured": pictured,
        "viewer": people.dsl,
        "reason": ViewingReason.UNAVOIDABLE,
        "reason_details": "She showed it to her form tutor on her phone.",
        "viewed_at": ago(days=1),
        "present": "Mrs Patel, form tutor (did not view it).",
        "headteacher_informed_at": ago(days=1, hours=1),
        "what_followed": "Referred to the police; the phone was switched off and locked away.",
        **overrides,
    }
    return imagery_viewing_record(**details)


def refusal(people, incident, pictured, **overrides) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        record(people, incident, pictured, **overrides)
    assert not ImageryViewing.objects.exists()
    return caught.value.message_dict


# --- the service: what is accepted -------------------------------------------------------


@pytest.mark.parametrize("reason", ViewingReason.values)
def test_each_permitted_reason_is_recorded(people, incident, girl, reason):
    informed = ago(days=1, hours=1)  # once: a minute may turn between two calls
    viewing = record(people, incident, girl, reason=reason, headteacher_informed_at=informed)
    viewing.refresh_from_db()
    assert (viewing.incident, viewing.pictured, viewing.viewer) == (incident, girl, people.dsl)
    assert viewing.reason == reason
    assert viewing.present == "Mrs Patel, form tutor (did not view it)."
    assert viewing.headteacher_informed_at == informed
    assert viewing.recorded_by == people.dsl
    assert viewing.needs_sign_off
    assert viewing.history.get().history_user == people.dsl


def test_a_deputy_records_another_dsl_as_the_viewer(people, incident, boy):
    viewing = record(people, incident, boy, actor=people.deputy, viewer=people.deputy)
    assert viewing.viewer == people.deputy
    other = record(people, incident, InvolvementFactory(incident=incident), actor=people.deputy)
    assert (other.viewer, other.recorded_by) == (people.dsl, people.deputy)
    assert other.history.get().history_user == people.deputy


def test_someone_not_on_roll_is_compared_by_the_sex_recorded_for_them(people, incident):
    cousin = InvolvementFactory(
        incident=incident,
        kind=PersonKind.CHILD,
        pupil=None,
        description="Cousin at Hill School",
        sex=Sex.MALE,
    )
    assert record(people, incident, cousin, viewer=people.deputy).viewer == people.deputy


# --- the service: each refusal names its field -------------------------------------------


def test_a_reason_not_permitted_is_refused(people, incident, girl):
    problems = refusal(people, incident, girl, reason="curiosity")
    assert "002 §5.1" in problems["reason"][0]
    assert "three reasons" in problems["reason"][0]


@pytest.mark.parametrize("who", ["head", "staff", "trust_lead", "other_dsl", "nobody"])
def test_only_the_schools_dsl_or_deputy_may_be_the_viewer(people, incident, girl, who):
    viewer = getattr(people, who)
    problems = refusal(people, incident, girl, viewer=viewer)
    assert problems["viewer"] == [
        f"{viewer} is not the DSL or a deputy DSL of Riverside Academy: only the DSL or "
        "delegated safeguarding staff may view imagery (002 §5.1)."
    ]


def test_a_dsl_whose_role_was_revoked_may_not_be_the_viewer(people, incident, girl):
    set_sex(people.colleague_dsl, Sex.FEMALE, people.operator)
    membership = Membership.objects.get(user=people.colleague_dsl, school=people.school)
    membership_revoke(membership=membership, revoked_by=people.operator)
    problems = refusal(people, incident, girl, viewer=people.colleague_dsl)
    assert "is not the DSL or a deputy DSL" in problems["viewer"][0]


def test_a_viewer_who_may_not_see_a_restricted_incident_is_refused(people, incident, girl):
    """Only someone who may see the restricted record may be named as its viewer."""
    set_sex(people.colleague_dsl, Sex.FEMALE, people.operator)
    incident.restricted = True
    incident.save()
    problems = refusal(people, incident, girl, viewer=people.colleague_dsl)
    assert "may not see this restricted incident" in problems["viewer"][0]
    restricted_access_grant(
        actor=people.dsl, incident=incident, user=people.colleague_dsl, reason="Second DSL."
    )
    assert (
        record(people, incident, girl, viewer=people.colleague_dsl).viewer == people.colleague_dsl
    )


def test_a_viewer_of_the_opposite_sex_is_refused(people, incident, boy):
    problems = refusal(people, incident, boy, viewer=people.dsl)
    assert problems["viewer"] == [
        f"Dana Lead is recorded as female and {boy} as male: imagery may be viewed only by a "
        "member of staff of the same sex as the pupil pictured (002 §5.1)."
    ]


def test_a_viewer_whose_sex_is_not_recorded_is_refused_saying_where_to_record_it(
    people, incident, girl
):
    problems = refusal(people, incident, girl, viewer=people.colleague_dsl)
    message = problems["viewer"][0]
    assert message.startswith("The sex of Cal Colleague is not recorded")
    assert "'Your details' page" in message and "002 §5.1" in message


def test_a_person_pictured_whose_sex_is_not_recorded_is_refused_saying_where(people, incident):
    account = InvolvementFactory(
        incident=incident, kind=PersonKind.UNKNOWN, pupil=None, description="Snapchat account"
    )
    problems = refusal(people, incident, account)
    message = problems["pictured"][0]
    assert message.startswith("The sex of Snapchat account is not recorded")
    assert "people involved page" in message and "002 §5.1" in message


def test_both_sexes_unknown_name_both_fields(people, incident):
    account = InvolvementFactory(
        incident=incident, kind=PersonKind.UNKNOWN, pupil=None, description="Snapchat account"
    )
    problems = refusal(people, incident, account, viewer=people.colleague_dsl)
    assert set(problems) == {"viewer", "pictured"}


def test_someone_not_pictured_is_refused(people, incident):
    recipient = InvolvementFactory(incident=incident, is_pictured=False, is_recipient=True)
    problems = refusal(people, incident, recipient)
    assert problems["pictured"] == ["This person is not recorded as pictured in the imagery."]


def test_someone_of_another_incident_is_refused(people, incident):
    elsewhere = InvolvementFactory(incident=IncidentFactory(school=people.school))
    problems = refusal(people, incident, elsewhere)
    assert problems["pictured"] == ["This person is not part of this incident."]


def test_viewing_is_refused_where_staff_may_not_search_devices(people, incident, girl):
    people.school.jurisdiction = Jurisdiction.SPAIN
    people.school.urn = "ES280001"
    people.school.save()
    problems = refusal(people, incident, girl)
    message = problems["incident"][0]
    assert message.startswith("Riverside Academy is in Spain, where staff may not search")
    assert "call the parents and inform them instead (002 §5.2)" in message


@pytest.mark.parametrize("field", ["viewed_at", "headteacher_informed_at"])
def test_future_dates_are_refused(people, incident, girl, field):
    later = timezone.now() + dt.timedelta(hours=2)
    assert refusal(people, incident, girl, **{field: later})[field] == [
        "This date is in the future."
    ]


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("reason_details", "Say why viewing was necessary in this case."),
        ("present", "Say who was present (write 'No one else' if so)."),
        ("what_followed", "Say what was done as a result of viewing."),
    ],
)
def test_why_who_and_what_followed_are_required(people, incident, girl, field, message):
    assert message in refusal(people, incident, girl, **{field: "  "})[field]


def test_a_closed_incident_refuses_a_viewing(people, incident, girl):
    incident.status, incident.closed_at, incident.outcome_summary = (
        "closed",
        timezone.now(),
        "Managed in school.",
    )
    save_audited(incident, actor=people.dsl)
    assert refusal(people, incident, girl)["incident"] == [
        "This incident is closed: a viewing can no longer be recorded."
    ]


# --- selectors -----------------------------------------------------------------------------


def test_delegated_safeguarding_staff_are_the_schools_current_dsls(people):
    assert set(delegated_safeguarding_staff(people.school)) == {
        people.dsl,
        people.deputy,
        people.colleague_dsl,
    }
    membership = Membership.objects.get(user=people.colleague_dsl, school=people.school)
    membership_revoke(membership=membership, revoked_by=people.operator)
    people.deputy.is_active = False
    save_audited(people.deputy, actor=people.operator)
    assert list(delegated_safeguarding_staff(people.school)) == [people.dsl]


def test_a_person_with_two_roles_is_listed_once(people):
    membership_grant(
        user=people.head, school=people.school, role=Role.DEPUTY_DSL, granted_by=people.operator
    )
    staff = list(delegated_safeguarding_staff(people.school))
    assert staff.count(people.head) == 1


def test_the_sign_off_queue_holds_every_viewing_of_the_schools_incidents(people, incident, girl):
    restricted = IncidentFactory(school=people.school, restricted=True, lead_dsl=people.dsl)
    first = record(people, incident, girl, viewed_at=ago(days=3))
    second = record(people, restricted, InvolvementFactory(incident=restricted))
    other_dsl = people.other_dsl
    theirs = IncidentFactory(school=people.other_school)
    record(people, theirs, InvolvementFactory(incident=theirs), actor=other_dsl, viewer=other_dsl)
    waiting = queue(school_items(people.head, people.school))
    assert [(item.kind, item.subject) for item in waiting] == [
        (SignOffKind.VIEWING, first),
        (SignOffKind.VIEWING, second),
    ]


def test_timeline_entries_are_placed_when_the_imagery_was_viewed(people, incident, girl):
    viewing = record(people, incident, girl, actor=people.deputy, viewed_at=ago(days=5))
    (entry,) = timeline_entries(incident)
    assert (entry.when, entry.recorded_at) == (viewing.viewed_at, viewing.recorded_at)
    assert entry.recorded_by == "Dev Deputy"
    assert entry.title == "Imagery viewed by Dana Lead"
    assert entry.tag == SIGN_OFF_TAG
    assert entry.link == url(incident)
    details = dict(entry.details)
    assert details["Person pictured"] == str(girl)
    assert details["Reason (002 §5.1)"] == ViewingReason.UNAVOIDABLE.label


@pytest.mark.parametrize("rows", [1, 10])
def test_timeline_entries_cost_one_query(people, incident, django_assert_num_queries, rows):
    for _ in range(rows):
        record(people, incident, InvolvementFactory(incident=incident))
    with django_assert_num_queries(1):
        assert len(timeline_entries(incident)) == rows


# --- HTTP: who may do what -----------------------------------------------------------------


def form_data(pictured, viewer, **overrides) -> dict[str, object]:
    day = timezone.localdate() - dt.timedelta(days=1)
    return {
        "pictured": str(pictured.pk),
        "viewer": str(viewer.pk),
        "reason": ViewingReason.ONLY_WAY_TO_DECIDE,
        "reason_details": "The pupils gave different accounts of whether an adult appears.",
        "viewed_on_0": str(day.day),
        "viewed_on_1": str(day.month),
        "viewed_on_2": str(day.year),
        "viewed_time": "14:30",
        "present": "No one else",
        "headteacher_informed_on_0": str(day.day),
        "headteacher_informed_on_1": str(day.month),
        "headteacher_informed_on_2": str(day.year),
        "headteacher_informed_time": "13:05",
        "what_followed": "No adult appears; managed in school.",
        **overrides,
    }


@pytest.mark.parametrize(
    ("who", "get_status", "post_status"),
    [(who, 200, 200) for who in WRITERS]
    + [(who, 200, 403) for who in READERS]
    + [(who, 404, 404) for who in STRANGERS],
)
def test_matrix(client, people, incident, girl, who, get_status, post_status):
    """An empty POST from a DSL shows the form's errors (200) and saves nothing."""
    client.force_login(getattr(people, who))
    assert client.get(url(incident)).status_code == get_status
    assert client.post(url(incident), {}).status_code == post_status
    assert client.put(url(incident)).status_code == 405
    assert not ImageryViewing.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, incident):
    for response in (client.get(url(incident)), client.post(url(incident), {})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_other_schools_and_missing_incident_are_404_alike(client, people):
    theirs = IncidentFactory(school=people.other_school, status="awaiting_review")
    client.force_login(people.dsl)
    missing = reverse("viewing:record", kwargs={"incident_id": 999_999})
    for method in ("get", "post"):
        other = getattr(client, method)(url(theirs))
        gone = getattr(client, method)(missing)
        assert other.status_code == gone.status_code == 404
        assert other.content == gone.content


@pytest.mark.parametrize("who", READERS)
def test_readers_see_the_viewings_without_the_form(client, people, incident, girl, who):
    record(people, incident, girl)
    client.force_login(getattr(people, who))
    page = client.get(url(incident)).content.decode()
    assert "You can read this record but not change it." in page
    assert "Mrs Patel, form tutor (did not view it)." in page
    assert "For headteacher sign-off" in page
    assert 'action="/incidents' not in page


# --- HTTP: the page ------------------------------------------------------------------------


def test_the_page_reminds_the_dsl_of_the_rules(client, people, incident, girl):
    client.force_login(people.dsl)
    page = " ".join(client.get(url(incident)).content.decode().replace("&#x27;", "'").split())
    assert "Never copy, print or share the imagery: this is illegal (002 §5.1)." in page
    assert "You should not view the imagery unless there is good reason" in page
    assert "never if viewing it would cause the pupil significant distress or harm" in page
    for reason in ViewingReason:
        assert reason.label in page
    assert reverse("account:details") in page


def test_the_form_offers_the_schools_dsls_with_the_dsl_chosen(client, people, incident, girl):
    client.force_login(people.dsl)
    page = client.get(url(incident)).content.decode()
    assert re.search(rf'name="viewer"\s+type="radio"\s+value="{people.dsl.pk}"\s+checked', page)
    for who, label in (
        ("dsl", "Dana Lead (female)"),
        ("deputy", "Dev Deputy (male)"),
        ("colleague_dsl", "Cal Colleague (sex not recorded)"),
    ):
        assert re.search(rf'value="{getattr(people, who).pk}"\s', page), who
        assert label in page
    assert "Hannah Head" not in page
    assert escape(f"{girl} (female)") in page


def test_only_people_pictured_are_offered(client, people, incident, girl):
    recipient = InvolvementFactory(incident=incident, is_pictured=False, is_recipient=True)
    client.force_login(people.dsl)
    page = client.get(url(incident)).content.decode()
    assert escape(str(girl)) in page
    assert escape(str(recipient)) not in page


def test_with_nobody_pictured_the_page_asks_for_people_first(client, people, incident):
    client.force_login(people.dsl)
    page = client.get(url(incident)).content.decode()
    assert "Record who is pictured in the imagery first" in page
    assert reverse("log:people", kwargs={"incident_id": incident.pk}) in page
    assert 'action="/incidents' not in page


def test_recording_a_viewing(client, people, incident, girl):
    client.force_login(people.deputy)
    response = client.post(url(incident), form_data(girl, people.dsl))
    assert response.status_code == 302
    assert response["Location"] == url(incident)
    viewing = ImageryViewing.objects.get()
    assert (viewing.pictured, viewing.viewer, viewing.recorded_by) == (
        girl,
        people.dsl,
        people.deputy,
    )
    assert viewing.reason == ViewingReason.ONLY_WAY_TO_DECIDE
    day = timezone.localdate() - dt.timedelta(days=1)
    viewed = timezone.localtime(viewing.viewed_at)
    informed = timezone.localtime(viewing.headteacher_informed_at)
    assert (viewed.date(), viewed.strftime("%H:%M")) == (day, "14:30")
    assert (informed.date(), informed.strftime("%H:%M")) == (day, "13:05")
    assert viewing.history.get().history_user == people.deputy
    page = client.get(url(incident)).content.decode()
    assert "Recorded that Dana Lead viewed the imagery" in page
    assert "No adult appears; managed in school." in page


def test_errors_name_the_field_and_keep_the_input(client, people, incident, girl):
    client.force_login(people.dsl)
    data = form_data(
        girl,
        people.dsl,
        reason="",
        present=" ",
        viewed_on_0="",
        viewed_on_1="",
        viewed_on_2="",
        headteacher_informed_time="25:00",
    )
    response = client.post(url(incident), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Why was it viewed?: Choose the reason the imagery was viewed." in page
    assert "Who else was present: Enter who else was present, or" in page
    assert "Date viewed: Enter the date the imagery was viewed." in page
    assert "Time the headteacher was informed: Enter a time like 14:30." in page
    assert "The pupils gave different accounts of whether an adult appears." in page
    assert re.search(rf'value="{girl.pk}"\s+checked', page)
    assert not ImageryViewing.objects.exists()


def test_a_date_in_the_future_is_refused(client, people, incident, girl):
    client.force_login(people.dsl)
    later = timezone.localdate() + dt.timedelta(days=2)
    data = form_data(
        girl,
        people.dsl,
        headteacher_informed_on_0=str(later.day),
        headteacher_informed_on_1=str(later.month),
        headteacher_informed_on_2=str(later.year),
    )
    page = client.post(url(incident), data).content.decode()
    assert (
        "Date the headteacher was informed: The date the headteacher was informed cannot be in "
        "the future." in page
    )
    assert not ImageryViewing.objects.exists()


@pytest.mark.parametrize("who", ["head", "staff", "other_dsl"])
def test_someone_not_a_dsl_here_cannot_be_chosen_as_viewer(client, people, incident, girl, who):
    client.force_login(people.dsl)
    response = client.post(url(incident), form_data(girl, getattr(people, who)))
    assert response.status_code == 200
    assert "Who viewed it?: Choose the DSL or a deputy DSL of this school." in (
        response.content.decode()
    )
    assert not ImageryViewing.objects.exists()


def test_someone_not_pictured_cannot_be_chosen(client, people, incident, girl):
    recipient = InvolvementFactory(incident=incident, is_pictured=False, is_recipient=True)
    client.force_login(people.dsl)
    page = client.post(url(incident), form_data(recipient, people.dsl)).content.decode()
    assert (
        "Who is pictured in the imagery that was viewed?: Choose someone recorded as pictured "
        "in this incident." in page
    )
    assert not ImageryViewing.objects.exists()


def test_the_service_refusal_is_shown_against_the_viewer(client, people, incident, boy):
    client.force_login(people.dsl)
    response = client.post(url(incident), form_data(boy, people.dsl))
    page = response.content.decode()
    assert response.status_code == 200
    assert escape(f"Who viewed it?: Dana Lead is recorded as female and {boy} as male") in page
    assert "What followed" in page and "No adult appears; managed in school." in page
    assert not ImageryViewing.objects.exists()


def test_an_unrecorded_sex_is_refused_saying_where_to_record_it(client, people, incident, girl):
    client.force_login(people.dsl)
    page = client.post(url(incident), form_data(girl, people.colleague_dsl)).content.decode()
    page = page.replace("&#x27;", "'")
    assert "Who viewed it?: The sex of Cal Colleague is not recorded" in page
    assert "'Your details' page" in page
    assert not ImageryViewing.objects.exists()


def test_a_closed_incident_refuses_new_viewings(client, people, incident, girl):
    Incident.objects.filter(pk=incident.pk).update(
        status="closed", closed_at=timezone.now(), outcome_summary="Managed in school."
    )
    client.force_login(people.dsl)
    page = client.get(url(incident)).content.decode()
    assert "This incident is closed" in page
    assert 'action="/incidents' not in page
    assert client.post(url(incident), form_data(girl, people.dsl)).status_code == 409
    assert not ImageryViewing.objects.exists()


def test_in_spain_the_page_says_to_call_the_parents_instead(client, people, incident, girl):
    people.school.jurisdiction = Jurisdiction.SPAIN
    people.school.urn = "ES280001"
    people.school.save()
    client.force_login(people.dsl)
    page = client.get(url(incident)).content.decode()
    assert "Riverside Academy is in Spain, where staff may not search a phone or view" in page
    assert "(002 §5.2)" in page
    assert reverse("parents:list", kwargs={"incident_id": incident.pk}) in page
    assert 'action="/incidents' not in page
    assert client.post(url(incident), form_data(girl, people.dsl)).status_code == 409
    assert not ImageryViewing.objects.exists()


def test_the_page_makes_the_same_queries_for_1_or_10_viewings(client, people):
    from guardian.ctypes import get_content_type

    counts = []
    for rows in (1, 10):
        incident = IncidentFactory(school=people.school, status="awaiting_review")
        for _ in range(rows):
            record(people, incident, InvolvementFactory(incident=incident))
        client.force_login(people.dsl)
        client.get(url(incident))  # warm the caches (content types, session)
        if hasattr(get_content_type, "cache_clear"):
            get_content_type.cache_clear()
            client.get(url(incident))
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url(incident)).content.decode()
        assert page.count("For headteacher sign-off") == rows
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_a_dsl_of_another_school_only_is_not_offered(client, people, incident, girl):
    """A DSL of another school only, even of the right sex, is not delegated staff here."""
    elsewhere = UserFactory(full_name="Elle Elsewhere", sex=Sex.FEMALE)
    membership_grant(
        user=elsewhere, school=people.other_school, role=Role.DSL, granted_by=people.operator
    )
    client.force_login(people.dsl)
    assert "Elle Elsewhere" not in client.get(url(incident)).content.decode()
