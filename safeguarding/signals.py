"""What the core announces, for the apps above it to act on.

The core never imports an app (docs/architecture.md, layers). Where an app must act on a
change to a core record, the core sends a signal and the app connects a receiver: when
a pupil's record changes, the incidents app re-triages that pupil's open incidents.
Receivers run in the sender's transaction, so a refusal rolls the change back.
"""

from django.dispatch import Signal

#: Sent by `safeguarding.services.pupil_save` after saving, with `actor` and `pupil`.
pupil_saved = Signal()

#: Sent by a bulk write of pupils (a pupil import) after saving, with `actor` and
#: `pupil_ids`: one signal for the whole batch, so receivers ask in one query.
pupils_saved = Signal()
