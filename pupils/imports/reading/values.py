"""Reading one cell's value: dates, sex, year group, yes/no and SEN codes.

MIS exports differ in how they write the same fact (Y7, 07, Year 7; K or SEN Support),
so each reader accepts the spellings the common systems use and nothing it would have
to guess at. Dates are the sharpest case: 03/04/2012 is the 3rd of April in every
English MIS, and a file that seems to be month-first is refused row by row rather than
read the American way, because a wrong date of birth makes a wrong age, and the age
decides what the safeguarding guidance requires.

Each function returns the value or raises `BadValue` with the sentence for the DSL.
"""

from __future__ import annotations

import datetime as dt
import re

from safeguarding.models import Sex, YearGroup


class BadValue(Exception):  # noqa: N818  (a row problem, not a programming error)
    """The cell cannot be read; `reason` is the sentence shown against the row."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def shown(value: str, limit: int = 40) -> str:
    """A cell as quoted back in a message, cut short so a stray paragraph stays readable."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _words(value: str) -> str:
    return " ".join(value.casefold().replace(",", " ").split())


# Dates ---------------------------------------------------------------------------------

# Day first, one separator used throughout, a four-digit year; spreadsheets add a time.
_DAY_FIRST = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:\s+00:00(?::00)?)?")
_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)


def parse_date(value: str, *, hint: str = "write dates as DD/MM/YYYY") -> dt.date:
    """A date written day first (31/01/2012, 31-01-2012, 31.01.2012) or as ISO 2012-01-31."""
    text = value.strip()
    day_first = _DAY_FIRST.fullmatch(text)
    iso = _ISO.fullmatch(text)
    try:
        if day_first:
            return dt.date(int(day_first[4]), int(day_first[3]), int(day_first[1]))
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
    except ValueError:
        pass
    raise BadValue(f"{shown(text)} is not a date; {hint}.")


def written(date: dt.date) -> str:
    """A date as English schools write it, for messages."""
    return date.strftime("%d/%m/%Y")


# Sex -----------------------------------------------------------------------------------

_SEXES = {"f": Sex.FEMALE, "female": Sex.FEMALE, "m": Sex.MALE, "male": Sex.MALE}


def parse_sex(value: str) -> str:
    """F or M: the school census records only these two, and so does the product."""
    if not value:
        raise BadValue("The sex is missing.")
    sex = _SEXES.get(_words(value))
    if sex is None:
        raise BadValue(
            f"Sex code '{shown(value)}' is not known: the product records F or M, "
            "as the school census does."
        )
    return str(sex)


# Year group ----------------------------------------------------------------------------

_NURSERY = {"n", "n1", "n2", "nursery", "nursery 1", "nursery 2", "year n", "f1", "fs1"}
_RECEPTION = {"r", "reception", "year r", "yr r", "rec", "f2", "fs2"}
_NUMBERED = re.compile(r"(?:year|yr|y|nc year|ncy)?\s*0?(\d{1,2})")


def parse_year_group(value: str) -> str:
    """The national curriculum year as a YearGroup value: "N", "R" or "1" to "13"."""
    if not value:
        raise BadValue("The year group is missing.")
    text = _words(value)
    if text in _NURSERY:
        return str(YearGroup.NURSERY)
    if text in _RECEPTION:
        return str(YearGroup.RECEPTION)
    numbered = _NUMBERED.fullmatch(text)
    if numbered and 1 <= int(numbered[1]) <= 13:
        return str(int(numbered[1]))
    raise BadValue(
        f"Year group '{shown(value)}' is not known: the product records N (Nursery), "
        "R (Reception) or Years 1 to 13."
    )


def year_label(year_group: str) -> str:
    """ "Year 7", "Reception", "Nursery", as a message names the year group."""
    return str(YearGroup(year_group).label)


# Yes / no ------------------------------------------------------------------------------

_YES = {"y", "yes", "true", "t", "1"}
_NO = {"n", "no", "false", "f", "0", ""}


def parse_yes_no(value: str) -> bool:
    """A yes/no cell such as In Care; blank means no, as in the MIS exports."""
    text = _words(value)
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise BadValue(f"'{shown(value)}' is not a yes or no: write Y or N.")


# Special educational needs -------------------------------------------------------------

_NO_SEN = {"", "n", "no", "none", "no special educational need", "no special educational needs"}
# K (SEN support) and E (EHC plan) are today's census codes; S (statement), A and P
# (School Action and School Action Plus) are older ones still found in long histories.
_SEN = {
    "k", "e", "s", "a", "p",
    "sen support", "ehc plan", "ehcp", "education health and care plan",
    "statement", "school action", "school action plus",
}  # fmt: skip


def parse_sen(value: str) -> bool:
    """Whether the pupil has special educational needs, from the census code or its words."""
    text = _words(value).replace("-", " ")
    if text in _NO_SEN:
        return False
    if text in _SEN:
        return True
    raise BadValue(f"SEN code '{shown(value)}' is not known (expected N, K or E).")
