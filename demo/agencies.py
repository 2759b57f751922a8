"""The agency contacts the demo adds (issue 6 item 1): the trust's defaults and each school's.

Data only, like `demo.data`, but kept apart from it: these name `referrals` agencies,
while `demo.data` is the specification of the trust, schools and people (and is imported
by `manage.py demo_code`, which needs none of this). `demo.seeder` adds the trust's
contacts as the trust lead and each school's as its DSL.
"""

from __future__ import annotations

from typing import NamedTuple

from referrals.models import Agency


class DemoContact(NamedTuple):
    agency: str
    name: str
    phone: str = ""
    email: str = ""
    website: str = ""
    notes: str = ""


#: The trust's defaults: the public services 002 Annex C names, with its numbers and sites.
TRUST_AGENCY_CONTACTS = (
    DemoContact(
        Agency.CEOP,
        "CEOP Safety Centre",
        website="www.ceop.police.uk/safety-centre",
        notes="Report here if you are concerned a child is being sexually abused, exploited or "
        "groomed online, or is contacted by people they do not know who have seen the image "
        "(002 Annex A, Annex C).",
    ),
    DemoContact(
        Agency.REPORT_REMOVE,
        "Internet Watch Foundation (IWF)",
        website="www.iwf.org.uk",
        notes="For a sexual image of anyone under 18 on a site with no reporting function: "
        "the IWF can get it removed (002 Annex C).",
    ),
    DemoContact(
        Agency.REPORT_REMOVE,
        "Childline Report Remove",
        website="www.childline.org.uk",
        notes="Helps a young person under 18 get a nude image of themselves removed online "
        "(with the IWF); find 'Report Remove' on the Childline site.",
    ),
    DemoContact(
        Agency.CHILDLINE,
        "Childline",
        phone="0800 1111",
        website="https://www.childline.org.uk/Pages/Home.aspx",
        notes="Direct support for children and young people, including about sharing "
        "sexual imagery; also if a child reported the imagery and it was not removed "
        "(002 Annex A, Annex C).",
    ),
    DemoContact(
        Agency.NSPCC,
        "NSPCC adults helpline",
        phone="0808 800 5002",
        notes="Support for parents and other adults on online safety, with O2 (002 Annex C).",
    ),
    DemoContact(
        Agency.OTHER,
        "Professionals Online Safety Helpline (POSH)",
        phone="0844 381 4772",
        website="http://www.saferinternet.org.uk/about/helpline",
        notes="For staff with an online safety concern, e.g. imagery not removed after "
        "reporting it (002 Annex A, Annex C). Number as 002 gives it: check it is current.",
    ),
)

#: Each school's own contacts: example details (0113 000 …, .example addresses) that a
#: real school replaces with its officer's and its local authority's.
SCHOOL_AGENCY_CONTACTS: dict[str, tuple[DemoContact, ...]] = {
    "riverside": (
        DemoContact(
            Agency.POLICE,
            "PC Jordan Hale, safer schools officer (example)",
            phone="0113 000 0101",
            email="safer.schools.leeds@police.example",
            notes="Example details. Direct support on preventing and managing incidents; "
            "term time, Monday to Friday (002 §3.7).",
        ),
        DemoContact(
            Agency.POLICE,
            "Police non-emergency: 101",
            phone="101",
            notes="The call handler deals with every kind of crime. Once you name the children, "
            "the police must record and investigate (002 §3.7).",
        ),
        DemoContact(
            Agency.POLICE,
            "Police emergency: 999",
            phone="999",
            notes="A child in immediate danger.",
        ),
        DemoContact(
            Agency.SOCIAL_CARE,
            "Leeds MASH duty line (example)",
            phone="0113 000 0000",
            email="mash.duty@leeds.example",
            notes="Example details. Out of hours: the emergency duty team, 0113 000 0999 "
            "(example). Have the child's details and your concerns ready (002 §4.0).",
        ),
    ),
    "costa": (
        DemoContact(
            Agency.POLICE,
            "Agente Plan Director, Policía Nacional Málaga (example)",
            phone="+34 952 000 000",
            email="plan.director.malaga@policia.example",
            notes="Example details. The Plan Director officers visit schools about online "
            "safety and can advise on incidents.",
        ),
        DemoContact(
            Agency.POLICE,
            "Policía Nacional: 091",
            phone="091",
            notes="To report a crime that is not an emergency.",
        ),
        DemoContact(
            Agency.POLICE,
            "Emergencies: 112",
            phone="112",
            notes="A child in immediate danger (Spain's 999).",
        ),
        DemoContact(
            Agency.SOCIAL_CARE,
            "Servicios Sociales Comunitarios, Málaga (example)",
            phone="+34 952 000 001",
            email="servicios.sociales@malaga.example",
            notes="Example details. The local children's services duty line.",
        ),
    ),
}
