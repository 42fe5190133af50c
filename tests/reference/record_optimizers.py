"""Records PyTorch reference values for NetGen's optimizers, gradient clipping and LR schedules.

Regenerate (from the repository root, with Debian's PyTorch 1.13):
    apt-get install -y python3-torch python3-numpy
    /usr/bin/python3 tests/reference/record_optimizers.py

It rewrites tests/NetGen.Runtime.Tests/Optimizers/torch_reference.json. Every case runs a few steps
on one small float32 tensor (19 values, so NetGen's vector loop has both full blocks and a tail)
with a fixed sequence of gradients, and records the parameters after each step plus the final
optimizer state. Learning rates are rounded to float32 first, because NetGen's LearningRate is a
float: both sides then use the same value. Schedules record the learning rate of epochs 0..N-1.
"""
import json
import pathlib
import warnings

import numpy as np
import torch

SIZE = 19
STEPS = 6
EPOCHS = 12
OUTPUT = pathlib.Path(__file__).resolve().parents[1] / "NetGen.Runtime.Tests" / "Optimizers" / "torch_reference.json"


def f32(value):
    """The float32 value nearest to value, as a Python float."""
    return float(np.float32(value))


def short(values):
    """float32 values as the shortest decimals that parse back to them (keeps the JSON small)."""
    return [float(str(np.float32(v))) for v in values.tolist()]


def fixed_tensors(seed):
    generator = torch.Generator().manual_seed(seed)
    initial = torch.randn(SIZE, generator=generator, dtype=torch.float32)
    gradients = [torch.randn(SIZE, generator=generator, dtype=torch.float32) * (0.5 + step) for step in range(STEPS)]
    return initial, gradients


def run_optimizer(name, kind, options, seed, clip_max_norm=None):
    options = dict(options)
    options["lr"] = f32(options["lr"])
    initial, gradients = fixed_tensors(seed)
    param = torch.nn.Parameter(initial.clone())
    factory = {
        "sgd": torch.optim.SGD,
        "rmsprop": torch.optim.RMSprop,
        "adam": torch.optim.Adam,
        "adamw": torch.optim.AdamW,
    }[kind]
    optimizer = factory([param], foreach=False, **options)
    steps, norms = [], []
    for gradient in gradients:
        param.grad = gradient.clone()
        if clip_max_norm is not None:
            norms.append(float(torch.nn.utils.clip_grad_norm_([param], clip_max_norm)))
        optimizer.step()
        steps.append(short(param.detach()))
    state = optimizer.state[param]
    buffers = {key: short(value) for key, value in state.items() if torch.is_tensor(value) and value.shape == param.shape}
    return {
        "name": name,
        "optimizer": kind,
        "options": options,
        "clip_max_norm": clip_max_norm,
        "initial": short(initial),
        "gradients": [short(g) for g in gradients],
        "parameters_after_step": steps,
        "norms": norms,
        "state": buffers,
    }


def record_schedule(name, kind, options, make):
    """Runs a torch scheduler for EPOCHS epochs and records the learning rate used in each."""
    base_lr = 0.1
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=base_lr)
    scheduler = make(optimizer)
    rates = []
    for _ in range(EPOCHS):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return {"name": name, "schedule": kind, "base_lr": base_lr, "options": options, "learning_rates": rates}


def record_plateau(name, options, metrics):
    initial_lr = 0.1
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=initial_lr)
    scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, **options)
    rates = []
    for metric in metrics:
        scheduler.step(metric)
        rates.append(optimizer.param_groups[0]["lr"])
    return {"name": name, "initial_lr": initial_lr, "options": options, "metrics": metrics, "learning_rates_after_step": rates}


def main():
    warnings.simplefilter("ignore")
    lr = torch.optim.lr_scheduler
    optimizers = [
        run_optimizer("sgd_plain", "sgd", {"lr": 0.1}, seed=1),
        run_optimizer("sgd_momentum", "sgd", {"lr": 0.05, "momentum": 0.9}, seed=2),
        run_optimizer("sgd_momentum_dampening_decay", "sgd", {"lr": 0.05, "momentum": 0.8, "dampening": 0.3, "weight_decay": 0.01}, seed=3),
        run_optimizer("sgd_nesterov_decay", "sgd", {"lr": 0.02, "momentum": 0.9, "nesterov": True, "weight_decay": 1e-3}, seed=4),
        run_optimizer("rmsprop_defaults", "rmsprop", {"lr": 0.01}, seed=5),
        run_optimizer("rmsprop_momentum_decay", "rmsprop", {"lr": 0.01, "momentum": 0.9, "weight_decay": 0.01}, seed=6),
        run_optimizer("rmsprop_centered", "rmsprop", {"lr": 0.01, "centered": True}, seed=7),
        run_optimizer("rmsprop_centered_momentum", "rmsprop", {"lr": 0.005, "alpha": 0.9, "eps": 1e-6, "momentum": 0.5, "centered": True}, seed=8),
        run_optimizer("adam_defaults", "adam", {"lr": 1e-3}, seed=9),
        run_optimizer("adam_weight_decay", "adam", {"lr": 1e-2, "weight_decay": 0.01}, seed=10),
        run_optimizer("adam_betas_eps", "adam", {"lr": 1e-2, "betas": (0.8, 0.99), "eps": 1e-6}, seed=11),
        run_optimizer("adamw_defaults", "adamw", {"lr": 1e-3}, seed=12),
        run_optimizer("adamw_strong_decay", "adamw", {"lr": 1e-2, "weight_decay": 0.1, "betas": (0.85, 0.995)}, seed=13),
        run_optimizer("sgd_momentum_clipped", "sgd", {"lr": 0.05, "momentum": 0.9}, seed=14, clip_max_norm=5.0),
        run_optimizer("adam_clipped", "adam", {"lr": 1e-2}, seed=15, clip_max_norm=1.0),
    ]
    schedules = [
        record_schedule("step", "step", {"step_size": 3, "gamma": 0.5}, lambda o: lr.StepLR(o, step_size=3, gamma=0.5)),
        record_schedule("exponential", "exponential", {"gamma": 0.9}, lambda o: lr.ExponentialLR(o, gamma=0.9)),
        record_schedule("cosine", "cosine", {"t_max": 10, "eta_min": 0.001}, lambda o: lr.CosineAnnealingLR(o, T_max=10, eta_min=0.001)),
        record_schedule("cosine_past_t_max", "cosine", {"t_max": 4, "eta_min": 0.0}, lambda o: lr.CosineAnnealingLR(o, T_max=4)),
        record_schedule("warmup", "warmup", {"warmup": 4, "start_factor": 0.25}, lambda o: lr.LinearLR(o, start_factor=0.25, total_iters=4)),
        record_schedule(
            "warmup_then_cosine", "warmup_cosine", {"warmup": 3, "start_factor": 0.25, "t_max": 7, "eta_min": 0.0},
            lambda o: lr.SequentialLR(o, [lr.LinearLR(o, start_factor=0.25, total_iters=3), lr.CosineAnnealingLR(o, T_max=7)], milestones=[3])),
    ]
    falling = [1.0, 0.9, 0.85, 0.849, 0.86, 0.848, 0.7, 0.71, 0.72, 0.73, 0.74, 0.75, 0.69, 0.695, 0.7, 0.71]
    rising = [0.5, 0.6, 0.6, 0.605, 0.61, 0.7, 0.69, 0.7, 0.71, 0.705, 0.7, 0.69, 0.8, 0.8, 0.8, 0.8]
    plateaus = [
        record_plateau("min_defaults_patience_2", {"patience": 2}, falling),
        record_plateau("min_cooldown_floor", {"mode": "min", "factor": 0.5, "patience": 1, "threshold": 0.01, "cooldown": 2, "min_lr": 0.02}, falling),
        record_plateau("max_abs_threshold", {"mode": "max", "factor": 0.2, "patience": 1, "threshold": 0.02, "threshold_mode": "abs"}, rising),
    ]
    sections = {"optimizers": optimizers, "schedules": schedules, "plateaus": plateaus}
    # One case per line: small diffs when a case changes, without one line per number.
    lines = ['{', ' "generator": "tests/reference/record_optimizers.py",', f' "torch_version": {json.dumps(torch.__version__)},']
    for index, (key, cases) in enumerate(sections.items()):
        closing = "]" if index == len(sections) - 1 else "],"
        lines += [f' "{key}": [', ",\n".join("  " + json.dumps(case) for case in cases), " " + closing]
    lines.append("}")
    OUTPUT.write_text("\n".join(lines) + "\n")
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
