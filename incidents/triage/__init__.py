"""Triage of an incident: which immediate-referral criteria fire, and why
(docs/triage.md).

The rules are pure Python, with no Django and no database, so that they can be read
and tested alone; they import nothing of the project but `safeguarding.ages`:

- `facts.py`: the facts triage reads, the presets of criteria, and `FactsError`;
- `context.py`: what every rule reads (`Context`, `Someone`, `Rule`) and small helpers;
- `criteria.py`: the immediate-referral criteria, the aggravating factors, the typology;
- `obligations.py`: what the school must or should do;
- `rules.py`: `assess`, the entry point, and the `Assessment` it returns;
- `parsing.py`: `parse_facts` and `facts_to_dict`, the facts to and from strict JSON.

Beside them, and using Django: `record.py` builds the facts from an incident in the
database, `services.py` stores assessments and `selectors.py` reads them, and
`python manage.py triage` (incidents/management/commands/triage.py) runs the rules on
facts given as JSON.

Nothing is imported here, so that importing one pure module imports no other part of
the package.
"""
