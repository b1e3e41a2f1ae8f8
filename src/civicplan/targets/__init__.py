"""Target and actual values: parsing (pure Python, no Django). The tracking issue extends this module."""
