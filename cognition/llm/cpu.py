"""llama.cpp load options chosen from the CPU, so the first model call never crashes.

llama.cpp's CPU backend can move weights into "extra buffer types" at load time: an AMX buffer
on Intel CPUs with AMX (Sapphire Rapids and later), and "repack" buffers that interleave
quantised blocks for AVX2/AVX-512/NEON kernels. llama-cpp-python 0.3.36 built for the native
CPU crashes (SIGSEGV in `ggml_backend_amx_mul_mat`) at the first model call on an AMX machine;
loading with the model parameter `use_extra_bufts = False` avoids it.

The choice (`choose_options`):

- AMX flags present (`amx_tile`, `amx_int8`, `amx_bf16` in /proc/cpuinfo, or AMX in
  llama.cpp's own system info): no extra buffers. This turns the repack buffers off as well,
  which costs the bundled model nothing: none of its tensors can use them on x86 (llama.cpp's
  load log, and the speeds in cognition/llm/README.md), while the AMX path crashes.
- Otherwise (AVX2, AVX-512 without AMX, ARM, unknown): llama.cpp's default, extra buffers on.
- `SIMULACRA_EXTRA_BUFFERS=0` or `=1` overrides the choice either way.

The one-time self-test (`cognition.llm.selftest`) is the second line of defence: when the
chosen options crash in a child process it tries again without extra buffers before giving up.
"""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from pathlib import Path

AMX_FLAGS = frozenset({"amx_tile", "amx_int8", "amx_bf16", "amx_fp16", "amx_complex"})
SIMD_FLAGS = ("avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl", "avx512_vnni",
              "avx512_bf16", "avx_vnni", "amx_tile", "amx_int8", "amx_bf16", "neon", "asimd",
              "sve")
OVERRIDE_ENV = "SIMULACRA_EXTRA_BUFFERS"


@dataclass(frozen=True, slots=True)
class CpuInfo:
    """What the CPU offers: its model name, architecture and feature flags (lower case).

    `flags` is None where they cannot be read (not Linux, /proc unreadable)."""

    model: str
    machine: str
    flags: frozenset[str] | None

    @property
    def has_amx(self) -> bool:
        return bool(self.flags and self.flags & AMX_FLAGS)

    def simd(self) -> list[str]:
        """The SIMD features llama.cpp cares about that this CPU has, in a fixed order."""
        return [f for f in SIMD_FLAGS if self.flags and f in self.flags]

    def key(self) -> str:
        """A short identity for caches: model name and SIMD flags."""
        return f"{self.model}|{self.machine}|{','.join(self.simd())}"


@dataclass(frozen=True, slots=True)
class LoadOptions:
    """llama.cpp model parameters picked for this CPU, and why."""

    use_extra_bufts: bool
    reason: str


def read_cpu(cpuinfo: Path = Path("/proc/cpuinfo"), machine: str | None = None) -> CpuInfo:
    """The CPU as /proc/cpuinfo describes it (first processor); flags None when unreadable."""
    machine = machine or platform.machine() or "unknown"
    model: str | None = None
    flags: frozenset[str] | None = None
    try:
        text = cpuinfo.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return CpuInfo(platform.processor() or machine, machine, None)
    for line in text.splitlines():
        if not line.strip() and flags is not None:
            break  # the first processor is enough
        key, _, value = line.partition(":")
        key = key.strip().lower()
        if key == "model name" and model is None:
            model = value.strip()
        elif key in ("flags", "features") and flags is None:  # x86 "flags", ARM "Features"
            flags = frozenset(value.split())
    return CpuInfo(model or machine, machine, flags)


def choose_options(cpu: CpuInfo, system_info: str = "",
                   env: dict[str, str] | None = None) -> LoadOptions:
    """Extra buffer types off where AMX is present (its kernel crashes), on elsewhere.

    `system_info` is llama.cpp's own report (`llama_print_system_info`), which names AMX when
    the library was built with it; `env` may hold `SIMULACRA_EXTRA_BUFFERS` = 0 or 1."""
    env = os.environ if env is None else env
    override = env.get(OVERRIDE_ENV, "").strip()
    if override in ("0", "1"):
        return LoadOptions(override == "1", f"{OVERRIDE_ENV}={override}")
    if cpu.has_amx or "AMX_INT8 = 1" in system_info:
        return LoadOptions(False, "AMX present: llama.cpp's AMX buffers crash, so none")
    if cpu.flags is None:
        return LoadOptions(True, f"CPU flags unknown ({cpu.machine}): llama.cpp's default")
    return LoadOptions(True, "no AMX: llama.cpp's default")


def system_info() -> str:
    """llama.cpp's build and CPU report ("" without llama-cpp-python)."""
    try:
        import llama_cpp
    except ImportError:
        return ""
    return llama_cpp.llama_print_system_info().decode("utf-8", errors="replace").strip()


def options_for_this_cpu() -> LoadOptions:
    """`choose_options` for the CPU this process runs on."""
    return choose_options(read_cpu(), system_info())
