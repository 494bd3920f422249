"""Errors the engine raises: a message (id and values, see core/messages) that each shell puts in words."""

from __future__ import annotations

from typing import Union

from citycomponents_plugin.core.messages import TEMPLATES, TERMS, Message, Term, english


class CityComponentsError(Exception):
    """Bad input or an impossible request; the message names the layer/field/value and the fix.

    Raise with a message id and its values (`CityComponentsError("layer_empty", layer=name,
    parameter="GRIDS")`), or with a Message; a plain sentence is accepted from code that has no id yet.
    """

    def __init__(self, message: Union[str, Message], parameter: str = "", **values: object) -> None:
        if isinstance(message, Message):
            msg = message
        elif values or parameter or message in TEMPLATES:
            msg = Message(message, values, parameter)
        else:
            msg = Message("text", {"text": message})
        self.message = msg
        super().__init__(english(msg))


class CancelledError(CityComponentsError):
    """The user cancelled; callers leave only complete outputs behind."""

    def __init__(self, step: str = "") -> None:
        """`step` is a term of core/messages (what was cancelled), or a whole sentence."""
        if step in TERMS:
            super().__init__("cancelled", step=Term(step))
        else:
            super().__init__(Message("text", {"text": step or "Cancelled."}))

