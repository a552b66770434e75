"""The one reader of a synthesized tree (cdktf.out): its manifest and stacks, the `${...}` expressions in them, the
values one stack reads from another, and where a value comes from.

The review, the change review, the local run and the engine comparison judge and run what will be deployed, so
they read it here and never from the Python that made it.
"""
