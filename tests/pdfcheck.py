"""Reading PDFs back as a person's viewer would: their text (pypdf), whether every font
is embedded (pypdf), and what their QR codes say (poppler's pdftoppm renders the page,
zxing-cpp decodes it: a real scanner's view, not our own matrix)."""

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from pypdf import PdfReader


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def _fonts_in(resources, found: dict) -> None:
    if resources is None:
        return
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        name = str(font.get("/BaseFont"))
        descriptors = [font.get("/FontDescriptor")]
        for descendant in font.get("/DescendantFonts") or []:
            descriptors.append(descendant.get_object().get("/FontDescriptor"))
        embedded = any(
            d is not None
            and any(k in d.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            for d in descriptors
        )
        found[name] = found.get(name, False) or embedded
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            _fonts_in(xobject.get("/Resources"), found)


def pdf_fonts(content: bytes) -> dict[str, bool]:
    """Every font any page uses (forms included) → whether its program is embedded."""
    found: dict[str, bool] = {}
    for page in PdfReader(io.BytesIO(content)).pages:
        _fonts_in(page.get("/Resources"), found)
    return found


def assert_fonts_embedded(content: bytes) -> None:
    fonts = pdf_fonts(content)
    assert fonts, "the PDF uses no font at all"
    missing = sorted(name for name, embedded in fonts.items() if not embedded)
    assert not missing, f"fonts not embedded: {missing}"


def pdf_qr_codes(content: bytes, *, dpi: int = 200) -> list[str]:
    """The texts of the QR codes found on every page, top to bottom, left to right."""
    import zxingcpp
    from PIL import Image

    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm missing: apt-get install -y poppler-utils"
    texts = []
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "doc.pdf"
        source.write_bytes(content)
        subprocess.run(
            [pdftoppm, "-r", str(dpi), "-png", str(source), str(Path(folder) / "page")],
            check=True,
            timeout=60,
        )
        for png in sorted(Path(folder).glob("page*.png")):
            with Image.open(png) as image:
                found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
            found = sorted(
                found, key=lambda b: (b.position.top_left.y // 50, b.position.top_left.x)
            )
            texts += [b.text for b in found]
    return texts
