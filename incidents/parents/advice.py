"""Advice to offer parents and carers, by the child's situation (002 Annex B).

Annex B names three situations: the child lost control of a sexual image of
themselves, was sent one, or shared another child's image; and advice for all parents
whose child was involved. The texts below closely paraphrase it. The DSL ticks the
points given; they are stored as text on the parent contact, one per line.
"""

from __future__ import annotations

from dataclasses import dataclass

CITATION = "002 Annex B"


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    points: tuple[tuple[str, str], ...]


LAW = "Advised on the law about saving, sharing or looking at naked or sexual images of children."

SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        key="lost_control",
        title="The child lost control of a sexual image of themselves",
        points=(
            ("lost_law", LAW),
            (
                "lost_delete",
                "Asked to encourage the child to delete images from social media accounts "
                "they uploaded them to themselves.",
            ),
            (
                "lost_removal",
                "Directed to Childline's partnership with the Internet Watch Foundation to get "
                "the image removed as soon as possible, told how to report images to each site, "
                "and that the mobile provider can change the child's number.",
            ),
            (
                "lost_conversation",
                "Helped to talk with the child supportively: reassure, do not get angry, listen "
                "rather than criticise, avoid 'why did you do this?', focus on who has the image "
                "and next steps, discuss pressures, consent and trust.",
            ),
            ("lost_bullying", "Directed to the school if they are worried the child is bullied."),
            (
                "lost_hsb",
                "Directed to Harmful Sexual Behaviour services (such as the National Clinical "
                "Assessment and Treatment Service) if this or similar has happened before.",
            ),
        ),
    ),
    Scenario(
        key="sent",
        title="The child was sent a sexual image",
        points=(
            ("sent_law", LAW),
            (
                "sent_conversation",
                "Supported to talk with the child: they did the right thing to speak out; do not "
                "share the image further; listen without criticising; ask whether it was asked "
                "for and whether an adult or a child sent it; discuss consent and trust.",
            ),
            (
                "sent_stop",
                "Given ways the child could ask the sender to stop, or told how to block them.",
            ),
            (
                "sent_ceop",
                "Directed to CEOP if an adult sent the image or they are worried about "
                "exploitation or grooming.",
            ),
        ),
    ),
    Scenario(
        key="shared",
        title="The child shared another child's image",
        points=(
            ("shared_law", LAW),
            (
                "shared_conversation",
                "Supported to talk with the child: stay calm; ask where the image was sent and "
                "agree how to take it down (delete it, report it to providers); whether it was "
                "asked for; consent and trust; their motivations and what they could have done "
                "differently.",
            ),
            (
                "shared_school_hsb",
                "Advised to contact the school if worried the child behaves in a sexually "
                "inappropriate way, and directed to Harmful Sexual Behaviour services if this "
                "or similar has happened before.",
            ),
        ),
    ),
    Scenario(
        key="all",
        title="All parents whose child was involved",
        points=(
            (
                "all_school",
                "Advised to contact the school, with the child's consent, so teachers can support "
                "any pupil affected and stop the image circulating further.",
            ),
            (
                "all_child_support",
                "Told about support for the child if anxious or low (Childline counsellor, GP; "
                "999 if they fear the child is suicidal).",
            ),
            (
                "all_parent_support",
                "Told where they can get support themselves, such as the NSPCC Helpline.",
            ),
            ("all_ceop", "Directed to CEOP if worried about sexual exploitation or grooming."),
        ),
    ),
)

#: Every advice point, key → text.
POINTS: dict[str, str] = {key: text for s in SCENARIOS for key, text in s.points}


def choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for a form field: one group per situation."""
    return [(s.title, list(s.points)) for s in SCENARIOS]


def advice_text(keys: list[str], notes: str = "") -> str:
    """The chosen points, one per line in the order of Annex B, then any free notes."""
    chosen = set(keys)
    lines = [f"- {text} ({CITATION})" for key, text in POINTS.items() if key in chosen]
    # The law point is shared by three situations: say it once.
    lines = list(dict.fromkeys(lines))
    if notes.strip():
        lines.append(notes.strip())
    return "\n".join(lines)
