"""Reads a NetGen checkpoint with nothing but the standard library and torch 1.13, as an
interoperability check of the safetensors layout (not part of CI: torch is not installed there).

    /usr/bin/python3 tests/reference/read_safetensors.py model.safetensors

It parses the header by the safetensors spec (8-byte little-endian length, JSON, raw data),
rebuilds every `<layer>.weight`/`<layer>.bias` pair as a torch.nn.Linear, loads them with
load_state_dict(strict=True) and prints each tensor's shape and sum, plus the metadata and the
optimizer state found under `optimizer.*`.
"""
import json
import struct
import sys

import torch


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (header_length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + header_length].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    buffer = data[8 + header_length:]
    tensors = {}
    for name, entry in header.items():
        assert entry["dtype"] == "F32", f"{name}: dtype {entry['dtype']}"
        begin, end = entry["data_offsets"]
        values = torch.frombuffer(bytearray(buffer[begin:end]), dtype=torch.float32)
        tensors[name] = values.reshape(entry["shape"])
    return tensors, metadata


def main(path):
    tensors, metadata = read_safetensors(path)
    print("metadata:", metadata)
    model_state = {k: v for k, v in tensors.items() if not k.startswith("optimizer.")}
    model = torch.nn.Module()
    for name, weight in model_state.items():
        layer, kind = name.rsplit(".", 1)
        if kind == "weight":
            out_features, in_features = weight.shape
            setattr(model, layer, torch.nn.Linear(in_features, out_features, bias=f"{layer}.bias" in model_state))
    model.load_state_dict(model_state, strict=True)
    for name, value in model.state_dict().items():
        print(f"{name:20s} {list(value.shape)} sum={value.double().sum().item():.9g}")
    for name, value in tensors.items():
        if name.startswith("optimizer."):
            print(f"{name:20s} {list(value.shape)} sum={value.double().sum().item():.9g}")


if __name__ == "__main__":
    main(sys.argv[1])
