"""Records golden tensors of one training step of a small residual network, for NetGen's golden test.

The network (per sample [2, 8, 8], batch 4) has every construct of a residual graph: a Conv2D +
BatchNorm(ReLU) stem; an identity-skip block (the stem's output feeds both the block and its Add);
a projection block (3×3 stride-2 convolution beside a 1×1 stride-2 projection, BatchNorm on both,
added then ReLU); two branches from the same tensor joined by a channel Concat; a global average
pool; a Dense classifier; softmax cross-entropy. Module attribute names are NetGen's state_dict
names (the C# property names in snake case: Block2ProjectionNorm is block2_projection_norm), so
the recorded names are what the NetGen network's ParameterLayout and BufferLayout list.

torch initialises the parameters (seeded); BatchNorm's γ, β and running statistics are drawn away
from 1, 0, 0, 1 so that each of them matters. Every parameter and input is rounded to float32 first
and the step computed in float64: NetGen starts from exactly the recorded values. Recorded: every
parameter, the running statistics before and after the step, the batch, the labels, the logits,
the loss, every parameter gradient and the gradient of the loss with respect to the input.
Regenerate (Debian's python3-torch) from the repository root:

    /usr/bin/python3 tests/reference/record_residual.py
"""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from golden import as_float32, classifier_step

torch.set_default_dtype(torch.float64)


def conv(c_in, c_out, k, stride=1, bias=False):
    return nn.Conv2d(c_in, c_out, k, stride=stride, padding=(k - 1) // 2, bias=bias)


class ResidualReference(nn.Module):
    """Mirrors TorchResidual in tests/NetGen.Runtime.Tests/Networks/ResidualNetworks.cs."""

    def __init__(self):
        super().__init__()
        self.stem, self.stem_norm = conv(2, 4, 3), nn.BatchNorm2d(4)
        self.block1_conv1, self.block1_norm1 = conv(4, 4, 3), nn.BatchNorm2d(4)
        self.block1_conv2, self.block1_norm2 = conv(4, 4, 3), nn.BatchNorm2d(4)
        self.block2_conv1, self.block2_norm1 = conv(4, 6, 3, stride=2), nn.BatchNorm2d(6)
        self.block2_conv2, self.block2_norm2 = conv(6, 6, 3), nn.BatchNorm2d(6)
        self.block2_projection, self.block2_projection_norm = conv(4, 6, 1, stride=2), nn.BatchNorm2d(6)
        self.branch_a = conv(6, 3, 3, bias=True)
        self.branch_b = conv(6, 2, 1, bias=True)
        self.classifier = nn.Linear(5, 5)

    def forward(self, x):
        stem = F.relu(self.stem_norm(self.stem(x)))                                  # [4, 8, 8]
        y = F.relu(self.block1_norm1(self.block1_conv1(stem)))
        block1 = F.relu(self.block1_norm2(self.block1_conv2(y)) + stem)               # [4, 8, 8]
        y = F.relu(self.block2_norm1(self.block2_conv1(block1)))                      # [6, 4, 4]
        block2 = F.relu(self.block2_norm2(self.block2_conv2(y))
                        + self.block2_projection_norm(self.block2_projection(block1)))  # [6, 4, 4]
        joined = torch.cat([F.relu(self.branch_a(block2)), self.branch_b(block2)], dim=1)  # [5, 4, 4]
        return self.classifier(joined.mean(dim=(2, 3)))                              # [5]


def record():
    torch.manual_seed(12)
    model = ResidualReference()
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.BatchNorm2d):
                module.weight.uniform_(0.5, 1.5)
                module.bias.uniform_(-0.2, 0.2)
                module.running_mean.uniform_(-0.1, 0.1)
                module.running_var.uniform_(0.5, 1.5)
        for tensor in list(model.parameters()) + list(model.buffers()):
            tensor.copy_(as_float32(tensor))
    model.train()

    inputs = as_float32(torch.randn(4, 2, 8, 8)).requires_grad_()
    labels = torch.tensor([3, 0, 4, 1])
    return classifier_step(model, inputs, labels)


if __name__ == "__main__":
    with open("tests/NetGen.Runtime.Tests/Networks/torch_residual.json", "w") as f:
        json.dump({"torch": torch.__version__, "residual": record()}, f, indent=0)
        f.write("\n")
