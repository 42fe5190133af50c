"""Records golden tensors of one training step of heads over every step of a recurrent layer, for NetGen's
per-step Dense (Dense(PerStep = true), Keras' TimeDistributed(Dense)) and GlobalAveragePool1D.

A batch of 4 sequences of 5 steps × 6 features through torch.nn.LSTM(6, 7, batch_first=True) returning
every step, nn.Linear(7, 4) applied to each step (what nn.Linear does to a [B, steps, 7] tensor) with
tanh, the mean over the steps (NetGen's GlobalAveragePool1D) and a Linear classifier (3 classes) with
softmax cross-entropy ("lstm_per_step_mean"; modules lstm, per_step, classifier). torch initialises the
parameters (seeded); parameters and inputs are rounded to float32 and the step computed in float64
(golden.classifier_step). Regenerate (Debian's python3-torch) from the repository root:

    /usr/bin/python3 tests/reference/record_sequence_heads.py
"""
import json

import torch
import torch.nn as nn

from golden import as_float32, classifier_step

torch.set_default_dtype(torch.float64)
BATCH, STEPS, FEATURES, HIDDEN, UNITS, CLASSES = 4, 5, 6, 7, 4, 3


class PerStepMean(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(FEATURES, HIDDEN, batch_first=True)
        self.per_step = nn.Linear(HIDDEN, UNITS)
        self.classifier = nn.Linear(UNITS, CLASSES)

    def forward(self, x):
        sequence, _ = self.lstm(x)                                     # [B, steps, hidden]
        per_step = torch.tanh(self.per_step(sequence))                 # [B, steps, units]
        return self.classifier(per_step.mean(dim=1))                   # mean over the steps → [B, units]


if __name__ == "__main__":
    torch.manual_seed(24)
    model = PerStepMean()
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(as_float32(p))
    x = as_float32(torch.randn(BATCH, STEPS, FEATURES)).requires_grad_(True)
    golden = {"lstm_per_step_mean": classifier_step(model, x, torch.tensor([2, 0, 1, 2]))}
    with open("tests/NetGen.Runtime.Tests/Layers/torch_sequence_heads.json", "w") as f:
        json.dump(golden, f)
