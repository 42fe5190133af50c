"""Records golden tensors of one training step of stacked recurrent classifiers, for NetGen's NumLayers.

Over a batch of 4 sequences of 5 steps × 6 features, each ending in a Linear classifier (3 classes) and
softmax cross-entropy: torch.nn.LSTM(6, 7, num_layers=2, batch_first=True) over the last step's hidden
state ("lstm_two_layers", NetGen's [LSTM(7, NumLayers = 2)]), and torch.nn.GRU(6, 7, num_layers=2,
batch_first=True) over every step's, flattened ("gru_two_layers_sequences", [GRU(7, NumLayers = 2,
ReturnSequences = true)] then Flatten), and torch.nn.LSTM(6, 7, num_layers=2, bidirectional=True,
batch_first=True) over the top layer's h_n of both directions ("lstm_two_layers_bidirectional", [LSTM(7,
NumLayers = 2, Bidirectional = true)]: layer 1 reads both directions of layer 0, and its tensors are
weight_ih_l1 and weight_ih_l1_reverse [28, 14]). One module each, so the state_dict names are PyTorch's
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
    def __init__(self, cell, return_sequences, bidirectional=False):
        super().__init__()
        self.cell = cell
        self.return_sequences = return_sequences
        self.bidirectional = bidirectional
        setattr(self, cell, {"lstm": nn.LSTM, "gru": nn.GRU}[cell](FEATURES, HIDDEN, num_layers=2, batch_first=True, bidirectional=bidirectional))
        self.classifier = nn.Linear(HIDDEN * (2 if bidirectional else 1) * (STEPS if return_sequences else 1), CLASSES)

    def forward(self, x):
        sequence, state = getattr(self, self.cell)(x)                 # [B, steps, directions·hidden], the top layer's
        if self.return_sequences:
            return self.classifier(sequence.flatten(1))
        if self.bidirectional:
            h_n = state[0] if self.cell == "lstm" else state          # [layers·2, B, hidden]: the top layer's two are last
            return self.classifier(torch.cat([h_n[-2], h_n[-1]], 1))
        return self.classifier(sequence[:, -1, :])


def record(cell, return_sequences, seed, bidirectional=False):
    torch.manual_seed(seed)
    model = StackReference(cell, return_sequences, bidirectional)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(as_float32(p))
    x = as_float32(torch.randn(BATCH, STEPS, FEATURES)).requires_grad_(True)
    return classifier_step(model, x, torch.tensor([2, 0, 1, 2]))


if __name__ == "__main__":
    golden = {
        "lstm_two_layers": record("lstm", False, 22),
        "gru_two_layers_sequences": record("gru", True, 23),
        "lstm_two_layers_bidirectional": record("lstm", False, 24, bidirectional=True),
    }
    with open("tests/NetGen.Runtime.Tests/Layers/torch_stacked.json", "w") as f:
        json.dump(golden, f)
