"""What every member of staff is told before they report a concern, in plain words.

"All members of staff must be made aware of how to recognise and refer any disclosures"
(002 §3.2); the points are those of 002 §3.1, §3.8 and §5.1 and the UKCIS 2020 advice for
all staff. The school adds who to tell and their phone number (its concern settings).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AdvicePoint:
    text: str
    source: str


STAFF_ADVICE: tuple[AdvicePoint, ...] = (
    AdvicePoint(
        "Do not look at, copy, forward, print or delete any picture or video, and do not ask "
        "the child to show it to you or send it. Having or sharing it is an offence, even "
        "for staff.",
        "002 §5.1; UKCIS 2020",
    ),
    AdvicePoint(
        "If you saw a picture by accident, say so in your report. Do not look again.",
        "UKCIS 2020",
    ),
    AdvicePoint(
        "If a phone or other device has it, turn the device off and hand it to the DSL. Do "
        "not search it.",
        "002 §3.8",
    ),
    AdvicePoint(
        "Listen and stay calm. Do not ask the child for more than they want to say. Tell "
        "them you will pass it on to the DSL, who will help.",
        "002 §3.2",
    ),
    AdvicePoint(
        "Tell the DSL now, in person or by phone, as well as sending this report.",
        "002 §3.1",
    ),
    AdvicePoint(
        "Do not talk about it with other staff, pupils or parents. The DSL decides who needs "
        "to know.",
        "UKCIS 2020",
    ),
)
