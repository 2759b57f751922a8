"""No domain row, and no history row, can be deleted through the application."""

import pytest
from django.apps import apps
from django.db import transaction
from django.db.models.deletion import ProtectedError
from django.db.models.signals import pre_delete

from incidents.models import Incident
from safeguarding.models import Membership, Pupil, Trust, User
from safeguarding.no_delete import DOMAIN_APPS, HardDeleteRefusedError, guarded_models
from tests.factories import IncidentFactory, PupilFactory, TrustFactory, UserFactory

pytestmark = pytest.mark.django_db


def refused(delete, error=HardDeleteRefusedError):
    # The refusal aborts the transaction it happens in, as it would a request's.
    with pytest.raises(error), transaction.atomic():
        delete()


def test_every_domain_and_history_model_is_guarded():
    models = {
        model._meta.label
        for label in DOMAIN_APPS
        for model in apps.get_app_config(label).get_models()
    }
    assert {
        "incidents.Incident",
        "incidents.HistoricalIncident",
        "referrals.Referral",
        "safeguarding.Pupil",
        "safeguarding.HistoricalMembership",
    } <= models
    assert {m._meta.label for m in guarded_models()} == models
    assert [m._meta.label for m in guarded_models() if not pre_delete.has_listeners(m)] == []


def test_deleting_an_incident_is_refused_and_it_stays():
    incident = IncidentFactory()
    refused(incident.delete)
    assert Incident.objects.filter(pk=incident.pk).exists()


def test_queryset_delete_is_refused_too():
    TrustFactory()
    refused(Trust.objects.all().delete)
    assert Trust.objects.exists()


def test_rows_others_refer_to_are_refused_by_their_references_as_well():
    pupil = PupilFactory()
    refused(pupil.delete, HardDeleteRefusedError)  # no references yet: the guard refuses
    IncidentFactory(school=pupil.school)
    refused(pupil.school.delete, ProtectedError)  # referenced: PROTECT refuses first
    assert Pupil.objects.filter(pk=pupil.pk).exists()


def test_history_rows_cannot_be_deleted(people):
    refused(Membership.history.first().delete)
    assert Membership.history.count() > 0


def test_user_accounts_are_deactivated_not_deleted():
    user = UserFactory()
    refused(user.delete)
    assert User.objects.filter(pk=user.pk).exists()
