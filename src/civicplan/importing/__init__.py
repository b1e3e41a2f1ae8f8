"""The importer: a plan book (txt, md, html, docx, odt, pdf) → a PlanDocument (civicplan.interchange).

read (readers/) → normalise (normalise.py) → detect the layout family and rebuild its tables (tables/<family>.py)
→ validate (validate.py). Pure Python: no Django imports. The loader (civicplan.plans.loading) takes it from there.
"""
