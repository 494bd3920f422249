"""Editions of the archive and what changed between two of them (SPEC section 12)."""
