"""Records golden tensors of one training step of a small convnet whose convolutions each feed a 2×2
max pooling, for NetGen's golden test of its pooled convolution paths.

The network (per sample [3, 22, 22], batch 10: one whole group of 8 samples and a short one) is
conv1 3 → 16, 3×3, ReLU, then a 2×2 max pool ([16, 10, 10]); conv2 16 → 32, 3×3 same-padded, ReLU,
pool ([32, 5, 5]); conv3 32 → 32, 3×3 valid, ReLU, pool ([32, 1, 1]: its 3×3 output leaves a last row
and column that no window reads); flatten; a Linear classifier of 5 classes; softmax cross-entropy.
NetGen's Auto fuses each pooling into its convolution and runs conv1 through the direct convolution
(27 values a patch) and conv2, conv3 through Winograd F(2×2, 3×3) (16 and 32 input channels; 32 filters,
so in float their weight gradients are Winograd's too), so this checks those paths end to end against torch.nn.functional.conv2d and max_pool2d. Module attribute names are
NetGen's state_dict names (conv1.weight …, output.bias).

torch initialises the parameters (seeded); parameters and inputs are rounded to float32 and the step
computed in float64 (golden.classifier_step). Regenerate (Debian's python3-torch) from the repository root:

    /usr/bin/python3 tests/reference/record_pooled.py
"""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

from golden import as_float32, classifier_step

torch.set_default_dtype(torch.float64)


class PooledReference(nn.Module):
    """Mirrors TorchPooledCnn in tests/NetGen.Runtime.Tests/Networks/PooledConvolutionNetworks.cs."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.conv3 = nn.Conv2d(32, 32, 3)
        self.output = nn.Linear(32, 5)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)   # [16, 10, 10]
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)   # [32, 5, 5]
        x = F.max_pool2d(F.relu(self.conv3(x)), 2)   # [32, 1, 1]
        return self.output(x.flatten(1))             # [5]


def record():
    torch.manual_seed(21)
    model = PooledReference()
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(as_float32(p))
    inputs = as_float32(torch.randn(10, 3, 22, 22)).requires_grad_()
    labels = torch.tensor([3, 0, 4, 1, 2, 2, 0, 1, 4, 3])
    return classifier_step(model, inputs, labels)


if __name__ == "__main__":
    with open("tests/NetGen.Runtime.Tests/Networks/torch_pooled.json", "w") as f:
        json.dump({"torch": torch.__version__, "pooled": record()}, f, indent=0)
        f.write("\n")
