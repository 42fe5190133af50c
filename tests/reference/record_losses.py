"""Records PyTorch reference values for NetGen's losses: the mean loss and its gradient.

Regenerate (from the repository root, with Debian's PyTorch 1.13):
    apt-get install -y python3-torch python3-numpy
    /usr/bin/python3 tests/reference/record_losses.py

It rewrites tests/NetGen.Runtime.Tests/Losses/torch_losses.json. Each case evaluates one loss on a
small float64 batch (inputs drawn from a seeded generator, so they are not hand-picked) and records
the loss and d(loss)/d(inputs) from autograd, with reduction="mean" as NetGen uses.
"""
import json
import pathlib

import torch
import torch.nn.functional as F

OUTPUT = pathlib.Path(__file__).resolve().parents[1] / "NetGen.Runtime.Tests" / "Losses" / "torch_losses.json"
BATCH = 5
CLASSES = 4


def case(name, loss, inputs, smoothing=0.0, labels=None, targets=None):
    inputs = inputs.clone().requires_grad_(True)
    if loss == "softmax_cross_entropy":
        against = labels if labels is not None else targets
        value = F.cross_entropy(inputs, against, label_smoothing=smoothing)
    elif loss == "binary_cross_entropy":
        against = labels.double() if labels is not None else targets
        value = F.binary_cross_entropy_with_logits(inputs, against)
    elif loss == "mean_squared_error":
        value = F.mse_loss(inputs, targets)
    else:
        value = F.l1_loss(inputs, targets)
    value.backward()
    record = {"name": name, "loss": loss, "smoothing": smoothing, "rows": inputs.shape[0],
              "columns": inputs.shape[1] if inputs.dim() > 1 else 1,
              "inputs": inputs.detach().flatten().tolist()}
    if labels is not None:
        record["labels"] = labels.tolist()
    if targets is not None:
        record["targets"] = targets.flatten().tolist()
    record["value"] = value.item()
    record["gradient"] = inputs.grad.flatten().tolist()
    return record


def main():
    generator = torch.Generator().manual_seed(7)

    def normal(*shape, scale=2.0):
        return torch.randn(*shape, generator=generator, dtype=torch.float64) * scale

    labels = torch.randint(0, CLASSES, (BATCH,), generator=generator)
    distributions = torch.softmax(normal(BATCH, CLASSES), dim=1)
    logits = normal(BATCH, CLASSES)
    binary = torch.randint(0, 2, (BATCH,), generator=generator)
    cases = [
        case("softmax_labels", "softmax_cross_entropy", logits, labels=labels),
        case("softmax_labels_smoothed", "softmax_cross_entropy", logits, smoothing=0.1, labels=labels),
        case("softmax_labels_fully_smoothed", "softmax_cross_entropy", logits, smoothing=1.0, labels=labels),
        case("softmax_targets", "softmax_cross_entropy", logits, targets=distributions),
        case("softmax_targets_smoothed", "softmax_cross_entropy", logits, smoothing=0.25, targets=distributions),
        case("binary_labels", "binary_cross_entropy", normal(BATCH), labels=binary),
        case("binary_targets", "binary_cross_entropy", normal(BATCH), targets=torch.rand(BATCH, generator=generator, dtype=torch.float64)),
        case("mean_squared_error", "mean_squared_error", normal(BATCH, CLASSES), targets=normal(BATCH, CLASSES)),
        case("mean_absolute_error", "mean_absolute_error", normal(BATCH, CLASSES), targets=normal(BATCH, CLASSES)),
    ]
    lines = ['{', ' "generator": "tests/reference/record_losses.py",', f' "torch_version": {json.dumps(torch.__version__)},', ' "cases": [']
    lines += ['  ' + json.dumps(c) + (',' if i + 1 < len(cases) else '') for i, c in enumerate(cases)]
    lines += [' ]', '}']
    OUTPUT.write_text('\n'.join(lines) + '\n')


if __name__ == "__main__":
    main()
