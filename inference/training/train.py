"""Train the kitchen detector on synthetic scenes and export it to the model repository (reproducible: fixed seeds).

    .venv/bin/pip install -e '.[train]'        # PyTorch (CPU) for training only; serving needs ONNX Runtime
    .venv/bin/python -m inference.training.train [--frames 8000] [--epochs 5]

The detector is a small fully convolutional network: a 96×96 frame in, one 6×6 map of sigmoid scores per channel
of ``inference.taxonomy.CHANNELS`` out (a cell scores the presence of a thing whose centre lies in it). It is
exported as ``inference/models/kitchen_detector/1/model.onnx`` and its held-out accuracy per category written to
``inference/models/kitchen_detector/accuracy.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from inference.evaluation import HELD_OUT, HELD_OUT_SEED, frame_accuracy
from inference.repository import DETECTOR, MODELS
from inference.taxonomy import CHANNELS
from inference.training.scenes import SIZE, scenes

TRAIN_SEED = 20261204


def detector() -> nn.Module:
    """Four conv blocks (96 → 6), then one 1×1 conv to a score map per channel."""

    def block(inputs: int, outputs: int) -> list[nn.Module]:
        return [nn.Conv2d(inputs, outputs, 3, padding=1), nn.BatchNorm2d(outputs), nn.ReLU(), nn.MaxPool2d(2)]

    return nn.Sequential(
        *block(3, 16),
        *block(16, 32),
        *block(32, 48),
        *block(48, 64),
        nn.Conv2d(64, 64, 3, padding=1),
        nn.ReLU(),
        nn.Conv2d(64, len(CHANNELS), 1),
    )


def tensors(images: np.ndarray, labels: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
    frames = torch.from_numpy(images).permute(0, 3, 1, 2).float() / 255.0
    return frames, torch.from_numpy(labels)


def train(frames: int, epochs: int, batch: int = 64) -> nn.Module:
    torch.manual_seed(TRAIN_SEED)
    random.seed(TRAIN_SEED)
    np.random.seed(TRAIN_SEED)
    torch.set_num_threads(2)
    images, labels = scenes(frames, TRAIN_SEED)
    x, y = tensors(images, labels)
    model = detector()
    # objects are rare in a 6×6 map: weigh a present cell as much as the absent ones around it
    positive = torch.full((len(CHANNELS), 1, 1), 12.0)
    loss_fn = nn.BCEWithLogitsLoss(pos_weight=positive)
    optimiser = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=4e-3, total_steps=epochs * (frames // batch + 1))
    generator = torch.Generator().manual_seed(TRAIN_SEED)
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(frames, generator=generator)
        began, total = time.perf_counter(), 0.0
        for start in range(0, frames, batch):
            index = order[start : start + batch]
            optimiser.zero_grad()
            loss = loss_fn(model(x[index]), y[index])
            loss.backward()
            optimiser.step()
            schedule.step()
            total += float(loss.detach()) * len(index)
        seconds = time.perf_counter() - began
        print(f"epoch {epoch + 1}/{epochs}: loss {total / frames:.4f} ({seconds:.0f} s)", flush=True)
    return model.eval()


class WithSigmoid(nn.Module):  # type: ignore[misc]  # torch is untyped where it is not installed
    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, frames: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.model(frames))


def export(model: nn.Module, path: Path) -> None:
    """``model.onnx`` (ONNX Runtime, in process and in Triton) and ``model.pt`` (TorchScript, for Triton on a GPU
    where PyTorch is at hand) beside it, from the same weights."""
    path.parent.mkdir(parents=True, exist_ok=True)
    example = torch.zeros(1, 3, SIZE, SIZE)
    torch.jit.trace(WithSigmoid(model), example).save(str(path.with_suffix(".pt")))
    torch.onnx.export(
        WithSigmoid(model),
        (example,),
        str(path),
        input_names=["frames"],
        output_names=["scores"],
        dynamic_axes={"frames": {0: "batch"}, "scores": {0: "batch"}},
        opset_version=17,
        dynamo=False,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=8000)
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()
    model = train(args.frames, args.epochs)
    onnx_path = MODELS / DETECTOR / "1" / "model.onnx"
    export(model, onnx_path)
    images, labels = scenes(HELD_OUT, HELD_OUT_SEED)
    with torch.no_grad():
        scores = torch.sigmoid(model(tensors(images, labels)[0])).numpy()
    report = frame_accuracy(scores, labels)
    report_path = MODELS / DETECTOR / "accuracy.json"
    report_path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for category, figures in report["categories"].items():
        print(f"{category:<14} precision {figures['precision']:.3f} recall {figures['recall']:.3f}")
    print(f"wrote {onnx_path} ({onnx_path.stat().st_size:,} bytes) and {report_path}")


if __name__ == "__main__":
    main()
