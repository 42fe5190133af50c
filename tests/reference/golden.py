"""What the golden recorders share: float32 rounding, the JSON form of a tensor, and one recorded
training step of a classifier (softmax cross-entropy), as the C# golden tests read it."""
import torch.nn.functional as F


def as_float32(t):
    # NetGen starts from exactly the recorded float32 values; the step itself runs in float64
    return t.float().double()


def rounded(t, digits):
    # 9 significant digits bring a float32 back exactly; the results need no more than 10
    return [float(f"{v:.{digits}g}") for v in t.detach().flatten().tolist()]


def classifier_step(model, inputs, labels):
    """One training step of `model` (in train mode) on `inputs` (requires_grad) and `labels`: the values
    before it (parameters, running statistics) and after it (logits, loss, every gradient, the running
    statistics, input.grad)."""
    parameters = {name: rounded(p, 9) for name, p in model.named_parameters()}
    statistics = {name: b for name, b in model.named_buffers() if not name.endswith("num_batches_tracked")}
    buffers = {name: rounded(b, 9) for name, b in statistics.items()}

    logits = model(inputs)
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    return {
        "input_shape": list(inputs.shape[1:]),
        "inputs": rounded(inputs, 9),
        "labels": labels.tolist(),
        "parameters": parameters,
        "buffers": buffers,
        "loss": loss.item(),
        "logits": rounded(logits, 10),
        "gradients": {name: rounded(p.grad, 10) for name, p in model.named_parameters()},
        "buffers_after_step": {name: rounded(b, 10) for name, b in statistics.items()},
        "input_gradient": rounded(inputs.grad, 10),
    }


def token_step(model, tokens, labels):
    """One training step of `model` on token ids `tokens` (no input gradient: ids are not differentiable), as
    the C# golden tests of token networks read it: the state_dict, the ids, the logits, the loss, every gradient."""
    logits = model(tokens)
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    flat = lambda t: t.detach().reshape(-1).tolist()
    return {
        "parameters": {name: flat(p) for name, p in model.state_dict().items()},
        "inputs": [float(v) for v in flat(tokens)],
        "labels": labels.tolist(),
        "logits": flat(logits),
        "loss": loss.item(),
        "gradients": {name: flat(p.grad) for name, p in model.named_parameters()},
    }
