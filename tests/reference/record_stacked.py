"""Records golden tensors of one training step of stacked recurrent classifiers, for NetGen's NumLayers.

Over a batch of 4 sequences of 5 steps × 6 features, each ending in a Linear classifier (3 classes) and
softmax cross-entropy: torch.nn.LSTM(6, 7, num_layers=2, batch_first=True) over the last step's hidden
state ("lstm_two_layers", NetGen's [LSTM(7, NumLayers = 2)]), and torch.nn.GRU(6, 7, num_layers=2,
batch_first=True) over every step's, flattened ("gru_two_layers_sequences", [GRU(7, NumLayers = 2,
ReturnSequences = true)] then Flatten). One module each, so the state_dict names are PyTorch's
(lstm.weight_ih_l0 … lstm.bias_hh_l1) and NetGen must load them one to one. Dropout between the layers
is 0, so the step is deterministic. torch initialises the parameters (seeded); parameters and inputs
are rounded to float32 and the step computed in float64 (golden.classifier_step). Regenerate (Debian's
python3-torch) from the repository root:

    /usr/bin/python3 tests/reference/record_stacked.py
"""
import json

import torch
import torch.nn as nn

from golden import as_float32, classifier_step

torch.set_default_dtype(torch.float64)
BATCH, STEPS, FEATURES, HIDDEN, CLASSES = 4, 5, 6, 7, 3


class StackReference(nn.Module):
    def __init__(self, cell, return_sequences):
        super().__init__()
        self.cell = cell
        self.return_sequences = return_sequences
        setattr(self, cell, {"lstm": nn.LSTM, "gru": nn.GRU}[cell](FEATURES, HIDDEN, num_layers=2, batch_first=True))
        self.classifier = nn.Linear(HIDDEN * (STEPS if return_sequences else 1), CLASSES)

    def forward(self, x):
        sequence, _ = getattr(self, self.cell)(x)                     # [B, steps, hidden], the top layer's
        return self.classifier(sequence.flatten(1) if self.return_sequences else sequence[:, -1, :])


def record(cell, return_sequences, seed):
    torch.manual_seed(seed)
    model = StackReference(cell, return_sequences)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(as_float32(p))
    x = as_float32(torch.randn(BATCH, STEPS, FEATURES)).requires_grad_(True)
    return classifier_step(model, x, torch.tensor([2, 0, 1, 2]))


if __name__ == "__main__":
    golden = {
        "lstm_two_layers": record("lstm", False, 22),
        "gru_two_layers_sequences": record("gru", True, 23),
    }
    with open("tests/NetGen.Runtime.Tests/Layers/torch_stacked.json", "w") as f:
        json.dump(golden, f)
