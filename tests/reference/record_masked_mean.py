"""Records golden tensors of one training step of a mean over each sample's real steps, for NetGen's
[GlobalAveragePool1D(MaskPadding = true)] (Keras' masked GlobalAveragePooling1D).

Token ids [4, 6] padded with 0 at the end (lengths 3, 6, 1 and 5: a 0 before the last real id still counts)
through nn.Embedding(11, 4, padding_idx=0) into nn.LSTM(4, 5) over pack_padded_sequence with each sample's
length one past its last non-zero id, pad_packed_sequence back to 6 steps (zero at the padded ones), the
sum over the steps divided by the sample's length, and nn.Linear(5, 3) with softmax cross-entropy
("embedding_masked_mean"; modules embedding, lstm, classifier). torch initialises the parameters (seeded)
and they are rounded to float32; the step is computed in float64. Regenerate (Debian's python3-torch)
from the repository root:

    /usr/bin/python3 tests/reference/record_masked_mean.py
"""
import json

import torch
import torch.nn as nn

from golden import token_step

torch.set_default_dtype(torch.float64)
TOKENS = [[4, 7, 10, 0, 0, 0], [2, 5, 5, 9, 6, 1], [3, 0, 0, 0, 0, 0], [0, 1, 0, 3, 7, 0]]


class MaskedMean(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(11, 4, padding_idx=0)
        self.lstm = nn.LSTM(4, 5, batch_first=True)
        self.classifier = nn.Linear(5, 3)

    def forward(self, tokens):
        lengths = torch.tensor([max(i + 1 for i, t in enumerate(row) if t != 0) for row in tokens.tolist()])
        packed = nn.utils.rnn.pack_padded_sequence(self.embedding(tokens), lengths, batch_first=True, enforce_sorted=False)
        output, _ = self.lstm(packed)
        sequence, _ = nn.utils.rnn.pad_packed_sequence(output, batch_first=True, total_length=tokens.shape[1])
        return self.classifier(sequence.sum(dim=1) / lengths.unsqueeze(1))


def record():
    torch.manual_seed(34)
    model = MaskedMean()
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.float().double())
    return token_step(model, torch.tensor(TOKENS), torch.tensor([1, 0, 2, 2]))

if __name__ == "__main__":
    with open("tests/NetGen.Runtime.Tests/Layers/torch_masked_mean.json", "w") as f:
        json.dump({"torch": torch.__version__, "embedding_masked_mean": record()}, f, indent=0)
        f.write("\n")
