"""llama.cpp load options chosen from the CPU: no extra buffer types where AMX is present."""

from __future__ import annotations

import pytest

from cognition.llm.cpu import OVERRIDE_ENV, CpuInfo, choose_options, read_cpu

X86_BASE = "fpu sse sse2 ssse3 sse4_1 sse4_2 avx f16c fma"
AMX = f"{X86_BASE} avx2 avx512f avx512bw avx512vl avx512_vnni avx512_bf16 amx_bf16 amx_tile amx_int8"
AVX512 = f"{X86_BASE} avx2 avx512f avx512bw avx512vl avx512_vnni avx512_bf16"
AVX2 = f"{X86_BASE} avx2"


def cpu(flags: str | None, machine: str = "x86_64") -> CpuInfo:
    return CpuInfo("test cpu", machine, None if flags is None else frozenset(flags.split()))


@pytest.mark.parametrize("flags, machine, extra", [
    (AMX, "x86_64", False),       # Sapphire Rapids and later: the AMX kernel crashes
    (AVX512, "x86_64", True),     # AVX-512 without AMX (this project's AMD EPYC): default
    (AVX2, "x86_64", True),
    ("fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp", "aarch64", True),
    (None, "unknown", True),      # flags unreadable: llama.cpp's default
])
def test_extra_buffers_are_off_exactly_where_amx_is_present(flags, machine, extra):
    options = choose_options(cpu(flags, machine), env={})
    assert options.use_extra_bufts is extra
    assert options.reason


def test_amx_named_by_llama_cpp_itself_also_turns_them_off():
    info = "CPU : SSE3 = 1 | AVX512 = 1 | AMX_INT8 = 1 | REPACK = 1 |"
    assert choose_options(cpu(None), info, env={}).use_extra_bufts is False


@pytest.mark.parametrize("value, extra", [("0", False), ("1", True)])
def test_the_environment_overrides_the_choice(value, extra):
    for flags in (AMX, AVX2):
        options = choose_options(cpu(flags), env={OVERRIDE_ENV: value})
        assert options.use_extra_bufts is extra
        assert OVERRIDE_ENV in options.reason


def test_read_cpu_takes_model_and_flags_of_the_first_processor(tmp_path):
    info = tmp_path / "cpuinfo"
    info.write_text(f"processor\t: 0\nmodel name\t: Intel Xeon Platinum 8480+\nflags\t\t: {AMX}\n"
                    "\nprocessor\t: 1\nmodel name\t: other\nflags\t\t: fpu\n", encoding="utf-8")
    found = read_cpu(info, "x86_64")
    assert found.model == "Intel Xeon Platinum 8480+"
    assert found.has_amx and "avx512f" in found.simd()
    assert choose_options(found, env={}).use_extra_bufts is False


def test_read_cpu_reads_arm_features_and_survives_a_missing_file(tmp_path):
    info = tmp_path / "cpuinfo"
    info.write_text("processor\t: 0\nFeatures\t: fp asimd sve\nCPU part\t: 0xd0c\n",
                    encoding="utf-8")
    arm = read_cpu(info, "aarch64")
    assert arm.flags is not None and "asimd" in arm.simd() and not arm.has_amx
    missing = read_cpu(tmp_path / "absent", "arm64")
    assert missing.flags is None and missing.simd() == []
