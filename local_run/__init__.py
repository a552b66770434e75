"""Run the synthesized payment workflow on moto, without deploying to AWS.

What runs is what `cdktf synth` says would be deployed: the state-machine
definition, each Lambda's handler, environment and zip, and the ledger
table's key schema are all read from ``cdktf.out/stacks/app/cdk.tf.json``.
Entry point: ``python -m local_run`` (``make run-local``).
"""
