"""Records golden tensors of one training step of small recurrent classifiers, for NetGen's LSTM and GRU tests.

LSTM: three networks over a batch of 4 sequences of 5 steps × 6 features, each ending in a Linear
classifier (3 classes) and softmax cross-entropy: torch.nn.LSTM(6, 7, batch_first=True) with the
classifier over the last step's hidden state ("last") or over every step's flattened ("sequences",
NetGen's ReturnSequences = true followed by Flatten); and two stacked LSTMs, 6 → 5 returning every
step into 5 → 4 ("stacked", two modules as NetGen declares two layers, not one num_layers=2
module). Module names are NetGen's state_dict names (lstm.weight_ih_l0, lstm.weight_hh_l0,
lstm.bias_ih_l0, lstm.bias_hh_l0, classifier.weight, classifier.bias; first.…, second.…), gates in
PyTorch's order i, f, g, o. GRU: torch.nn.GRU(6, 7, batch_first=True) the same two ways ("gru_last",
"gru_sequences"; module gru.…), gates r, z, n with the reset gate applied to W_hn·h + b_hn. SimpleRNN:
torch.nn.RNN(6, 7, batch_first=True) with tanh over the last step ("rnn_tanh_last") and with ReLU
over every step ("rnn_relu_sequences"; module rnn.…). Embedding: token ids [4, 6] (vocabulary 11,
id 3 used twice in a row, some ids unused) through nn.Embedding(11, 4) into nn.LSTM(4, 5) and the
classifier ("embedding"; modules embedding, lstm, classifier); the same with padding_idx=0 over a
batch padded with 0 at the front ("embedding_padded": the padding row starts at zero and gets no
gradient). The ids are recorded as floats, as NetGen's network input holds them, and no input
gradient is recorded (ids have none). Bidirectional: nn.LSTM/GRU/RNN(6, 7, batch_first=True,
bidirectional=True) with the classifier over h_n's two directions concatenated (forward's last step,
reverse's state after reading step 0: "lstm_bidirectional_last", "gru_bidirectional_last",
"rnn_bidirectional_last") or over every step's [forward, reverse] output flattened
("lstm_bidirectional_sequences"); the reverse tensors are named …_l0_reverse. Padded batch: lengths
5, 3, 1, 4 (the padded steps hold random values, which must not matter) through
pack_padded_sequence(enforce_sorted=False); h_n ("…_padded_last") or pad_packed_sequence(total_length=5),
zero at padded steps ("…_padded_sequences"); the lengths are recorded. Masked tokens: ids padded with 0
at the end through nn.Embedding(11, 4, padding_idx=0) into a bidirectional nn.LSTM(4, 5) over
pack_padded_sequence with each sample's length one past its last non-zero id, h_n of both directions
into the classifier ("embedding_masked", NetGen's MaskPadding = true). Masked stack: the same ids through
nn.LSTM(4, 5, num_layers=2, bidirectional=True) over the packed batch, the classifier over the top layer's h_n
of both directions ("embedding_masked_stacked", NetGen's NumLayers = 2 with MaskPadding = true) or over every
step of the top layer from pad_packed_sequence(total_length=6), zero at padded steps, flattened
("embedding_masked_stacked_sequences", ReturnSequences = true then Flatten).

torch initialises the parameters (seeded); every parameter and input is rounded to float32 first
and the step computed in float64, so NetGen starts from exactly the recorded values. Recorded:
every parameter, the batch, the labels, the logits, the loss, every parameter gradient and the
gradient of the loss with respect to the input. Regenerate (Debian's python3-torch) from the
repository root:

    /usr/bin/python3 tests/reference/record_recurrent.py
"""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

from golden import token_step

torch.set_default_dtype(torch.float64)
BATCH, STEPS, FEATURES, HIDDEN, CLASSES = 4, 5, 6, 7, 3


LENGTHS = [5, 3, 1, 4]


class SingleReference(nn.Module):
    def __init__(self, cell, return_sequences, nonlinearity="tanh", bidirectional=False, lengths=None):
        super().__init__()
        self.return_sequences = return_sequences
        self.cell = cell
        self.lengths = lengths
        layer = {
            "lstm": lambda: nn.LSTM(FEATURES, HIDDEN, batch_first=True, bidirectional=bidirectional),
            "gru": lambda: nn.GRU(FEATURES, HIDDEN, batch_first=True, bidirectional=bidirectional),
            "rnn": lambda: nn.RNN(FEATURES, HIDDEN, batch_first=True, nonlinearity=nonlinearity, bidirectional=bidirectional),
        }[cell]()
        setattr(self, cell, layer)
        directions = 2 if bidirectional else 1
        self.classifier = nn.Linear(directions * HIDDEN * (STEPS if return_sequences else 1), CLASSES)

    def forward(self, x):
        layer = getattr(self, self.cell)
        if self.lengths is not None:
            x = nn.utils.rnn.pack_padded_sequence(x, torch.tensor(self.lengths), batch_first=True, enforce_sorted=False)
        sequence, state = layer(x)
        h_n = state[0] if self.cell == "lstm" else state          # [directions, B, hidden]
        if self.return_sequences:
            if self.lengths is not None:
                sequence, _ = nn.utils.rnn.pad_packed_sequence(sequence, batch_first=True, total_length=STEPS)
            return self.classifier(sequence.flatten(1))           # [B, steps · directions · hidden]
        return self.classifier(torch.cat(list(h_n), dim=1))       # h_n of each direction, forward first


class StackedReference(nn.Module):
    def __init__(self):
        super().__init__()
        self.first = nn.LSTM(FEATURES, 5, batch_first=True)
        self.second = nn.LSTM(5, 4, batch_first=True)
        self.classifier = nn.Linear(4, CLASSES)

    def forward(self, x):
        sequence, _ = self.first(x)                                   # [B, steps, 5]
        sequence, _ = self.second(sequence)                           # [B, steps, 4]
        return self.classifier(sequence[:, -1, :])


class EmbeddingReference(nn.Module):
    def __init__(self, padding_idx, masked=False, layers=1, sequences=False):
        super().__init__()
        self.masked = masked
        self.sequences = sequences
        self.embedding = nn.Embedding(11, 4, padding_idx=padding_idx)
        self.lstm = nn.LSTM(4, 5, num_layers=layers, batch_first=True, bidirectional=masked)
        self.classifier = nn.Linear((6 if sequences else 1) * (10 if masked else 5), CLASSES)

    def forward(self, tokens):
        if not self.masked:
            sequence, _ = self.lstm(self.embedding(tokens))
            return self.classifier(sequence[:, -1, :])
        lengths = [max(i + 1 for i, t in enumerate(row) if t != 0) for row in tokens.tolist()]
        packed = nn.utils.rnn.pack_padded_sequence(self.embedding(tokens), torch.tensor(lengths), batch_first=True, enforce_sorted=False)
        output, (h_n, _) = self.lstm(packed)
        if self.sequences:
            sequence, _ = nn.utils.rnn.pad_packed_sequence(output, batch_first=True, total_length=tokens.shape[1])
            return self.classifier(sequence.reshape(tokens.shape[0], -1))     # zero at padded steps
        return self.classifier(torch.cat(list(h_n[-2:]), dim=1))              # the top layer's h_n, forward first


def record_embedding(seed, padding_idx, tokens, masked=False, layers=1, sequences=False):
    torch.manual_seed(seed)
    model = EmbeddingReference(padding_idx, masked, layers, sequences)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(as_float32(p))
    return token_step(model, torch.tensor(tokens), torch.tensor([1, 0, 2, 2]))

def as_float32(t):
    return t.float().double()


def record(make_model, seed, lengths=None):
    torch.manual_seed(seed)
    model = make_model()
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(as_float32(p))
    x = as_float32(torch.randn(BATCH, STEPS, FEATURES)).requires_grad_(True)
    labels = torch.tensor([2, 0, 1, 2])
    logits = model(x)
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    flat = lambda t: t.detach().reshape(-1).tolist()
    return {
        "parameters": {name: flat(p) for name, p in model.state_dict().items()},
        "inputs": flat(x),
        "labels": labels.tolist(),
        "logits": flat(logits),
        "loss": loss.item(),
        "gradients": {name: flat(p.grad) for name, p in model.named_parameters()},
        "input_gradient": flat(x.grad),
        **({"lengths": lengths} if lengths is not None else {}),
    }


if __name__ == "__main__":
    golden = {
        "last": record(lambda: SingleReference("lstm", False), 13),
        "sequences": record(lambda: SingleReference("lstm", True), 14),
        "stacked": record(StackedReference, 15),
        "gru_last": record(lambda: SingleReference("gru", False), 16),
        "gru_sequences": record(lambda: SingleReference("gru", True), 17),
        "rnn_tanh_last": record(lambda: SingleReference("rnn", False, "tanh"), 18),
        "rnn_relu_sequences": record(lambda: SingleReference("rnn", True, "relu"), 19),
        "embedding": record_embedding(20, None, [[3, 3, 1, 0, 7, 10], [2, 5, 5, 9, 0, 1], [10, 10, 10, 4, 3, 2], [0, 1, 2, 3, 7, 5]]),
        "lstm_bidirectional_last": record(lambda: SingleReference("lstm", False, bidirectional=True), 22),
        "lstm_bidirectional_sequences": record(lambda: SingleReference("lstm", True, bidirectional=True), 23),
        "gru_bidirectional_last": record(lambda: SingleReference("gru", False, bidirectional=True), 24),
        "rnn_bidirectional_last": record(lambda: SingleReference("rnn", False, bidirectional=True), 25),
        "lstm_padded_last": record(lambda: SingleReference("lstm", False, lengths=LENGTHS), 26, LENGTHS),
        "lstm_padded_sequences": record(lambda: SingleReference("lstm", True, bidirectional=True, lengths=LENGTHS), 27, LENGTHS),
        "lstm_bidirectional_padded_last": record(lambda: SingleReference("lstm", False, bidirectional=True, lengths=LENGTHS), 28, LENGTHS),
        "gru_bidirectional_padded_last": record(lambda: SingleReference("gru", False, bidirectional=True, lengths=LENGTHS), 29, LENGTHS),
        "rnn_padded_sequences": record(lambda: SingleReference("rnn", True, lengths=LENGTHS), 30, LENGTHS),
        "embedding_padded": record_embedding(21, 0, [[0, 0, 0, 4, 7, 10], [2, 5, 5, 9, 6, 1], [0, 0, 0, 0, 3, 2], [0, 1, 2, 3, 7, 5]]),
        "embedding_masked": record_embedding(31, 0, [[4, 7, 10, 0, 0, 0], [2, 5, 5, 9, 6, 1], [3, 0, 0, 0, 0, 0], [0, 1, 0, 3, 7, 0]], masked=True),
        "embedding_masked_stacked": record_embedding(32, 0, [[4, 7, 10, 0, 0, 0], [2, 5, 5, 9, 6, 1], [3, 0, 0, 0, 0, 0], [0, 1, 0, 3, 7, 0]], masked=True, layers=2),
        "embedding_masked_stacked_sequences": record_embedding(33, 0, [[4, 7, 10, 0, 0, 0], [2, 5, 5, 9, 6, 1], [3, 0, 0, 0, 0, 0], [0, 1, 0, 3, 7, 0]], masked=True, layers=2, sequences=True),
    }
    with open("tests/NetGen.Runtime.Tests/Layers/torch_recurrent.json", "w") as f:
        json.dump(golden, f)
