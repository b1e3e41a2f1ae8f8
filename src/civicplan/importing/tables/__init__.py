"""Layout families: each module rebuilds the tables of one kind of plan book.

Every family module exposes detect(source) -> float and parse(source) -> PlanDocument.
"""
