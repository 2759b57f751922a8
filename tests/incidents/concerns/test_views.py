"""The concern pages through HTTP: reporting, the receipt and notes, who reads what,
and the DSL's steps. The answers of every page to every role are in
tests/test_url_access.py; here is what each page says and does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incidents.concerns.services import concern_acknowledge, concern_refer_to_wider_procedures
from incidents.models import Concern, ConcernOutcomeKind, IncidentStatus
from tests.factories import IncidentFactory, PupilFactory

pytestmark = pytest.mark.django_db


def report_url(people) -> str:
    return reverse("concerns:report", kwargs={"school_id": people.school.pk})


def detail_url(concern) -> str:
    return reverse("concerns:detail", kwargs={"concern_id": concern.pk})


def sending(pupil=None, **overrides):
    now = timezone.localtime() - dt.timedelta(minutes=5)
    data = {
        "pupils": [pupil.pk] if pupil else [],
        "unnamed_pupils": "",
        "account": "Two pupils were passing a phone round and laughing.",
        "child_words": "",
        "happened_on_0": now.day,
        "happened_on_1": now.month,
        "happened_on_2": now.year,
        "happened_time": now.strftime("%H:%M"),
        "location": "Room 12",
        "others_present": "",
        "action_taken": "",
    }
    return {**data, **overrides}


def test_staff_land_on_the_report_page(client, people):
    client.force_login(people.staff)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == report_url(people)


def test_dsls_see_report_a_concern_first_on_their_home_page(client, people):
    client.force_login(people.dsl)
    page = client.get(reverse("home")).content.decode()
    assert page.index("Report a concern") < page.index("Your schools</h1>") + 200
    assert report_url(people) in page


def test_the_report_page_gives_the_advice_and_whom_to_tell(client, people):
    people.school.dsl_contact_name = "Ms Okafor (DSL) or Mr Reid (deputy)"
    people.school.dsl_contact_phone = "0161 496 0123"
    people.school.save()
    client.force_login(people.staff)
    page = client.get(report_url(people)).content.decode()
    assert "Ms Okafor (DSL) or Mr Reid (deputy)" in page
    assert 'href="tel:01614960123"' in page
    assert "do not ask the child to show it" in page
    assert "turn the device off and hand it to the DSL" in page
    assert 'type="file"' not in page
    assert "enctype" not in page
    assert page.index("Tell the DSL now") < page.index("<form method")


def test_without_a_contact_name_the_schools_dsls_are_named(client, people):
    client.force_login(people.staff)
    page = client.get(report_url(people)).content.decode()
    assert people.dsl.full_name in page
    assert people.deputy.full_name in page


def test_search_finds_pupils_by_name_and_keeps_what_was_typed(client, people, pupil):
    PupilFactory(school=people.other_school, given_name="Chloe", family_name="Elsewhere")
    client.force_login(people.staff)
    response = client.post(
        report_url(people), sending(q="chlo", search="1", account="Seen at break")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Chloe Hirst" in page
    assert "Elsewhere" not in page
    assert "Seen at break" in page
    assert "There is a problem" not in page
    assert not Concern.objects.exists()


def test_search_finds_preferred_names_and_not_pupils_who_have_left(client, people, pupil):
    PupilFactory(school=people.school, given_name="Amara", preferred_given_name="Amy",
                 family_name="Okafor", registration_group="10JB")  # fmt: skip
    PupilFactory(school=people.school, given_name="Amy", family_name="Gone",
                 left_on=dt.date(2025, 7, 20))  # fmt: skip
    client.force_login(people.staff)
    page = client.post(report_url(people), sending(q="amy", search="1")).content.decode()
    assert "Amy Okafor, Year 10, 10JB" in page
    assert "Gone" not in page


def test_a_ticked_pupil_stays_ticked_through_another_search(client, people, pupil):
    client.force_login(people.staff)
    page = client.post(report_url(people), sending(pupil, q="nobody-by-this-name", search="1"))
    text = page.content.decode()
    assert f'value="{pupil.pk}"\n         checked' in text
    assert "No other pupil matches" in text


def test_sending_gives_a_receipt_with_the_reference_and_time(client, people, pupil):
    client.force_login(people.staff)
    response = client.post(report_url(people), sending(pupil), follow=True)
    concern = Concern.objects.get()
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == detail_url(concern)
    assert f"Its reference is {concern.reference}" in page
    assert f"{timezone.localtime(concern.reported_at):%H:%M}" in page
    assert "Sent</strong>" in page
    assert concern.reported_by == people.staff
    assert list(concern.named_pupils.values_list("pupil", flat=True)) == [pupil.pk]


def test_a_refused_report_names_the_fields(client, people):
    client.force_login(people.staff)
    response = client.post(
        report_url(people), sending(account="  ", happened_on_2="2099", pupils=[])
    )
    page = response.content.decode()
    assert "Say what you saw or heard." in page
    assert "Choose the pupil or pupils, or describe them" in page
    assert "cannot be in the future" in page
    assert not Concern.objects.exists()


def test_another_schools_pupil_cannot_be_named(client, people):
    elsewhere = PupilFactory(school=people.other_school)
    client.force_login(people.staff)
    response = client.post(report_url(people), sending(elsewhere))
    assert "Choose pupils from this school" in response.content.decode()
    assert not Concern.objects.exists()


def test_the_reporter_sees_their_words_and_status_never_the_case(client, people, report):
    concern = report()
    concern_refer_to_wider_procedures(
        actor=people.dsl, concern=concern, reason="A friendship dispute handled by the year team."
    )
    client.force_login(people.staff)
    page = client.get(detail_url(concern)).content.decode()
    assert concern.account in page
    assert "Closed" in page
    assert "friendship dispute" not in page
    assert "What the DSL did" not in page
    assert "Acknowledge" not in page


def test_a_dsl_sees_the_reporter_and_the_steps(client, people, report):
    concern = report()
    client.force_login(people.dsl)
    page = client.get(detail_url(concern)).content.decode()
    assert people.staff.full_name in page
    assert "What the DSL did" in page
    assert "Acknowledge</button>" in page
    assert "Add the note" not in page


def test_the_headteacher_reads_but_does_not_act(client, people, report):
    concern = report()
    client.force_login(people.head)
    page = client.get(detail_url(concern)).content.decode()
    assert "What the DSL did" in page
    assert "Acknowledge</button>" not in page


def test_another_member_of_staff_cannot_read_a_colleagues_concern(client, people, report):
    from safeguarding.models import Role
    from tests.conftest import grant
    from tests.factories import UserFactory

    colleague = grant(UserFactory(), people.school, Role.STAFF, people.operator)
    concern = report()
    client.force_login(colleague)
    response = client.get(detail_url(concern))
    missing = client.get(reverse("concerns:detail", kwargs={"concern_id": 999_999}))
    assert response.status_code == missing.status_code == 404
    assert response.content == missing.content


def test_the_reporter_adds_a_note_shown_in_order(client, people, report):
    concern = report()
    client.force_login(people.staff)
    url = reverse("concerns:note", kwargs={"concern_id": concern.pk})
    client.post(url, {"text": "First note"})
    client.post(url, {"text": "Second note"})
    page = client.get(detail_url(concern)).content.decode()
    assert page.index("First note") < page.index("Second note")
    refused = client.post(url, {"text": "   "})
    assert "Write the note." in refused.content.decode()
    assert concern.notes.count() == 2


def test_no_url_changes_a_sent_concern(client, people, report):
    """Every concern URL, posted by the reporter and by a DSL with new words: the
    concern's own fields never change."""
    concern = report()
    before = {field: getattr(concern, field) for field in ("account", "location", "happened_at")}
    hostile = sending(account="Rewritten", location="Elsewhere")
    for who in (people.staff, people.dsl):
        client.force_login(who)
        for name in ("detail", "note", "acknowledge", "open_incident", "add_to_incident"):
            client.post(reverse(f"concerns:{name}", kwargs={"concern_id": concern.pk}), hostile)
        client.post(reverse("concerns:wider_procedures", kwargs={"concern_id": concern.pk}), {})
    fresh = Concern.objects.get(pk=concern.pk)
    assert {field: getattr(fresh, field) for field in before} == before
    assert fresh.history.count() == 1


def test_acknowledging_stops_the_clock_and_shows_the_next_steps(client, people, report):
    concern = report()
    client.force_login(people.dsl)
    response = client.post(
        reverse("concerns:acknowledge", kwargs={"concern_id": concern.pk}), follow=True
    )
    page = response.content.decode()
    assert "You acknowledged concern" in page
    assert "Open a new incident" in page
    again = client.post(
        reverse("concerns:acknowledge", kwargs={"concern_id": concern.pk}), follow=True
    )
    assert f"{people.dsl.full_name} acknowledged this concern" in again.content.decode()


def test_opening_an_incident_leads_to_logging_it(client, people, report, pupil):
    concern = report()
    client.force_login(people.dsl)
    url = reverse("concerns:open_incident", kwargs={"concern_id": concern.pk})
    page = client.get(url).content.decode()
    assert f"How is {pupil.full_name} involved?" in page
    response = client.post(url, {f"roles_{pupil.pk}": ["pictured"]})
    incident = people.school.incidents.get()
    assert response["Location"] == reverse("log:people", kwargs={"incident_id": incident.pk})
    detail = client.get(reverse("cases:detail", kwargs={"incident_id": incident.pk}))
    text = detail.content.decode()
    assert text.index(f"Concern {concern.reference} reported by") < text.index("Incident logged")
    # Decided: the steps are gone, and a second try says so.
    again = client.post(url, {}, follow=True)
    assert "already decided" in again.content.decode()
    assert people.school.incidents.count() == 1


def test_adding_to_an_incident_lists_only_open_incidents_of_the_school(client, people, report):
    open_one = IncidentFactory(school=people.school, status=IncidentStatus.AWAITING_REVIEW)
    IncidentFactory(
        school=people.school,
        status=IncidentStatus.CLOSED,
        closed_at=timezone.now(),
        outcome_summary="Done.",
    )
    elsewhere = IncidentFactory(school=people.other_school)
    concern = report()
    client.force_login(people.dsl)
    url = reverse("concerns:add_to_incident", kwargs={"concern_id": concern.pk})
    page = client.get(url).content.decode()
    assert open_one.reference in page
    assert page.count("came to light") == 1
    refused = client.post(url, {"incident": elsewhere.pk})
    assert "Choose an open incident of this school." in refused.content.decode()
    response = client.post(url, {"incident": open_one.pk})
    assert response["Location"] == reverse("cases:detail", kwargs={"incident_id": open_one.pk})
    assert concern.outcome.incident == open_one


def test_handled_elsewhere_is_refused_without_a_reason(client, people, report):
    concern = report()
    concern_acknowledge(actor=people.dsl, concern=concern)
    client.force_login(people.dsl)
    url = reverse("concerns:wider_procedures", kwargs={"concern_id": concern.pk})
    refused = client.post(url, {"reason": " "})
    assert "Say why this is not a nudes or semi-nudes matter." in refused.content.decode()
    client.post(url, {"reason": "Friendship dispute"})
    fresh = Concern.objects.get(pk=concern.pk)
    assert fresh.outcome.kind == ConcernOutcomeKind.WIDER_SAFEGUARDING


def test_the_dsl_list_puts_waiting_concerns_first_oldest_first(client, people, report):
    old = report(happened_at=timezone.now() - dt.timedelta(hours=2))
    new = report()
    done = report()
    concern_acknowledge(actor=people.dsl, concern=done)
    client.force_login(people.dsl)
    page = client.get(
        reverse("concerns:list", kwargs={"school_id": people.school.pk})
    ).content.decode()
    waiting = page.partition("Acknowledged, newest first")[0]
    assert waiting.index(old.reference) < waiting.index(new.reference)
    assert done.reference not in waiting


def test_the_home_page_counts_and_lists_what_waits(client, people, report):
    concern = report()
    client.force_login(people.dsl)
    page = client.get(reverse("home")).content.decode()
    assert "Concerns waiting for a DSL (1), oldest first" in page
    assert concern.reference in page


def test_a_trust_lead_sees_counts_only(client, people, report):
    concern = report()
    client.force_login(people.trust_lead)
    page = client.get(reverse("home")).content.decode()
    assert "Concerns waiting for a DSL" in page
    assert concern.reference not in page
    assert client.get(detail_url(concern)).status_code == 404


def test_the_staff_list_shows_only_their_own_concerns(client, people, report):
    mine = report()
    theirs = report(actor=people.dsl)
    client.force_login(people.staff)
    page = client.get(reverse("concerns:mine")).content.decode()
    assert mine.reference in page
    assert theirs.reference not in page


def test_the_dsl_list_runs_the_same_queries_for_one_concern_or_many(client, people, report):
    client.force_login(people.dsl)
    url = reverse("concerns:list", kwargs={"school_id": people.school.pk})

    def queries() -> int:
        client.get(url)  # warm the caches (content types, session)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    report()
    concern_acknowledge(actor=people.dsl, concern=report())
    one_each = queries()
    for _ in range(4):
        report(unnamed_pupils="A Year 9 boy")
        concern_refer_to_wider_procedures(actor=people.dsl, concern=report(), reason="Elsewhere")
    assert queries() == one_each


def test_a_dsl_reads_the_settings_and_the_headteacher_changes_them(client, people):
    client.force_login(people.dsl)
    url = reverse("concerns:settings", kwargs={"school_id": people.school.pk})
    page = client.get(url).content.decode()
    assert "The headteacher sets these." in page
    assert "60 minutes of the school day" in page
    assert "<form method" not in page
    assert client.post(url, {"version": people.school.version}).status_code == 403


def test_settings_are_saved_and_refused_by_field(client, people):
    client.force_login(people.head)
    url = reverse("concerns:settings", kwargs={"school_id": people.school.pk})
    page = client.get(url).content.decode()
    assert 'value="08:30"' in page
    data = {
        "version": people.school.version,
        "dsl_contact_name": "Ms Okafor",
        "dsl_contact_phone": "call me",
        "concern_acknowledge_minutes": "2",
        "school_day_starts": "16:00",
        "school_day_ends": "09:00",
    }
    refused = client.post(url, data).content.decode()
    assert "Enter a phone number in digits" in refused
    assert "Allow at least 5 minutes." in refused
    assert "The school day must end after it starts." in refused
    data.update(dsl_contact_phone="0161 496 0123", concern_acknowledge_minutes="30")
    data.update(school_day_starts="08:00", school_day_ends="15:30")
    assert client.post(url, data).status_code == 302
    people.school.refresh_from_db()
    assert people.school.concern_acknowledge_minutes == 30
    assert people.school.school_day_ends == dt.time(15, 30)


def test_hostile_pupil_ids_are_refused_by_field(client, people, pupil):
    client.force_login(people.staff)
    for bad in ("²", "9" * 25, "-1", "1 OR 1=1"):
        for extra in ({}, {"search": "1", "q": "chloe"}):
            response = client.post(report_url(people), {**sending(), "pupils": [bad], **extra})
            assert response.status_code == 200, bad
            if not extra:
                assert "Choose pupils from this school" in response.content.decode()
    assert not Concern.objects.exists()


def test_a_restricted_incidents_concern_is_hidden_like_the_incident(client, people, report):
    from incidents.concerns.services import concern_open_incident
    from incidents.services import incident_update

    concern = report()
    incident = concern_open_incident(actor=people.dsl, concern=concern, roles={})
    incident_update(
        actor=people.dsl, incident=incident, expected_version=incident.version, restricted=True
    )
    for who, status in ((people.deputy, 404), (people.dsl, 200), (people.head, 200)):
        client.force_login(who)
        assert client.get(detail_url(concern)).status_code == status, who
        listing = client.get(reverse("concerns:list", kwargs={"school_id": people.school.pk}))
        assert (concern.reference in listing.content.decode()) == (status == 200)
    client.force_login(people.staff)  # the reporter still sees what they sent
    assert client.get(detail_url(concern)).status_code == 200


def test_a_colleague_deciding_first_is_said_not_a_server_error(client, people, report):
    concern = report()
    concern_acknowledge(actor=people.dsl, concern=concern)
    url = reverse("concerns:wider_procedures", kwargs={"concern_id": concern.pk})
    client.force_login(people.deputy)
    client.get(detail_url(concern))  # the deputy has the page open
    concern_refer_to_wider_procedures(actor=people.dsl, concern=concern, reason="Elsewhere")
    response = client.post(url, {"reason": "Also elsewhere"}, follow=True)
    assert response.status_code == 200
    assert "already decided" in response.content.decode()


def test_sending_emails_the_dsls(client, people, pupil, django_capture_on_commit_callbacks):
    client.force_login(people.staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(report_url(people), sending(pupil))
    assert people.dsl.email in {message.to[0] for message in mail.outbox}
