"""The demo pupils: which academic year it is, cohort dates of birth, and the roster.

`build_roster` turns a school's `SchoolSpec` into its 60 pupils: the named pupils of the
demo cases first, then pupils drawn from the school's name lists with the school's fixed
`roster_seed`. It touches no database, so the draws (and with them every UPN and name)
depend only on the spec, never on the date or on what is already stored: a later run of
the seed finds the same pupils. Keep the order of the `rng` calls as it is: any change
reshuffles every unnamed pupil.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, NamedTuple

from django.utils import timezone

from demo.data import PUPILS_PER_SCHOOL, UPN_BASE_ACADEMIC_YEAR, SchoolSpec, StoryPupil
from safeguarding.ages import age_on
from safeguarding.models import SocialCare
from safeguarding.upn import CHECK_ALPHABET, check_letter, upn_problem

YEAR_GROUPS = (7, 8, 9, 10, 11, 12, 13)
TEMPORARY_UPNS = 3


# --- Dates ------------------------------------------------------------------------------


def academic_year_start(today: dt.date) -> int:
    """The calendar year the current academic year (1 September to 31 August) began in."""
    return today.year if today >= dt.date(today.year, 9, 1) else today.year - 1


def cohort_dates(year_group: int, start_year: int) -> list[dt.date]:
    """Dates of birth of the pupils in `year_group` in the academic year from `start_year`.

    A Year 7 pupil is 11 on 1 September; the cohort runs 1 September to 31 August, but 1
    September itself is left out so that every pupil is exactly `year_group + 4` then.
    """
    first = dt.date(start_year - year_group - 5, 9, 2)
    last = dt.date(start_year - year_group - 4, 8, 31)
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def story_date_of_birth(story: StoryPupil, start_year: int, on: dt.date) -> dt.date:
    """A date of birth in the pupil's cohort giving them `story.age` on `on`, if any can.

    Early in the autumn term a Year 11 pupil may not yet be 16; the nearest age is then
    used, so the seed never fails on the day it runs.
    """
    cohort = cohort_dates(story.year_group, start_year)
    matching = [dob for dob in cohort if age_on(dob, on) == story.age]
    if matching:
        return matching[len(matching) // 2]
    return min(cohort, key=lambda dob: abs(age_on(dob, on) - story.age))


# --- Pupils -----------------------------------------------------------------------------


class PupilRow(NamedTuple):
    upn: str
    given_name: str
    family_name: str
    date_of_birth: dt.date
    sex: str
    year_group: int
    send: bool = False
    looked_after: bool = False
    social_care: str = SocialCare.NONE
    child_protection_history: bool = False
    story_key: str = ""


def build_roster(
    spec: SchoolSpec, *, start_year: int, moments: dict[str, dt.datetime]
) -> list[PupilRow]:
    """The school's demo pupils, the named ones first. Same seed, same UPNs and names.

    The random draws do not depend on the date, so a later run finds the same UPNs.
    """
    rng = random.Random(spec.roster_seed)
    serials = rng.sample(range(1, 1000), PUPILS_PER_SCHOOL)
    unnamed = range(len(spec.story_pupils), PUPILS_PER_SCHOOL)
    temporary = set(rng.sample(unnamed, TEMPORARY_UPNS))
    flagged = rng.sample(unnamed, 8)
    flags: dict[int, dict[str, Any]] = {
        **{i: {"send": True} for i in flagged[:4]},
        flagged[4]: {"looked_after": True, "social_care": SocialCare.CURRENT},
        flagged[5]: {"social_care": SocialCare.CURRENT},
        flagged[6]: {"social_care": SocialCare.PREVIOUS},
        flagged[7]: {"social_care": SocialCare.PREVIOUS, "child_protection_history": True},
    }
    taken = {(story.given_name, story.family_name) for story in spec.story_pupils}
    rows: list[PupilRow] = []
    for index in range(PUPILS_PER_SCHOOL):
        # Named slots draw too, so the unnamed pupils do not change when a story does.
        feeder = rng.choice(spec.feeders)
        sex = rng.choice("FM")
        given_name, family_name = _draw_name(rng, spec, sex, taken)
        day = rng.randrange(364)
        temporary_letter = rng.choice(CHECK_ALPHABET)

        if index < len(spec.story_pupils):
            story = spec.story_pupils[index]
            year_group = story.year_group
            on = timezone.localdate(moments[story.incident])
            row = PupilRow(
                upn="",
                given_name=story.given_name,
                family_name=story.family_name,
                date_of_birth=story_date_of_birth(story, start_year, on),
                sex=story.sex,
                year_group=year_group,
                send=story.send,
                looked_after=story.looked_after,
                social_care=story.social_care,
                child_protection_history=story.child_protection_history,
                story_key=story.key,
            )
        else:
            year_group = YEAR_GROUPS[index % len(YEAR_GROUPS)]
            row = PupilRow(
                upn="",
                given_name=given_name,
                family_name=family_name,
                date_of_birth=cohort_dates(year_group, start_year)[day],
                sex=sex,
                year_group=year_group,
                **flags.get(index, {}),
            )

        allocated = f"{(UPN_BASE_ACADEMIC_YEAR - year_group) % 100:02d}"
        serial = f"{serials[index]:03d}"
        if index in temporary:
            # A temporary UPN, given by this school this year; it ends in a letter.
            feeder = spec.own_upn_code
            allocated = f"{UPN_BASE_ACADEMIC_YEAR % 100:02d}"
            serial = serial[:2] + temporary_letter
        body = f"{feeder.la}{feeder.establishment}{allocated}{serial}"
        rows.append(row._replace(upn=check_letter(body) + body))

    upns = [row.upn for row in rows]
    if len(set(upns)) != len(upns) or any(upn_problem(upn) for upn in upns):
        raise RuntimeError(f"The demo roster for {spec.name} has a bad or repeated UPN.")
    return rows


def _draw_name(
    rng: random.Random, spec: SchoolSpec, sex: str, taken: set[tuple[str, str]]
) -> tuple[str, str]:
    """A given and family name from one heritage group, weighted by how common it is.

    Names already `taken` in the school are drawn again, so no two pupils share one.
    """
    weights = [group.weight for group in spec.names]
    while True:
        (group,) = rng.choices(spec.names, weights=weights)
        given_name = rng.choice(group.female if sex == "F" else group.male)
        family_name = rng.choice(group.family)
        if group.second_family:
            second = rng.choice([name for name in group.second_family if name != family_name])
            family_name = f"{family_name} {second}"
        if (given_name, family_name) not in taken:
            taken.add((given_name, family_name))
            return given_name, family_name
