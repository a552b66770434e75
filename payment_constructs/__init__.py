"""Constructs, settings and naming of the payment workflow."""
