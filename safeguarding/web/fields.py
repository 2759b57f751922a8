"""Form fields shared by the incident forms: a GOV.UK date, and the date-and-time pair
that records when something happened.

Every record of an event (a meeting, a call, a device taken) asks for its moment the same
way and refuses it the same way, so the pair and its checks live here once; each form
passes only its wording, which differs from form to form and is what users read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils import timezone

from safeguarding.web.widgets import TextInput

DATE_HINT = "For example, 27 3 2026."
TIME_HINT = "Use the 24-hour clock, for example 14:30."
TIME_FORMATS = ["%H:%M", "%H.%M"]


class DateInputWidget(forms.MultiWidget):
    """Day, month and year boxes (the GOV.UK date input pattern); rendered by
    templates/partials/date_input.html."""

    def __init__(self) -> None:
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()])

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class DateBoundField(BoundField):
    @property
    def parts(self) -> list[dict[str, Any]]:
        """The three boxes with what was typed (or the stored date), for the template."""
        value = self.value()
        if not isinstance(value, list | tuple):
            value = self.field.widget.decompress(value)
        return [
            {
                "id": f"{self.auto_id}_{index}",
                "name": f"{self.html_name}_{index}",
                "label": label,
                "width": width,
                "value": "" if part is None else part,
            }
            for index, (label, width, part) in enumerate(
                zip(("Day", "Month", "Year"), (2, 2, 4), value, strict=True)
            )
        ]


class DateField(forms.MultiValueField):
    """A date typed as day, month and year, refused with a message naming the problem."""

    widget = DateInputWidget

    def __init__(self, **kwargs: Any) -> None:
        parts = (forms.CharField(required=False),) * 3
        super().__init__(parts, require_all_fields=False, **kwargs)

    def get_bound_field(self, form: forms.BaseForm, field_name: str) -> BoundField:
        return DateBoundField(form, self, field_name)

    def compress(self, data_list: list[str]) -> dt.date | None:
        if not data_list or not any(part and part.strip() for part in data_list):
            return None
        day, month, year = (part.strip() if part else "" for part in data_list)
        missing = [
            name
            for name, part in zip(("day", "month", "year"), (day, month, year), strict=True)
            if not part
        ]
        if missing:
            raise ValidationError(f"The date must include a {' and '.join(missing)}.")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError("The date must be in numbers, for example 27 3 2026.")
        if len(year) != 4:
            raise ValidationError("The year must have 4 numbers, for example 2026.")
        try:
            return dt.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):  # a month of 2147483648 overflows a C int
            raise ValidationError("The date must be a real date.") from None


def moment_fields(
    what: str,
    *,
    required: bool = True,
    date_hint: str = DATE_HINT,
    date_label: str = "",
    time_label: str = "",
    date_required: str = "",
    time_required: str = "",
) -> tuple[DateField, forms.TimeField]:
    """The date and the time of an event, as GOV.UK asks for them.

    `what` finishes "Date …", "Enter the date …." and "The date … cannot be in the
    future." ("of the meeting", "they were told"), so give `past_moment` the same words.
    Where a form's labels or messages read differently ("Date informed"), pass them; they
    are what users already see, so they are kept rather than made uniform. An optional
    pair (`required=False`) still has its "Enter the …" messages: `past_moment` uses them
    when only half of the pair is given.
    """
    return (
        DateField(
            label=date_label or f"Date {what}",
            help_text=date_hint,
            required=required,
            error_messages={"required": date_required or f"Enter the date {what}."},
        ),
        forms.TimeField(
            label=time_label or f"Time {what}",
            help_text=TIME_HINT,
            input_formats=TIME_FORMATS,
            required=required,
            error_messages={
                "required": time_required or f"Enter the time {what}.",
                "invalid": "Enter a time like 14:30.",
            },
            widget=TextInput(chars=5),
        ),
    )


def past_moment(
    form: forms.BaseForm,
    on: str,
    at: str,
    what: str,
    *,
    may_be_future: bool = False,
    judge_date_alone: bool = True,
) -> dt.datetime | None:
    """The moment typed in the date field `on` and the time field `at`, as an aware
    datetime; or None, with any error added on the field at fault.

    A moment still to come cannot have happened, so it is refused ("The date/time `what`
    cannot be in the future.") unless `may_be_future` (a deadline). With
    `judge_date_alone`, a future date is refused even when the time is missing or wrong,
    so both mistakes show at once; without it (the device forms) nothing more is said
    until both fields are valid. A date without a time, or the other way round, is
    refused with the missing field's own "Enter the …" message, which matters only where
    the pair is optional.
    """
    day, time = form.cleaned_data.get(on), form.cleaned_data.get(at)
    if judge_date_alone and day is not None and day > timezone.localdate():
        form.add_error(on, f"The date {what} cannot be in the future.")
        return None
    if on in form.errors or at in form.errors or (day is None and time is None):
        return None
    if day is None or time is None:
        missing = on if day is None else at
        form.add_error(missing, form.fields[missing].error_messages["required"])
        return None
    moment = timezone.make_aware(dt.datetime.combine(day, time))
    if not may_be_future and moment > timezone.now():
        if day > timezone.localdate():
            form.add_error(on, f"The date {what} cannot be in the future.")
        else:
            form.add_error(at, f"The time {what} cannot be in the future.")
        return None
    return moment
