"""The change review: what deploying one synthesized tree over another would do, destructive changes first, and
what each change sets in motion downstream."""
