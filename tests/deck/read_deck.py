"""Reads an exported deck back with independent libraries and prints what it holds as JSON.

PPTX (python-pptx): per slide, its title, every text frame's text, tables' cells and native
charts' type, categories and series values. PDF (pypdf): the number of pages and each page's text.
Used by the UI's export tests and the real-app test to check a deck against the draft it came from.
"""

import json
import sys

from pptx import Presentation
from pypdf import PdfReader


def read_chart(chart):
    plot = chart.plots[0]
    return {
        "type": str(chart.chart_type).split(" ")[0],
        "categories": [str(c) for c in plot.categories],
        "series": [{"name": s.name, "values": list(s.values)} for s in plot.series],
    }


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
        slides.append({"title": title, "texts": texts, "tables": tables, "charts": charts})
    return {"slides": slides}


def read_pdf(path):
    reader = PdfReader(path)
    return {"pages": [page.extract_text() for page in reader.pages]}


def main():
    path = sys.argv[1]
    result = read_pdf(path) if path.endswith(".pdf") else read_pptx(path)
    json.dump(result, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
