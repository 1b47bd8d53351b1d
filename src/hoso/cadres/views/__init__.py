"""Cadre and list pages."""
