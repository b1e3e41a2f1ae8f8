"""Official documents drawn from the plan data.

Pure Python (no Django): the document model (`document.py`), its ODT and DOCX writers, the chart helper and the
strategy-map DOT builder. With Django: the contents builders that read the database (`plan_book.py`,
`performance_report.py`, `tracking_report.py`) and the PDF writer (it renders a Django template for WeasyPrint).
"""
