"""The dependency picture: every block of every stack, arrows from what is created first to what needs it.

Edges come from the JSON only: `${...}` references, `depends_on`, and the cross-stack edge from a stack's output to
the terraform_remote_state that reads it. Graphviz's `dot` renders it; without `dot` the .dot source is still written.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cdktf_out.cross_stack import cross_stack_values
from cdktf_out.expressions import depends_on, references
from cdktf_out.tree import SynthesizedApp
from synth_review.report.table import WIDTH, truncate

FORMATS = ("svg", "png")
# The review prints each note after "note: " and keeps every line within its width.
NOTE_WIDTH = WIDTH - len("note: ")


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


# How the change review marks a node (synth_review/change/change_set.py decides which mark each gets).
MARK_STYLES = {
    "added": ('#d4f7d4', "solid", "+ "),
    "changed": ('#ffe8b3', "solid", "~ "),
    "replaced": ('#ffc2b3', "bold", "-/+ "),
    "removed": ('#f4c7c7', "dashed", "- "),
    "dependent": ('#fff6d9', "dotted", "~> "),  # unchanged JSON, but reads a value that changes
}


def dot_source(app: SynthesizedApp, marks: Mapping[str, str] | None = None, base: SynthesizedApp | None = None) -> str:
    """The picture of `app`; with `marks` (node id -> added/changed/replaced/removed) the change review's picture,
    where nodes marked removed are drawn from `base`, with the edges they had there."""
    marks = marks or {}
    lines = [
        "digraph deployment {",
        '  graph [rankdir=LR, fontname="Helvetica", fontsize=11, compound=true];',
        '  node [shape=box, style="rounded,filled", fillcolor="#f4f6f8", fontname="Helvetica", fontsize=10];',
        '  edge [color="#555555", fontname="Helvetica"];',
    ]
    removed_blocks = {s.name: [b for b in s.blocks() if marks.get(f"{s.name}/{b.address}") == "removed"]
                      for s in (base.stacks if base else ())}
    for index, stack in enumerate(app.stacks):
        kind, _ = stack.backend
        lines.append(f"  subgraph cluster_{index} {{")
        lines.append(f'    label="{stack.name} stack (state: {kind})"; style=rounded; color="#888888";')
        for block in stack.blocks() + removed_blocks.get(stack.name, []):
            fill = "#e8f0fe" if block.is_data else "#f4f6f8"
            label = f"{'data ' if block.is_data else ''}{block.type}\\n{block.name}"
            style = _node_style(label, fill, marks.get(f"{stack.name}/{block.address}"))
            lines.append(f"    {_id(stack.name, block.address)} [{style}];")
        for name in stack.outputs():
            node = _id(stack.name, f"output.{name}")
            style = _node_style(f"output\\n{name}", "#fff4d6", marks.get(f"{stack.name}/output.{name}"))
            lines.append(f"    {node} [{style}, shape=note];")
        lines.append("  }")
    styles = {
        "reference": "",
        "depends_on": ' [style=dashed, label="depends_on", fontsize=9]',
        "cross-stack": ' [color="#c0392b", penwidth=2, label="terraform_remote_state", fontsize=9]',
    }
    drawn = edges(app)
    if base is not None:
        gone = {f"{stack}/{b.address}" for stack, blocks in removed_blocks.items() for b in blocks}
        drawn += [e for e in edges(base) if e.source in gone or e.target in gone]
    for edge in drawn:
        lines.append(f"  {_quoted(edge.source)} -> {_quoted(edge.target)}{styles[edge.kind]};")
    if marks:
        legend = ", ".join(f"{prefix.strip()} {mark}" for mark, (_, _, prefix) in MARK_STYLES.items())
        lines.append(f'  label="change review: {legend}"; labelloc=t;')
    lines.append("}")
    return "\n".join(lines) + "\n"


def _node_style(label: str, fill: str, mark: str | None) -> str:
    if mark is None:
        return f'label="{label}", fillcolor="{fill}"'
    color, style, prefix = MARK_STYLES[mark]
    return f'label="{prefix}{label}", fillcolor="{color}", style="rounded,filled,{style}"'


def write_graph(app: SynthesizedApp, folder: Path, name: str = "graph",
                source_text: str | None = None) -> tuple[list[str], list[str]]:
    """Write <name>.dot (the picture of `app`, or `source_text`) and, where Graphviz is installed, its renderings:
    (names written, notes on what was not)."""
    source = folder / f"{name}.dot"
    source.write_text(source_text if source_text is not None else dot_source(app))
    written = [source.name]
    dot = shutil.which("dot")
    if dot is None:
        drawn = " and ".join(f"{name}.{fmt}" for fmt in FORMATS)
        return written, [f"{drawn} not drawn: no Graphviz `dot` here; `make graphviz` installs it"]
    notes = []
    for fmt in FORMATS:
        target = folder / f"{name}.{fmt}"
        done = subprocess.run([dot, f"-T{fmt}", str(source), "-o", str(target)],
                              capture_output=True, text=True, check=False)
        if done.returncode == 0 and target.is_file():
            written.append(target.name)
        else:
            target.unlink(missing_ok=True)  # a half-drawn picture would pass for this run's
            said = f"{name}.{fmt} not drawn: dot said "
            notes.append(said + truncate(done.stderr.strip() or "nothing", NOTE_WIDTH - len(said)))
    return written, notes


def _id(stack: str, address: str) -> str:
    return _quoted(f"{stack}/{address}")


def _quoted(node: str) -> str:
    return '"' + node.replace('"', '\\"') + '"'
