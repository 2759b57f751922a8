"""Unique Pupil Numbers (UPN), as specified by the DfE for the school census.

A UPN has 13 characters: a check letter, the 3-digit local authority number, the
4-digit establishment number, the 2-digit year of allocation, a 3-character serial.
The last character is a digit in a permanent UPN and a letter in a temporary one.
The check letter guards against typing errors, which matter when a pupil's
safeguarding chronology must not be merged with another child's.
"""

from __future__ import annotations

import re

# The DfE alphabet: 23 letters, without I, O and S (too easily misread as 1, 0 and 5).
CHECK_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ"
_SHAPE = re.compile(rf"^[{CHECK_ALPHABET}]\d{{11}}[0-9{CHECK_ALPHABET}]$")


def check_letter(body: str) -> str:
    """The check letter for the 12 characters after it (weights 2 to 13, modulo 23)."""
    if len(body) != 12:
        raise ValueError("A UPN body has 12 characters.")
    total = 0
    for weight, char in enumerate(body, start=2):
        value = int(char) if char.isdigit() else CHECK_ALPHABET.index(char)
        total += weight * value
    return CHECK_ALPHABET[total % 23]


def upn_problem(upn: str) -> str | None:
    """Why `upn` is not a valid UPN, in words for the person typing it; None if valid."""
    if len(upn) != 13:
        return f"A UPN has 13 characters; this one has {len(upn)}."
    if not _SHAPE.match(upn):
        return (
            "A UPN is a capital letter, 11 digits, then a digit (or a letter for a "
            "temporary UPN); the letters I, O and S are never used."
        )
    if check_letter(upn[1:]) != upn[0]:
        return "The check letter does not match the rest of the UPN: check for a typing error."
    return None


def is_temporary(upn: str) -> bool:
    return upn[-1].isalpha()
