"""checkov as the review runs it, with its verdict on a tree kept under .tools/test-cache/checkov by everything the
verdict depends on (the tree's files, the config, the arguments, checkov's pins), like the stock synths
(tests/background.py): the same tree is judged once, a changed one again. tests/conftest.py hands it out as the
`kept_checkov` fixture."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Run as checkov is, by the review: the verdict on a tree it has judged before (same files, config, arguments and
# checkov pins) is read back from the cache instead of judged again; any other tree is judged by the real checkov.
KEPT_CHECKOV = """#!{python}
import hashlib, os, subprocess, sys, tempfile
from pathlib import Path
sys.path.insert(0, {tools!r})
import synth_inputs
args = sys.argv[1:]
tree = Path(args[args.index("--directory") + 1])
key = hashlib.sha256(Path({pins!r}).read_bytes())
key.update(Path(args[args.index("--config-file") + 1]).read_bytes())
key.update("\\0".join(arg for arg in args if arg != str(tree)).encode())
key.update(synth_inputs.output_digest(tree).encode())
kept = Path({cache!r}) / key.hexdigest()
if kept.is_file():
    sys.stdout.write(kept.read_text())
    raise SystemExit(0)
done = subprocess.run([{checkov!r}, *args], capture_output=True, text=True)
sys.stdout.write(done.stdout)
sys.stderr.write(done.stderr)
if done.stdout.lstrip().startswith(("{{", "[")):
    kept.parent.mkdir(parents=True, exist_ok=True)
    partial = tempfile.NamedTemporaryFile("w", dir=kept.parent, delete=False)
    partial.write(done.stdout)
    partial.close()
    os.replace(partial.name, kept)
raise SystemExit(done.returncode)
"""


def write_kept_checkov(folder: Path, checkov: Path, cache: Path) -> Path:
    script = folder / "checkov"
    script.write_text(KEPT_CHECKOV.format(python=sys.executable, tools=str(ROOT / "tools"), cache=str(cache),
                                          pins=str(ROOT / "tools" / "checkov-requirements.txt"), checkov=str(checkov)))
    script.chmod(0o755)
    return script
