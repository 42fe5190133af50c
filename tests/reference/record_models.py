"""Records golden tensors of whole models from PyTorch, for NetGen's model tests.

Each model gets deterministic parameters and inputs from a formula both sides can compute
(value_i = scale * sin(seed + 0.37 i)), one training step's loss, logits and gradients.
Regenerate (Debian's python3-torch) from the repository root:

    /usr/bin/python3 tests/reference/record_models.py
"""
import json
import math
import torch

torch.set_default_dtype(torch.float64)


def pattern(count, seed, scale):
    return torch.tensor([scale * math.sin(seed + 0.37 * i) for i in range(count)])


def record_mlp():
    batch = 4
    hidden = torch.nn.Linear(784, 128)
    output = torch.nn.Linear(128, 10)
    with torch.no_grad():
        for index, (name, p) in enumerate([("hidden.weight", hidden.weight), ("hidden.bias", hidden.bias),
                                           ("output.weight", output.weight), ("output.bias", output.bias)]):
            p.copy_(pattern(p.numel(), index + 1, 0.05).reshape(p.shape))
    x = pattern(batch * 784, 10, 1.0).reshape(batch, 784)
    labels = torch.tensor([3, 7, 0, 9])
    logits = output(torch.relu(hidden(x)))
    loss = torch.nn.functional.cross_entropy(logits, labels)
    loss.backward()
    return {
        "loss": loss.item(),
        "logits": logits.flatten().tolist(),
        "gradients": {
            # every 97th element and the norm keep the file small while covering every row
            "hidden.weight.every97": hidden.weight.grad.flatten()[::97].tolist(),
            "hidden.weight.norm": hidden.weight.grad.norm().item(),
            "hidden.bias": hidden.bias.grad.flatten().tolist(),
            "output.weight": output.weight.grad.flatten().tolist(),
            "output.bias": output.bias.grad.flatten().tolist(),
        },
        "labels": labels.tolist(),
    }


if __name__ == "__main__":
    with open("tests/NetGen.Runtime.Tests/Networks/torch_mlp.json", "w") as f:
        json.dump({"torch": torch.__version__, "mlp": record_mlp()}, f, indent=0)
