"""Every picture and video format is refused by its bytes, whatever the file is called."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safeguarding.uploads.checks import WHY, Refusal
from tests.safeguarding.uploads.samples import IMAGES, VIDEOS, refusal

NAMES = ["form.pdf", "notes.txt", "referral.docx"]


def uploaded(name: str, data: bytes) -> bytes:
    """What the service reads from a browser upload: the bytes, never the name."""
    return SimpleUploadedFile(name, data, content_type="application/pdf").read()


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(("what", "data"), IMAGES.items(), ids=list(IMAGES))
def test_every_image_format_is_refused_whatever_its_name(what, data, name):
    refused = refusal(uploaded(name, data))
    assert refused.reason == Refusal.IMAGE
    assert refused.message.startswith(f"This file is {what.split(' (')[0]}")
    assert WHY in refused.message
    assert "possessing or sharing indecent images of a child is an offence" in refused.message
    assert "(002 §2.0, §5.1)" in refused.message
    assert refused.message.endswith("Describe what the imagery shows in words instead.")


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(("what", "data"), VIDEOS.items(), ids=list(VIDEOS))
def test_every_video_format_is_refused_whatever_its_name(what, data, name):
    refused = refusal(uploaded(name, data))
    assert refused.reason == Refusal.VIDEO
    assert refused.message.startswith(f"This file is {what.split(' (')[0]}")
    assert WHY in refused.message


def test_the_message_explains_why_in_full():
    assert refusal(IMAGES["a JPEG image"]).message == (
        "This file is a JPEG image. The product never stores pictures or video: possessing "
        "or sharing indecent images of a child is an offence (002 §2.0, §5.1). Describe what "
        "the imagery shows in words instead."
    )
