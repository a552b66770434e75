"""AWS Lambda handlers for the payment workflow's Step Functions state machine.

Shipped to Lambda as this package, so handler strings are
``handlers.validation.handler`` and ``handlers.processing.handler``. Only the
standard library and boto3 may be imported here: nothing else is in the zip.
"""
