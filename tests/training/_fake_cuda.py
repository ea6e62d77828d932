"""A mock of ``torch.cuda`` for CPU-only machines: N devices, each with its own
random generator (plain CPU generators standing in for the CUDA ones)."""

import contextlib
from unittest import mock

import torch


class FakeCuda:
    """What the mocks see and record; ``current`` is the current device."""

    def __init__(self, n_devices, current=0):
        self.n_devices = n_devices
        self.current = current
        self.generators = tuple(torch.Generator() for _ in range(n_devices))
        for index, generator in enumerate(self.generators):
            generator.manual_seed(1000 + index)

    def state(self, index):
        return self.generators[index].get_state()

    def _index(self, device):
        if isinstance(device, int):
            return device
        index = torch.device(device).index
        return self.current if index is None else index

    def get_rng_state(self, device="cuda"):
        return self.generators[self._index(device)].get_state()

    def set_rng_state(self, state, device="cuda"):
        self.generators[self._index(device)].set_state(state)


@contextlib.contextmanager
def fake_cuda(n_devices=2, current=0, capability=(9, 0)):
    """Patch ``torch.cuda`` so that it reports ``n_devices`` GPUs."""
    fake = FakeCuda(n_devices, current)

    def refuse(*args, **kwargs):
        raise AssertionError("seeded every GPU: only the training device may be")

    patches = {
        "is_available": lambda: n_devices > 0,
        "device_count": lambda: n_devices,
        "current_device": lambda: fake.current,
        "init": lambda: None,
        "default_generators": fake.generators,
        "get_rng_state": fake.get_rng_state,
        "set_rng_state": fake.set_rng_state,
        "manual_seed_all": refuse,
        "get_device_capability": lambda device=None: capability,
        "get_device_name": lambda device=None: "Fake GPU",
    }
    with contextlib.ExitStack() as stack:
        for name, value in patches.items():
            stack.enter_context(mock.patch.object(torch.cuda, name, value))
        yield fake
