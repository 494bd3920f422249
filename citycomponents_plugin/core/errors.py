"""Errors the engine raises: messages written for the operator (what, where, how to fix)."""

from __future__ import annotations


class CityComponentsError(Exception):
    """Bad input or an impossible request; the message names the layer/field/value and the fix."""


class CancelledError(CityComponentsError):
    """The user cancelled; callers leave only complete outputs behind."""
