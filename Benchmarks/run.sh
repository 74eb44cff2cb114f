#!/usr/bin/env bash
# `make bench`: the Swift benchmarks and the reference libraries on the same inputs, in
# the same run, printed side by side with the ratio invariant / reference.
#
#   Benchmarks/run.sh                 every figure
#   Benchmarks/run.sh decode          only the named figure(s)
#
# Environment:
#   INVARIANT       the Swift binary (default .build/release/invariant)
#   PYTHON          the interpreter that makes the venv (default python3)
#   BENCH_DIR       inputs and results (default .bench)
#   REFERENCE_ONLY  1: skip the Swift commands (figures needing the binary's data still need it)
#
# Each figure prints JSON lines ({"bench":..,"library":..,"img_per_s":..}); all of them go
# to $BENCH_DIR/results.jsonl (rewritten each run) and Benchmarks/report.py makes the table.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

INVARIANT="${INVARIANT:-.build/release/invariant}"
PYTHON="${PYTHON:-python3}"
BENCH_DIR="${BENCH_DIR:-.bench}"
REFERENCE_ONLY="${REFERENCE_ONLY:-0}"
VENV="$ROOT/.venv-bench"
REQS="$ROOT/Benchmarks/requirements.txt"
PHOTOS="$BENCH_DIR/inputs/photos"
FASHION="$BENCH_DIR/fashion-mnist"
RESULTS="$BENCH_DIR/results.jsonl"

say() { printf '==> %s\n' "$*" >&2; }

# ---------------------------------------------------------------- figures
# One entry per figure: FIGURES lists the names; swift_<name> and reference_<name> are the
# two commands, each printing JSON lines on stdout. needs_<name> (optional) prepares data.
# To add a figure (augment, train-step, ...), append its name and define those functions.
FIGURES=(decode loader augment transforms train-step)

swift_decode()     { "$INVARIANT" bench decode "$PHOTOS" --size 150 --threads 1; }
reference_decode() { ref decode --photos "$PHOTOS" --size 150; }

needs_loader()     { ensure_fashion_mnist; }
swift_loader()     { "$INVARIANT" bench loader "$FASHION/train" --batch 64 --workers 2 --limit 10000; }
reference_loader() { ref loader --data "$FASHION/train" --batch 64 --workers 2 --limit 10000; }

AUGMENT_SPEC="hflip,rotate=20,zoom=0.8:1.2,shift=0.1,brightness=0.8:1.2"  # the Keras-like pipeline
swift_augment()     { "$INVARIANT" bench augment --spec "$AUGMENT_SPEC" --size 150 --n 1000 --threads 1 --photos "$PHOTOS"; }
needs_augment()      { ensure_venv_at "$TORCH_VENV" "$TORCH_REQS"; }
reference_augment() {
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 ref augment --photos "$PHOTOS" --size 150 --n 1000
    # Keras's ImageDataGenerator (the lesson's augmentation) runs at a few hundred img/s: 3 passes.
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_NUM_THREADS=1 \
        "$TORCH_VENV/bin/python" "$ROOT/Benchmarks/keras_augment.py" --photos "$PHOTOS" --size 150 --n 1000 --passes 3
}

# Each single transform, Invariant's spec token vs albumentations' same transform (p = 1, or
# p = 0.5 on both sides where the token has a fixed p), at 150 and 224. reference.py holds
# the one list of pairs; `--list` gives the Swift side its (name, size, spec) lines. Short
# timing for this figure alone (~38 pairs): N=300 images per pass, >= 3 passes and >= 1 s.
TRANSFORM_SIZES="150,224"
TRANSFORM_N=300
TRANSFORM_PASSES=3
TRANSFORM_SECONDS=1
swift_transforms() {
    local name size spec
    ref transforms --list --sizes "$TRANSFORM_SIZES" | while IFS=$'\t' read -r name size spec; do
        "$INVARIANT" bench augment --spec "$spec" --size "$size" --n "$TRANSFORM_N" --threads 1 --photos "$PHOTOS" \
            --passes "$TRANSFORM_PASSES" --seconds "$TRANSFORM_SECONDS" </dev/null \
            | sed "s/\"bench\":\"augment\"/\"bench\":\"transform:$name@$size\"/"
    done
}
reference_transforms() {
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 ref transforms --photos "$PHOTOS" --sizes "$TRANSFORM_SIZES" \
        --n "$TRANSFORM_N" --passes "$TRANSFORM_PASSES" --min-seconds "$TRANSFORM_SECONDS"
}

# Seconds per training step of the tensor engine's three benchmark models against PyTorch
# (CPU build, its own venv: see requirements-torch.txt), both on all cores.
TORCH_VENV="$ROOT/.venv-bench-torch"
TORCH_REQS="$ROOT/Benchmarks/requirements-torch.txt"
TRAIN_STEP_MODELS="small-cnn vgg16-frozen vgg16"
needs_train_step() { ensure_venv_at "$TORCH_VENV" "$TORCH_REQS"; }
swift_train_step() {
    local model
    for model in $TRAIN_STEP_MODELS; do "$INVARIANT" bench train-step --model "$model" </dev/null; done
    # The VGG16 steps again with direct convolutions only (no Winograd: less memory).
    for model in vgg16-frozen vgg16; do "$INVARIANT" bench train-step --model "$model" --convolution direct </dev/null; done
}
reference_train_step() {
    local model
    for model in $TRAIN_STEP_MODELS; do "$TORCH_VENV/bin/python" "$ROOT/Benchmarks/train_step.py" --model "$model"; done
}

# ---------------------------------------------------------------- helpers

# The reference scripts, in the venv. OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are set on some
# machines and slow numpy down: drop both, for the Python reference commands alone.
ref() {
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
        "$VENV/bin/python" "$ROOT/Benchmarks/reference.py" "$@"
}

ensure_venv() { ensure_venv_at "$VENV" "$REQS"; }

# A venv at $1 with the pinned requirements $2, reinstalled when that file changes.
ensure_venv_at() {
    local venv="$1" reqs="$2" want have=""
    want="$(sha256sum "$reqs" | cut -d' ' -f1)"
    [[ -f "$venv/.requirements.sha256" ]] && have="$(cat "$venv/.requirements.sha256")"
    if [[ -x "$venv/bin/python" && "$want" == "$have" ]]; then
        return
    fi
    if [[ ! -x "$venv/bin/python" ]]; then
        say "creating $venv"
        "$PYTHON" -m venv "$venv"
    fi
    say "installing ${reqs#$ROOT/} into $venv"
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$reqs"
    echo "$want" > "$venv/.requirements.sha256"
}

ensure_fashion_mnist() {
    if [[ -d "$FASHION/train" ]] && [[ -n "$(ls -A "$FASHION/train" 2>/dev/null)" ]]; then
        return
    fi
    require_invariant "the Fashion-MNIST PNG export"
    say "exporting Fashion-MNIST PNGs to $FASHION"
    "$INVARIANT" export fashion-mnist "$FASHION"
}

# JSON lines go to stdout and $RESULTS; anything else a command prints goes to stderr.
record() {
    local line
    while IFS= read -r line; do
        if [[ "$line" == "{"* ]]; then
            printf '%s\n' "$line" | tee -a "$RESULTS"
        else
            printf '%s\n' "$line" >&2
        fi
    done
}

require_invariant() {
    if [[ ! -x "$INVARIANT" ]]; then
        echo "run.sh: $INVARIANT not found (needed for $1); build it with 'swift build -c release'" >&2
        exit 1
    fi
}

# ---------------------------------------------------------------- main

selected=("$@")
if [[ ${#selected[@]} -eq 0 ]]; then
    selected=("${FIGURES[@]}")
fi
for fig in "${selected[@]}"; do
    if ! declare -F "reference_${fig//-/_}" >/dev/null; then
        echo "run.sh: unknown figure '$fig' (figures: ${FIGURES[*]})" >&2
        exit 2
    fi
done
if [[ "$REFERENCE_ONLY" != 1 ]]; then
    require_invariant "the Swift figures (or set REFERENCE_ONLY=1)"
fi

mkdir -p "$BENCH_DIR"
ensure_venv
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
    "$VENV/bin/python" "$ROOT/Benchmarks/make_inputs.py" "$BENCH_DIR/inputs"

: > "$RESULTS"
for fig in "${selected[@]}"; do
    fn="${fig//-/_}"  # train-step → train_step
    if declare -F "needs_$fn" >/dev/null; then "needs_$fn"; fi
    if [[ "$REFERENCE_ONLY" != 1 ]]; then
        say "$fig: invariant"
        "swift_$fn" | record
    fi
    say "$fig: reference"
    "reference_$fn" | record
done

echo
"$VENV/bin/python" "$ROOT/Benchmarks/report.py" "$RESULTS"
echo "(all lines: $RESULTS)"
