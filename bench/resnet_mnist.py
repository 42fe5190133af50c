"""The residual MNIST network of `samples/Mnist --model resnet`, trained in PyTorch to choose it.

Only ops NetGen has, initialised as NetGen initialises them (convolutions and the classifier end
without an activation, so their weights are Glorot-uniform, biases zero; BatchNorm gamma 1, beta 0),
pixels in [0, 1] as NetGen's MnistDataset gives them, no augmentation, Adam with the learning rate
times --lr-decay after each epoch (the sample's ExponentialLR), test accuracy in eval mode (BatchNorm
running statistics). Run (Debian's python3-torch) from the repository root:

    /usr/bin/python3 bench/resnet_mnist.py --seed 1 --threads 1

The defaults are the chosen network (samples/Mnist/MnistResNet.cs), [C, H, W] per sample:
    stem    conv3x3 1->32 same, BN, ReLU, maxpool 2x2                          [32, 14, 14]
    block1  conv3x3, BN, ReLU, conv3x3, BN, + identity, ReLU                   [32, 14, 14]
    block2  conv3x3 s2 32->64, BN, ReLU, conv3x3, BN, + (conv1x1 s2, BN), ReLU  [64, 7, 7]
    block3  conv3x3 s2 64->128, BN, ReLU, conv3x3, BN, + (conv1x1 s2, BN), ReLU [128, 4, 4]
    global average pool, dropout 0.25, dense 128->10                           [10]
308,074 parameters, 20.8 MFLOPs forward per sample; batch 64, Adam lr 2e-3 times 0.5 after each epoch.

Measured 2026-11-30, torch 1.13, one thread each, on the 2-core machine while other builds and
tests ran (load average 12-28), so the seconds per epoch are wall times under that load, not the
network's cost: 15 timed steps on one thread (CPU time, less disturbed by the load) came to 112 s
per epoch for the chosen network and 78 s for 16-32-64 at full resolution. Test accuracy after
epochs 1-5:
    chosen, seed 1                          97.89  98.92  99.23  99.45  99.45   142-567 s/epoch
    chosen, seed 2                          98.60  99.21  99.34  99.40  99.44   102-371 s/epoch
    chosen without dropout, seed 1          98.15  99.03  99.47  99.42  99.39   207-265 s/epoch
    16-32-64, stem pool, decay 0.7, seed 1  98.50  98.97  99.23  99.24  99.30   100-140 s/epoch
    16-32-64, no stem pool, seed 1          98.18  98.82  99.33  99.36  99.39   158-260 s/epoch
    (--widths 16,32,64 --dropout 0 [--lr-decay 0.7] [--no-stem-pool]). None clears 99.45 with a
    margin: the chosen network reaches it on seed 1 only.
Once the machine was idle: one epoch of the chosen network with torch.set_num_threads(2) took 39 s
(seed 1, 98.47 %); NetGen's samples/Mnist --model resnet took 170 s for its first epoch (98.58 %),
and 2,040 s for all five under the load above (98.58, 99.38, 99.13, 99.52, 99.54 %).
"""
import argparse
import gzip
import os
import struct
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data", "mnist")


def read_idx(name):
    with gzip.open(os.path.join(DATA, name), "rb") as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    if magic == 0x803:
        return torch.frombuffer(bytearray(data[16:]), dtype=torch.uint8).reshape(count, 1, 28, 28).float() / 255
    return torch.frombuffer(bytearray(data[8:]), dtype=torch.uint8).long()


def conv(c_in, c_out, k, stride=1):
    layer = nn.Conv2d(c_in, c_out, k, stride=stride, padding=(k - 1) // 2, bias=False)
    nn.init.xavier_uniform_(layer.weight)
    return layer


class Block(nn.Module):
    def __init__(self, c_in, c_out, stride):
        super().__init__()
        self.conv1, self.norm1 = conv(c_in, c_out, 3, stride), nn.BatchNorm2d(c_out)
        self.conv2, self.norm2 = conv(c_out, c_out, 3), nn.BatchNorm2d(c_out)
        self.projection = None
        if stride != 1 or c_in != c_out:
            self.projection = nn.Sequential(conv(c_in, c_out, 1, stride), nn.BatchNorm2d(c_out))

    def forward(self, x):
        y = self.norm2(self.conv2(F.relu(self.norm1(self.conv1(x)))))
        return F.relu(y + (x if self.projection is None else self.projection(x)))


class ResidualMnist(nn.Module):
    def __init__(self, widths, stem_pool, dropout):
        super().__init__()
        self.stem_pool = stem_pool
        self.dropout = nn.Dropout(dropout)
        self.stem, self.stem_norm = conv(1, widths[0], 3), nn.BatchNorm2d(widths[0])
        self.block1 = Block(widths[0], widths[0], 1)
        self.block2 = Block(widths[0], widths[1], 2)
        self.block3 = Block(widths[1], widths[2], 2)
        self.classifier = nn.Linear(widths[2], 10)
        nn.init.xavier_uniform_(self.classifier.weight)
        nn.init.zeros_(self.classifier.bias)

    def forward(self, x):
        x = F.relu(self.stem_norm(self.stem(x)))
        if self.stem_pool:
            x = F.max_pool2d(x, 2)
        x = self.block3(self.block2(self.block1(x)))
        return self.classifier(self.dropout(x.mean(dim=(2, 3))))


def evaluate(model, images, labels):
    model.eval()
    correct = 0
    with torch.no_grad():
        for start in range(0, len(labels), 1000):
            correct += (model(images[start:start + 1000]).argmax(1) == labels[start:start + 1000]).sum().item()
    model.train()
    return correct / len(labels)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--lr-decay", type=float, default=0.5)
    parser.add_argument("--widths", default="32,64,128")
    parser.add_argument("--label-smoothing", type=float, default=0.0)
    parser.add_argument("--dropout", type=float, default=0.25)
    parser.add_argument("--no-stem-pool", dest="stem_pool", action="store_false")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    train_x, train_y = read_idx("train-images-idx3-ubyte.gz"), read_idx("train-labels-idx1-ubyte.gz")
    test_x, test_y = read_idx("t10k-images-idx3-ubyte.gz"), read_idx("t10k-labels-idx1-ubyte.gz")
    model = ResidualMnist([int(w) for w in args.widths.split(",")], args.stem_pool, args.dropout)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    schedule = torch.optim.lr_scheduler.ExponentialLR(optimizer, args.lr_decay)
    print(f"{sum(p.numel() for p in model.parameters()):,} parameters; {vars(args)}", flush=True)
    for epoch in range(args.epochs):
        start = time.time()
        order = torch.randperm(len(train_y))
        for first in range(0, len(order), args.batch_size):
            batch = order[first:first + args.batch_size]
            loss = F.cross_entropy(model(train_x[batch]), train_y[batch], label_smoothing=args.label_smoothing)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        seconds = time.time() - start
        schedule.step()
        print(f"epoch {epoch + 1}: {seconds:.0f} s, test accuracy {100 * evaluate(model, test_x, test_y):.2f}%", flush=True)


if __name__ == "__main__":
    main()
