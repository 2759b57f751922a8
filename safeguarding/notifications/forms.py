"""The account page's choice of how to hear of each kind of event."""

from __future__ import annotations

from typing import Any

from django import forms

from safeguarding.notifications.events import NotificationEvent
from safeguarding.notifications.models import Delivery
from safeguarding.notifications.selectors import chosen_events


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


class PreferencesForm(forms.Form):
    """One question per kind of event: an email at once, or a line in a daily summary."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for event in map(NotificationEvent, chosen_events()):
            self.fields[event.value] = forms.ChoiceField(
                label=event.label,
                choices=Delivery.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Choose how to hear that {_lower_first(event.label)}.",
                    "invalid_choice": "Choose an email at once or a line in one email a day.",
                },
            )

    @property
    def deliveries(self) -> dict[str, str]:
        return {event: self.cleaned_data[event] for event in chosen_events()}
