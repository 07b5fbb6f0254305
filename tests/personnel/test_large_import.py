"""A 25,000-row "Export Data ASN" imported in bounded memory: the file is streamed and
written BATCH rows at a time, so Python's peak allocation stays far below the file's
size and does not grow with the number of rows (25,000 rows vs 5,000; with production
settings both peak at the same resident size)."""

import csv
import datetime
import json
import os
import secrets
import subprocess
import sys
import time

import pytest

from personnel.models import ConsistencyIssue, SiasnRecord
from tests.personnel.siasn_files import CSV_OF_JSON, HEADERS, person

pytestmark = pytest.mark.django_db


def nip_of(i: int) -> str:
    birth = datetime.date(1965, 1, 1) + datetime.timedelta(days=i % 9000)
    return f"{birth:%Y%m%d}{birth.year + 25}0{1 + i % 9}{1 + i % 2}{1 + i // 9000 % 999:03d}"


def write_export(path, rows: int) -> int:
    with open(path, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        seen = set()
        for i in range(rows):
            nip = nip_of(i)
            while nip in seen:  # keep NIPs unique
                i += 100_000
                nip = nip_of(i)
            seen.add(nip)
            p = person(
                nip,
                f"PEGAWAI NOMOR {i}",
                unorId=f"UNOR-{i % 40}",
                unorNama=f"Seksi {i % 40}",
                jabatanNama="Pengelola Data",
            )
            row = dict.fromkeys(HEADERS, "")
            for header, key in CSV_OF_JSON.items():
                row[header] = p.get(key, "")
            row["ALAMAT"] = "Jl. Sultan Thaha No. 1, Kota Jambi, Provinsi Jambi 36122"
            row["NIK"], row["NOMOR HP"] = "1571012103850001", "081234567890"
            row["EMAIL"], row["EMAIL GOV"] = f"pegawai{i}@example.com", f"p{i}@kemenag.go.id"
            row["PENDIDIKAN NAMA"] = "S-1 Pendidikan Agama Islam"
            row["TINGKAT PENDIDIKAN NAMA"] = "S-1/Sarjana"
            row["JENIS PEGAWAI NAMA"], row["AGAMA NAMA"] = "PNS Pusat DPK", "Islam"
            row["LOKASI KERJA NAMA"], row["KPKN NAMA"] = "KOTA JAMBI", "JAMBI"
            row["INSTANSI INDUK NAMA"] = "Kementerian Agama"
            row["SATUAN KERJA INDUK NAMA"] = "Kantor Wilayah Kementerian Agama Provinsi Jambi"
            row["INSTANSI KERJA NAMA"] = "Kementerian Agama"
            row["SATUAN KERJA KERJA NAMA"] = "Kantor Kementerian Agama Kota Jambi"
            writer.writerow([row[h] for h in HEADERS])
    return path.stat().st_size


def measured_import(path, settings):
    """Run the real command in its own process, with production settings (under DEBUG,
    Django keeps the SQL of the last 9,000 queries: memory that grows with the rows);
    its peak resident memory and duration."""
    db = settings.DATABASES["default"]
    env = {
        **{name: value for name, value in os.environ.items() if name != "DEBUG"},
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }
    out, err = path.with_suffix(".out"), path.with_suffix(".err")
    started = time.perf_counter()
    with open(out, "wb") as stdout, open(err, "wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "manage.py", "siasn_import", str(path), "--no-progress"],
            env=env,
            stdout=stdout,
            stderr=stderr,
        )
        # wait4: this child's own resource usage (ru_maxrss in KiB on Linux).
        _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    assert proc.returncode == 0, err.read_text()
    return json.loads(out.read_text()), usage.ru_maxrss * 1024, elapsed


def test_twenty_five_thousand_rows_in_bounded_memory(tmp_path, transactional_db, settings):
    small_path, big_path = tmp_path / "small.csv", tmp_path / "big.csv"
    small_size = write_export(small_path, 5_000)
    size = write_export(big_path, 25_000)
    _, small_peak, small_time = measured_import(small_path, settings)
    summary, peak, elapsed = measured_import(big_path, settings)
    print(
        f"\nmanage.py siasn_import, 25,000 rows ({size / 1e6:.1f} MB): {elapsed:.1f} s, "
        f"peak RSS {peak / 1e6:.1f} MB; 5,000 rows ({small_size / 1e6:.1f} MB): "
        f"{small_time:.1f} s, peak RSS {small_peak / 1e6:.1f} MB"
    )
    assert summary["status"] == "done", summary
    assert summary["rows"] == 25_000 and summary["errors"] == 0
    assert summary["created"] == 20_000 and summary["unchanged"] == 5_000
    assert summary["dropped"] == 0
    assert SiasnRecord.objects.count() == 25_000
    assert ConsistencyIssue.objects.filter(issue_class="MISSING_LOCAL").count() == 25_000
    # Bounded: five times the rows (and the file) adds less than a fifth of the file's size.
    assert peak - small_peak < (size - small_size) / 5
