"""Checks and reports over the synthesized Terraform JSON: what will be deployed, not what the Python meant."""
