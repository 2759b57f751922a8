"""Telling people by email that something needs them (docs/notifications.md).

The core sends; the apps say when. A feature calls `notify` with an event, the school,
the people to tell and the page to link to. Each person gets a `Notification` row (to
whom, which event, when, and later when it was sent and to which address: the audit
trail of what left the server), and then either an email at once, sent by a task
after the transaction commits, or a line in their daily summary (`manage.py
send_digests`), as they chose on their account page.

No message says anything sensitive: the words come from `events.EVENT_TEXT`, filled in
with the school's name and the record's reference only, never a pupil's name or an
account of a concern, and the link leads to a page behind sign-in.
"""
