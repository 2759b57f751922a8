"""The core of the product: people, schools, roles and pupils.

Incidents live in `incidents`, referrals in `referrals`; both hang off `School` and
`Pupil` defined here, and every permission is granted per school (docs/domain.md, docs/roles.md).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from safeguarding.ages import age_on
from safeguarding.history_chain import ChainedHistory
from safeguarding.upn import upn_problem


class UserManager(BaseUserManager["User"]):
    """Users log in with their email address; there is no separate username."""

    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> User:
        """Email addresses are stored lower-case, so sign-in ignores case."""
        return self.get(email=(username or "").lower())

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class Sex(models.TextChoices):
    """As recorded in the school census. It matters for who may view imagery (002 §5.1)."""

    FEMALE = "F", "Female"
    MALE = "M", "Male"


class User(AbstractBaseUser, PermissionsMixin):
    """A member of staff. Accounts are personal: the audit trail names a person."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    sex = models.CharField(
        max_length=1,
        choices=Sex.choices,
        blank=True,
        help_text="Only imagery of a pupil of the same sex may be viewed by you (002 §5.1).",
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text="Can use the Django admin (superusers only, in practice)."
    )
    date_joined = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(excluded_fields=["password", "last_login"], bases=[ChainedHistory])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.lower()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Trust(models.Model):
    """A group of schools with shared oversight ("the group" in 002)."""

    name = models.CharField(max_length=200, unique=True)

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Jurisdiction(models.TextChoices):
    """The law a school works under; it changes what staff may do (002 §5.2)."""

    ENGLAND_WALES = "england_wales", "England and Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"
    SPAIN = "spain", "Spain"

    @classmethod
    def staff_may_search_devices(cls, value: str) -> bool:
        """In Spain staff may not search or view a device; parents are called (002 §5.2)."""
        return value != cls.SPAIN


class TriagePreset(models.TextChoices):
    """The named sets of immediate-referral criteria (docs/triage.md#presets)."""

    ALL = "all", "All criteria (default)"
    UKCIS = "ukcis", "UKCIS 2020 and NSPCC (003)"
    SCHOOL_POLICY = "school-policy", "School policy (000)"
    UKCCIS_2016 = "ukccis-2016", "UKCCIS 2016 (002)"


_URN_ENGLAND = re.compile(r"^\d{6}$")
_SCHOOL_CODE = re.compile(r"^[A-Z0-9]{4,12}$")
_PREFIX = re.compile(r"^[A-Z]{2,5}$")
_DFE_NUMBER = re.compile(r"^\d{7}$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,28}$")
CONCERN_MINUTES_MIN = 5
CONCERN_MINUTES_MAX = 600


def validate_phone(value: str) -> None:
    if not _PHONE.match(value.strip()):
        raise ValidationError(
            "Enter a phone number in digits, for example 0161 496 0123.", code="invalid_phone"
        )


class School(models.Model):
    """A school, the unit every permission is granted on."""

    trust = models.ForeignKey(
        Trust, on_delete=models.PROTECT, related_name="schools", null=True, blank=True
    )
    name = models.CharField(max_length=200)
    urn = models.CharField(
        "URN",
        max_length=12,
        unique=True,
        help_text=(
            "Ofsted's unique reference number (6 digits) in England and Wales; "
            "the official school code elsewhere."
        ),
    )
    jurisdiction = models.CharField(
        max_length=20, choices=Jurisdiction.choices, default=Jurisdiction.ENGLAND_WALES
    )
    dfe_number = models.CharField(
        "DfE number",
        max_length=7,
        blank=True,
        help_text=(
            "The local authority number and establishment number (LAESTAB, 7 digits, as in "
            "3304001), which Common Transfer Files are addressed to."
        ),
    )
    reference_prefix = models.CharField(
        max_length=5,
        unique=True,
        help_text="Starts every incident reference, as in RA-2026-0007 (2 to 5 capital letters).",
    )
    triage_preset = models.CharField(
        max_length=20, choices=TriagePreset.choices, default=TriagePreset.ALL
    )
    significant_age_gap_years = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    unknown_age_is_adult = models.BooleanField(
        default=True,
        help_text="Treat an online contact of unknown age as an adult when triaging.",
    )
    send_counts_as_vulnerable = models.BooleanField(
        default=False,
        help_text="Count special educational needs as a vulnerability when triaging.",
    )
    sign_off_decisions_to_refer = models.BooleanField(
        "the headteacher also signs off decisions to refer",
        default=False,
        help_text=(
            "Decisions not to refer, imagery viewings and case closures always go to the "
            "headteacher (002 §5.1, §7.0); a school may add decisions to refer."
        ),
    )
    # Who staff tell, and how fast, when they report a concern (docs/concerns.md).
    dsl_contact_name = models.CharField(
        "who staff should tell",
        max_length=150,
        blank=True,
        help_text=(
            "Shown to every member of staff before they report a concern, for example "
            "'Ms Okafor (DSL) or Mr Reid (deputy DSL)'. Left blank, the school's DSLs are named."
        ),
    )
    dsl_contact_phone = models.CharField(
        "phone number for the DSL",
        max_length=30,
        blank=True,
        validators=[validate_phone],
        help_text="The number staff ring to tell the DSL at once, for example 0161 496 0123.",
    )
    concern_acknowledge_minutes = models.PositiveSmallIntegerField(
        "minutes of the school day to acknowledge a concern",
        default=60,
        validators=[
            MinValueValidator(CONCERN_MINUTES_MIN),
            MaxValueValidator(CONCERN_MINUTES_MAX),
        ],
        help_text=(
            "A concern not acknowledged within this many minutes of the school day is "
            "emailed to the headteacher and shown as overdue."
        ),
    )
    school_day_starts = models.TimeField(default=dt.time(8, 30))
    school_day_ends = models.TimeField(default=dt.time(16, 30))
    # Optimistic concurrency for the policy form (safeguarding.audit.update_audited).
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(significant_age_gap_years__gte=1, significant_age_gap_years__lte=10),
                name="school_age_gap_between_1_and_10",
            ),
            models.CheckConstraint(
                condition=Q(jurisdiction__in=Jurisdiction.values),
                name="school_jurisdiction_known",
            ),
            models.CheckConstraint(
                condition=Q(triage_preset__in=TriagePreset.values),
                name="school_triage_preset_known",
            ),
            models.CheckConstraint(
                condition=Q(dfe_number="") | Q(dfe_number__regex=r"^[0-9]{7}$"),
                name="school_dfe_number_7_digits",
            ),
            models.UniqueConstraint(
                fields=["dfe_number"],
                condition=~Q(dfe_number=""),
                name="school_dfe_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(school_day_ends__gt=models.F("school_day_starts")),
                name="school_day_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(
                    concern_acknowledge_minutes__gte=CONCERN_MINUTES_MIN,
                    concern_acknowledge_minutes__lte=CONCERN_MINUTES_MAX,
                ),
                name="school_concern_minutes_in_range",
            ),
        ]
        # Domain actions, granted per school with django-guardian (safeguarding.roles).
        permissions = [
            ("view_incidents", "Read the school's incidents"),
            ("manage_incidents", "Log and manage the school's incidents"),
            ("view_restricted_incidents", "Read restricted incidents without a grant"),
            ("sign_off", "Sign off decisions not to refer and viewing records"),
            ("change_triage_policy", "Change the school's triage preset"),
            ("export_records", "Export records to PDF"),
            ("report_concern", "Report a concern to the DSL"),
            ("view_concerns", "Read every concern reported in the school"),
            ("import_pupils", "Import the school's pupils from its MIS"),
            ("manage_calendar", "Set the school's term dates and closure days"),
            ("transfer_records", "Send and receive pupils' child protection files"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        self.urn = self.urn.strip().upper()
        self.reference_prefix = self.reference_prefix.strip().upper()
        if self.jurisdiction == Jurisdiction.ENGLAND_WALES and not _URN_ENGLAND.match(self.urn):
            raise ValidationError({"urn": "A URN in England and Wales is 6 digits."})
        if not _SCHOOL_CODE.match(self.urn):
            raise ValidationError({"urn": "Use 4 to 12 letters or digits."})
        self.dfe_number = self.dfe_number.strip().replace("/", "")
        if self.dfe_number and not _DFE_NUMBER.match(self.dfe_number):
            raise ValidationError(
                {
                    "dfe_number": "A DfE number is 7 digits: the 3-digit local authority number "
                    "and the 4-digit establishment number."
                }
            )
        if not _PREFIX.match(self.reference_prefix):
            raise ValidationError({"reference_prefix": "Use 2 to 5 capital letters."})
        if (
            self.school_day_starts
            and self.school_day_ends
            and self.school_day_ends <= self.school_day_starts
        ):
            raise ValidationError({"school_day_ends": "The school day must end after it starts."})

    @property
    def staff_may_search_devices(self) -> bool:
        return Jurisdiction.staff_may_search_devices(self.jurisdiction)


class Role(models.TextChoices):
    DSL = "dsl", "Designated safeguarding lead"
    DEPUTY_DSL = "deputy_dsl", "Deputy designated safeguarding lead"
    HEADTEACHER = "headteacher", "Headteacher"
    ACTING_HEADTEACHER = "acting_headteacher", "Acting headteacher"
    STAFF = "staff", "Staff member"
    # Keeps the pupil list in step with the MIS; sees no safeguarding record (pupil-import.md).
    DATA_MANAGER = "data_manager", "Data manager"
    TRUST_LEAD = "trust_lead", "Trust safeguarding lead"


class Membership(models.Model):
    """A person's role in one school. Revoked, never deleted, so the record shows who
    could act when. Granted and revoked only through `safeguarding.services`."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["school__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "school", "role"],
                condition=Q(revoked_at__isnull=True),
                name="membership_one_active_role_per_school",
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_known"),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_at__gte=models.F("granted_at")),
                name="membership_revoked_after_granted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.school}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class SocialCare(models.TextChoices):
    NONE = "none", "None known"
    CURRENT = "current", "Current"
    PREVIOUS = "previous", "Previous"


class YearGroup(models.TextChoices):
    NURSERY = "N", "Nursery"
    RECEPTION = "R", "Reception"
    Y1 = "1", "Year 1"
    Y2 = "2", "Year 2"
    Y3 = "3", "Year 3"
    Y4 = "4", "Year 4"
    Y5 = "5", "Year 5"
    Y6 = "6", "Year 6"
    Y7 = "7", "Year 7"
    Y8 = "8", "Year 8"
    Y9 = "9", "Year 9"
    Y10 = "10", "Year 10"
    Y11 = "11", "Year 11"
    Y12 = "12", "Year 12"
    Y13 = "13", "Year 13"


def validate_upn(value: str) -> None:
    problem = upn_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_upn")


class Pupil(models.Model):
    """A child on the school's roll, as the school's MIS has them (docs/pupil-import.md).

    The legal names are what the MIS and the census hold, and what an export for another
    agency carries; the preferred names are what the child is called, shown everywhere in
    the app. A pupil who leaves keeps their record (and its safeguarding history): the
    leaving date says they are no longer on roll. Ages are computed at a date, never stored.
    """

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="pupils")
    upn = models.CharField("UPN", max_length=13, validators=[validate_upn])
    given_name = models.CharField("legal forename", max_length=100)
    family_name = models.CharField("legal surname", max_length=100)
    preferred_given_name = models.CharField(
        "preferred forename", max_length=100, blank=True, help_text="Left blank, the legal one."
    )
    preferred_family_name = models.CharField(
        "preferred surname", max_length=100, blank=True, help_text="Left blank, the legal one."
    )
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices)
    year_group = models.CharField(max_length=2, choices=YearGroup.choices)
    registration_group = models.CharField(
        max_length=20, blank=True, help_text="The form or tutor group, as in 10JB."
    )
    send = models.BooleanField("special educational needs or disability", default=False)
    looked_after = models.BooleanField("looked-after child", default=False)
    social_care = models.CharField(
        "social-care involvement",
        max_length=10,
        choices=SocialCare.choices,
        default=SocialCare.NONE,
    )
    child_protection_history = models.BooleanField(default=False)
    admitted_on = models.DateField("date of admission", null=True, blank=True)
    left_on = models.DateField(
        "date of leaving", null=True, blank=True, help_text="Blank while the pupil is on roll."
    )

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["family_name", "given_name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "upn"], name="pupil_upn_unique_per_school"),
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="pupil_sex_known"),
            models.CheckConstraint(
                condition=Q(social_care__in=SocialCare.values), name="pupil_social_care_known"
            ),
            # A looked-after child is, by definition, known to social care now
            # (docs/triage.md#input-the-facts-json).
            models.CheckConstraint(
                condition=Q(looked_after=False) | Q(social_care=SocialCare.CURRENT),
                name="pupil_looked_after_has_current_social_care",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(admitted_on__isnull=True)
                | Q(left_on__gte=models.F("admitted_on")),
                name="pupil_leaves_after_admission",
            ),
        ]
        indexes = [models.Index(fields=["school", "family_name", "given_name"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def known_given_name(self) -> str:
        return self.preferred_given_name or self.given_name

    @property
    def known_family_name(self) -> str:
        return self.preferred_family_name or self.family_name

    @property
    def full_name(self) -> str:
        """The name the child is known by, shown in the app."""
        return f"{self.known_given_name} {self.known_family_name}"

    @property
    def legal_name(self) -> str:
        """The name on the MIS and the census, which exports to other agencies carry."""
        return f"{self.given_name} {self.family_name}"

    @property
    def year_and_group(self) -> str:
        """ "Year 10, 10JB": what tells two children of the same name apart in a search."""
        year = self.get_year_group_display()
        return f"{year}, {self.registration_group}" if self.registration_group else year

    @property
    def other_name(self) -> str:
        """The legal name where the child is known by another, for searches."""
        return self.legal_name if self.legal_name != self.full_name else ""

    @property
    def record_name(self) -> str:
        """The name an export carries: the legal one, and the preferred one beside it."""
        if self.full_name == self.legal_name:
            return self.legal_name
        return f"{self.legal_name} (known as {self.full_name})"

    @property
    def names(self) -> list[str]:
        """Every way the record may write the child's full name, longest first, for
        redaction: preferred and legal, and each mixed with the other."""
        found = {
            self.full_name,
            self.legal_name,
            f"{self.known_given_name} {self.family_name}",
            f"{self.given_name} {self.known_family_name}",
        }
        return sorted(found, key=lambda name: (-len(name), name))

    @property
    def initials(self) -> str:
        return f"{self.known_given_name[:1]}{self.known_family_name[:1]}".upper()

    def on_roll(self, on: dt.date) -> bool:
        """Whether the pupil is on the school's roll on `on` (a leaving date ends it)."""
        return self.left_on is None or self.left_on > on

    def age_on(self, on: dt.date) -> int:
        return age_on(self.date_of_birth, on)

    def clean(self) -> None:
        super().clean()
        if self.looked_after and self.social_care != SocialCare.CURRENT:
            raise ValidationError(
                {"social_care": "A looked-after child has current social-care involvement."}
            )
        if self.date_of_birth and self.date_of_birth > timezone.localdate():
            raise ValidationError({"date_of_birth": "The date of birth is in the future."})
        if self.left_on and self.admitted_on and self.left_on < self.admitted_on:
            raise ValidationError({"left_on": "The date of leaving is before the admission."})


# Defined beside the code that uses it; imported here so that Django finds the model.
from safeguarding.background.models import TaskWorker  # noqa: E402, F401

# The school calendar's models live in their own module; importing them here registers
# them in this app (docs/calendar.md).
from safeguarding.calendar.models import ClosureDay, TermDate  # noqa: E402,F401
from safeguarding.notifications.models import (  # noqa: E402, F401
    Notification,
    NotificationPreference,
)
