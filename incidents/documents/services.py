"""Writes to incident documents: upload and withdraw. Keyword-only, typed, one transaction.

Views check access first (`incidents.documents.selectors`). Every file is checked by its
content before anything is written (`safeguarding.uploads.checks`), stored outside the web root
under a random name, and never deleted: a document that should not be relied on is
withdrawn, with who, when and why (docs/documents.md).
"""

from __future__ import annotations

import hashlib
import logging
import unicodedata
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from incidents.models import Incident, IncidentDocument
from safeguarding.audit import save_audited
from safeguarding.models import User
from safeguarding.uploads.checks import DocumentRefused, check_document, check_size

logger = logging.getLogger(__name__)

DOCUMENTS_FOLDER = "documents"


class PrivateFileStorage(FileSystemStorage):
    """Files that must only ever be served by an access-checked view: they have no URL."""

    def url(self, name: str | None) -> str:
        raise NotImplementedError("Private files have no URL; serve them through a view.")


def private_storage() -> PrivateFileStorage:
    """The store under `PRIVATE_FILES_ROOT`, read from settings on each call so tests and
    deployments can move it. Refuses a location the static file server publishes."""
    root = Path(settings.PRIVATE_FILES_ROOT).resolve()
    published = [Path(settings.BASE_DIR) / "static", *_static_dirs()]
    if settings.STATIC_ROOT:
        published.append(Path(settings.STATIC_ROOT))
    for folder in published:
        folder = folder.resolve()
        if root == folder or folder in root.parents or root in folder.parents:
            raise ImproperlyConfigured(
                f"PRIVATE_FILES_ROOT ({root}) must not be inside or contain a folder served "
                f"as static files ({folder})."
            )
    return PrivateFileStorage(
        location=root, file_permissions_mode=0o600, directory_permissions_mode=0o700
    )


def _static_dirs() -> list[Path]:
    """STATICFILES_DIRS entries are a folder or a (prefix, folder) pair."""
    entries: list[Any] = list(settings.STATICFILES_DIRS)
    return [Path(entry[1] if isinstance(entry, (tuple, list)) else entry) for entry in entries]


def stored_path(document: IncidentDocument) -> str:
    """Where the document's file is, relative to the private store: its UUID, nothing else."""
    return f"{DOCUMENTS_FOLDER}/{document.stored_name}"


def download_name(document: IncidentDocument) -> str:
    """A file name safe to offer in Content-Disposition: ASCII letters, digits and a few
    marks from the original name, ending in the extension of the type detected."""
    extension = _EXTENSIONS.get(document.media_type, "bin")
    stem = document.original_name.rsplit(".", 1)[0] if "." in document.original_name else ""
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    safe = "".join(c if c.isalnum() or c in " -_()" else "_" for c in ascii_stem)
    safe = " ".join(safe.split()).strip(" ._-")[:80] or f"document-{document.pk}"
    return f"{safe}.{extension}"


_EXTENSIONS = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/rtf": "rtf",
    "text/plain": "txt",
}


@transaction.atomic
def document_upload(
    *, actor: User, incident: Incident, title: str, kind: str, upload: UploadedFile
) -> IncidentDocument:
    """Check, store and record one document; refusals name the field ("upload").

    Nothing is written for a refused file. If recording the row fails after the file
    was stored, the file is removed again so no file exists without its record.
    """
    max_bytes: int = settings.DOCUMENT_MAX_BYTES
    try:
        check_size(upload.size or 0, max_bytes=max_bytes)
        upload.seek(0)
        data = upload.read(max_bytes + 1)
        detected = check_document(data, max_bytes=max_bytes)
    except DocumentRefused as refusal:
        raise ValidationError({"upload": refusal.message}) from refusal
    digest = hashlib.sha256(data).hexdigest()
    duplicate = (
        IncidentDocument.objects.filter(incident=incident, sha256=digest, withdrawn_at__isnull=True)
        .only("title")
        .first()
    )
    if duplicate is not None:
        raise ValidationError(
            {"upload": f"This file is already attached to this incident as “{duplicate.title}”."}
        )
    document = IncidentDocument(
        incident=incident,
        title=title.strip(),
        kind=kind,
        original_name=_display_name(upload.name or ""),
        stored_name=uuid.uuid4().hex,
        media_type=detected.media_type,
        size=len(data),
        sha256=digest,
        uploaded_by=actor,
    )
    document.full_clean()  # before the file is written, so a bad title writes nothing
    storage = private_storage()
    path = stored_path(document)
    saved_as = storage.save(path, ContentFile(data))
    try:
        if saved_as != path:
            raise RuntimeError(f"The private store renamed {path} to {saved_as}.")
        with transaction.atomic():
            save_audited(document, actor=actor)
    except BaseException:
        storage.delete(saved_as)
        raise
    return document


def _display_name(name: str) -> str:
    """The uploaded name, for people to read: no folders, no control characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    printable = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    return (printable or "unnamed")[:255]


@transaction.atomic
def document_withdraw(*, actor: User, document: IncidentDocument, reason: str) -> IncidentDocument:
    """Mark a document as not to be relied on, keeping the row and the file for the record."""
    current = IncidentDocument.objects.select_for_update().get(pk=document.pk)
    if current.withdrawn_at is not None:
        when = timezone.localtime(current.withdrawn_at)
        raise ValidationError(
            {"reason": f"This document was already withdrawn on {when:%-d %B %Y at %H:%M}."}
        )
    if not reason.strip():
        raise ValidationError({"reason": "Say why the document is being withdrawn."})
    current.withdrawn_at = timezone.now()
    current.withdrawn_by = actor
    current.withdrawn_reason = reason.strip()
    return save_audited(current, actor=actor)
