"""What kind of file a piece of evidence really is: a PDF that opens as a PDF, or a PNG or
JPEG image that decodes. Checking the first bytes is not enough: a file starting "%PDF-"
followed by a web page was taken and stored with the ".html" it was sent with. The file is
stored with the extension of the kind found, whatever its name said.
"""

from __future__ import annotations

import warnings

from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PyPdfError

KINDS = {"pdf": "PDF", "png": "PNG image", "jpeg": "JPEG image"}
EXTENSIONS = {"pdf": "pdf", "png": "png", "jpeg": "jpg"}


def kind_of(stream) -> str | None:
    """"pdf", "png" or "jpeg" when the file is one, opened and read through; else None."""
    try:
        head = stream.read(8)
        stream.seek(0)
        if head.startswith(b"%PDF-"):
            return "pdf" if _is_pdf(stream) else None
        return _image_kind(stream)
    finally:
        stream.seek(0)


def _is_pdf(stream) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pypdf warns of what it mends
            reader = PdfReader(stream, strict=True)
            return len(reader.pages) > 0
    except (PyPdfError, ValueError, KeyError, TypeError, RecursionError):
        return False


def _image_kind(stream) -> str | None:
    try:
        with Image.open(stream) as image:
            found = (image.format or "").lower()
            image.verify()  # reads the whole image; a truncated or disguised one fails
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    return found if found in ("png", "jpeg") else None
