"""The headteacher's sign-off form: sign or send back, a statement, and the password
again (recent authentication), bound to the digest of the record as reviewed."""

from __future__ import annotations

from django import forms

from incidents.models import SignOffAction
from safeguarding.accounts.forms import ConfirmPasswordForm
from safeguarding.web.widgets import Textarea


class SignOffForm(ConfirmPasswordForm):
    action = forms.ChoiceField(
        label="Your decision",
        choices=[
            (SignOffAction.SIGNED, "Sign off"),
            (SignOffAction.RETURNED, "Send back to the DSL with a comment"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether to sign off or send back.",
            "invalid_choice": "Choose whether to sign off or send back.",
        },
    )
    statement = forms.CharField(
        label="Your statement or comment",
        help_text="What you are signing, or what the DSL should look at again. It is kept "
        "with the sign-off and cannot be changed.",
        max_length=5_000,
        widget=Textarea(),
        error_messages={"required": "Enter your statement, or why you are sending it back."},
    )
    digest = forms.RegexField(
        regex=r"^[0-9a-f]{64}$",
        widget=forms.HiddenInput,
        error_messages={
            "required": "The page was incomplete: open the item again and review it.",
            "invalid": "The page was incomplete: open the item again and review it.",
        },
    )

    field_order = ["action", "statement", "password", "digest"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["password"].label = "Your password"
        self.fields[
            "password"
        ].help_text = "Signing needs your password again, so that only you can sign as you."
