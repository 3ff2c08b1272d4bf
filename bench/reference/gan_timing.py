"""Shared timing for the bench's PyTorch references: median of timed calls, peak RSS, ONNX export, one JSON line out."""
import json
import resource
import statistics
import sys
import time
from typing import Callable

import torch


def median_ms(fn: Callable[[], None], warmup: int, steps: int) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def export_onnx(model: torch.nn.Module, example: torch.Tensor, path: str, dynamic_batch: bool = False) -> None:
    """Eval-mode export at opset 17: input 'input' NCHW, output 'output' (what the bench feeds raw onnxruntime-node)."""
    axes = {"input": {0: "batch"}, "output": {0: "batch"}} if dynamic_batch else None
    torch.onnx.export(model, example, path, opset_version=17, input_names=["input"], output_names=["output"], dynamic_axes=axes)


def report(**fields: object) -> None:
    print(json.dumps({**fields, "torch": torch.__version__, "threads": torch.get_num_threads(), "peak_rss_mb": round(peak_rss_mb(), 1)}))
    sys.stdout.flush()


def time_step_and_generator(step: Callable[[], None], generator: torch.nn.Module, example: torch.Tensor, args) -> None:
    """The image-to-image references' common tail: time the training step, then eval-mode generator inference,
    export that generator for the raw-ONNX-Runtime yardstick when asked, and print the JSON line."""
    train_ms = median_ms(step, args.warmup, args.steps) if args.steps > 0 else None
    generator.eval()

    def infer() -> None:
        with torch.no_grad():
            generator(example)

    infer_ms = median_ms(infer, 2, args.infer_steps)
    if args.onnx:
        export_onnx(generator, example, args.onnx)
    report(train_ms=train_ms, infer_ms=infer_ms, size=args.size)
