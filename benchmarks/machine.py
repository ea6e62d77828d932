"""What a benchmark figure needs beside it: machine, CPU model, flags, threads, load.

Imported by the benchmark scripts of this folder; run it alone to print the
record for this machine::

    python benchmarks/machine.py
"""

import datetime
import json
import os
import platform
import socket
import subprocess
from pathlib import Path

#: CPU flags that change the speed of the kernels used here (others are left out).
RELEVANT_FLAGS = (
    "sse4_2",
    "avx",
    "avx2",
    "fma",
    "f16c",
    "avx512f",
    "avx512bw",
    "avx512vl",
    "avx512_vnni",
    "avx512_bf16",
    "amx_bf16",
    "amx_tile",
)


def _cpuinfo():
    try:
        with open("/proc/cpuinfo") as f:
            text = f.read()
    except OSError:
        return None, []
    model, flags = None, []
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "model name" and model is None:
            model = value.strip()
        if key.strip() == "flags" and not flags:
            flags = value.split()
    return model, flags


def _uptime():
    try:
        return subprocess.run(
            ["uptime"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        return None


def machine_record(threads):
    """Return a dict describing where and under which load a benchmark runs.

    Parameters
    ----------
    threads : int
        Torch intra-op threads the benchmark uses.
    """
    import torch

    model, flags = _cpuinfo()
    return {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "host": socket.gethostname(),
        "platform": platform.platform(),
        "cpu_model": model or platform.processor(),
        "cpu_count": os.cpu_count(),
        "cpu_flags": [f for f in RELEVANT_FLAGS if f in flags],
        "torch": torch.__version__,
        "torch_threads": threads,
        "torch_parallel_info": torch.__config__.parallel_info().splitlines()[:4],
        "uptime_start": _uptime(),
        "loadavg_start": [round(v, 2) for v in os.getloadavg()],
        "gpu": _gpu(torch),
    }


def _gpu(torch):
    """Name, driver-facing versions and count of the CUDA devices, or None."""
    if not torch.cuda.is_available():
        return None
    return {
        "name": torch.cuda.get_device_name(0),
        "count": torch.cuda.device_count(),
        "capability": list(torch.cuda.get_device_capability(0)),
        "cuda": torch.version.cuda,
        "cudnn": torch.backends.cudnn.version(),
    }


def finish_record(record):
    """Add the load at the end of the run to ``record``."""
    record["uptime_end"] = _uptime()
    record["loadavg_end"] = [round(v, 2) for v in os.getloadavg()]
    return record


def describe(record):
    """One Markdown paragraph that a results file opens with."""
    gpu = record.get("gpu")
    gpu_line = (
        f"GPU: {gpu['count']} x {gpu['name']} (compute capability "
        f"{'.'.join(map(str, gpu['capability']))}), CUDA {gpu['cuda']}, "
        f"cuDNN {gpu['cudnn']}.\n\n"
        if gpu
        else ""
    )
    return (
        f"Machine: {record['host']}, {record['cpu_model']}, "
        f"{record['cpu_count']} CPUs; flags {' '.join(record['cpu_flags'])}; "
        f"torch {record['torch']}, {record['torch_threads']} thread(s); "
        f"{record['date']}.\n\n"
        f"{gpu_line}"
        f"Load at start: `{record['uptime_start']}`; "
        f"at end: `{record.get('uptime_end')}`.\n"
    )


def write_results(out, name, record, rows, table, tag=""):
    """Write ``<date>-<host>-<name>[-tag].json`` and ``.md`` under ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"{record['date'][:10]}-{record['host']}-{name}"
    stem += f"-{tag}" if tag else ""
    (out / f"{stem}.json").write_text(
        json.dumps({"meta": record, "rows": rows}, indent=1)
    )
    (out / f"{stem}.md").write_text(table)
    print(f"written {out / stem}.json and .md")


if __name__ == "__main__":
    print(json.dumps(machine_record(threads=1), indent=1))
