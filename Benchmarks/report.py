#!/usr/bin/env python3
"""Print the `make bench` table from benchmark JSON lines.

    report.py [FILE ...]      (no FILE, or '-': read standard input)

Each line is one figure from one library: {"bench":..., "library":..., "img_per_s":..., ...}.
The Swift side's lines carry "library":"invariant"; every other library is a reference.
For each figure the table shows invariant's img/s, each reference's img/s, and the
ratio invariant / reference (above 1.00 means invariant is faster). Lines that are not
JSON are ignored. A figure whose reference saw a different image count than invariant is
flagged, since the rule is: same inputs, same run.
"""
import json
import sys

SWIFT = "invariant"


def read_records(sources):
    records = []
    for src in sources:
        fh = sys.stdin if src == "-" else open(src, encoding="utf-8")
        try:
            for line in fh:
                line = line.strip()
                if not line.startswith("{"):
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if "bench" in rec and "library" in rec and "img_per_s" in rec:
                    records.append(rec)
        finally:
            if fh is not sys.stdin:
                fh.close()
    return records


def fmt_rate(x):
    return "-" if x is None else f"{x:,.1f}"


def table(records):
    figures = []          # in first-seen order
    by_figure = {}
    for rec in records:
        fig = rec["bench"]
        if fig not in by_figure:
            figures.append(fig)
            by_figure[fig] = {"swift": None, "refs": []}
        if rec["library"] == SWIFT:
            by_figure[fig]["swift"] = rec      # the last one wins
        else:
            by_figure[fig]["refs"].append(rec)

    header = ("figure", "invariant img/s", "reference", "reference img/s", "invariant/reference")
    rows, notes = [], []
    for fig in figures:
        swift, refs = by_figure[fig]["swift"], by_figure[fig]["refs"]
        s_rate = float(swift["img_per_s"]) if swift else None
        if not refs:
            rows.append((fig, fmt_rate(s_rate), "-", "-", "-"))
        for ref in refs:
            r_rate = float(ref["img_per_s"])
            ratio = f"{s_rate / r_rate:.2f}" if s_rate is not None and r_rate > 0 else "-"
            rows.append((fig, fmt_rate(s_rate), ref["library"], fmt_rate(r_rate), ratio))
            if swift and "images" in swift and "images" in ref and swift["images"] != ref["images"]:
                notes.append(f"note: {fig}: invariant measured {swift['images']} images, "
                             f"{ref['library']} {ref['images']}: not the same inputs")
        if swift is None:
            notes.append(f"note: {fig}: no invariant figure")

    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]
    right = (False, True, False, True, True)

    def line(cells):
        return "  ".join(c.rjust(w) if r else c.ljust(w) for c, w, r in zip(cells, widths, right)).rstrip()

    out = [line(header), line(tuple("-" * w for w in widths))]
    out += [line(r) for r in rows]
    out += notes
    return "\n".join(out)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    records = read_records(argv or ["-"])
    if not records:
        print("report.py: no benchmark lines", file=sys.stderr)
        return 1
    print(table(records))
    return 0


if __name__ == "__main__":
    sys.exit(main())
