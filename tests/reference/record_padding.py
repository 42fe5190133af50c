"""Records PyTorch reference values for NetGen's padded windows: uneven (ONNX-style) padding on
Conv2D and MaxPool2D, and AvgPool2D with and without count_include_pad.

Regenerate (from the repository root, with Debian's PyTorch 1.13):
    apt-get install -y python3-torch python3-numpy
    /usr/bin/python3 tests/reference/record_padding.py

It rewrites tests/NetGen.Runtime.Tests/Layers/torch_padding.json. Each case runs one layer on a
float64 batch drawn from a seeded generator and records its output and, for the loss
sum(upstream * output), autograd's gradients of the input (and of the weight and bias for a
convolution). PyTorch pads both sides of an axis alike, so uneven pads [top, left, bottom, right]
are F.pad (zeros for a convolution, -inf for max pooling, as ONNX defines them) before an
unpadded layer; count_include_pad is AvgPool2d's own argument.
"""
import json
import pathlib

import torch
import torch.nn.functional as F

OUTPUT = pathlib.Path(__file__).resolve().parents[1] / "NetGen.Runtime.Tests" / "Layers" / "torch_padding.json"
BATCH = 2


def torch_pads(pads):
    """ONNX [top, left, bottom, right] as F.pad's (left, right, top, bottom)."""
    top, left, bottom, right = pads
    return (left, right, top, bottom)


def case(name, layer, x, window, stride, pads, weight=None, bias=None, count_include_pad=True, generator=None):
    x = x.clone().requires_grad_(True)
    if layer == "conv":
        weight = weight.clone().requires_grad_(True)
        bias = bias.clone().requires_grad_(True)
        y = F.conv2d(F.pad(x, torch_pads(pads)), weight, bias, stride=stride)
    elif layer == "max":
        y = F.max_pool2d(F.pad(x, torch_pads(pads), value=float("-inf")), window, stride=stride)
    else:
        assert pads[0] == pads[1] == pads[2] == pads[3], "AvgPool2d pads both sides alike"
        y = F.avg_pool2d(x, window, stride=stride, padding=pads[0], count_include_pad=count_include_pad)
    upstream = torch.randn(y.shape, generator=generator, dtype=torch.float64)
    (y * upstream).sum().backward()
    record = {"name": name, "layer": layer, "shape": list(x.shape[1:]), "window": window, "stride": stride,
              "pads": list(pads), "count_include_pad": count_include_pad, "filters": weight.shape[0] if weight is not None else 0,
              "x": x.detach().flatten().tolist(), "y": y.detach().flatten().tolist(),
              "upstream": upstream.flatten().tolist(), "dx": x.grad.flatten().tolist()}
    if weight is not None:
        record.update({"weight": weight.detach().flatten().tolist(), "bias": bias.detach().flatten().tolist(),
                       "dweight": weight.grad.flatten().tolist(), "dbias": bias.grad.flatten().tolist()})
    return record


def main():
    generator = torch.Generator().manual_seed(12)

    def normal(*shape):
        return torch.randn(*shape, generator=generator, dtype=torch.float64)

    cases = [
        case("conv_same_upper_2x2", "conv", normal(BATCH, 2, 5, 6), 2, 1, (0, 0, 1, 1), normal(3, 2, 2, 2), normal(3), generator=generator),
        case("conv_uneven_stride_2", "conv", normal(BATCH, 3, 7, 6), 3, 2, (2, 0, 1, 1), normal(4, 3, 3, 3), normal(4), generator=generator),
        case("max_uneven_3x3_stride_2", "max", normal(BATCH, 2, 7, 6), 3, 2, (1, 0, 2, 1), generator=generator),
        case("avg_count_include_pad", "avg", normal(BATCH, 2, 6, 7), 3, 2, (1, 1, 1, 1), count_include_pad=True, generator=generator),
        case("avg_exclude_pad", "avg", normal(BATCH, 2, 6, 7), 3, 2, (1, 1, 1, 1), count_include_pad=False, generator=generator),
        case("avg_exclude_pad_stride_1", "avg", normal(BATCH, 1, 5, 5), 2, 1, (1, 1, 1, 1), count_include_pad=False, generator=generator),
    ]
    lines = ['{', ' "generator": "tests/reference/record_padding.py",', f' "torch_version": {json.dumps(torch.__version__)},', ' "cases": [']
    lines += ['  ' + json.dumps(c) + (',' if i + 1 < len(cases) else '') for i, c in enumerate(cases)]
    lines += [' ]', '}']
    OUTPUT.write_text('\n'.join(lines) + '\n')


if __name__ == "__main__":
    main()
