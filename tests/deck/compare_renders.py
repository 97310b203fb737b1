"""Renders a deck's PPTX with LibreOffice and compares each slide with the same page of its PDF.

    compare_renders.py deck.pptx deck.pdf

LibreOffice (soffice) turns the PPTX into a PDF as PowerPoint's rules lay it out; pdftoppm turns
both PDFs into small greyscale pictures. Fonts differ between the two (Arial, substituted, against
the embedded DejaVu Sans), so the comparison is tolerant: per slide it prints how far the pictures
differ on average (0 same, 1 opposite) and where the ink starts in the title band, the left edge a
centred title moves. Prints JSON: {"slides": [{"difference", "title_left": [pptx, pdf]}, ...]}.
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageChops, ImageStat

SIZE = (320, 180)
# The section title sits between 0.35 and 1.15 inches of a 7.5-inch slide.
TITLE_BAND = (0.05, 0.15)
INK = 60


def pages(pdf, folder, prefix):
    subprocess.run(["pdftoppm", "-r", "30", "-gray", "-png", str(pdf), str(folder / prefix)], check=True)
    return [Image.open(p).convert("L").resize(SIZE) for p in sorted(folder.glob(f"{prefix}-*.png"))]


def pptx_as_pdf(pptx, folder):
    profile = (folder / "profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
         str(folder), str(pptx)],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180)
    return folder / (Path(pptx).stem + ".pdf")


def title_left(picture):
    """The first column (as a share of the width) in the title band with ink on it."""
    top, bottom = (int(f * SIZE[1]) for f in TITLE_BAND)
    band = picture.crop((0, top, SIZE[0], bottom))
    background = band.getpixel((SIZE[0] - 1, 0))
    for x in range(SIZE[0]):
        if any(abs(band.getpixel((x, y)) - background) > INK for y in range(bottom - top)):
            return round(x / SIZE[0], 3)
    return None


def difference(a, b):
    return round(ImageStat.Stat(ImageChops.difference(a, b)).mean[0] / 255, 4)


def main():
    pptx, pdf = Path(sys.argv[1]), Path(sys.argv[2])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rendered = pages(pptx_as_pdf(pptx, folder), folder, "pptx")
        drawn = pages(pdf, folder, "pdf")
        slides = [{"difference": difference(a, b), "title_left": [title_left(a), title_left(b)]}
                  for a, b in zip(rendered, drawn)]
        json.dump({"pptx_pages": len(rendered), "pdf_pages": len(drawn), "slides": slides}, sys.stdout)


if __name__ == "__main__":
    main()
