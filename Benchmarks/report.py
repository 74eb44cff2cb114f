#!/usr/bin/env python3
"""Print the `make bench` table from benchmark JSON lines.

    report.py [FILE ...]      (no FILE, or '-': read standard input)

Each line is one figure from one library: {"bench":..., "library":..., "img_per_s":..., ...}.
The Swift side's lines carry "library":"invariant"; every other library is a reference.
For each figure the table shows invariant's img/s, each reference's img/s, and the
ratio invariant / reference (above 1.00 means invariant is faster). Lines that are not
JSON are ignored. A figure whose reference saw a different image count than invariant is
flagged, since the rule is: same inputs, same run.

Figures named "train-step:<model>" get a table of their own too: seconds per step of each
library, the step-time ratio invariant / pytorch (below 1.00 means invariant is faster) against
the tensor-engine issue's target, GFLOP/s (pytorch's from the same operation count) and the
fraction of the machine's sgemm ceiling, and each process's peak resident memory.

Figures named "transform:<name>@<size>" (the `transforms` figure) get a table of their own:
one row per transform and size with invariant's img/s, the reference's img/s and the ratio,
then how many rows reach 1.00 and the lowest ratio.
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


def render(header, rows, right):
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]

    def line(cells):
        return "  ".join(c.rjust(w) if r else c.ljust(w) for c, w, r in zip(cells, widths, right)).rstrip()

    return [line(header), line(tuple("-" * w for w in widths))] + [line(r) for r in rows]


TRANSFORM_PREFIX = "transform:"
TRAIN_STEP_PREFIX = "train-step:"
# Step-time targets (invariant / pytorch) and the sgemm ceiling, from the tensor-engine issue.
TRAIN_STEP_TARGETS = {"small-cnn": 0.5, "vgg16": 0.85, "vgg16-frozen": 0.85}
SGEMM_CEILING_GFLOPS = 175.0


def train_step_table(records):
    """One row per model: seconds per step, the step-time ratio and its target, GFLOP/s, memory."""
    models, cells = [], {}
    for rec in records:
        model = rec["bench"][len(TRAIN_STEP_PREFIX):]
        if model not in cells:
            models.append(model)
            cells[model] = {}
        cells[model][rec["library"]] = rec
    header = ("model", "invariant s/step", "pytorch s/step", "step-time ratio", "target", "invariant GFLOP/s",
              "pytorch GFLOP/s", "of ceiling (inv/pt)", "invariant peak MB", "pytorch peak MB")
    rows = []
    for model in models:
        # "vgg16-direct": invariant with direct convolutions only, against pytorch's "vgg16".
        base = model[:-len("-direct")] if model.endswith("-direct") else model
        swift, torch = cells[model].get(SWIFT), cells.get(base, {}).get("pytorch")
        s_sec = float(swift["sec_per_step"]) if swift else None
        t_sec = float(torch["sec_per_step"]) if torch else None
        s_gflops = float(swift["gflops"]) if swift else None
        t_gflops = s_gflops * s_sec / t_sec if s_gflops and t_sec else None
        ratio = s_sec / t_sec if s_sec and t_sec else None
        target = TRAIN_STEP_TARGETS.get(base)

        def number(value, digits):
            return "-" if value is None else f"{value:.{digits}f}"
        verdict = "" if ratio is None or target is None else (" met" if ratio <= target else " missed")
        ceiling = "-" if s_gflops is None else (f"{s_gflops / SGEMM_CEILING_GFLOPS:.2f}/"
                                                 + number(t_gflops and t_gflops / SGEMM_CEILING_GFLOPS, 2))
        rows.append((model, number(s_sec, 4), number(t_sec, 4), number(ratio, 2),
                     ("-" if target is None else f"<= {target}") + verdict, number(s_gflops, 1), number(t_gflops, 1),
                     ceiling, number(swift and swift.get("peak_rss_mb"), 0), number(torch and torch.get("peak_rss_mb"), 0)))
    return "\n".join(render(header, rows, (False, True, True, True, False, True, True, True, True, True)))


def transform_table(records):
    """One row per (transform, size): invariant img/s, each reference's img/s, ratio."""
    order, cells = [], {}
    for rec in records:
        key = rec["bench"][len(TRANSFORM_PREFIX):]
        name, _, size = key.rpartition("@")
        if not name:
            name, size = key, ""
        if key not in cells:
            order.append(key)
            cells[key] = {"name": name, "size": size, "swift": None, "refs": {}}
        if rec["library"] == SWIFT:
            cells[key]["swift"] = rec
        else:
            cells[key]["refs"][rec["library"]] = rec
    header = ("transform", "size", "invariant img/s", "reference", "reference img/s", "ratio", "invariant spec")
    rows, notes, ratios = [], [], []
    for key in order:
        cell = cells[key]
        swift = cell["swift"]
        s_rate = float(swift["img_per_s"]) if swift else None
        spec = (swift or {}).get("spec") or next((r.get("spec") for r in cell["refs"].values()), "") or ""
        refs = list(cell["refs"].values()) or [None]
        for ref in refs:
            r_rate = float(ref["img_per_s"]) if ref else None
            ratio = s_rate / r_rate if s_rate is not None and r_rate else None
            if ratio is not None:
                ratios.append((ratio, key))
            rows.append((cell["name"], cell["size"], fmt_rate(s_rate), ref["library"] if ref else "-",
                         fmt_rate(r_rate), "-" if ratio is None else f"{ratio:.2f}", spec))
            if swift and ref and swift.get("images") != ref.get("images"):
                notes.append(f"note: {key}: invariant measured {swift.get('images')} images, "
                             f"{ref['library']} {ref.get('images')}: not the same inputs")
        if swift is None:
            notes.append(f"note: {key}: no invariant figure")
    out = render(header, rows, (False, True, True, False, True, True, False))
    if ratios:
        reached = sum(1 for r, _ in ratios if r >= 1.0)
        low, low_key = min(ratios)
        out.append(f"{reached} of {len(ratios)} transform rows at >= 1.00; lowest {low:.2f} ({low_key})")
    return "\n".join(out + notes)


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

    out = render(header, rows, (False, True, False, True, True))
    out += notes
    return "\n".join(out)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    records = read_records(argv or ["-"])
    if not records:
        print("report.py: no benchmark lines", file=sys.stderr)
        return 1
    figures = [r for r in records if not r["bench"].startswith((TRANSFORM_PREFIX, TRAIN_STEP_PREFIX))]
    transforms = [r for r in records if r["bench"].startswith(TRANSFORM_PREFIX)]
    train_steps = [r for r in records if r["bench"].startswith(TRAIN_STEP_PREFIX)]
    if figures:
        print(table(figures))
    if train_steps:
        if figures:
            print()
        print(train_step_table(train_steps))
    if transforms:
        if figures or train_steps:
            print()
        print(transform_table(transforms))
    return 0


if __name__ == "__main__":
    sys.exit(main())
