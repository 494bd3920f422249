"""The data-quality audit (SPEC section 10): the checks behind a wrong number, in the operator's words."""
