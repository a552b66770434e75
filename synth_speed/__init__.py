"""Faster CDKTF-Python synthesis with byte-identical output: lazy provider imports (fast_synth) and a provider
tarball whose JavaScript index loads on demand (lazy_jsii_index). Nothing here is about payments."""
