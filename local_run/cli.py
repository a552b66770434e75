"""``python -m local_run``: run the sample payments (or one of your own) through the synthesized workflow.

Exit status: 0 when every outcome is as expected, 1 when one differs, 2 when
the run could not start (no synthesized stack, a stack moto refuses, a
payment or samples folder that cannot be run); a reason that stops it is one
line on stderr, naming the file.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from cdktf_out.outdir import default_outdir
from cdktf_out.tree import SynthesizedTreeError
from local_run.emulator import local_workflow
from local_run.interpolation import UnresolvedInterpolationError
from local_run.runner import SampleResult, render_results, run_samples
from local_run.samples import EXPECTATION_SUFFIX, SampleError, load_sample, load_samples
from local_run.stack import StackError, WorkflowStack, read_app_stack

EXIT_AS_EXPECTED = 0
EXIT_DIFFERS = 1
EXIT_CANNOT_RUN = 2
# moto's interpreter logs every caught task failure at ERROR with its whole
# state tree; the table already shows each failure, once and readably. botocore
# says where it found the local run's fake credentials.
_NOISY_LOGGERS = ("moto.stepfunctions.parser", "botocore.credentials")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        stack = _read_stack(args.outdir)
        samples = [load_sample(args.payment)] if args.payment else load_samples(args.samples)
    except (_CannotRun, SampleError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CANNOT_RUN

    _configure_logging(verbose=args.verbose)
    try:
        with local_workflow(stack, retry_wait_scale=args.retry_wait_scale) as workflow:
            results = run_samples(workflow, samples)
            waits = list(workflow.retry_waits.requested)
    except UnresolvedInterpolationError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    except StackError as error:  # moto refused a synthesized resource, e.g. an invalid state-machine definition
        print(f"error: {stack.source or args.outdir}: {error}", file=sys.stderr)
        return EXIT_CANNOT_RUN

    print(_banner(stack, args.outdir))
    print(render_results(results))
    print(_summary(results, waits, args.retry_wait_scale))
    return EXIT_AS_EXPECTED if all(result.as_expected for result in results) else EXIT_DIFFERS


class _CannotRun(Exception):
    pass


def _read_stack(outdir: Path) -> WorkflowStack:
    try:
        return read_app_stack(outdir)
    except SynthesizedTreeError as error:
        raise _CannotRun(str(error)) from error
    except KeyError as error:
        raise _CannotRun(f"{outdir}: the app stack lacks {error}") from error


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m local_run", description=__doc__.splitlines()[0])
    parser.add_argument("--payment", type=Path, help="run this payment (JSON file) instead of the samples")
    parser.add_argument("--outdir", type=Path, default=default_outdir(), help="cdktf synth output (cdktf.out)")
    parser.add_argument("--samples", type=Path, default=Path("samples"), help="sample folder (samples)")
    parser.add_argument(
        "--retry-wait-scale",
        type=float,
        default=0.0,
        help="fraction of each Step Functions Retry wait actually slept (0: none, 1: as on AWS)",
    )
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="also print what the functions log (INFO and above), before the tables")
    return parser


def _configure_logging(*, verbose: bool) -> None:
    level = logging.INFO if verbose else logging.ERROR
    logging.basicConfig(level=level, format="  log %(name)s: %(message)s")
    # On the console handler too: each invocation lowers the root logger to the functions' INFO to collect what
    # they log (local_run.lambda_router), which must not reach the console unless asked.
    for handler in logging.getLogger().handlers:
        handler.setLevel(level)
    for name in _NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _banner(stack: WorkflowStack, outdir: Path) -> str:
    import moto

    functions = ", ".join(spec.function_name for spec in stack.functions)
    return (
        f"{stack.state_machine.name} from {stack.source} on moto {moto.__version__} ({stack.region})\n"
        f"functions: {functions}; ledger: {stack.table.name}\n"
    )


def _summary(results: Sequence[SampleResult], waits: Sequence[float], scale: float) -> str:
    checked = [result for result in results if result.differences is not None]
    matched = sum(1 for result in checked if result.as_expected)
    noun = "payment" if len(results) == 1 else "payments"
    lines = [f"\n{len(results)} {noun} run; {matched} of {len(checked)} with an expectation ended as expected."]
    if len(checked) < len(results):
        lines.append(f"No expectation for the others: put one beside a payment as <name>{EXPECTATION_SUFFIX}.")
    if waits:
        requested = sum(waits)
        lines.append(
            f"Retry waits: {len(waits)} requested ({requested:.2f} s), slept {requested * scale:.2f} s "
            f"(--retry-wait-scale {scale:g})."
        )
    return "\n".join(lines)
