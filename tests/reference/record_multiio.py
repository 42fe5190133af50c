"""Records golden tensors of one training step of a network with two inputs and three weighted losses.

The network mirrors TestMultiIo in tests/NetGen.Runtime.Tests/Networks/MultiIoNetworks.cs: an image
[2, 5, 5] through a 3×3 Conv2D (Tanh), flattened and concatenated with a metadata vector [3]; a Sigmoid
hidden layer read by the digit head (4 logits) and, concatenated with a Tanh branch of the metadata, by
a Tanh score head (2 values) that the parity head (1 logit) reads in turn. The total loss is
1 · cross_entropy(digit) + 0.3 · mse(score) + 2 · binary_cross_entropy_with_logits(parity), Keras'
loss_weights. Module attribute names are NetGen's state_dict names.

Parameters are torch's seeded initialisation, rounded to float32; the step is computed in float64.
Recorded: every parameter, the batch (both inputs, labels, targets), each loss and the total, the
outputs as NetGen's Forward gives them (the digit's softmax, declared on its layer, applied; the parity
head declares no activation, so its logit), every parameter gradient and the
gradient of the total with respect to each input. Regenerate from the repository root:

    /usr/bin/python3 tests/reference/record_multiio.py
"""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from golden import as_float32, rounded

torch.set_default_dtype(torch.float64)

WEIGHTS = {"digit": 1.0, "score": 0.3, "parity": 2.0}


class MultiIoReference(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 3, 3)
        self.hidden = nn.Linear(30, 6)
        self.digit = nn.Linear(6, 4)
        self.side = nn.Linear(3, 2)
        self.score = nn.Linear(8, 2)
        self.parity = nn.Linear(2, 1)

    def forward(self, image, metadata):
        flat = torch.tanh(self.conv(image)).flatten(1)                        # [27]
        hidden = torch.sigmoid(self.hidden(torch.cat([flat, metadata], 1)))   # [6]
        digit = self.digit(hidden)                                            # [4] logits
        side = torch.tanh(self.side(metadata))                                # [2]
        score = torch.tanh(self.score(torch.cat([hidden, side], 1)))          # [2]
        parity = self.parity(score)                                           # [1] logit
        return digit, score, parity


def record():
    torch.manual_seed(21)
    model = MultiIoReference()
    with torch.no_grad():
        for tensor in model.parameters():
            tensor.copy_(as_float32(tensor))

    image = as_float32(torch.randn(3, 2, 5, 5)).requires_grad_()
    metadata = as_float32(torch.randn(3, 3)).requires_grad_()
    digit_labels = torch.tensor([2, 0, 3])
    score_targets = as_float32(torch.rand(3, 2) * 2 - 1)
    parity_labels = torch.tensor([1, 0, 1])
    parameters = {name: rounded(p, 9) for name, p in model.named_parameters()}

    digit, score, parity = model(image, metadata)
    losses = {
        "digit": F.cross_entropy(digit, digit_labels),
        "score": F.mse_loss(score, score_targets),
        "parity": F.binary_cross_entropy_with_logits(parity.flatten(), parity_labels.double()),
    }
    total = sum(WEIGHTS[name] * loss for name, loss in losses.items())
    total.backward()
    return {
        "image": rounded(image, 9),
        "metadata": rounded(metadata, 9),
        "digit_labels": digit_labels.tolist(),
        "score_targets": rounded(score_targets, 9),
        "parity_labels": parity_labels.tolist(),
        "parameters": parameters,
        "losses": {name: loss.item() for name, loss in losses.items()},
        "total": total.item(),
        "outputs": {
            "digit": rounded(torch.softmax(digit, 1), 10),
            "score": rounded(score, 10),
            "parity": rounded(parity, 10),
        },
        "gradients": {name: rounded(p.grad, 10) for name, p in model.named_parameters()},
        "image_gradient": rounded(image.grad, 10),
        "metadata_gradient": rounded(metadata.grad, 10),
    }


if __name__ == "__main__":
    with open("tests/NetGen.Runtime.Tests/Networks/torch_multiio.json", "w") as f:
        json.dump({"torch": torch.__version__, "multiio": record()}, f, indent=0)
        f.write("\n")
