"""A minimal PyTorch Glow used only as a speed and memory reference for GlowML's benchmarks.

Same architecture as the GlowML cases: ActNorm with data-dependent init, LU-parameterised invertible 1x1
convolution, affine coupling with scale sigmoid(h + 2), conditional Gaussian split priors and a learned top
prior. Forward maps x to z. Written for benchmarks/RESULTS.md; GlowML never imports it.

Usage (one case per process so the peak RSS is the case's own):
  python3 glow_ref.py --case cifar --what train --threads 2
  python3 glow_ref.py --all --threads 2          # every case, each in a child process, Markdown table
"""
import argparse
import json
import math
import subprocess
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

CASES = {
    # name: (channels, size, levels, flows, filters, train batch)
    "cifar": (3, 32, 3, 8, 128, 32),
    "fashion": (1, 28, 2, 8, 64, 64),
}


class ActNorm(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(1, channels, 1, 1))
        self.logs = nn.Parameter(torch.zeros(1, channels, 1, 1))
        self.register_buffer("ready", torch.tensor(False))

    def normalize(self, x):
        if not self.ready:
            with torch.no_grad():
                self.bias.copy_(-x.mean((0, 2, 3), keepdim=True))
                self.logs.copy_(-(x.std((0, 2, 3), keepdim=True, unbiased=False) + 1e-6).log())
                self.ready.fill_(True)
        return (x + self.bias) * self.logs.exp()

    def forward(self, x):
        return self.normalize(x), self.logs.sum() * x.shape[2] * x.shape[3]

    def reverse(self, z):
        return z * (-self.logs).exp() - self.bias


class LUConv(nn.Module):
    def __init__(self, channels):
        super().__init__()
        q, _ = torch.linalg.qr(torch.randn(channels, channels))
        p, lower, upper = torch.linalg.lu(q)
        diag = upper.diagonal()
        self.register_buffer("p", p)
        self.register_buffer("sign", diag.sign())
        self.register_buffer("mask", torch.ones(channels, channels).tril(-1))
        self.register_buffer("eye", torch.eye(channels))
        self.lower = nn.Parameter(lower * self.mask)
        self.upper = nn.Parameter(upper.triu(1))
        self.logs = nn.Parameter(diag.abs().log())

    def weight(self):
        lower = self.lower * self.mask + self.eye
        upper = self.upper * self.mask.t() + torch.diag(self.sign * self.logs.exp())
        return self.p @ lower @ upper

    def forward(self, x):
        w = self.weight()
        return F.conv2d(x, w[:, :, None, None]), self.logs.sum() * x.shape[2] * x.shape[3]

    def reverse(self, z):
        return F.conv2d(z, torch.linalg.inv(self.weight())[:, :, None, None])


class ZeroConv(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1)
        self.conv.weight.data.zero_()
        self.conv.bias.data.zero_()
        self.scale = nn.Parameter(torch.zeros(1, cout, 1, 1))

    def forward(self, x):
        return self.conv(x) * (self.scale * 3).exp()


class Coupling(nn.Module):
    def __init__(self, channels, filters):
        super().__init__()
        self.keep = channels // 2
        self.change = channels - self.keep
        self.conv1 = nn.Conv2d(self.keep, filters, 3, padding=1, bias=False)
        self.norm1 = ActNorm(filters)
        self.conv2 = nn.Conv2d(filters, filters, 1, bias=False)
        self.norm2 = ActNorm(filters)
        self.out = ZeroConv(filters, 2 * self.change)
        nn.init.normal_(self.conv1.weight, 0, 0.05)
        nn.init.normal_(self.conv2.weight, 0, 0.05)

    def net(self, xa):
        h = F.relu(self.norm1.normalize(self.conv1(xa)))
        h = F.relu(self.norm2.normalize(self.conv2(h)))
        h = self.out(h)
        return h[:, :self.change], F.logsigmoid(h[:, self.change:] + 2.0)

    def forward(self, x):
        xa, xb = x[:, :self.keep], x[:, self.keep:]
        shift, log_scale = self.net(xa)
        return torch.cat([xa, (xb + shift) * log_scale.exp()], 1), log_scale.sum((1, 2, 3))

    def reverse(self, z):
        za, zb = z[:, :self.keep], z[:, self.keep:]
        shift, log_scale = self.net(za)
        return torch.cat([za, zb * (-log_scale).exp() - shift], 1)


class Step(nn.Module):
    def __init__(self, channels, filters):
        super().__init__()
        self.layers = nn.ModuleList([ActNorm(channels), LUConv(channels), Coupling(channels, filters)])

    def forward(self, x):
        total = 0
        for layer in self.layers:
            x, logdet = layer(x)
            total = total + logdet
        return x, total

    def reverse(self, z):
        for layer in reversed(self.layers):
            z = layer.reverse(z)
        return z


def squeeze(x):
    b, c, h, w = x.shape
    return x.view(b, c, h // 2, 2, w // 2, 2).permute(0, 1, 3, 5, 2, 4).reshape(b, c * 4, h // 2, w // 2)


def unsqueeze(z):
    b, c, h, w = z.shape
    return z.view(b, c // 4, 2, 2, h, w).permute(0, 1, 4, 2, 5, 3).reshape(b, c // 4, h * 2, w * 2)


def gaussian_log_p(eps, log_std):
    return (-0.5 * math.log(2 * math.pi) - log_std - 0.5 * eps ** 2).sum((1, 2, 3))


class Glow(nn.Module):
    def __init__(self, channels, size, levels, flows, filters):
        super().__init__()
        self.dims = channels * size * size
        self.levels = nn.ModuleList()
        self.priors = nn.ModuleList()
        for level in range(levels):
            channels *= 4
            self.levels.append(nn.ModuleList([Step(channels, filters) for _ in range(flows)]))
            if level < levels - 1:
                self.priors.append(ZeroConv(channels // 2, channels))
                channels //= 2
        self.top_mean = nn.Parameter(torch.zeros(1, channels, 1, 1))
        self.top_log_std = nn.Parameter(torch.zeros(1, channels, 1, 1))

    def log_density(self, x):
        h = x - 0.5
        log_p = torch.zeros(x.shape[0])
        for index, steps in enumerate(self.levels):
            h = squeeze(h)
            for step in steps:
                h, logdet = step(h)
                log_p = log_p + logdet
            if index < len(self.priors):
                h, z = h.chunk(2, 1)
                mean, log_std = self.priors[index](h).chunk(2, 1)
            else:
                z, mean, log_std = h, self.top_mean, self.top_log_std
            log_p = log_p + gaussian_log_p((z - mean) * (-log_std).exp(), log_std)
        return log_p

    def bits_per_dim(self, x):
        return (-self.log_density(x) + self.dims * math.log(256)) / (self.dims * math.log(2))

    def sample(self, count, shapes, temperature=1.0):
        h = self.top_mean + temperature * self.top_log_std.exp() * torch.randn(count, *shapes[-1])
        for index in reversed(range(len(self.levels))):
            if index < len(self.priors):
                mean, log_std = self.priors[index](h).chunk(2, 1)
                h = torch.cat([h, mean + temperature * log_std.exp() * torch.randn_like(mean)], 1)
            for step in reversed(self.levels[index]):
                h = step.reverse(h)
            h = unsqueeze(h)
        return h + 0.5


def latent_shapes(channels, size, levels):
    shapes = []
    for level in range(levels):
        channels, size = channels * 4, size // 2
        if level < levels - 1:
            shapes.append((channels // 2, size, size))
            channels //= 2
        else:
            shapes.append((channels, size, size))
    return shapes


def status_mib(field):
    # VmHWM (peak resident set) or VmRSS (current) from /proc/self/status, as GlowML's suite reads them.
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def peak_mib():
    return status_mib("VmHWM")


def reset_peak():
    # Writing 5 to clear_refs resets VmHWM to the current RSS (Linux 4.0+), so the training peak is training's.
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def images(batch, channels, size):
    # Dequantised uniform bytes: the content does not change the cost of a dense flow.
    shape = (batch, channels, size, size)
    return (torch.randint(0, 256, shape).float() + torch.rand(shape)) / 256


def run_case(name, what, batch, repeats):
    channels, size, levels, flows, filters, train_batch = CASES[name]
    batch = batch or train_batch
    torch.manual_seed(1)
    model = Glow(channels, size, levels, flows, filters)
    with torch.no_grad():
        model.log_density(images(64, channels, size))
    setup = peak_mib()
    reset_peak()
    start_rss = status_mib("VmRSS")
    x = images(batch, channels, size)
    if what == "train":
        model.train()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)

        def work():
            optimizer.zero_grad()
            loss = model.bits_per_dim(x).mean()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 50.0)
            optimizer.step()
    elif what == "score":
        model.eval()

        def work():
            with torch.no_grad():
                model.bits_per_dim(x)
    else:
        model.eval()
        shapes = latent_shapes(channels, size, levels)

        def work():
            with torch.no_grad():
                model.sample(batch, shapes)
    work()
    start = time.perf_counter()
    for _ in range(repeats):
        work()
    seconds = (time.perf_counter() - start) / repeats
    return {"case": name, "what": what, "batch": batch, "images_per_s": batch / seconds,
            "setup_peak_mib": setup, "start_rss_mib": start_rss, "peak_mib": peak_mib(),
            "threads": torch.get_num_threads(),
            "torch": torch.__version__}


def load_average():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--case", choices=sorted(CASES))
    parser.add_argument("--what", choices=["train", "score", "sample"], default="train")
    parser.add_argument("--batch", type=int, default=0, help="0: the case's training batch")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--all", action="store_true", help="run every benchmark case in child processes")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if not args.all:
        print(json.dumps(run_case(args.case, args.what, args.batch, args.repeats)))
        return
    plan = [("cifar", "train", 32), ("fashion", "train", 64),
            ("cifar", "score", 1), ("cifar", "score", 32), ("cifar", "score", 64),
            ("cifar", "sample", 32), ("cifar", "sample", 64)]
    print("| Case | What | Batch | Images/s | Peak RSS setup (MiB) | RSS before run (MiB) | Peak RSS run (MiB) "
          "| Load start/end |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    for name, what, batch in plan:
        before = load_average()
        out = subprocess.run([sys.executable, __file__, "--case", name, "--what", what, "--batch", str(batch),
                              "--threads", str(args.threads), "--repeats", str(args.repeats)],
                             check=True, capture_output=True, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(f"| {name} | {what} | {batch} | {r['images_per_s']:.1f} | {r['setup_peak_mib']:.0f} | "
              f"{r['start_rss_mib']:.0f} | {r['peak_mib']:.0f} | {before:.2f}/{load_average():.2f} |", flush=True)


if __name__ == "__main__":
    main()
