#!/usr/bin/env bash
# Installs the Debian packages Invariant builds against and uses. Idempotent: quiet and
# quick when everything is already installed.
set -euo pipefail

PACKAGES=(
    pkg-config
    libjpeg62-turbo-dev    # JPEG decode/encode (libjpeg-turbo)
    libpng-dev             # PNG
    libwebp-dev            # WebP
    libtiff-dev            # TIFF
    libgif-dev             # GIF (giflib)
    zlib1g-dev             # gzip for IDX files
    dataset-fashion-mnist  # the built-in dataset
    libcairo2-dev          # charts and image grids
    fonts-dejavu-core      # the font they are labelled with
    libdnnl-dev            # oneDNN: convolution and other deep-learning primitives
    libopenblas-dev        # OpenBLAS: sgemm for matmul
    libhdf5-dev            # HDF5: Keras's .h5 weight files
)

missing=()
for package in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if ((${#missing[@]} == 0)); then
    exit 0
fi

sudo=""
if [[ "$(id -u)" -ne 0 ]]; then sudo="sudo"; fi
echo "setup: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
