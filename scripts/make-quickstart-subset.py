#!/usr/bin/env python3
"""Derives the quickstart's embedded data from ../shared/data (a development step; GlowML never runs Python).

Writes data/quickstart/ with the first N images of each source, as IDX gzip files:
  fashion-mnist-train-images-idx3-ubyte.gz  6000 images of Fashion-MNIST train
  fashion-mnist-t10k-images-idx3-ubyte.gz   1000 images of Fashion-MNIST t10k
  mnist-t10k-images-idx3-ubyte.gz           1000 images of MNIST t10k
"""
import gzip
import os
import struct
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
shared = os.path.join(os.path.dirname(root), "shared", "data")
out = os.path.join(root, "data", "quickstart")
os.makedirs(out, exist_ok=True)

def subset(source, target, count):
    with gzip.open(os.path.join(shared, source), "rb") as f:
        magic, n, rows, cols = struct.unpack(">IIII", f.read(16))
        if magic != 0x803 or n < count:
            sys.exit(f"{source}: unexpected header {magic:#x} or only {n} images")
        pixels = f.read(count * rows * cols)
    # mtime=0 keeps the archive byte-identical across runs.
    with open(os.path.join(out, target), "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as g:
        g.write(struct.pack(">IIII", magic, count, rows, cols) + pixels)

subset("fashion-mnist/train-images-idx3-ubyte.gz", "fashion-mnist-train-images-idx3-ubyte.gz", 6000)
subset("fashion-mnist/t10k-images-idx3-ubyte.gz", "fashion-mnist-t10k-images-idx3-ubyte.gz", 1000)
subset("mnist/t10k-images-idx3-ubyte.gz", "mnist-t10k-images-idx3-ubyte.gz", 1000)
