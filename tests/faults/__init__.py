"""Fault injection: damaged and hostile inputs made on the fly, each with its exact message and no loss."""
