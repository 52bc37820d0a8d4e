"""HTML to PDF with WeasyPrint (pango and cairo from the system). Pictures are the same
server-drawn SVG as the pages; nothing is fetched from outside. The print style sheet is
a file beside this module (templates hold no inline style)."""

from pathlib import Path

from django.template.loader import render_to_string

STYLE = Path(__file__).with_name("pdf.css")


def pdf_from_template(template: str, context: dict) -> bytes:
    from weasyprint import CSS, HTML  # imported here: loading pango costs a moment

    html = render_to_string(template, context | {"for_pdf": True})
    return HTML(string=html, base_url=None).write_pdf(stylesheets=[CSS(filename=str(STYLE))])
