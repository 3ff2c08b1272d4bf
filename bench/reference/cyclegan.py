"""CycleGAN in PyTorch, as junyanz/pytorch-CycleGAN-and-pix2pix `ResnetGenerator` (9 blocks) + `NLayerDiscriminator`
(instance norm): the reference timing for bench/run.ts. Same networks, init and step as models/cyclegan (both G with
LSGAN + λ10 cycle + 0.5 identity, then both D on this step's fakes; no image pool).

Prints one JSON line: {"train_ms", "infer_ms", "size", ...}; with --onnx PATH it also exports G_A (opset 17).
"""
import argparse
import itertools

import torch
from torch import nn

from gan_timing import time_step_and_generator
from pix2pix import init_weights, patchgan


def instance_norm(channels: int) -> nn.Module:
    return nn.InstanceNorm2d(channels, affine=False, track_running_stats=False)


class ResnetBlock(nn.Module):
    def __init__(self, dim: int):
        super().__init__()
        self.conv_block = nn.Sequential(
            nn.ReflectionPad2d(1), nn.Conv2d(dim, dim, 3, bias=True), instance_norm(dim), nn.ReLU(True),
            nn.ReflectionPad2d(1), nn.Conv2d(dim, dim, 3, bias=True), instance_norm(dim),
        )

    def forward(self, x):
        return x + self.conv_block(x)


def resnet_generator(ngf: int = 64, n_blocks: int = 9) -> nn.Sequential:
    model = [nn.ReflectionPad2d(3), nn.Conv2d(3, ngf, 7, bias=True), instance_norm(ngf), nn.ReLU(True)]
    for i in range(2):
        mult = 2 ** i
        model += [nn.Conv2d(ngf * mult, ngf * mult * 2, 3, 2, 1, bias=True), instance_norm(ngf * mult * 2), nn.ReLU(True)]
    model += [ResnetBlock(ngf * 4) for _ in range(n_blocks)]
    for i in range(2):
        mult = 2 ** (2 - i)
        model += [nn.ConvTranspose2d(ngf * mult, ngf * mult // 2, 3, 2, 1, output_padding=1, bias=True), instance_norm(ngf * mult // 2), nn.ReLU(True)]
    model += [nn.ReflectionPad2d(3), nn.Conv2d(ngf, 3, 7), nn.Tanh()]
    return nn.Sequential(*model)


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
    g_a, g_b = resnet_generator(), resnet_generator()
    d_a, d_b = patchgan(3, instance_norm), patchgan(3, instance_norm)
    for net in (g_a, g_b, d_a, d_b):
        net.apply(init_weights)
    opt_g = torch.optim.Adam(itertools.chain(g_a.parameters(), g_b.parameters()), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(itertools.chain(d_a.parameters(), d_b.parameters()), lr=2e-4, betas=(0.5, 0.999))
    mse, l1 = nn.MSELoss(), nn.L1Loss()
    lambda_a = lambda_b = 10.0
    lambda_idt = 0.5
    real_a = torch.rand(1, 3, args.size, args.size) * 2 - 1
    real_b = torch.rand(1, 3, args.size, args.size) * 2 - 1

    def gan(logits: torch.Tensor, real: bool) -> torch.Tensor:
        return mse(logits, torch.full_like(logits, 1.0 if real else 0.0))

    def set_d_grad(on: bool) -> None:
        for p in itertools.chain(d_a.parameters(), d_b.parameters()):
            p.requires_grad_(on)

    def step() -> None:  # cycle_gan_model.py optimize_parameters
        fake_b = g_a(real_a)
        rec_a = g_b(fake_b)
        fake_a = g_b(real_b)
        rec_b = g_a(fake_a)
        set_d_grad(False)
        opt_g.zero_grad(set_to_none=True)
        loss_idt_a = l1(g_a(real_b), real_b) * lambda_b * lambda_idt
        loss_idt_b = l1(g_b(real_a), real_a) * lambda_a * lambda_idt
        loss_g = (gan(d_a(fake_b), True) + gan(d_b(fake_a), True) + l1(rec_a, real_a) * lambda_a + l1(rec_b, real_b) * lambda_b
                  + loss_idt_a + loss_idt_b)
        loss_g.backward()
        opt_g.step()
        set_d_grad(True)
        opt_d.zero_grad(set_to_none=True)
        loss_d_a = 0.5 * (gan(d_a(real_b), True) + gan(d_a(fake_b.detach()), False))
        loss_d_b = 0.5 * (gan(d_b(real_a), True) + gan(d_b(fake_a.detach()), False))
        (loss_d_a + loss_d_b).backward()
        opt_d.step()

    time_step_and_generator(step, g_a, real_a, args)


if __name__ == "__main__":
    main()
