"""Forms of the receiving side: the passphrase, a package file with its digest, and
the outside DSL's confirmation. The package itself is checked by `open_package`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from safeguarding.uploads.checks import DocumentRefused, check_size, identify_media, refuse_media
from safeguarding.web.widgets import FileInput, PasswordInput, TextInput

SHA256_HINT = "64 letters and digits; spaces are ignored."


class PassphraseForm(forms.Form):
    passphrase = forms.CharField(
        label="Passphrase",
        max_length=200,
        strip=True,
        help_text="The sending DSL gives it to you by phone: six words joined by dashes.",
        widget=PasswordInput(),
        error_messages={"required": "Enter the passphrase the sending DSL gave you."},
    )


class PackageImportForm(PassphraseForm):
    package = forms.FileField(
        label="The package file (.age)",
        widget=FileInput({"accept": ".age"}),
        error_messages={"required": "Choose the package file."},
    )
    sha256 = forms.RegexField(
        label="The package's SHA-256",
        regex=r"^[0-9a-fA-F ]{64,80}$",
        help_text="The sending school gives it with the file. " + SHA256_HINT,
        widget=TextInput(),
        error_messages={
            "required": "Enter the package's SHA-256.",
            "invalid": "Enter the SHA-256 as 64 letters (a to f) and digits.",
        },
    )
    field_order = ["package", "sha256", "passphrase"]

    def clean_sha256(self) -> str:
        value: str = self.cleaned_data["sha256"].replace(" ", "").lower()
        if len(value) != 64:
            raise forms.ValidationError("Enter the SHA-256 as 64 letters (a to f) and digits.")
        return value

    def clean_package(self) -> bytes:
        """The file's bytes, refused before reading when too large, and a picture or video
        refused by content whatever its name (the product never holds imagery)."""
        upload: Any = self.cleaned_data["package"]
        try:
            check_size(upload.size, max_bytes=settings.TRANSFER_PACKAGE_MAX_BYTES)
            data: bytes = upload.read()
            media = identify_media(data)
            if media is not None:
                raise refuse_media(f"This file is {media.name}.", media.kind)
        except DocumentRefused as refused:
            raise forms.ValidationError(str(refused)) from None
        return data


class ReceiptLinkConfirmForm(forms.Form):
    name = forms.CharField(
        label="Your name",
        max_length=100,
        widget=TextInput(),
        error_messages={"required": "Enter your name."},
    )
    role = forms.CharField(
        label="Your role",
        max_length=100,
        help_text="For example, Designated safeguarding lead.",
        widget=TextInput(),
        error_messages={"required": "Enter your role."},
    )
    digest_matches = forms.BooleanField(
        label="I have the file and its SHA-256 is the one shown on this page",
        error_messages={"required": "Confirm that you have the file and its SHA-256 matches."},
    )
