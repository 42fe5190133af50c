"""Records golden tensors of one training step of a small network with shared weights (a layer applied twice).

The network (per sample [2, 8, 8], batch 4) calls the same modules on two tensors, as a Siamese network
does: a Conv2D + BatchNorm(ReLU) encoder on the image and on its 2×2 average (BatchNorm in training mode
normalises each call by that call's batch statistics and updates its running statistics once per call,
in call order), global average pools of both, concatenated; then one Linear + Tanh applied twice in
depth; a Linear classifier; softmax cross-entropy. Each parameter gradient is the sum over its module's
calls, which autograd computes. Module attribute names are NetGen's state_dict names, and the uses
(CoarseEncoder, CoarseNorm, MixAgain) have none of their own: the state_dict holds each tensor once.

Every parameter and input is rounded to float32 first and the step computed in float64. Recorded: every
parameter, the running statistics before and after the step, the batch, the labels, the logits, the
loss, every parameter gradient and the gradient of the loss with respect to the input.
Regenerate (Debian's python3-torch) from the repository root:

    /usr/bin/python3 tests/reference/record_tied.py
"""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from golden import as_float32, classifier_step

torch.set_default_dtype(torch.float64)


class TiedReference(nn.Module):
    """Mirrors TorchTied in tests/NetGen.Runtime.Tests/Networks/SharedWeightNetworks.cs."""

    def __init__(self):
        super().__init__()
        self.encoder = nn.Conv2d(2, 4, 3, padding=1, bias=False)
        self.encoder_norm = nn.BatchNorm2d(4)
        self.mix = nn.Linear(8, 8)
        self.classifier = nn.Linear(8, 3)

    def encode(self, x):
        return F.relu(self.encoder_norm(self.encoder(x))).mean(dim=(2, 3))

    def forward(self, x):
        fine = self.encode(x)                                     # [4] from [4, 8, 8]
        coarse = self.encode(F.avg_pool2d(x, 2))                  # [4] from [4, 4, 4]
        h = torch.tanh(self.mix(torch.cat([fine, coarse], dim=1)))  # [8]
        h = torch.tanh(self.mix(h))                               # the same Linear again
        return self.classifier(h)                                 # [3]


def record():
    torch.manual_seed(7)
    model = TiedReference()
    with torch.no_grad():
        model.encoder_norm.weight.uniform_(0.5, 1.5)
        model.encoder_norm.bias.uniform_(-0.2, 0.2)
        model.encoder_norm.running_mean.uniform_(-0.1, 0.1)
        model.encoder_norm.running_var.uniform_(0.5, 1.5)
        for tensor in list(model.parameters()) + list(model.buffers()):
            tensor.copy_(as_float32(tensor))
    model.train()

    inputs = as_float32(torch.randn(4, 2, 8, 8)).requires_grad_()
    labels = torch.tensor([2, 0, 1, 2])
    return classifier_step(model, inputs, labels)


if __name__ == "__main__":
    with open("tests/NetGen.Runtime.Tests/Networks/torch_tied.json", "w") as f:
        json.dump({"torch": torch.__version__, "tied": record()}, f, indent=0)
        f.write("\n")
