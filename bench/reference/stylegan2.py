"""StyleGAN2 (Karras et al. 2020) in PyTorch, written from the architecture: the reference timing of bench/cases/stylegan2.ts.

Layer for layer as models/stylegan/networks.ts (itself the stylegan2-ada-pytorch layout): mapping with equalized FC
layers (lr multiplier 0.01) on a 2nd-moment-normalised z; 'skip' synthesis with modulated 3x3 convs (demodulated,
the non-fused way: x*styles, one shared-weight conv, *dcoefs), per-pixel noise, bias + lrelu*sqrt(2) + clamp, toRGB
1x1 modulated convs and FIR [1,3,3,1] upsampling of the image; 'resnet' discriminator with FIR downsampling, minibatch
stddev and the conv clamp. Module and parameter names follow our parameter tree (namedVariables), so our weights load
by name. Training phases as models/stylegan/train-step.ts: Gmain, Dmain and, when regularising, Dreg (lazy R1).

--config JSON is our StyleGAN2Config. Prints one JSON line: train_ms (Gmain + Dmain), train_r1_ms (Gmain + Dmain +
Dreg), infer_ms {batch: ms} (eval mode, no_grad, const noise), params {G_mapping, G_synthesis, G, D}; with --weights
MANIFEST (our weights and a fixture, written by the bench) also "parity": our tensors loaded by name, then the
max differences of G(z), D(x) and the R1 penalty against ours; where a tensor does not match by name and shape,
only {"params", "parity": {"error"}} (no timing of a different network).

With --weights, also the interactive figures, on our weights before the training here changes them: frame_ms, a
Mix-view slider frame (two w+ sources of the fixture blended per layer as models/stylegan/mixing.ts, eval synthesis
under no_grad with const noise, uint8 RGB as models/common/image-tensor.ts signedToRgb) with "frame_parity" against our
compiled frame; inversion_ms, one W+ projector step as models/stylegan/projector.ts (itself stylegan2-ada-pytorch
projector.py with MSE + (1 - SSIM) in place of LPIPS) with "inversion_parity": the loss terms of the first steps from
our start, without the w perturbation, against ours.
"""
import argparse
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from gan_timing import median_ms, report

FIR = torch.tensor([1.0, 3.0, 3.0, 1.0])
FIR = torch.outer(FIR, FIR) / 64  # the separable 4x4 low-pass filter, unit DC gain


def fir(x, pad, down=1, gain=1.0):
    """upfirdn2d without upsampling: zero-pad each side by `pad`, apply the (symmetric) FIR per channel, keep every `down`-th pixel."""
    c = x.shape[1]
    return F.conv2d(x, (FIR * gain).to(x.dtype).expand(c, 1, 4, 4), stride=down, padding=pad, groups=c)


def upsample2d(x):
    """upfirdn2d.upsample2d: one zero after each pixel, then the FIR with gain 4, as one transposed depthwise conv."""
    c = x.shape[1]
    return F.conv_transpose2d(x, (FIR * 4).to(x.dtype).expand(c, 1, 4, 4), stride=2, padding=1, groups=c)


def bias_act(x, b=None, act="linear", gain=1.0, clamp=None):
    """act(x + b) * def_gain(act) * gain (def_gain sqrt(2) after lrelu), then clamped to +-clamp * gain."""
    if b is not None:
        x = x + b.reshape(1, -1, *([1] * (x.ndim - 2)))
    if act == "lrelu":
        x = F.leaky_relu(x, 0.2)
    total = gain * (math.sqrt(2) if act == "lrelu" else 1.0)
    if total != 1:
        x = x * total
    return x if clamp is None else x.clamp(-clamp * gain, clamp * gain)


class FC(nn.Module):
    """Equalized-lr dense layer: weight stored N(0, 1)/lr_mul, used times lr_mul/sqrt(in); bias times lr_mul."""

    def __init__(self, fan_in, fan_out, act="linear", lr_mul=1.0, bias_init=0.0):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(fan_out, fan_in) / lr_mul)
        self.bias = nn.Parameter(torch.full([fan_out], float(bias_init)))
        self.act, self.lr_mul, self.weight_gain = act, lr_mul, lr_mul / math.sqrt(fan_in)

    def forward(self, x):
        return bias_act(F.linear(x, self.weight * self.weight_gain, self.bias * self.lr_mul), act=self.act)


class Conv(nn.Module):
    """Equalized-lr conv, 'same' padding; down=2: FIR low-pass, then the stride-2 conv (a 1x1 conv subsamples in the filter)."""

    def __init__(self, cin, cout, k, act="lrelu", down=1, bias=True, clamp=None):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(cout, cin, k, k))
        self.bias = nn.Parameter(torch.zeros(cout)) if bias else None
        self.act, self.down, self.clamp, self.weight_gain = act, down, clamp, 1 / math.sqrt(cin * k * k)

    def forward(self, x, gain=1.0):
        w, k = self.weight * self.weight_gain, self.weight.shape[-1]
        if self.down == 1:
            x = F.conv2d(x, w, padding=k // 2)
        elif k == 1:
            x = F.conv2d(fir(x, 1, down=2), w)
        else:
            x = F.conv2d(fir(x, k // 2 + 1), w, stride=2)
        return bias_act(x, self.bias, self.act, gain, self.clamp)


def modulated_conv(x, weight, styles, demodulate, up=1):
    """x*styles, one conv shared by the batch (2x up: transposed conv then FIR with gain 4), then *dcoefs when demodulating."""
    n = x.shape[0]
    x = x * styles.reshape(n, -1, 1, 1)
    if up == 2:
        x = fir(F.conv_transpose2d(x, weight.transpose(0, 1), stride=2), 1, gain=4)
    else:
        x = F.conv2d(x, weight, padding=int(weight.shape[-1]) // 2)
    if demodulate:
        # dcoefs[n, o] = 1/sqrt(sum_{i,k} (s_ni w_oik)^2 + 1e-8) = 1/sqrt(s^2 @ (sum_k w^2)^T + 1e-8), as ours computes it.
        dcoefs = (styles.square() @ weight.square().sum([2, 3]).t() + 1e-8).rsqrt()
        x = x * dcoefs.reshape(n, -1, 1, 1)
    return x


class Noise(nn.Module):
    def __init__(self, res):
        super().__init__()
        self.strength = nn.Parameter(torch.zeros([]))
        self.register_buffer("const", torch.randn(res, res))

    def forward(self, n, mode):
        res = self.const.shape[0]
        return (torch.randn(n, 1, res, res) if mode == "random" else self.const.reshape(1, 1, res, res)) * self.strength


class SynthesisLayer(nn.Module):
    def __init__(self, cin, cout, w_dim, res, up=1, clamp=None):
        super().__init__()
        self.affine = FC(w_dim, cin, bias_init=1)
        self.weight = nn.Parameter(torch.randn(cout, cin, 3, 3))
        self.noise = Noise(res)
        self.bias = nn.Parameter(torch.zeros(cout))
        self.up, self.clamp = up, clamp

    def forward(self, x, w, noise_mode):
        x = modulated_conv(x, self.weight, self.affine(w), demodulate=True, up=self.up)
        if noise_mode != "none":
            x = x + self.noise(x.shape[0], noise_mode)
        return bias_act(x, self.bias, "lrelu", clamp=self.clamp)


class ToRGB(nn.Module):
    def __init__(self, cin, img_channels, w_dim, clamp=None):
        super().__init__()
        self.affine = FC(w_dim, cin, bias_init=1)
        self.weight = nn.Parameter(torch.randn(img_channels, cin, 1, 1))
        self.bias = nn.Parameter(torch.zeros(img_channels))
        self.clamp, self.weight_gain = clamp, 1 / math.sqrt(cin)

    def forward(self, x, w):
        return bias_act(modulated_conv(x, self.weight, self.affine(w) * self.weight_gain, demodulate=False), self.bias, clamp=self.clamp)


class SynthesisBlock(nn.Module):
    def __init__(self, cin, cout, cfg, res):
        super().__init__()
        clamp = cfg.get("convClamp")
        if cin == 0:
            self.const = nn.Parameter(torch.randn(cout, 4, 4))
            self.conv0 = None
        else:
            self.conv0 = SynthesisLayer(cin, cout, cfg["wDim"], res, up=2, clamp=clamp)
        self.conv1 = SynthesisLayer(cout, cout, cfg["wDim"], res, clamp=clamp)
        self.torgb = ToRGB(cout, cfg["imgChannels"], cfg["wDim"], clamp=clamp)


def channels(cfg, res):
    return min(cfg["channelBase"] // res, cfg["channelMax"])


class Mapping(nn.Module):
    def __init__(self, cfg, num_ws):
        super().__init__()
        dims = [cfg["zDim"]] + [cfg["wDim"]] * cfg["mappingLayers"]
        self.fc = nn.ModuleList([FC(dims[i], dims[i + 1], "lrelu", lr_mul=cfg["mappingLrMultiplier"]) for i in range(cfg["mappingLayers"])])
        self.register_buffer("wAvg", torch.zeros(cfg["wDim"]))
        self.num_ws, self.beta = num_ws, cfg["wAvgBeta"]

    def forward(self, z, psi=1.0, skip_w_avg_update=False):
        x = z * (z.square().mean(1, keepdim=True) + 1e-8).rsqrt()
        for fc in self.fc:
            x = fc(x)
        if self.training and not skip_w_avg_update:
            self.wAvg.copy_(x.detach().mean(0).lerp(self.wAvg, self.beta))
        x = x.unsqueeze(1).repeat(1, self.num_ws, 1)
        return x if psi == 1 else self.wAvg.lerp(x, psi)


class Synthesis(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        res = [2 ** i for i in range(2, int(math.log2(cfg["resolution"])) + 1)]
        self.blocks = nn.ModuleList([SynthesisBlock(0 if r == 4 else channels(cfg, r // 2), channels(cfg, r), cfg, r) for r in res])
        self.num_ws = 2 * len(res)

    def forward(self, ws, noise_mode="random"):
        x = img = None
        i = 0  # the ws index of the block's first conv; its toRGB takes the next one
        for b in self.blocks:
            if b.conv0 is None:
                x = b.conv1(b.const.unsqueeze(0).repeat(ws.shape[0], 1, 1, 1), ws[:, i], noise_mode)
                i += 1
            else:
                x = b.conv1(b.conv0(x, ws[:, i], noise_mode), ws[:, i + 1], noise_mode)
                i += 2
            y = b.torgb(x, ws[:, i])
            img = y if img is None else upsample2d(img) + y
        return img


class Generator(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.synthesis = Synthesis(cfg)
        self.mapping = Mapping(cfg, self.synthesis.num_ws)

    def forward(self, z, psi=1.0, noise_mode="const"):
        return self.synthesis(self.mapping(z, psi), noise_mode)


class DiscriminatorBlock(nn.Module):
    def __init__(self, tmp, out, first, cfg):
        super().__init__()
        clamp = cfg.get("convClamp")
        self.fromrgb = Conv(cfg["imgChannels"], tmp, 1, clamp=clamp) if first else None
        self.conv0 = Conv(tmp, tmp, 3, clamp=clamp)
        self.conv1 = Conv(tmp, out, 3, down=2, clamp=clamp)
        self.skip = Conv(tmp, out, 1, act="linear", down=2, bias=False)

    def forward(self, x, img):
        if self.fromrgb is not None:
            x = self.fromrgb(img)
        return self.skip(x, gain=math.sqrt(0.5)) + self.conv1(self.conv0(x), gain=math.sqrt(0.5))


def minibatch_stddev(x, group, num_channels):
    n, c, h, w = x.shape
    g = min(group, n)
    assert n % g == 0, f"batch {n} is not a multiple of the mbstd group {g}"
    y = x.reshape(g, -1, num_channels, c // num_channels, h, w)
    y = ((y - y.mean(0)).square().mean(0) + 1e-8).sqrt().mean([2, 3, 4])  # [n/g, F]
    return torch.cat([x, y.reshape(-1, num_channels, 1, 1).repeat(g, 1, h, w)], 1)


class Epilogue(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        c = channels(cfg, 4)
        self.conv = Conv(c + cfg["mbstdChannels"], c, 3, clamp=cfg.get("convClamp"))
        self.fc = FC(c * 16, c, "lrelu")
        self.out = FC(c, 1)
        self.group, self.num_channels = cfg["mbstdGroupSize"], cfg["mbstdChannels"]

    def forward(self, x):
        x = self.conv(minibatch_stddev(x, self.group, self.num_channels))
        return self.out(self.fc(x.flatten(1)))


class Discriminator(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        res = [2 ** i for i in range(int(math.log2(cfg["resolution"])), 2, -1)]
        self.blocks = nn.ModuleList([DiscriminatorBlock(channels(cfg, r), channels(cfg, r // 2), r == cfg["resolution"], cfg) for r in res])
        self.epilogue = Epilogue(cfg)

    def forward(self, img):
        x = None
        for b in self.blocks:
            x = b(x, img)
        return self.epilogue(x)


def count(module):
    return sum(p.numel() for p in module.parameters())


def tensor(data, entry):
    return torch.from_numpy(data[entry["offset"]:entry["offset"] + int(np.prod(entry["shape"], dtype=np.int64))].copy()).reshape(entry["shape"])


def read_manifest(manifest_path):
    with open(manifest_path) as f:
        manifest = json.load(f)
    return manifest, np.fromfile(os.path.join(os.path.dirname(manifest_path), manifest["file"]), dtype="<f4")


def load_ours(manifest, data, prefix, module):
    """Our tensors named `prefix.<path>` into `module`'s state by the same path; layouts: dense [in, out] -> [out, in],
    conv HWIO -> OIHW, const HWC -> CHW. Every tensor on both sides must be matched, with the same shape: else says why."""
    state = module.state_dict()
    seen = set()
    for entry in manifest["tensors"]:
        if not entry["name"].startswith(prefix + "."):
            continue
        key = entry["name"][len(prefix) + 1:]
        t = tensor(data, entry)
        if t.ndim == 2 and key.endswith("weight"):
            t = t.t()
        elif t.ndim == 4:
            t = t.permute(3, 2, 0, 1)
        elif t.ndim == 3 and key.endswith("const"):
            t = t.permute(2, 0, 1)
        if key not in state:
            return f"ours has {prefix}.{key}, the PyTorch {prefix} does not"
        if tuple(state[key].shape) != tuple(t.shape):
            return f"{prefix}.{key}: ours {tuple(t.shape)}, PyTorch {tuple(state[key].shape)}"
        state[key].copy_(t)
        seen.add(key)
    missing = sorted(set(state) - seen)
    return f"the PyTorch {prefix} has {missing}, ours does not" if missing else None


def fixture(manifest, data, name):
    return tensor(data, next(e for e in manifest["tensors"] if e["name"] == f"fixture.{name}"))


def parity(g, d, manifest, data):
    """Max |ours - PyTorch| of G(z) (eval, const noise), D(x) and the per-sample R1 penalty, with our weights."""
    nchw = lambda t: t.permute(0, 3, 1, 2)  # noqa: E731
    g.eval()
    with torch.no_grad():
        img = g(fixture(manifest, data, "z"), noise_mode="const")
    reals = nchw(fixture(manifest, data, "reals")).requires_grad_(True)
    logits = d(reals)
    (grad,) = torch.autograd.grad(logits.sum(), reals)
    r1 = grad.square().sum([1, 2, 3])
    ours_r1 = fixture(manifest, data, "r1")
    return {
        "g_max_abs_diff": float((img - nchw(fixture(manifest, data, "image"))).abs().max()),
        "g_output_max_abs": float(img.abs().max()),
        "d_max_abs_diff": float((logits.detach() - fixture(manifest, data, "logits")).abs().max()),
        "d_logits_max_abs": float(logits.detach().abs().max()),
        "r1_max_rel_diff": float(((r1.detach() - ours_r1).abs() / ours_r1.abs().clamp_min(1e-12)).max()),
    }


def mix_ws(sources, weights):
    """models/stylegan/mixing.ts mixStyles: row l = sum_s weights[l, s] * sources[s][l]; -> [1, numWs, wDim]."""
    return (weights.t().unsqueeze(-1) * torch.stack(sources)).sum(0).unsqueeze(0)


def signed_to_rgb(img):
    """models/common/image-tensor.ts signedToRgb: NCHW [-1, 1] -> NHWC uint8, round((x + 1) * 127.5) clamped."""
    return ((img + 1) * 127.5).round().clamp(0, 255).to(torch.uint8).permute(0, 2, 3, 1).contiguous().numpy()


def mixing_frame(g, manifest, data, steps):
    """The slider frame: blend, eval synthesis under no_grad (const noise), uint8 RGB. Its parity with ours, its median ms."""
    fx = lambda name: fixture(manifest, data, name)  # noqa: E731
    sources, weights = [fx("mix_a"), fx("mix_b")], fx("mix_weights")
    g.eval()

    def frame():
        with torch.no_grad():
            return signed_to_rgb(g.synthesis(mix_ws(sources, weights), noise_mode="const"))

    with torch.no_grad():
        img = g.synthesis(mix_ws(sources, weights), noise_mode="const")
    rgb = frame().astype(np.int32)
    parity = {
        "image_max_abs_diff": float((img - fx("mix_image").permute(0, 3, 1, 2)).abs().max()),
        "image_max_abs": float(img.abs().max()),
        "rgb_max_diff": int(np.abs(rgb - fx("mix_rgb").numpy().astype(np.int32)).max()),
    }
    return median_ms(frame, 2, steps), parity


def gaussian_window(size=11, sigma=1.5):
    taps = torch.exp(-((torch.arange(size, dtype=torch.float64) - (size - 1) / 2) ** 2) / (2 * sigma * sigma))
    taps = taps / taps.sum()
    return torch.outer(taps, taps).float()


SSIM_WINDOW = gaussian_window()


def ssim(a, b, data_range=1.0):
    """Mean SSIM (Wang et al. 2004) of NCHW images in [0, data_range]: 11x11 Gaussian window (sigma 1.5), K1 0.01,
    K2 0.03, per channel, 'valid' (no padding), averaged over every position and channel."""
    c = a.shape[1]
    window = SSIM_WINDOW.to(a.dtype).expand(c, 1, *SSIM_WINDOW.shape)
    blur = lambda x: F.conv2d(x, window, groups=c)  # noqa: E731
    mx, my = blur(a), blur(b)
    sxx, syy, sxy = blur(a * a) - mx * mx, blur(b * b) - my * my, blur(a * b) - mx * my
    c1, c2 = (0.01 * data_range) ** 2, (0.03 * data_range) ** 2
    return ((2 * mx * my + c1) * (2 * sxy + c2) / ((mx * mx + my * my + c1) * (sxx + syy + c2))).mean()


def noise_regularization(bufs):
    """projector.py: the squared mean autocorrelation of each noise map with its neighbour along W and H, summed over
    the map and its 2x average-pooled versions down to 8x8."""
    reg = 0.0
    for buf in bufs:
        noise = buf[None, None, :, :]
        while True:
            reg += (noise * torch.roll(noise, shifts=1, dims=3)).mean() ** 2
            reg += (noise * torch.roll(noise, shifts=1, dims=2)).mean() ** 2
            if noise.shape[2] <= 8:
                break
            noise = F.avg_pool2d(noise, kernel_size=2)
    return reg


class Inversion:
    """projector.py's loop body, W+: w_opt [1, numWs, wDim] and the synthesis' const noise maps optimised by Adam
    (betas 0.9, 0.999), lr 0.1 with a 5% cosine ramp-up and a 25% ramp-down, w perturbed by 0.05 * std(w) fading over
    75% of the steps; loss MSE + (1 - SSIM) on [0, 1] images + 1e5 * noise regularisation; noise renormalised after
    each step. The noise maps replace the generator's buffers until `restore`."""

    def __init__(self, g, target, ws, noise, w_std, steps, noise_factor=0.05):
        self.g, self.target, self.w_std, self.steps, self.noise_factor, self.done = g, target, w_std, steps, noise_factor, 0
        self.layers = [layer for b in g.synthesis.blocks for layer in ([b.conv0] if b.conv0 is not None else []) + [b.conv1]]
        self.saved = [layer.noise.const for layer in self.layers]
        self.w_opt = ws.clone().requires_grad_(True)
        self.bufs, offset = [], 0
        for layer in self.layers:
            shape = layer.noise.const.shape
            buf = noise[offset:offset + shape.numel()].reshape(shape).clone().requires_grad_(True)
            offset += shape.numel()
            layer.noise.const = buf
            self.bufs.append(buf)
        self.opt = torch.optim.Adam([self.w_opt] + self.bufs, betas=(0.9, 0.999), lr=0.1)

    def step(self):
        t = self.done / self.steps
        w_noise_scale = self.w_std * self.noise_factor * max(0.0, 1.0 - t / 0.75) ** 2
        lr_ramp = min(1.0, (1.0 - t) / 0.25)
        lr_ramp = (0.5 - 0.5 * math.cos(lr_ramp * math.pi)) * min(1.0, t / 0.05)
        for group in self.opt.param_groups:
            group["lr"] = 0.1 * lr_ramp
        ws = self.w_opt + torch.randn_like(self.w_opt) * w_noise_scale
        synth = self.g.synthesis(ws, noise_mode="const")
        x, y = (synth + 1) / 2, (self.target + 1) / 2
        dist = F.mse_loss(x, y) + (1 - ssim(x, y))
        reg = noise_regularization(self.bufs)
        loss = dist + reg * 1e5
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        with torch.no_grad():
            for buf in self.bufs:
                buf -= buf.mean()
                buf *= buf.square().mean().rsqrt()
        self.done += 1
        return float(loss), float(dist), float(reg)

    def restore(self):
        for layer, const in zip(self.layers, self.saved):
            layer.noise.const = const


def inversion_step(g, manifest, data, args):
    """Our first steps from our start (no w perturbation) compared term by term, then the median ms of a step."""
    fx = lambda name: fixture(manifest, data, name)  # noqa: E731
    g.eval()
    g.requires_grad_(False)
    target = fx("inv_target").permute(0, 3, 1, 2)
    start = (target, fx("inv_ws"), fx("inv_noise"), float(fx("inv_w_std")), args.inversion_schedule_steps)
    check = Inversion(g, *start, noise_factor=0.0)
    try:
        trace = np.array([check.step() for _ in range(len(fx("inv_loss")))], dtype=np.float64)
        ws_after = check.w_opt.detach()
    finally:
        check.restore()
    rel = lambda ours, theirs: float((np.abs(theirs - ours) / np.maximum(np.abs(ours), 1e-12)).max())  # noqa: E731
    ours = {k: fx(f"inv_{k}").numpy().astype(np.float64) for k in ("loss", "distance", "penalty")}
    parity = {
        "loss": trace[:, 0].tolist(),
        "distance": trace[:, 1].tolist(),
        "penalty": trace[:, 2].tolist(),
        "loss_max_rel_diff": rel(ours["loss"], trace[:, 0]),
        "distance_max_rel_diff": rel(ours["distance"], trace[:, 1]),
        "penalty_max_rel_diff": rel(ours["penalty"], trace[:, 2]),
        "ws_after_max_abs_diff": float((ws_after - fx("inv_ws_after")).abs().max()),
    }
    timed = Inversion(g, *start)
    try:
        ms = median_ms(timed.step, 1, args.inversion_steps)
    finally:
        timed.restore()
    return ms, parity


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True, help="our StyleGAN2Config as JSON")
    parser.add_argument("--steps", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=1, help="untimed R1 iterations first")
    parser.add_argument("--infer-batch", type=int, action="append", default=[])
    parser.add_argument("--infer-steps", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--weights", default=None, help="manifest of our weights and the parity fixture")
    parser.add_argument("--frame-steps", type=int, default=10, help="timed slider frames (with --weights)")
    parser.add_argument("--inversion-steps", type=int, default=3, help="timed inversion steps (with --weights)")
    parser.add_argument("--inversion-schedule-steps", type=int, default=1000, help="the projector's num_steps (its ramps)")
    args = parser.parse_args()
    cfg = json.loads(args.config)
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    g, d = Generator(cfg), Discriminator(cfg)
    params = {"G_mapping": count(g.mapping), "G_synthesis": count(g.synthesis), "G": count(g), "D": count(d)}
    checks = None
    interactive = {}
    if args.weights:
        manifest, data = read_manifest(args.weights)
        mismatch = load_ours(manifest, data, "G", g) or load_ours(manifest, data, "D", d)
        if mismatch:  # a different network: no timing to compare
            report(params=params, parity={"error": mismatch})
            return
        checks = parity(g, d, manifest, data)
        # Before training here changes the weights: the fixtures are of ours as they are.
        frame_ms, frame_parity = mixing_frame(g, manifest, data, args.frame_steps)
        inversion_ms, inversion_parity = inversion_step(g, manifest, data, args)
        interactive = {"frame_ms": frame_ms, "inversion_ms": inversion_ms, "frame_parity": frame_parity, "inversion_parity": inversion_parity}

    batch, c = cfg["batchSize"], cfg["dRegInterval"] / (cfg["dRegInterval"] + 1)
    betas = (cfg["beta1"], cfg["beta2"])
    opt_g = torch.optim.Adam(g.parameters(), lr=cfg["learningRate"], betas=betas, eps=cfg["epsilon"])
    opt_d = torch.optim.Adam(d.parameters(), lr=cfg["learningRate"] * c, betas=tuple(b ** c for b in betas), eps=cfg["epsilon"])
    reals = torch.rand(batch, cfg["imgChannels"], cfg["resolution"], cfg["resolution"]) * 2 - 1
    z_dim = cfg["zDim"]

    def run_g(z):
        """Mapping (w_avg tracked), style mixing from a crossover in [1, num_ws) with probability p, synthesis with random noise."""
        ws = g.mapping(z)
        if torch.rand([]).item() < cfg["styleMixingProb"]:
            cutoff = int(torch.randint(1, ws.shape[1], []))
            ws = torch.cat([ws[:, :cutoff], g.mapping(torch.randn_like(z), skip_w_avg_update=True)[:, cutoff:]], 1)
        return g.synthesis(ws, noise_mode="random")

    def step(regularize: bool) -> None:
        g.train()
        # Gmain: softplus(-D(G(z))), gradients to G only.
        g.requires_grad_(True)
        d.requires_grad_(False)
        opt_g.zero_grad(set_to_none=True)
        F.softplus(-d(run_g(torch.randn(batch, z_dim)))).mean().backward()
        opt_g.step()
        # Dmain: softplus(D(G(z'))) + softplus(-D(x)); G's image a constant.
        g.requires_grad_(False)
        d.requires_grad_(True)
        with torch.no_grad():
            fakes = run_g(torch.randn(batch, z_dim))
        opt_d.zero_grad(set_to_none=True)
        (F.softplus(d(fakes)).mean() + F.softplus(-d(reals)).mean()).backward()
        opt_d.step()
        if regularize:
            # Dreg: gamma/2 * |grad_x D(x)|^2 on reals, times the interval (lazy R1); logits*0 gives every D weight a gradient.
            opt_d.zero_grad(set_to_none=True)
            x = reals.detach().requires_grad_(True)
            logits = d(x)
            (grad,) = torch.autograd.grad(logits.sum(), x, create_graph=True)
            r1 = grad.square().sum([1, 2, 3]).mean()
            (r1 * (cfg["r1Gamma"] / 2) * cfg["dRegInterval"] + logits.sum() * 0).backward()
            opt_d.step()

    for _ in range(args.warmup):
        step(True)  # an R1 iteration runs every phase
    train_ms = median_ms(lambda: step(False), 0, args.steps)
    train_r1_ms = median_ms(lambda: step(True), 0, args.steps)
    g.eval()
    g.requires_grad_(False)
    infer_ms = {}
    for n in args.infer_batch:
        z = torch.randn(n, z_dim)

        def infer() -> None:
            with torch.no_grad():
                g(z, noise_mode="const")

        infer_ms[str(n)] = median_ms(infer, 2, args.infer_steps)
    report(train_ms=train_ms, train_r1_ms=train_r1_ms, infer_ms=infer_ms, params=params, **({"parity": checks} if checks else {}), **interactive)


if __name__ == "__main__":
    main()
