"""SIASN files for the tests: the exact "Export Data ASN" headers (DOMAIN.md 7.4) and
`pns/data-utama` records (7.3), written the way BKN writes them (dd-mm-yyyy dates)."""

import csv
import io
import json

HEADERS = [
    "PNS ID",
    "NIP BARU",
    "NIP LAMA",
    "NAMA",
    "GELAR DEPAN",
    "GELAR BELAKANG",
    "TEMPAT LAHIR ID",
    "TEMPAT LAHIR NAMA",
    "TANGGAL LAHIR",
    "JENIS KELAMIN",
    "AGAMA ID",
    "AGAMA NAMA",
    "JENIS KAWIN ID",
    "JENIS KAWIN NAMA",
    "NIK",
    "NOMOR HP",
    "EMAIL",
    "EMAIL GOV",
    "ALAMAT",
    "NPWP NOMOR",
    "BPJS",
    "JENIS PEGAWAI ID",
    "JENIS PEGAWAI NAMA",
    "KEDUDUKAN HUKUM ID",
    "KEDUDUKAN HUKUM NAMA",
    "STATUS CPNS PNS",
    "KARTU ASN VIRTUAL",
    "NOMOR SK CPNS",
    "TANGGAL SK CPNS",
    "TMT CPNS",
    "NOMOR SK PNS",
    "TANGGAL SK PNS",
    "TMT PNS",
    "GOL AWAL ID",
    "GOL AWAL NAMA",
    "GOL AKHIR ID",
    "GOL AKHIR NAMA",
    "TMT GOLONGAN",
    "MK TAHUN",
    "MK BULAN",
    "JENIS JABATAN ID",
    "JENIS JABATAN NAMA",
    "JABATAN ID",
    "JABATAN NAMA",
    "TMT JABATAN",
    "TINGKAT PENDIDIKAN ID",
    "TINGKAT PENDIDIKAN NAMA",
    "PENDIDIKAN ID",
    "PENDIDIKAN NAMA",
    "TAHUN LULUS",
    "KPKN ID",
    "KPKN NAMA",
    "LOKASI KERJA ID",
    "LOKASI KERJA NAMA",
    "UNOR ID",
    "UNOR NAMA",
    "INSTANSI INDUK ID",
    "INSTANSI INDUK NAMA",
    "INSTANSI KERJA ID",
    "INSTANSI KERJA NAMA",
    "SATUAN KERJA INDUK ID",
    "SATUAN KERJA INDUK NAMA",
    "SATUAN KERJA KERJA ID",
    "SATUAN KERJA KERJA NAMA",
]
assert len(HEADERS) == 64

CSV_OF_JSON = {
    "PNS ID": "id",
    "NIP BARU": "nipBaru",
    "NAMA": "nama",
    "GELAR DEPAN": "gelarDepan",
    "GELAR BELAKANG": "gelarBelakang",
    "TANGGAL LAHIR": "tglLahir",
    "JENIS KELAMIN": "jenisKelamin",
    "KEDUDUKAN HUKUM ID": "kedudukanPnsId",
    "KEDUDUKAN HUKUM NAMA": "kedudukanPnsNama",
    "GOL AKHIR ID": "golRuangAkhirId",
    "GOL AKHIR NAMA": "golRuangAkhir",
    "TMT GOLONGAN": "tmtGolAkhir",
    "JENIS JABATAN ID": "jenisJabatanId",
    "JABATAN NAMA": "jabatanNama",
    "TMT JABATAN": "tmtJabatan",
    "UNOR ID": "unorId",
    "UNOR NAMA": "unorNama",
}


def person(nip, nama, **overrides):
    """One civil servant as BKN has it, in data-utama keys."""
    record = {
        "id": f"8ae483{nip[-6:]}",
        "nipBaru": nip,
        "nama": nama,
        "gelarDepan": "",
        "gelarBelakang": "",
        "tglLahir": f"{nip[6:8]}-{nip[4:6]}-{nip[0:4]}",
        "jenisKelamin": "M" if nip[14] == "1" else "F",
        "nik": "1571012103850001",
        "kedudukanPnsId": "01",
        "kedudukanPnsNama": "Aktif",
        "golRuangAkhirId": "32",
        "golRuangAkhir": "III/b",
        "tmtGolAkhir": "01-04-2020",
        "jenisJabatanId": "4",
        "jabatanNama": "",
        "eselonId": "",
        "tmtJabatan": "",
        "unorId": "",
        "unorNama": "",
    }
    record.update(overrides)
    return record


def export_csv(people) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for p in people:
        row = dict.fromkeys(HEADERS, "")
        for header, key in CSV_OF_JSON.items():
            row[header] = p.get(key, "")
        row["NIK"] = p.get("nik", "")
        row["NOMOR HP"] = "081234567890"
        row["INSTANSI KERJA NAMA"] = "Kementerian Agama"
        writer.writerow([row[h] for h in HEADERS])
    return out.getvalue().encode()


def data_utama_json(people) -> bytes:
    return json.dumps(list(people)).encode()
