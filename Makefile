# Invariant — the two newcomer commands are `make demo` and `make test`.
SHELL := /bin/bash
export PATH := /opt/swift/usr/bin:$(PATH)

INVARIANT := .build/release/invariant
DATA := data
FASHION := $(DATA)/fashion-mnist
DEMO_AUGMENTATION := hflip,rotate=15,shift=0.1,zoom=0.9:1.1,border=constant
# The training run of the demo: the compact VGG-style CNN, augmented with flips and small
# shifts, validated on the test folders every epoch.
DEMO_TRAINING := --model vgg-mini --epochs 10 --batch 128 --lr 0.002 --augment hflip,shift=0.05

.PHONY: setup packages build test demo bench clean

## setup: install the Debian packages (idempotent) and build release
setup: packages build

packages:
	@scripts/setup.sh

build:
	@swift build -c release 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]' ; exit $${PIPESTATUS[0]}

## test: the whole suite, in release mode so image kernels run at full speed. Without
## testable imports the library modules are the ones `make build` made: no second build.
test: packages
	@swift test -c release --disable-testable-imports 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]' ; exit $${PIPESTATUS[0]}

## demo: the main job on the built-in dataset (Fashion-MNIST exported to class folders)
demo: setup
	@if [ ! -d $(FASHION)/train ]; then $(INVARIANT) export fashion-mnist $(FASHION); fi
	$(INVARIANT) scan $(FASHION)/train
	$(INVARIANT) scan $(FASHION)/test
	$(INVARIANT) preview $(FASHION)/train --spec $(DEMO_AUGMENTATION) --n 10 --versions 6 --out $(DATA)/preview.png
	$(INVARIANT) train --data $(FASHION)/train --validation $(FASHION)/test --size 28 --color grayscale \
		$(DEMO_TRAINING) --out $(DATA)/run

## bench: Invariant and the reference libraries side by side (see Benchmarks/README.md)
bench: setup
	Benchmarks/run.sh

clean:
	rm -rf .build
