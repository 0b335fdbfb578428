"""One epoch of the reference PyTorch Glow (glow_ref.py) on Fashion-MNIST at the preset's settings, for a side-by-side
quality check: 2 levels x 8 steps, 64 filters, batch 64, Adam 1e-3, no warmup, uniform dequantisation; test bits/dim
at bin centres over the 10,000 test images. Usage: python3 fashion_epoch.py DATA_DIR [THREADS]"""
import gzip
import math
import sys
import time

import torch

from glow_ref import Glow


def images(path):
    with gzip.open(path, "rb") as f:
        _, n, rows, cols = (int.from_bytes(f.read(4), "big") for _ in range(4))
        data = bytearray(f.read(n * rows * cols))
    return torch.frombuffer(data, dtype=torch.uint8).reshape(n, 1, rows, cols).float()


def main():
    data, threads = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 2
    torch.manual_seed(1)
    torch.set_num_threads(threads)
    train = images(f"{data}/fashion-mnist/train-images-idx3-ubyte.gz")
    test = images(f"{data}/fashion-mnist/t10k-images-idx3-ubyte.gz")
    model = Glow(1, 28, 2, 8, 64)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    order = torch.randperm(train.shape[0])
    start = time.time()
    steps = train.shape[0] // 64
    for step in range(steps):
        batch = (train[order[step * 64:(step + 1) * 64]] + torch.rand(64, 1, 28, 28)) / 256
        loss = model.bits_per_dim(batch).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if (step + 1) % 100 == 0:
            print(f"step {step + 1}/{steps} loss {loss.item():.4f} {64 * (step + 1) / (time.time() - start):.1f} img/s",
                  flush=True)
    seconds = time.time() - start
    with torch.no_grad():
        bpd = torch.cat([model.bits_per_dim((test[i:i + 500] + 0.5) / 256) for i in range(0, test.shape[0], 500)])
    finite = bpd[torch.isfinite(bpd)]
    print(f"epoch: {seconds:.1f} s, {64 * steps / seconds:.1f} img/s; test bits/dim {finite.mean().item():.4f} "
          f"({bpd.numel() - finite.numel()} non-finite of {bpd.numel()})")


if __name__ == "__main__":
    main()
