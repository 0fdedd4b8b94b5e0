"""Printable outputs of a campaign: the ranking workbook and the city-wide notice (通报). No Django here."""
