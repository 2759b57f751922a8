"""The risk assessment's questions (002 §3.4, Annex A), as data.

When the school has not referred, the DSL reviews the facts further to assess the risks
and manage the incident (002 §3.4); Annex A lists the questions to consider, each with
why it matters. The answers are stored on `RiskAssessment.answers` as
`{key: {"answer": "yes" | "no" | "not_known", "note": str}}`, keyed by `QUESTIONS`.

Some answers are triage facts: the form shows those facts beside the question they
belong to, pre-filled from the incident, so what the assessment finds updates the
triage. `incident_facts` are `Incident` fields, `person_flags` are `Involvement` flags;
`shows` names facts shown read-only (ages come from dates of birth, vulnerabilities
from the pupil record).
"""

from __future__ import annotations

from dataclasses import dataclass

CITATION = "002 Annex A"
THEMES_CITATION = "002 §3.4"

#: The four themes 002 §3.4 asks the DSL to consider, the lead-in to the questions.
THEMES: list[str] = [
    "How was the image generated, and why? Was the child coerced or put under pressure "
    "to produce it?",
    "Who has shared the imagery, and where? Was it shared and received with the knowledge "
    "of the pupil in the imagery?",
    "What is the impact on the pupils involved?",
    "Do the pupils involved have additional vulnerabilities?",
]

AGES = "ages"
VULNERABILITIES = "vulnerabilities"


@dataclass(frozen=True)
class Question:
    """One Annex A question. `text` is the guidance's question; `asks` is the yes/no
    question the recorded answer replies to, so "yes" means one thing only."""

    key: str
    text: str
    asks: str
    why: str
    citation: str = CITATION
    note_hint: str = ""
    incident_facts: tuple[str, ...] = ()
    person_flags: tuple[str, ...] = ()
    shows: str = ""


WHY_SHARED = "why_shared"
SHARED_BEYOND = "shared_beyond"
SHARED_ONLINE = "shared_online"
HOW_OLD = "how_old"
SENT_TO_MANY = "sent_to_many"
UNDERSTANDS = "understands"
VULNERABILITY = "vulnerability"
PARENTS = "parents"

QUESTIONS: list[Question] = [
    Question(
        WHY_SHARED,
        "Why was the imagery shared? Was it consensual or was the pupil put under pressure "
        "or coerced?",
        asks="Was a pupil put under pressure or coerced?",
        why="Young people share imagery to flirt, to build trust in a relationship, for "
        "attention or as a joke; those pressured into it are more likely to suffer harm. "
        "Refer to the police if a child was pressured or coerced, or if imagery is shared "
        "without consent and with malicious intent. Pupils who pressure or coerce others "
        "should face disciplinary action.",
        incident_facts=("consensual",),
        person_flags=("coerced",),
    ),
    Question(
        SHARED_BEYOND,
        "Has the imagery been shared beyond its intended recipient? Was it shared without "
        "the consent of the pupil who produced the imagery?",
        asks="Was it shared beyond its intended recipient, or without the consent of the "
        "pupil who produced it?",
        why="Imagery first shared with consent may be passed on, with malicious intent or "
        "without understanding the consequences. Inform the police if it was shared with a "
        "deliberate intent to harm, or used to bully or blackmail a pupil.",
        incident_facts=("without_knowledge_of_pictured", "malicious"),
        person_flags=("blackmailed",),
    ),
    Question(
        SHARED_ONLINE,
        "Has the imagery been shared on social media or anywhere else online? If so, what "
        "steps have been taken to contain the spread of the imagery?",
        asks="Has it been shared on social media or anywhere else online?",
        why="Wide sharing on social media can cause significant embarrassment, harm the "
        "pupil's online reputation for a long time and expose them to bullying or contact "
        "from strangers. Support the pupil to report it to the sites hosting it; if it is "
        "not removed, contact ChildLine or the Professionals Online Safety Helpline; if "
        "people they do not know contact them after seeing it, report to CEOP.",
        note_hint="If so, what has been done to contain its spread: for example, reported to "
        "the site hosting it (002 §8.0, Annex C).",
        incident_facts=("shared_widely", "posted_online"),
    ),
    Question(
        HOW_OLD,
        "How old is the pupil or pupils involved?",
        asks="Is anyone involved under 13, or is there a significant age difference between them?",
        why="Children under 13 cannot consent to sexual activity: imagery of sexual "
        "activity by under-13s is referred to the police. Being older gives power in a "
        "relationship, so a significant age difference may mean the younger felt pressured. "
        "Acts you would not expect at that age are referred to the police too; the Brook "
        "Traffic Light tool describes harmful sexual behaviour at different ages.",
        shows=AGES,
    ),
    Question(
        SENT_TO_MANY,
        "Did the child send the image to more than one person?",
        asks="Did the child send the image to more than one person?",
        why="Sharing imagery with several people may point to other issues the pupil needs "
        "support with; consider their motivation. Refer to children's social care if there "
        "are wider safeguarding concerns.",
    ),
    Question(
        UNDERSTANDS,
        "Does the pupil understand the possible implications of sharing the image?",
        asks="Does the pupil understand the possible implications of sharing the image?",
        why="Children may make or share imagery without understanding how it puts them at "
        "risk or harms another pupil. Exploring their understanding helps plan the response "
        "and judge, for example, whether an image was passed on to harm deliberately.",
        person_flags=("capacity_concern",),
    ),
    Question(
        VULNERABILITY,
        "Do you have any concerns about the pupil's vulnerability?",
        asks="Do you have any concerns about a pupil's vulnerability?",
        why="Consider whether a pupil's circumstances or background make them additionally "
        "vulnerable: being in care, having special educational needs or a disability, or "
        "having been a victim of abuse. Where there are wider concerns about a pupil's care "
        "and welfare, consider a referral to children's social care.",
        shows=VULNERABILITIES,
    ),
    Question(
        PARENTS,
        "Are there additional concerns if the parents or carers are informed?",
        asks="Are there additional concerns if the parents or carers are informed?",
        why="Parents should be informed unless there is good reason to believe that would "
        "put the child at risk, for example parental abuse, or cultural or religious "
        "factors affecting how they or their community would respond. A decision not to "
        "involve parents must be recorded with its reasons (002 §3.5).",
    ),
]
QUESTION_KEYS = [question.key for question in QUESTIONS]

#: Every triage fact the assessment can change, in question order.
INCIDENT_FACTS: tuple[str, ...] = tuple(f for q in QUESTIONS for f in q.incident_facts)
PERSON_FLAGS: tuple[str, ...] = tuple(f for q in QUESTIONS for f in q.person_flags)
