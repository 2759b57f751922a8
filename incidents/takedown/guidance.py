"""How to get imagery taken down, as the 2016 guidance gives it (002 §8.0, Annex C = §9.3).

Annex C names six providers, whether each has a reporting function and where it is;
what to do when a site has none (the Internet Watch Foundation); and, with Annex A,
where to turn when a report does not work. The links are Annex C's own, from 2016:
the page says so, because providers move their help pages.

`guides_named` matches what a DSL types as the platform ("WhatsApp group chat") to the
providers it names, so the take-down service can refuse a report "to the platform" on
a site that has no reporting function.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CITATION = "002 Annex C"


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class PlatformGuide:
    name: str
    has_reporting_function: bool
    how: str
    links: tuple[Link, ...]


PLATFORMS: tuple[PlatformGuide, ...] = (
    PlatformGuide(
        name="Snapchat",
        has_reporting_function=True,
        how="Snapchat provides a reporting function. Users can block other users.",
        links=(Link("Snapchat abuse reporting", "https://support.snapchat.com/en-US/ca/abuse"),),
    ),
    PlatformGuide(
        name="WhatsApp",
        has_reporting_function=False,
        how="WhatsApp does not provide a reporting function: report a sexual image to the "
        "Internet Watch Foundation. Users can block other users.",
        links=(Link("Blocking users on WhatsApp", "https://www.whatsapp.com/faq/en/s60/21064391"),),
    ),
    PlatformGuide(
        name="Instagram",
        has_reporting_function=True,
        how="Instagram provides a reporting function. Users can block other users.",
        links=(Link("Instagram reporting", "https://help.instagram.com/443165679053819/"),),
    ),
    PlatformGuide(
        name="Facebook",
        has_reporting_function=True,
        how="Social reporting lets the child ask the person who posted it to take it down, "
        "or use a trusted person (a teacher, friend, parent) to ask for them. Public "
        "reporting is for people without a Facebook account. Users can block other users.",
        links=(
            Link("Facebook social reporting", "https://www.facebook.com/help/128548343894719"),
            Link("Facebook public reporting", "https://www.facebook.com/help/263149623790594/"),
        ),
    ),
    PlatformGuide(
        name="YouTube",
        has_reporting_function=True,
        how="Report a video, a channel or a comment. You need a YouTube account to report.",
        links=(Link("YouTube reporting", "https://support.google.com/youtube/answer/2802027"),),
    ),
    PlatformGuide(
        name="Google",
        has_reporting_function=True,
        how="The 'right to be forgotten' form asks Google to remove search results, country "
        "by country: give the exact URLs, why they concern the child and why they are "
        "unlawful.",
        links=(
            Link(
                "Google search removal request",
                "https://support.google.com/legal/contact/lr_eudpa?product=websearch",
            ),
        ),
    ),
)

OTHER_PROVIDERS = Link("NSPCC Net Aware (other providers)", "https://www.net-aware.org.uk")


@dataclass(frozen=True)
class Rule:
    when: str
    then: str
    source: str
    links: tuple[Link, ...]


RULES: tuple[Rule, ...] = (
    Rule(
        when="The site has no reporting function and the content is a sexual image",
        then="Report it to the Internet Watch Foundation (IWF): sexual images of anyone under "
        "18 are illegal and the IWF can get them removed from sites with no reporting "
        "procedure.",
        source="002 Annex C",
        links=(Link("Internet Watch Foundation", "https://www.iwf.org.uk"),),
    ),
    Rule(
        when="The child is being contacted by people they do not know who have seen the image",
        then="Report to CEOP (also if you are concerned the child is being sexually abused, "
        "exploited or groomed online).",
        source="002 Annex A, Annex C",
        links=(Link("CEOP safety centre", "https://www.ceop.police.uk/safety-centre"),),
    ),
    Rule(
        when="The child has reported the imagery and it has not been removed",
        then="Contact Childline or the Professionals Online Safety Helpline (POSH, 0844 381 4772).",
        source="002 Annex A",
        links=(
            Link("Childline", "https://www.childline.org.uk/Pages/Home.aspx"),
            Link(
                "Professionals Online Safety Helpline",
                "http://www.saferinternet.org.uk/about/helpline",
            ),
        ),
    ),
)

QUICKEST_WAYS: tuple[str, ...] = (
    "The quickest way to get content removed is for the person who posted it to take it "
    "down: if the child posted it from their own account, ask them to log in and delete it.",
    "If someone else posted or re-posted it, ask them to log in and delete it from every "
    "site they shared it on.",
    "If you do not know who posted it, or they refuse, report it: content that breaches a "
    "site's terms of service will be removed.",
)

ACT_QUICKLY: tuple[str, ...] = (
    "Nudity or suggestive poses.",
    "Details which might identify a child, for example a school uniform.",
    "Details which might identify or embarrass other children.",
)

NOT_REMOVED_NEXT = (
    "Contact Childline or the Professionals Online Safety Helpline (POSH) (002 Annex A)."
)


def _squashed(text: str) -> str:
    """Letters and digits only, lower case: "Whats App" and "whatsapp" read alike."""
    return re.sub(r"[^0-9a-z]", "", text.lower())


def guides_named(platform: str) -> list[PlatformGuide]:
    """The Annex C providers whose name appears in what the DSL typed."""
    typed = _squashed(platform)
    return [guide for guide in PLATFORMS if _squashed(guide.name) in typed]


def without_reporting_function(platform: str) -> list[PlatformGuide]:
    return [guide for guide in guides_named(platform) if not guide.has_reporting_function]


def platforms_of(incident_platforms: str) -> list[str]:
    """The apps and sites recorded on the incident ("Snapchat, WhatsApp and Instagram"),
    one by one, to suggest as the platform of a report."""
    parts = re.split(r",|;|/|\n|\band\b|&", incident_platforms)
    named: list[str] = []
    for part in parts:
        name = " ".join(part.split())
        if name and name.lower() not in {n.lower() for n in named}:
            named.append(name)
    return named
