"""The dependency picture: every block of every stack, arrows from what is created first to what needs it.

Edges come from the JSON only: `${...}` references, `depends_on`, and the cross-stack edge from a stack's output to
the terraform_remote_state that reads it. Graphviz's `dot` renders it; without `dot` the .dot source is still written.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from synth_review.cross_stack import cross_stack_values
from synth_review.references import depends_on, references
from synth_review.synthesized import SynthesizedApp

FORMATS = ("svg", "png")


@dataclass(frozen=True)
class Edge:
    source: str  # node id "<stack>/<address>"; created first
    target: str  # needs the source
    kind: str  # "reference", "depends_on" or "cross-stack"


def edges(app: SynthesizedApp) -> list[Edge]:
    found: set[Edge] = set()
    for stack in app.stacks:
        blocks = stack.blocks()
        known = {b.address for b in blocks}
        for block in blocks:
            for needed in references(block.body, known):
                found.add(Edge(f"{stack.name}/{needed}", f"{stack.name}/{block.address}", "reference"))
            for needed in depends_on(block.body) & known:
                found.add(Edge(f"{stack.name}/{needed}", f"{stack.name}/{block.address}", "depends_on"))
        for name, output in stack.outputs().items():
            for needed in references(output, known):
                found.add(Edge(f"{stack.name}/{needed}", f"{stack.name}/output.{name}", "reference"))
    for value in cross_stack_values(app):
        if value.producer:
            producer_output = f"{value.producer}/output.{value.output}"
            found.add(Edge(producer_output, f"{value.consumer}/{value.reader}", "cross-stack"))
    return sorted(found, key=lambda e: (e.source, e.target, e.kind))


def dot_source(app: SynthesizedApp) -> str:
    lines = [
        "digraph deployment {",
        '  graph [rankdir=LR, fontname="Helvetica", fontsize=11, compound=true];',
        '  node [shape=box, style="rounded,filled", fillcolor="#f4f6f8", fontname="Helvetica", fontsize=10];',
        '  edge [color="#555555", fontname="Helvetica"];',
    ]
    for index, stack in enumerate(app.stacks):
        kind, _ = stack.backend
        lines.append(f"  subgraph cluster_{index} {{")
        lines.append(f'    label="{stack.name} stack (state: {kind})"; style=rounded; color="#888888";')
        for block in stack.blocks():
            fill = "#e8f0fe" if block.is_data else "#f4f6f8"
            label = f"{'data ' if block.is_data else ''}{block.type}\\n{block.name}"
            lines.append(f'    {_id(stack.name, block.address)} [label="{label}", fillcolor="{fill}"];')
        for name in stack.outputs():
            node = _id(stack.name, f"output.{name}")
            lines.append(f'    {node} [label="output\\n{name}", shape=note, fillcolor="#fff4d6"];')
        lines.append("  }")
    styles = {
        "reference": "",
        "depends_on": ' [style=dashed, label="depends_on", fontsize=9]',
        "cross-stack": ' [color="#c0392b", penwidth=2, label="terraform_remote_state", fontsize=9]',
    }
    for edge in edges(app):
        lines.append(f"  {_quoted(edge.source)} -> {_quoted(edge.target)}{styles[edge.kind]};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_graph(app: SynthesizedApp, folder: Path) -> tuple[list[str], list[str]]:
    """Write graph.dot and, where Graphviz is installed, its renderings: (names written, notes on what was not)."""
    source = folder / "graph.dot"
    source.write_text(dot_source(app))
    written = [source.name]
    dot = shutil.which("dot")
    if dot is None:
        drawn = " and ".join(f"graph.{fmt}" for fmt in FORMATS)
        return written, [f"{drawn} not drawn: Graphviz `dot` is not installed; `make graphviz` installs it "
                         "(apt-get install graphviz; brew install graphviz on macOS)"]
    notes = []
    for fmt in FORMATS:
        target = folder / f"graph.{fmt}"
        done = subprocess.run([dot, f"-T{fmt}", str(source), "-o", str(target)],
                              capture_output=True, text=True, check=False)
        if done.returncode == 0 and target.is_file():
            written.append(target.name)
        else:
            target.unlink(missing_ok=True)  # a half-drawn picture would pass for this run's
            notes.append(f"graph.{fmt} not drawn: dot said {done.stderr.strip()[:200] or 'nothing'}")
    return written, notes


def _id(stack: str, address: str) -> str:
    return _quoted(f"{stack}/{address}")


def _quoted(node: str) -> str:
    return '"' + node.replace('"', '\\"') + '"'
