"""Reads an exported deck back with independent libraries and prints what it holds as JSON.

PPTX (python-pptx): per slide, its title and the title's alignment as PowerPoint resolves it (the
paragraph, then the layout's placeholder, then the master's title style), every text frame's text,
tables' cells and native charts' type, categories, series values and value axis. PDF (pypdf): each
page's text, and where the title starts and which axis labels are drawn.
Used by the UI's export tests and the real-app test to check a deck against the draft it came from.
"""

import json
import sys

from pptx import Presentation
from pypdf import PdfReader


A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
ALIGN = {"l": "left", "ctr": "center", "r": "right", "just": "justify"}


def read_chart(chart):
    plot = chart.plots[0]
    axis = chart.value_axis
    return {
        "type": str(chart.chart_type).split(" ")[0],
        "categories": [str(c) for c in plot.categories],
        "series": [{"name": s.name, "values": list(s.values)} for s in plot.series],
        "axis": {"min": axis.minimum_scale, "max": axis.maximum_scale, "step": axis.major_unit},
    }


def first_algn(element, path):
    found = element.find(path) if element is not None else None
    return found.get("algn") if found is not None else None


def title_alignment(slide):
    """The title's alignment by OOXML's inheritance; PowerPoint's own default is left."""
    title = slide.shapes.title
    if title is None:
        return None
    own = first_algn(title._element, f".//{A}p/{A}pPr")
    layout_title = next((s for s in slide.slide_layout.placeholders if s.placeholder_format.type is not None
                         and "TITLE" in str(s.placeholder_format.type)), None)
    from_layout = first_algn(layout_title._element if layout_title is not None else None, f".//{A}lvl1pPr")
    from_layout = from_layout or first_algn(layout_title._element if layout_title is not None else None, f".//{A}p/{A}pPr")
    master = slide.slide_layout.slide_master._element
    from_master = first_algn(master, f"{P}txStyles/{P}titleStyle/{A}lvl1pPr")
    return ALIGN.get(own or from_layout or from_master or "l")


def read_pptx(path):
    slides = []
    for slide in Presentation(path).slides:
        title = slide.shapes.title.text if slide.shapes.title is not None else None
        texts, tables, charts = [], [], []
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                tables.append([[cell.text for cell in row.cells] for row in shape.table.rows])
            if shape.has_chart:
                charts.append(read_chart(shape.chart))
        slides.append({"title": title, "title_align": title_alignment(slide), "texts": texts, "tables": tables,
                       "charts": charts})
    return {"slides": slides}


def placed_text(page):
    """The page's text runs with where each starts (points from the left and from the top)."""
    runs = []
    height = float(page.mediabox.height)

    def visit(text, _cm, tm, _font, _size):
        if text.strip():
            runs.append({"text": text.strip(), "x": round(tm[4], 1), "y": round(height - tm[5], 1)})

    page.extract_text(visitor_text=visit)
    return runs


def read_pdf(path):
    reader = PdfReader(path)
    return {"pages": [page.extract_text() for page in reader.pages],
            "placed": [placed_text(page) for page in reader.pages]}


def main():
    path = sys.argv[1]
    result = read_pdf(path) if path.endswith(".pdf") else read_pptx(path)
    json.dump(result, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
