"""pix2pix in PyTorch, as junyanz/pytorch-CycleGAN-and-pix2pix `UnetGenerator` + `NLayerDiscriminator` (batch norm): the
reference timing for bench/run.ts. Same networks, init and step as models/pix2pix (G step, then D on the same G(A)).

Prints one JSON line: {"train_ms", "infer_ms", "size", "torch", "threads", "peak_rss_mb"}; with --onnx PATH it also
exports the eval-mode generator there (opset 17) for the raw ONNX Runtime timing.
"""
import argparse
import math

import torch
from torch import nn

from gan_timing import time_step_and_generator


class UnetSkipConnectionBlock(nn.Module):
    def __init__(self, outer_nc, inner_nc, input_nc=None, submodule=None, outermost=False, innermost=False, use_dropout=False):
        super().__init__()
        self.outermost = outermost
        input_nc = outer_nc if input_nc is None else input_nc
        downconv = nn.Conv2d(input_nc, inner_nc, 4, 2, 1, bias=False)  # use_bias = False with batch norm
        downrelu, downnorm = nn.LeakyReLU(0.2, True), nn.BatchNorm2d(inner_nc)
        uprelu, upnorm = nn.ReLU(True), nn.BatchNorm2d(outer_nc)
        if outermost:
            model = [downconv, submodule, uprelu, nn.ConvTranspose2d(inner_nc * 2, outer_nc, 4, 2, 1), nn.Tanh()]
        elif innermost:
            model = [downrelu, downconv, uprelu, nn.ConvTranspose2d(inner_nc, outer_nc, 4, 2, 1, bias=False), upnorm]
        else:
            up = [uprelu, nn.ConvTranspose2d(inner_nc * 2, outer_nc, 4, 2, 1, bias=False), upnorm]
            model = [downrelu, downconv, downnorm, submodule, *up, *([nn.Dropout(0.5)] if use_dropout else [])]
        self.model = nn.Sequential(*model)

    def forward(self, x):
        return self.model(x) if self.outermost else torch.cat([x, self.model(x)], 1)


def unet_generator(num_downs: int, ngf: int = 64) -> nn.Module:
    block = UnetSkipConnectionBlock(ngf * 8, ngf * 8, innermost=True)
    for _ in range(num_downs - 5):
        block = UnetSkipConnectionBlock(ngf * 8, ngf * 8, submodule=block, use_dropout=True)
    block = UnetSkipConnectionBlock(ngf * 4, ngf * 8, submodule=block)
    block = UnetSkipConnectionBlock(ngf * 2, ngf * 4, submodule=block)
    block = UnetSkipConnectionBlock(ngf, ngf * 2, submodule=block)
    return UnetSkipConnectionBlock(3, ngf, input_nc=3, submodule=block, outermost=True)


def patchgan(input_nc: int, norm, ndf: int = 64, n_layers: int = 3) -> nn.Sequential:
    use_bias = norm is nn.InstanceNorm2d
    seq = [nn.Conv2d(input_nc, ndf, 4, 2, 1), nn.LeakyReLU(0.2, True)]
    mult = 1
    for n in range(1, n_layers + 1):
        prev, mult = mult, min(2 ** n, 8)
        seq += [nn.Conv2d(ndf * prev, ndf * mult, 4, 2 if n < n_layers else 1, 1, bias=use_bias), norm(ndf * mult), nn.LeakyReLU(0.2, True)]
    seq += [nn.Conv2d(ndf * mult, 1, 4, 1, 1)]
    return nn.Sequential(*seq)


def init_weights(m: nn.Module) -> None:  # junyanz init_weights('normal', 0.02)
    name = m.__class__.__name__
    if hasattr(m, "weight") and m.weight is not None and ("Conv" in name or "Linear" in name):
        nn.init.normal_(m.weight, 0.0, 0.02)
        if m.bias is not None:
            nn.init.zeros_(m.bias)
    elif "BatchNorm2d" in name:
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--infer-steps", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--onnx", default=None)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    g, d = unet_generator(int(math.log2(args.size))), patchgan(6, nn.BatchNorm2d)
    g.apply(init_weights)
    d.apply(init_weights)
    opt_g = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    bce, l1 = nn.BCEWithLogitsLoss(), nn.L1Loss()
    a = torch.rand(1, 3, args.size, args.size) * 2 - 1
    b = torch.rand(1, 3, args.size, args.size) * 2 - 1

    def gan(logits: torch.Tensor, real: bool) -> torch.Tensor:
        return bce(logits, torch.full_like(logits, 1.0 if real else 0.0))

    def step() -> None:
        g.train()
        fake = g(a)
        for p in d.parameters():
            p.requires_grad_(False)
        opt_g.zero_grad(set_to_none=True)
        loss_g = gan(d(torch.cat([a, fake], 1)), True) + 100 * l1(fake, b)
        loss_g.backward()
        opt_g.step()
        for p in d.parameters():
            p.requires_grad_(True)
        opt_d.zero_grad(set_to_none=True)
        loss_d = 0.5 * (gan(d(torch.cat([a, b], 1)), True) + gan(d(torch.cat([a, fake.detach()], 1)), False))
        loss_d.backward()
        opt_d.step()

    time_step_and_generator(step, g, a, args)


if __name__ == "__main__":
    main()
