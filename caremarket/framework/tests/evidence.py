"""Real evidence files for tests: a PDF that opens and an image that decodes, made here."""

import io

from fpdf import FPDF
from PIL import Image


def pdf_bytes(text: str = "Employer's liability insurance certificate") -> bytes:
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    document.cell(text=text)
    return bytes(document.output())


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format="PNG")
    return out.getvalue()
