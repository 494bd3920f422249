"""Dialogs and map tools: collect input and run the same algorithms."""
