"""Redaction detectors against a labelled set of transcript lines (benchmarks/data/).

Each line of redaction_lines.jsonl has the text, the participants' names, and the spans a
careful reviewer would redact (kind and exact text); near-misses (order numbers, dates, version
strings, times, amounts, IBANs and cards with a wrong check digit) carry no span. A finding
counts as right when its kind and text equal a labelled span's. Prints precision and recall
per kind over all lines and over the "heldout" lines, which were written after the detectors
were tuned on the others (so they show how it does on lines it was not fitted to):

    .venv/bin/python benchmarks/redaction.py [--show]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from research.privacy.detect import detect  # noqa: E402 - plain functions, no Django needed

DATA = Path(__file__).parent / "data" / "redaction_lines.jsonl"
TARGETS = {"email": (0.95, 0.9), "phone": (0.95, 0.9), "card": (0.95, 0.9), "iban": (0.95, 0.9)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print every miss")
    args = parser.parse_args()
    rows = [json.loads(line) for line in DATA.read_text().splitlines() if line.strip()]
    failed = False
    for split in ("all", "heldout"):
        chosen = [r for r in rows if split == "all" or r.get("split") == split]
        failed |= report(split, chosen, show=args.show)
    return 1 if failed else 0


def report(split: str, rows: list[dict], *, show: bool) -> bool:
    tp, fp, fn = Counter(), Counter(), Counter()
    misses = []
    for row in rows:
        want = Counter((s["kind"], s["text"]) for s in row["spans"])
        got = Counter((f.kind, f.text) for f in detect(row["text"], names=row["names"]))
        for key in set(want) | set(got):
            hit = min(want[key], got[key])
            tp[key[0]] += hit
            fp[key[0]] += got[key] - hit
            fn[key[0]] += want[key] - hit
            if got[key] != want[key]:
                misses.append((key, want[key], got[key], row["text"]))
    print(f"split={split} lines={len(rows)}")
    failed = False
    for kind in ("email", "phone", "card", "iban", "name"):
        found, labelled = tp[kind] + fp[kind], tp[kind] + fn[kind]
        precision = tp[kind] / found if found else 1.0
        recall = tp[kind] / labelled if labelled else 1.0
        target = TARGETS.get(kind)
        ok = (
            ""
            if target is None
            else (" ok" if precision >= target[0] and recall >= target[1] else " BELOW TARGET")
        )
        failed |= ok == " BELOW TARGET"
        print(
            f"  kind={kind} labelled={labelled} found={found} precision={precision:.3f} "
            f"recall={recall:.3f}{ok}"
        )
    if show:
        for (kind, text), want, got, line in misses:
            print(f"    miss {kind}: {text!r} labelled {want}, found {got}  | {line}")
    return failed


if __name__ == "__main__":
    raise SystemExit(main())
