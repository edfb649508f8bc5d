"""Benchmark: hostile files against import_ods, with the default limits.

Builds each file in a scratch folder, runs `manage.py import_ods` on it in a process of
its own and prints how long the refusal took, its peak memory and its message:

- a workbook that opens to 1 GiB (a few megabytes on disk), honest about its size;
- the same, with a directory that claims each member is 1 KiB;
- a zip archive holding a CSV file that opens to 1 GiB;
- a 1,000,000-row ePCN core partner details CSV (about 36 MB, under the upload limit).

Then runs the readers' property-based tests with 10,000 cases each
(HYPOTHESIS_PROFILE=bench) and prints hypothesis's counts. Run through
`make bench-hostile`, which gives it a scratch database.
"""

import os
import resource
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GIB = 1024**3
MIB = 1024**2


def bomb_workbook(path, size, lie=False):
    """The national-format workbook's skeleton with one member of `size` bytes of 'A'."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        with book.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            block = b"A" * (8 * MIB)
            for _ in range(size // len(block)):
                member.write(block)
    if lie:
        raw = bytearray(path.read_bytes())
        at = 0
        while (at := raw.find(b"PK\x01\x02", at)) >= 0:
            struct.pack_into("<I", raw, at + 24, 1024)
            at += 4
        path.write_bytes(bytes(raw))
    return path


def bomb_archive(path, size):
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("epraccur.csv", "w", force_zip64=True) as member,
    ):
        block = b"A" * (8 * MIB)
        for _ in range(size // len(block)):
            member.write(block)
    return path


def partner_files(folder, rows):
    pcns = folder / "pcn-details.csv"
    pcns.write_text(
        "PCN Code,PCN Name,Current Sub ICB Loc Code,Sub ICB Location,Open Date,Close Date\n"
        + "".join(f"U{n:05},PCN {n},16C,NHS TEST ICB - 16C,20191001,\n" for n in range(1, 1001))
    )
    partners = folder / "partners.csv"
    with open(partners, "w") as out:
        out.write(
            "Partner Organisation Code,Partner Name,Practice Parent Sub ICB Loc Code,PCN Code,"
            "Practice to PCN Relationship Start Date,Practice to PCN Relationship End Date\n"
        )
        for n in range(rows):
            out.write(f"Z{n % 100000:05},SURGERY {n},16C,U{n % 1000 + 1:05},20191001,\n")
    return [pcns, partners]


def run(label, paths):
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    done = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), "import_ods", *map(str, paths)],
        capture_output=True,
        text=True,
        env={**os.environ, "DEBUG": "true"},
    )
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    size = sum(p.stat().st_size for p in paths)
    print(f"{label}")
    print(f"  on disk {size / MIB:8.1f} MiB   refused in {seconds:5.2f} s   ", end="")
    print(f"peak memory {max(peak, before) / 1024:6.0f} MiB   exit status {done.returncode}")
    print(f"  {(done.stderr or done.stdout).strip().splitlines()[-1]}")


def main():
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as folder:
        folder = Path(folder)
        # Peak memory is per process, and each run is a new one: measure the lightest
        # first, since RUSAGE_CHILDREN keeps the largest child's peak.
        run("workbook opening to 1 GiB", [bomb_workbook(folder / "bomb.xlsx", GIB)])
        run(
            "workbook opening to 1 GiB, its directory claiming 1 KiB a member",
            [bomb_workbook(folder / "liar.xlsx", GIB, lie=True)],
        )
        run("zip archive opening to 1 GiB", [bomb_archive(folder / "bomb.zip", GIB)])
        run("ePCN CSV pair, 1,000,000 partner rows", partner_files(folder, 1_000_000))

    print("\nProperty-based tests of the readers, 10,000 cases each:")
    started = time.perf_counter()
    done = subprocess.run(
        [PYTHON, "-m", "pytest", "tests/practices/test_readers_properties.py", "-q",
         "--hypothesis-show-statistics", "-p", "no:randomly", "--numprocesses", "2"],
        cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "HYPOTHESIS_PROFILE": "bench", "DEBUG": "true"},
    )  # fmt: skip
    for line in done.stdout.splitlines():
        if any(word in line for word in ("::", "passing,", "Stopped", "passed", "failed")):
            print(f"  {line.strip()}")
    print(f"  in {time.perf_counter() - started:.0f} s")
    sys.exit(done.returncode)


if __name__ == "__main__":
    main()
