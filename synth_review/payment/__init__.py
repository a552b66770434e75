"""The payment workflow's own part of the review: rules and skips that only this app's trees need.

`python -m synth_review --rules library` leaves all of it out and judges any tree built with the encrypted_logs
library; the default, `--rules payment` (what `make review` runs), adds it to the library's rules.
"""
