"""DCGAN-64 training step in PyTorch: the reference timing for bench/engine-kernels.ts (same nets, init and step as bench/dcgan64.ts).

Prints one JSON line: {"median_ms": ..., "batch": ..., "threads": ..., "torch": ...}; with --infer-batch N (repeatable)
also "infer_ms": {N: ms} for the eval-mode generator under no_grad, and with --onnx PATH the generator's export (opset 17,
dynamic batch) for the raw ONNX Runtime timing of bench/run.ts.
"""
import argparse
import json
import statistics
import time

import torch
from torch import nn

from gan_timing import export_onnx, median_ms, peak_rss_mb

NZ, NGF, NDF = 100, 64, 64


def generator() -> nn.Sequential:
    def up(cin: int, cout: int, first: bool = False) -> list:
        return [nn.ConvTranspose2d(cin, cout, 4, 1 if first else 2, 0 if first else 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(True)]

    return nn.Sequential(
        *up(NZ, NGF * 8, first=True), *up(NGF * 8, NGF * 4), *up(NGF * 4, NGF * 2), *up(NGF * 2, NGF),
        nn.ConvTranspose2d(NGF, 3, 4, 2, 1, bias=False), nn.Tanh(),
    )


def discriminator() -> nn.Sequential:
    def down(cin: int, cout: int, norm: bool = True) -> list:
        return [nn.Conv2d(cin, cout, 4, 2, 1, bias=False), *([nn.BatchNorm2d(cout)] if norm else []), nn.LeakyReLU(0.2, inplace=True)]

    return nn.Sequential(
        *down(3, NDF, norm=False), *down(NDF, NDF * 2), *down(NDF * 2, NDF * 4), *down(NDF * 4, NDF * 8),
        nn.Conv2d(NDF * 8, 1, 4, 1, 0, bias=False), nn.Flatten(),
    )


def init(m: nn.Module) -> None:
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(m.weight, 0.0, 0.02)
    elif isinstance(m, nn.BatchNorm2d):
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--infer-batch", type=int, action="append", default=[])
    parser.add_argument("--onnx", default=None)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    g, d = generator(), discriminator()
    g.apply(init)
    d.apply(init)
    opt_d = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_g = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    bce = nn.BCEWithLogitsLoss()
    real = torch.rand(args.batch, 3, 64, 64) * 2 - 1
    z = torch.randn(args.batch, NZ, 1, 1)
    ones, zeros = torch.ones(args.batch, 1), torch.zeros(args.batch, 1)

    def step() -> None:
        # D step on a detached fake, then a G step that recomputes G(z); D's weights get no gradient in the G step,
        # exactly like the tfjs step (variableGrads over G's variables only).
        with torch.no_grad():
            fake = g(z)
        opt_d.zero_grad(set_to_none=True)
        loss_d = bce(d(real), ones) + bce(d(fake), zeros)
        loss_d.backward()
        opt_d.step()
        for p in d.parameters():
            p.requires_grad_(False)
        opt_g.zero_grad(set_to_none=True)
        loss_g = bce(d(g(z)), ones)
        loss_g.backward()
        opt_g.step()
        for p in d.parameters():
            p.requires_grad_(True)

    for _ in range(2):
        step()
    times = []
    for _ in range(args.steps):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1000)
    g.eval()
    infer_ms = {}
    for n in args.infer_batch:
        zn = torch.randn(n, NZ, 1, 1)

        def infer() -> None:
            with torch.no_grad():
                g(zn)

        infer_ms[str(n)] = median_ms(infer, 2, max(args.steps, 5))
    if args.onnx:
        export_onnx(g, z, args.onnx, dynamic_batch=True)
    print(json.dumps({"median_ms": statistics.median(times), "batch": args.batch, "threads": args.threads, "torch": torch.__version__,
                      **({"infer_ms": infer_ms} if infer_ms else {}), "peak_rss_mb": round(peak_rss_mb(), 1)}))


if __name__ == "__main__":
    main()
