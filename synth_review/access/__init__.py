"""Who may use a key: AWS's documented evaluation of one request against one resource-based policy.

A request (principal, action, resource, request context) against a policy is allowed, implicitly denied or explicitly
denied, with the statements that decided it ("Policy evaluation logic", IAM user guide). The review asks it the
questions AWS will ask of each key policy: the requests AWS services make must be allowed, everyone else's refused.
Scope, and what is left out and why: docs/policy-evaluation.md.
"""
