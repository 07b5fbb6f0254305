"""Demo data for `make run` / `manage.py seed_demo`: the Kemenag offices of Jambi, their
units, reporting tree, employees, the PTSP service catalogue and the demo accounts.

Everything is keyed on natural keys (office code, unit code, position name, NIP,
service code, field/document code, step order, username), so loading twice changes
nothing. The catalogue is written from what Kemenag PTSP counters publish as their
service standards (standar pelayanan); names of people are invented.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from organization.models import (
    ActingAssignment,
    Employee,
    Office,
    Position,
    PositionHolding,
    PositionKind,
    StaffMembership,
    Unit,
)
from organization.services import acting_assignment_create

from .models import FormField, RequiredDocument, ServiceType, Step
from .services import service_type_validate

K = PositionKind
MB = 1024 * 1024
PDF = ["application/pdf"]
PDF_IMG = ["application/pdf", "image/jpeg", "image/png"]
IMG = ["image/jpeg", "image/png"]
HOLDING_START = datetime.date(2023, 1, 2)

# --- Organisation ----------------------------------------------------------------------

OFFICES = [
    {
        "code": "KWJ",
        "name": "Kantor Wilayah Kementerian Agama Provinsi Jambi",
        "kind": Office.Kind.KANWIL,
        "parent": None,
        "city": "Kota Jambi",
    },
    {
        "code": "KJB",
        "name": "Kantor Kementerian Agama Kota Jambi",
        "kind": Office.Kind.KANKEMENAG,
        "parent": "KWJ",
        "city": "Kota Jambi",
    },
    {
        "code": "MJB",
        "name": "Kantor Kementerian Agama Kabupaten Muaro Jambi",
        "kind": Office.Kind.KANKEMENAG,
        "parent": "KWJ",
        "city": "Sengeti, Muaro Jambi",
    },
]

KANWIL_UNITS = [
    ("tu", "Bagian Tata Usaha", Unit.Kind.OTHER),
    ("ptsp", "Pelayanan Terpadu Satu Pintu (PTSP) Kanwil", Unit.Kind.PTSP),
    ("pendma", "Bidang Pendidikan Madrasah", Unit.Kind.BIDANG),
    ("phu", "Bidang Penyelenggaraan Haji dan Umrah", Unit.Kind.BIDANG),
    ("bimas", "Bidang Bimbingan Masyarakat Islam", Unit.Kind.BIDANG),
]
KANKEMENAG_UNITS = [
    ("tu", "Subbagian Tata Usaha", Unit.Kind.SUBBAGIAN),
    ("ptsp", "Pelayanan Terpadu Satu Pintu (PTSP)", Unit.Kind.PTSP),
    ("pendma", "Seksi Pendidikan Madrasah", Unit.Kind.SEKSI),
    ("phu", "Seksi Penyelenggaraan Haji dan Umrah", Unit.Kind.SEKSI),
    ("bimas", "Seksi Bimbingan Masyarakat Islam", Unit.Kind.SEKSI),
    ("zawa", "Penyelenggara Zakat dan Wakaf", Unit.Kind.OTHER),
]

# (key, office, unit, name, kind, superior key). Superiors come first.
POSITIONS = [
    ("KWJ.kakanwil", "KWJ", "tu", "Kepala Kantor Wilayah Kementerian Agama Provinsi Jambi", K.JPT, None),
    ("KWJ.kabag_tu", "KWJ", "tu", "Kepala Bagian Tata Usaha", K.ADMINISTRATOR, "KWJ.kakanwil"),
    ("KWJ.kabid_pendma", "KWJ", "pendma", "Kepala Bidang Pendidikan Madrasah", K.ADMINISTRATOR, "KWJ.kakanwil"),
    ("KWJ.kabid_phu", "KWJ", "phu", "Kepala Bidang Penyelenggaraan Haji dan Umrah", K.ADMINISTRATOR, "KWJ.kakanwil"),
    ("KWJ.kabid_bimas", "KWJ", "bimas", "Kepala Bidang Bimbingan Masyarakat Islam", K.ADMINISTRATOR, "KWJ.kakanwil"),
    ("KWJ.ppid", "KWJ", "tu", "Pranata Hubungan Masyarakat Ahli Muda", K.FUNGSIONAL, "KWJ.kabag_tu"),
    ("KWJ.ptsp", "KWJ", "ptsp", "Pengelola Layanan Operasional PTSP", K.PELAKSANA, "KWJ.kabag_tu"),
    ("KWJ.pendma", "KWJ", "pendma", "Analis Kelembagaan Madrasah", K.PELAKSANA, "KWJ.kabid_pendma"),
]  # fmt: skip
for _code, _place in (("KJB", "Kota Jambi"), ("MJB", "Kabupaten Muaro Jambi")):
    POSITIONS += [
        (f"{_code}.kakan", _code, "tu", f"Kepala Kantor Kementerian Agama {_place}", K.ADMINISTRATOR, "KWJ.kakanwil"),
        (f"{_code}.kasubbag_tu", _code, "tu", "Kepala Subbagian Tata Usaha", K.PENGAWAS, f"{_code}.kakan"),
        (f"{_code}.kasi_pendma", _code, "pendma", "Kepala Seksi Pendidikan Madrasah", K.PENGAWAS, f"{_code}.kakan"),
        (f"{_code}.kasi_phu", _code, "phu", "Kepala Seksi Penyelenggaraan Haji dan Umrah", K.PENGAWAS, f"{_code}.kakan"),
        (f"{_code}.kasi_bimas", _code, "bimas", "Kepala Seksi Bimbingan Masyarakat Islam", K.PENGAWAS, f"{_code}.kakan"),
        (f"{_code}.gara_zawa", _code, "zawa", "Kepala Penyelenggara Zakat dan Wakaf", K.PENGAWAS, f"{_code}.kakan"),
        (f"{_code}.tu", _code, "tu", "Pengadministrasi Persuratan", K.PELAKSANA, f"{_code}.kasubbag_tu"),
        (f"{_code}.ptsp", _code, "ptsp", "Pengelola Layanan Operasional PTSP", K.PELAKSANA, f"{_code}.kasubbag_tu"),
        (f"{_code}.pendma", _code, "pendma", "Pengolah Data Pendidikan Madrasah", K.PELAKSANA, f"{_code}.kasi_pendma"),
        (f"{_code}.phu", _code, "phu", "Pengadministrasi Haji dan Umrah", K.PELAKSANA, f"{_code}.kasi_phu"),
        (f"{_code}.bimas", _code, "bimas", "Penyuluh Agama Islam Ahli Muda", K.FUNGSIONAL, f"{_code}.kasi_bimas"),
        (f"{_code}.zawa", _code, "zawa", "Pengelola Data Zakat dan Wakaf", K.PELAKSANA, f"{_code}.gara_zawa"),
    ]  # fmt: skip

# (NIP, name, position key or None, username or None). NIPs are valid: birth date,
# appointment (TMT CPNS), gender digit, sequence. Kepala Seksi Bimas Islam of Kota Jambi
# is left vacant on purpose: its PLT is the demo account `skp_acting`.
EMPLOYEES = [
    ("196905121994031003", "Dr. H. Ahmad Fauzi Harahap, M.Pd.I.", "KWJ.kakanwil", None),
    ("197204081998032001", "Hj. Rosmawati, S.Ag., M.H.", "KWJ.kabag_tu", None),
    ("197511202000031002", "Drs. Syamsul Bahri, M.Pd.", "KWJ.kabid_pendma", None),
    ("197308151999031004", "H. Muhammad Ridwan, S.Ag., M.H.I.", "KWJ.kabid_phu", None),
    ("197602242001121001", "Dr. Zulkifli Nasution, M.Ag.", "KWJ.kabid_bimas", None),
    ("198807172014032002", "Nurul Hidayah, S.Sos.", "KWJ.ppid", "staf_kwj_tu"),
    ("199203052019031011", "Rizky Pratama, S.Kom.", "KWJ.ptsp", "staf_kwj_ptsp"),
    ("199010222015032004", "Siti Khadijah, S.Pd.I.", "KWJ.pendma", "staf_kwj_pendma"),
    ("197103171997031002", "H. Abdul Halim, S.Ag., M.Pd.I.", "KJB.kakan", None),
    ("197809262005011003", "Hendra Saputra, S.E., M.M.", "KJB.kasubbag_tu", "skp_acting"),
    ("198001142006042001", "Dra. Yusnidar, M.Pd.", "KJB.kasi_pendma", "skp_approver"),
    ("197912302005011005", "H. Irwan Syahputra, S.Ag.", "KJB.kasi_phu", "supervisor"),
    ("197707072003121002", "Marzuki, S.H.I.", "KJB.gara_zawa", None),
    ("199406182020122008", "Dewi Anggraini, A.Md.", "KJB.tu", "staf_kjb_tu"),
    ("199512012022032009", "Putri Ramadhani, S.A.P.", "KJB.ptsp", "staf_kjb_ptsp"),
    ("199708092023211004", "Fajar Kurniawan, S.Kom.", "KJB.ptsp", "clerk"),
    ("199109112017011006", "Ahmad Syukri, S.Pd.", "KJB.pendma", "staf_kjb_pendma"),
    ("199302282019032007", "Lestari Wulandari, S.Pd.", "KJB.pendma", "skp_owner"),
    ("198906192014031004", "Rahmat Hidayat, S.H.I.", "KJB.phu", "staf_kjb_phu"),
    ("198712032011011002", "M. Iqbal Ramadhan, S.Sos.I.", "KJB.bimas", "staf_kjb_bimas"),
    ("199004262015032006", "Fitri Yanti, S.Ag.", "KJB.bimas", "skp_owner_acting"),
    ("197005051995031001", "Drs. H. Kasmir, M.Pd.I.", "MJB.kakan", None),
    ("197910102006041002", "Suryadi, S.E.", "MJB.kasubbag_tu", None),
    ("197806062005012004", "Hj. Nurhasanah, S.Ag., M.Pd.I.", "MJB.kasi_pendma", None),
    ("198102022008011003", "Ali Akbar, S.Ag., M.H.", "MJB.kasi_phu", None),
    ("197711112003121001", "H. Mukhlis, S.Th.I., M.Ag.", "MJB.kasi_bimas", None),
    ("199201302018012002", "Ayu Lestari, S.I.Kom.", "MJB.tu", "staf_mjb_tu"),
    ("199608142022031003", "Dimas Aditya, S.T.", "MJB.ptsp", "staf_mjb_ptsp"),
    ("198811252014032003", "Hafizah, S.Sos.I.", "MJB.bimas", "staf_mjb_bimas"),
]

# The PLT of the vacant Kepala Seksi Bimas Islam of Kota Jambi (`skp_owner_acting`'s
# superior): in force from 30 days ago to 150 days ahead, whenever the seed runs.
ACTING = {
    "position": "KJB.kasi_bimas",
    "nip": "197809262005011003",
    "decree_number": "B-1187/Kk.05.01/1/KP.07.6/2026",
    "days_before": 30,
    "days_after": 150,
}

# --- Accounts ----------------------------------------------------------------------------
# (username, first name, extra role, [(office, unit, membership role)]).
# Staff accounts work the queue of their unit; `services` in --json is derived from the
# catalogue: every service with a step in one of the account's units.
ACCOUNTS = [
    ("staf_kwj_ptsp", "Rizky", None, [("KWJ", "ptsp", "staff")]),
    ("staf_kwj_pendma", "Siti", None, [("KWJ", "pendma", "staff")]),
    ("staf_kwj_tu", "Nurul", None, [("KWJ", "tu", "staff")]),
    ("staf_kjb_ptsp", "Putri", None, [("KJB", "ptsp", "staff")]),
    ("staf_kjb_pendma", "Ahmad", None, [("KJB", "pendma", "staff")]),
    ("staf_kjb_phu", "Rahmat", None, [("KJB", "phu", "staff")]),
    ("staf_kjb_bimas", "Iqbal", None, [("KJB", "bimas", "staff")]),
    ("staf_kjb_tu", "Dewi", None, [("KJB", "tu", "staff")]),
    ("staf_mjb_ptsp", "Dimas", None, [("MJB", "ptsp", "staff")]),
    ("staf_mjb_bimas", "Hafizah", None, [("MJB", "bimas", "staff")]),
    ("staf_mjb_tu", "Ayu", None, [("MJB", "tu", "staff")]),
    ("supervisor", "Irwan", None, [("KJB", "phu", "supervisor")]),
    ("clerk", "Fajar", None, [("KJB", "ptsp", "clerk")]),
    ("skp_owner", "Lestari", "skp_owner", [("KJB", "pendma", "staff")]),
    ("skp_approver", "Yusnidar", "skp_approver", [("KJB", "pendma", "supervisor")]),
    ("skp_owner_acting", "Fitri", "skp_owner_acting", [("KJB", "bimas", "staff")]),
    ("skp_acting", "Hendra", "skp_acting", [("KJB", "tu", "supervisor"), ("KJB", "bimas", "supervisor")]),
]  # fmt: skip

# --- Catalogue ---------------------------------------------------------------------------

COMPLAINTS = (
    "Pengaduan dapat disampaikan melalui: (1) langsung ke petugas pengaduan di ruang PTSP; "
    "(2) kotak saran dan pengaduan di ruang PTSP; (3) SP4N-LAPOR! di www.lapor.go.id; "
    "(4) surel dan WhatsApp pengaduan kantor yang diumumkan di ruang PTSP."
)
UU_PELAYANAN = "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik"
PP_PELAYANAN = "Peraturan Pemerintah Nomor 96 Tahun 2012 tentang Pelaksanaan UU Pelayanan Publik"
AGAMA = ["Islam", "Kristen", "Katolik", "Hindu", "Buddha", "Khonghucu"]
JENJANG = ["MI", "MTs", "MA", "MAK"]


def _f(code, label, type="text", required=True, choices=None, help_text=""):
    return {
        "code": code,
        "label": label,
        "type": type,
        "required": required,
        "choices": choices or [],
        "help_text": help_text,
    }


def _d(code, label, required=True, content_types=PDF_IMG, max_bytes=2 * MB, help_text=""):
    return {
        "code": code,
        "label": label,
        "required": required,
        "content_types": list(content_types),
        "max_bytes": max_bytes,
        "help_text": help_text,
    }


def _s(name, unit, days=1, may_return=False, produces_result=False, description=""):
    return {
        "name": name,
        "unit": unit,
        "sla_working_days": days,
        "may_return": may_return,
        "produces_result": produces_result,
        "description": description,
    }


def _verify(office, days=1):
    return _s(
        "Verifikasi kelengkapan berkas di PTSP",
        (office, "ptsp"),
        days,
        may_return=True,
        description="Petugas PTSP memeriksa kelengkapan dan keabsahan persyaratan.",
    )


SERVICES = [
    {
        "code": "rekomendasi-paspor-haji-umrah",
        "name": "Rekomendasi Pembuatan Paspor Haji/Umrah",
        "unit": ("KJB", "phu"),
        "description": "Surat rekomendasi Kantor Kementerian Agama kepada Kantor Imigrasi "
        "untuk pembuatan paspor bagi calon jemaah haji atau umrah.",
        "requirements": "1. KTP elektronik yang masih berlaku.\n"
        "2. Kartu Keluarga.\n"
        "3. Akta kelahiran, ijazah, atau buku nikah yang memuat nama, tempat dan tanggal lahir.\n"
        "4. Calon jemaah haji: bukti setoran awal BPIH dan nomor porsi.\n"
        "5. Calon jemaah umrah: surat keterangan dari PPIU yang berizin.\n"
        "6. Pas foto berwarna latar putih.",
        "procedure": "1. Pemohon mengajukan permohonan secara daring atau di loket PTSP.\n"
        "2. Petugas PTSP memverifikasi berkas.\n"
        "3. Seksi PHU memeriksa data dan menyusun konsep rekomendasi.\n"
        "4. Kepala Kantor menandatangani rekomendasi secara elektronik.\n"
        "5. Rekomendasi dikirim kepada pemohon dan dapat diunduh.",
        "sla_working_days": 3,
        "fee": 0,
        "product": "Surat Rekomendasi Pembuatan Paspor (tidak dipungut biaya)",
        "product_is_digital": True,
        "legal_basis": f"1. {UU_PELAYANAN}.\n"
        "2. Undang-Undang Nomor 8 Tahun 2019 tentang Penyelenggaraan Ibadah Haji dan Umrah.\n"
        "3. Peraturan Menteri Hukum dan HAM Nomor 8 Tahun 2014 tentang Paspor Biasa dan "
        "Surat Perjalanan Laksana Paspor.",
        "fields": [
            _f(
                "jenis_ibadah",
                "Jenis ibadah",
                "choice",
                choices=["Haji Reguler", "Haji Khusus", "Umrah"],
            ),
            _f("tempat_lahir", "Tempat lahir"),
            _f("tanggal_lahir", "Tanggal lahir", "date"),
            _f(
                "nomor_porsi",
                "Nomor porsi haji",
                required=False,
                help_text="Diisi calon jemaah haji.",
            ),
            _f(
                "nama_ppiu",
                "Nama PPIU (travel umrah)",
                required=False,
                help_text="Diisi calon jemaah umrah.",
            ),
            _f("rencana_berangkat", "Rencana tanggal keberangkatan", "date", required=False),
            _f(
                "kontak_keluarga", "Nomor HP keluarga yang dapat dihubungi", "phone", required=False
            ),
        ],
        "documents": [
            _d("ktp", "KTP elektronik"),
            _d("kartu_keluarga", "Kartu Keluarga"),
            _d("akta_lahir", "Akta kelahiran / ijazah / buku nikah"),
            _d("bukti_setoran", "Bukti setoran awal BPIH atau surat keterangan PPIU"),
            _d("pas_foto", "Pas foto berwarna latar putih", content_types=IMG, max_bytes=1 * MB),
        ],
        "steps": [
            _verify("KJB"),
            _s(
                "Pemeriksaan data dan penyusunan konsep rekomendasi",
                ("KJB", "phu"),
                1,
                may_return=True,
            ),
            _s(
                "Penandatanganan rekomendasi oleh Kepala Kantor",
                ("KJB", "tu"),
                1,
                produces_result=True,
            ),
        ],
    },
    {
        "code": "legalisir-ijazah-madrasah",
        "name": "Legalisir Ijazah Madrasah",
        "unit": ("KJB", "pendma"),
        "description": "Pengesahan fotokopi ijazah MI, MTs, MA dan MAK bagi lulusan madrasah "
        "yang ijazahnya diterbitkan di wilayah Kota Jambi.",
        "requirements": "1. Ijazah asli (diperlihatkan saat pengambilan).\n"
        "2. Fotokopi ijazah yang akan dilegalisir, paling banyak 10 lembar.\n"
        "3. KTP pemohon atau kartu pelajar.",
        "procedure": "1. Pemohon mengunggah pindaian ijazah atau datang ke loket PTSP.\n"
        "2. Petugas PTSP memverifikasi berkas.\n"
        "3. Seksi Pendidikan Madrasah mencocokkan dengan arsip dan mengesahkan fotokopi.\n"
        "4. Fotokopi yang telah dilegalisir diambil di loket PTSP dengan menunjukkan ijazah asli.",
        "sla_working_days": 2,
        "fee": 0,
        "product": "Fotokopi ijazah yang telah dilegalisir (diambil di loket PTSP)",
        "product_is_digital": False,
        "legal_basis": f"1. {UU_PELAYANAN}.\n"
        "2. Undang-Undang Nomor 20 Tahun 2003 tentang Sistem Pendidikan Nasional.\n"
        "3. Peraturan Menteri Pendidikan dan Kebudayaan Nomor 29 Tahun 2014 tentang "
        "Pengesahan Fotokopi Ijazah/Surat Tanda Tamat Belajar.",
        "fields": [
            _f("nama_madrasah", "Nama madrasah yang menerbitkan ijazah"),
            _f("jenjang", "Jenjang", "choice", choices=JENJANG),
            _f("tahun_lulus", "Tahun lulus", "number"),
            _f("nomor_ijazah", "Nomor seri ijazah"),
            _f(
                "jumlah_lembar",
                "Jumlah lembar yang dilegalisir",
                "number",
                help_text="Paling banyak 10 lembar.",
            ),
            _f("keperluan", "Keperluan", "textarea", required=False),
        ],
        "documents": [
            _d("pindaian_ijazah", "Pindaian ijazah (halaman depan dan belakang)", max_bytes=3 * MB),
            _d("ktp", "KTP atau kartu pelajar"),
        ],
        "steps": [
            _verify("KJB"),
            _s("Pencocokan arsip dan pengesahan fotokopi", ("KJB", "pendma"), 1, may_return=True),
        ],
    },
    {
        "code": "rohaniwan-sumpah-jabatan",
        "name": "Permohonan Rohaniwan untuk Pengambilan Sumpah Jabatan",
        "unit": ("KJB", "bimas"),
        "description": "Penugasan rohaniwan untuk mendampingi pengambilan sumpah/janji jabatan "
        "atau pelantikan pegawai di instansi pemerintah dan swasta.",
        "requirements": "1. Surat permohonan dari instansi yang ditandatangani pimpinan.\n"
        "2. Daftar nama pejabat yang akan dilantik beserta agamanya.\n"
        "3. Diajukan paling lambat 3 hari kerja sebelum pelantikan.",
        "procedure": "1. Instansi mengajukan permohonan secara daring atau di loket PTSP.\n"
        "2. Petugas PTSP memverifikasi berkas.\n"
        "3. Seksi Bimas Islam menunjuk rohaniwan sesuai agama pejabat.\n"
        "4. Subbagian Tata Usaha menerbitkan surat tugas rohaniwan.",
        "sla_working_days": 3,
        "fee": 0,
        "product": "Surat Tugas Rohaniwan (tidak dipungut biaya)",
        "product_is_digital": True,
        "legal_basis": f"1. {UU_PELAYANAN}.\n"
        "2. Peraturan Pemerintah Nomor 21 Tahun 1975 tentang Sumpah/Janji Pegawai Negeri Sipil.\n"
        "3. Peraturan Pemerintah Nomor 11 Tahun 2017 tentang Manajemen Pegawai Negeri Sipil.",
        "fields": [
            _f("instansi", "Nama instansi pemohon"),
            _f("tanggal_pelantikan", "Tanggal pelantikan", "date"),
            _f("tempat_pelantikan", "Tempat pelantikan"),
            _f("jumlah_pejabat", "Jumlah pejabat yang dilantik", "number"),
            _f("agama_rohaniwan", "Agama rohaniwan yang dibutuhkan", "choice", choices=AGAMA),
            _f("kontak_panitia", "Nomor HP panitia", "phone"),
            _f("email_instansi", "Surel instansi", "email", required=False),
        ],
        "documents": [
            _d("surat_permohonan", "Surat permohonan dari pimpinan instansi", content_types=PDF),
            _d("daftar_pejabat", "Daftar nama pejabat yang dilantik", content_types=PDF),
        ],
        "steps": [
            _verify("KJB"),
            _s("Penunjukan rohaniwan", ("KJB", "bimas"), 1),
            _s("Penerbitan surat tugas rohaniwan", ("KJB", "tu"), 1, produces_result=True),
        ],
    },
    {
        "code": "surat-pindah-madrasah",
        "name": "Rekomendasi Pindah Madrasah",
        "unit": ("KJB", "pendma"),
        "description": "Surat rekomendasi mutasi peserta didik antarmadrasah atau dari sekolah "
        "ke madrasah di wilayah Kota Jambi.",
        "requirements": "1. Surat keterangan pindah dari madrasah/sekolah asal.\n"
        "2. Surat keterangan bersedia menerima dari madrasah tujuan.\n"
        "3. Fotokopi rapor terakhir.\n"
        "4. Nomor Induk Siswa Nasional (NISN).",
        "procedure": "1. Orang tua/wali mengajukan permohonan.\n"
        "2. Petugas PTSP memverifikasi berkas.\n"
        "3. Seksi Pendidikan Madrasah memeriksa data EMIS dan menerbitkan rekomendasi.",
        "sla_working_days": 3,
        "fee": 0,
        "product": "Surat Rekomendasi Pindah Madrasah (tidak dipungut biaya)",
        "product_is_digital": True,
        "legal_basis": f"1. {UU_PELAYANAN}.\n"
        "2. Peraturan Menteri Agama Nomor 90 Tahun 2013 tentang Penyelenggaraan Pendidikan "
        "Madrasah sebagaimana telah diubah dengan Peraturan Menteri Agama Nomor 60 Tahun 2015.",
        "fields": [
            _f("nama_siswa", "Nama peserta didik"),
            _f("nisn", "NISN", help_text="10 digit Nomor Induk Siswa Nasional."),
            _f("jenjang", "Jenjang", "choice", choices=JENJANG),
            _f("kelas", "Kelas", "number"),
            _f("madrasah_asal", "Madrasah/sekolah asal"),
            _f("madrasah_tujuan", "Madrasah tujuan"),
            _f("alasan_pindah", "Alasan pindah", "textarea"),
        ],
        "documents": [
            _d("surat_pindah", "Surat keterangan pindah dari madrasah asal"),
            _d("surat_penerimaan", "Surat keterangan bersedia menerima dari madrasah tujuan"),
            _d("rapor", "Rapor semester terakhir", content_types=PDF, max_bytes=5 * MB),
        ],
        "steps": [
            _verify("KJB"),
            _s(
                "Pemeriksaan data EMIS dan penerbitan rekomendasi",
                ("KJB", "pendma"),
                2,
                may_return=True,
                produces_result=True,
            ),
        ],
    },
    {
        "code": "izin-operasional-madrasah",
        "name": "Izin Operasional Madrasah Swasta",
        "unit": ("KWJ", "pendma"),
        "description": "Penerbitan Keputusan Kepala Kantor Wilayah tentang izin operasional "
        "RA, MI, MTs dan MA yang diselenggarakan masyarakat.",
        "requirements": "1. Surat permohonan dari penyelenggara (yayasan/badan hukum).\n"
        "2. Akta pendirian dan pengesahan badan hukum penyelenggara.\n"
        "3. Bukti kepemilikan atau penguasaan tanah dan bangunan.\n"
        "4. Rekomendasi Kantor Kementerian Agama kabupaten/kota.\n"
        "5. Profil madrasah: kurikulum, pendidik dan tenaga kependidikan, sarana, peserta didik.",
        "procedure": "1. Penyelenggara mengajukan permohonan.\n"
        "2. Petugas PTSP Kanwil memverifikasi kelengkapan administrasi.\n"
        "3. Tim Bidang Pendidikan Madrasah melakukan verifikasi lapangan.\n"
        "4. Bidang Pendidikan Madrasah menyusun konsep keputusan.\n"
        "5. Kepala Kantor Wilayah menandatangani keputusan izin operasional.",
        "sla_working_days": 14,
        "fee": 0,
        "product": "Keputusan Kepala Kantor Wilayah tentang Izin Operasional Madrasah",
        "product_is_digital": True,
        "legal_basis": f"1. {UU_PELAYANAN}.\n"
        "2. Undang-Undang Nomor 20 Tahun 2003 tentang Sistem Pendidikan Nasional.\n"
        "3. Peraturan Menteri Agama Nomor 90 Tahun 2013 tentang Penyelenggaraan Pendidikan "
        "Madrasah sebagaimana telah diubah dengan Peraturan Menteri Agama Nomor 60 Tahun 2015.",
        "fields": [
            _f("nama_madrasah", "Nama madrasah"),
            _f("jenjang", "Jenjang", "choice", choices=["RA", "MI", "MTs", "MA"]),
            _f("penyelenggara", "Nama yayasan/badan hukum penyelenggara"),
            _f("alamat_madrasah", "Alamat madrasah", "textarea"),
            _f("tanggal_berdiri", "Tanggal mulai beroperasi", "date"),
            _f("jumlah_peserta_didik", "Jumlah peserta didik", "number"),
            _f("email_penyelenggara", "Surel penyelenggara", "email"),
            _f("telepon_penyelenggara", "Nomor telepon penyelenggara", "phone"),
        ],
        "documents": [
            _d("surat_permohonan", "Surat permohonan penyelenggara", content_types=PDF),
            _d(
                "akta_badan_hukum",
                "Akta pendirian dan SK pengesahan badan hukum",
                content_types=PDF,
                max_bytes=5 * MB,
            ),
            _d(
                "bukti_tanah",
                "Bukti kepemilikan/penguasaan tanah dan bangunan",
                content_types=PDF,
                max_bytes=5 * MB,
            ),
            _d(
                "rekomendasi_kankemenag",
                "Rekomendasi Kantor Kementerian Agama kabupaten/kota",
                content_types=PDF,
            ),
            _d("profil_madrasah", "Profil madrasah", content_types=PDF, max_bytes=10 * MB),
        ],
        "steps": [
            _verify("KWJ", 2),
            _s("Verifikasi lapangan", ("KWJ", "pendma"), 5, may_return=True),
            _s("Penyusunan konsep keputusan izin operasional", ("KWJ", "pendma"), 3),
            _s(
                "Penandatanganan keputusan oleh Kepala Kantor Wilayah",
                ("KWJ", "tu"),
                2,
                produces_result=True,
            ),
        ],
    },
    {
        "code": "informasi-publik",
        "name": "Permohonan Informasi Publik",
        "unit": ("KWJ", "tu"),
        "description": "Permohonan informasi publik kepada PPID Kantor Wilayah Kementerian "
        "Agama Provinsi Jambi.",
        "requirements": "1. Identitas pemohon (KTP); bagi badan hukum, akta pendirian.\n"
        "2. Rincian informasi yang dibutuhkan dan tujuan penggunaannya.",
        "procedure": "1. Pemohon mengisi formulir permohonan informasi.\n"
        "2. Petugas PTSP meregistrasi permohonan.\n"
        "3. PPID menelusuri dan menyiapkan informasi.\n"
        "4. PPID menyampaikan jawaban dan informasi kepada pemohon.",
        "sla_working_days": 10,
        "fee": 0,
        "product": "Surat jawaban PPID beserta salinan informasi publik",
        "product_is_digital": True,
        "legal_basis": "1. Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik.\n"
        "2. Peraturan Komisi Informasi Nomor 1 Tahun 2021 tentang Standar Layanan Informasi Publik.\n"
        f"3. {UU_PELAYANAN}.",
        "fields": [
            _f("rincian_informasi", "Rincian informasi yang dibutuhkan", "textarea"),
            _f("tujuan_penggunaan", "Tujuan penggunaan informasi", "textarea"),
            _f(
                "cara_memperoleh",
                "Cara memperoleh informasi",
                "choice",
                choices=["Melihat/membaca", "Salinan elektronik", "Salinan cetak"],
            ),
            _f(
                "cara_mengirim",
                "Cara mendapatkan salinan",
                "choice",
                choices=["Surel", "WhatsApp", "Diambil langsung"],
            ),
            _f("email_pemohon", "Surel pemohon", "email", required=False),
        ],
        "documents": [
            _d("ktp", "KTP pemohon"),
            _d(
                "akta_badan_hukum",
                "Akta pendirian (bagi badan hukum)",
                required=False,
                content_types=PDF,
            ),
        ],
        "steps": [
            _s("Registrasi permohonan informasi", ("KWJ", "ptsp"), 1, may_return=True),
            _s("Penelusuran dan penyiapan informasi oleh PPID", ("KWJ", "tu"), 7),
            _s("Penyampaian jawaban PPID", ("KWJ", "tu"), 2, produces_result=True),
        ],
    },
    {
        "code": "rekomendasi-rumah-ibadah",
        "name": "Rekomendasi Pendirian Rumah Ibadah",
        "unit": ("MJB", "bimas"),
        "description": "Rekomendasi tertulis Kepala Kantor Kementerian Agama sebagai syarat "
        "permohonan izin mendirikan bangunan rumah ibadah.",
        "requirements": "1. Daftar nama dan KTP paling sedikit 90 pengguna rumah ibadah.\n"
        "2. Dukungan masyarakat setempat paling sedikit 60 orang, disahkan lurah/kepala desa.\n"
        "3. Rekomendasi tertulis FKUB kabupaten.\n"
        "4. Bukti status tanah.",
        "procedure": "1. Panitia pembangunan mengajukan permohonan.\n"
        "2. Petugas PTSP memverifikasi berkas.\n"
        "3. Seksi Bimas Islam (atau penyelenggara agama terkait) meninjau lokasi.\n"
        "4. Kepala Kantor menandatangani rekomendasi.",
        "sla_working_days": 10,
        "fee": 0,
        "product": "Surat Rekomendasi Kepala Kantor Kementerian Agama Kabupaten Muaro Jambi",
        "product_is_digital": True,
        "legal_basis": f"1. {UU_PELAYANAN}.\n"
        "2. Peraturan Bersama Menteri Agama dan Menteri Dalam Negeri Nomor 9 dan 8 Tahun 2006 "
        "tentang Pedoman Pelaksanaan Tugas Kepala Daerah/Wakil Kepala Daerah dalam Pemeliharaan "
        "Kerukunan Umat Beragama, Pemberdayaan FKUB, dan Pendirian Rumah Ibadat.",
        "fields": [
            _f("nama_rumah_ibadah", "Nama rumah ibadah"),
            _f("agama", "Agama", "choice", choices=AGAMA),
            _f("alamat_lokasi", "Alamat lokasi pembangunan", "textarea"),
            _f("luas_tanah", "Luas tanah (m²)", "number"),
            _f(
                "jumlah_pengguna", "Jumlah pengguna", "number", help_text="Paling sedikit 90 orang."
            ),
            _f("ketua_panitia", "Nama ketua panitia pembangunan"),
            _f("telepon_panitia", "Nomor HP ketua panitia", "phone"),
            _f("tanggal_rekomendasi_fkub", "Tanggal rekomendasi FKUB", "date"),
        ],
        "documents": [
            _d(
                "daftar_pengguna",
                "Daftar nama dan KTP pengguna rumah ibadah",
                content_types=PDF,
                max_bytes=10 * MB,
            ),
            _d(
                "dukungan_masyarakat",
                "Daftar dukungan masyarakat setempat",
                content_types=PDF,
                max_bytes=10 * MB,
            ),
            _d("rekomendasi_fkub", "Rekomendasi tertulis FKUB", content_types=PDF),
            _d("status_tanah", "Bukti status tanah"),
        ],
        "steps": [
            _verify("MJB"),
            _s("Peninjauan lokasi dan verifikasi dukungan", ("MJB", "bimas"), 5, may_return=True),
            _s(
                "Penandatanganan rekomendasi oleh Kepala Kantor",
                ("MJB", "tu"),
                2,
                produces_result=True,
            ),
        ],
    },
    {
        "code": "pendaftaran-majelis-taklim",
        "name": "Pendaftaran Majelis Taklim",
        "unit": ("MJB", "bimas"),
        "description": "Penerbitan Surat Keterangan Terdaftar (SKT) majelis taklim di "
        "Kabupaten Muaro Jambi.",
        "requirements": "1. Surat permohonan pendaftaran.\n"
        "2. Susunan pengurus.\n"
        "3. Surat keterangan domisili dari desa/kelurahan.\n"
        "4. Daftar jemaah paling sedikit 15 orang.",
        "procedure": "1. Pengurus mengajukan permohonan.\n"
        "2. Petugas PTSP memverifikasi berkas.\n"
        "3. Seksi Bimas Islam memverifikasi data majelis taklim.\n"
        "4. Surat Keterangan Terdaftar ditandatangani dan diterbitkan.",
        "sla_working_days": 5,
        "fee": 0,
        "product": "Surat Keterangan Terdaftar (SKT) Majelis Taklim, berlaku 5 tahun",
        "product_is_digital": True,
        "legal_basis": f"1. {UU_PELAYANAN}.\n"
        "2. Peraturan Menteri Agama Nomor 29 Tahun 2019 tentang Majelis Taklim.",
        "fields": [
            _f("nama_majelis", "Nama majelis taklim"),
            _f("alamat_majelis", "Alamat sekretariat", "textarea"),
            _f("tanggal_berdiri", "Tanggal berdiri", "date"),
            _f("jumlah_jemaah", "Jumlah jemaah", "number", help_text="Paling sedikit 15 orang."),
            _f(
                "tempat_kegiatan",
                "Tempat kegiatan",
                "choice",
                choices=["Masjid", "Musala", "Rumah warga", "Gedung lainnya"],
            ),
            _f("nama_ketua", "Nama ketua"),
            _f("telepon_ketua", "Nomor HP ketua", "phone"),
        ],
        "documents": [
            _d("surat_permohonan", "Surat permohonan pendaftaran", content_types=PDF),
            _d("susunan_pengurus", "Susunan pengurus", content_types=PDF),
            _d("keterangan_domisili", "Surat keterangan domisili dari desa/kelurahan"),
            _d("daftar_jemaah", "Daftar jemaah", content_types=PDF),
        ],
        "steps": [
            _verify("MJB"),
            _s("Verifikasi data majelis taklim", ("MJB", "bimas"), 2, may_return=True),
            _s("Penerbitan Surat Keterangan Terdaftar", ("MJB", "tu"), 2, produces_result=True),
        ],
    },
]
SERVICES.append(
    {
        "code": "nikah-di-luar-kua",
        "name": "Pendaftaran Nikah di Luar KUA atau di Luar Jam Kerja",
        "unit": ("MJB", "bimas"),
        "description": "Pendaftaran pencatatan nikah yang akad nikahnya dilaksanakan di luar "
        "kantor KUA kecamatan atau di luar hari dan jam kerja, di wilayah Kabupaten Muaro Jambi. "
        "Dikenakan PNBP yang disetor langsung ke kas negara melalui bank persepsi.",
        "requirements": "1. Surat pengantar nikah dari desa/kelurahan tempat tinggal calon pengantin.\n"
        "2. KTP elektronik dan Kartu Keluarga kedua calon pengantin.\n"
        "3. Akta kelahiran kedua calon pengantin.\n"
        "4. Bukti setor PNBP nikah sebesar Rp600.000 ke rekening bendahara penerimaan.\n"
        "5. Didaftarkan paling lambat 10 hari kerja sebelum akad nikah.",
        "procedure": "1. Calon pengantin atau walinya mengajukan pendaftaran.\n"
        "2. Petugas PTSP memverifikasi berkas dan bukti setor PNBP.\n"
        "3. Seksi Bimas Islam menjadwalkan akad nikah dan menugaskan penghulu KUA kecamatan.",
        "sla_working_days": 3,
        "fee": 600000,
        "product": "Jadwal akad nikah dan surat tugas penghulu; buku nikah diserahkan setelah akad",
        "product_is_digital": False,
        "legal_basis": f"1. {UU_PELAYANAN}.\n"
        "2. Peraturan Pemerintah Nomor 48 Tahun 2014 tentang Perubahan atas Peraturan Pemerintah "
        "Nomor 47 Tahun 2004 tentang Tarif atas Jenis Penerimaan Negara Bukan Pajak yang Berlaku "
        "pada Departemen Agama.\n"
        "3. Peraturan Menteri Agama Nomor 20 Tahun 2019 tentang Pencatatan Pernikahan.",
        "fields": [
            _f("nama_calon_suami", "Nama calon suami"),
            _f("nama_calon_istri", "Nama calon istri"),
            _f("tanggal_akad", "Tanggal akad nikah", "date"),
            _f("jam_akad", "Jam akad nikah", help_text="Contoh: 09.00 WIB."),
            _f("tempat_akad", "Alamat tempat akad nikah", "textarea"),
            _f(
                "kua",
                "KUA kecamatan",
                "choice",
                choices=[
                    "Jambi Luar Kota",
                    "Sekernan",
                    "Kumpeh",
                    "Kumpeh Ulu",
                    "Maro Sebo",
                    "Mestong",
                    "Sungai Bahar",
                    "Bahar Utara",
                    "Bahar Selatan",
                    "Sungai Gelam",
                    "Taman Rajo",
                ],
            ),
            _f("telepon_wali", "Nomor HP wali nikah", "phone"),
        ],
        "documents": [
            _d("surat_pengantar", "Surat pengantar nikah dari desa/kelurahan"),
            _d("ktp_kk", "KTP dan Kartu Keluarga kedua calon pengantin", max_bytes=4 * MB),
            _d("akta_lahir", "Akta kelahiran kedua calon pengantin", max_bytes=4 * MB),
            _d("bukti_setor_pnbp", "Bukti setor PNBP nikah"),
        ],
        "steps": [
            _verify("MJB"),
            _s("Penjadwalan akad dan penugasan penghulu", ("MJB", "bimas"), 2),
        ],
    }
)
for _service in SERVICES:
    _service.setdefault("complaint_channel", COMPLAINTS)


# --- Loading -------------------------------------------------------------------------------


def demo_accounts() -> list[dict]:
    """The demo logins, as `seed_demo --json` prints them and `serve` shows them.

    Derived from the tables above (no database access): `services` are the codes of
    services with a step in one of the account's units.
    """
    unit_names = {}
    for office in OFFICES:
        units = KANWIL_UNITS if office["kind"] == Office.Kind.KANWIL else KANKEMENAG_UNITS
        for code, name, _kind in units:
            unit_names[(office["code"], code)] = f"{name} ({office['code']})"
    services_by_unit: dict[tuple, list[str]] = {}
    for service in SERVICES:
        for step in service["steps"]:
            codes = services_by_unit.setdefault(step["unit"], [])
            if service["code"] not in codes:
                codes.append(service["code"])
    password = settings.DEMO_PASSWORD
    accounts = [
        {
            "username": "admin",
            "password": password,
            "roles": ["admin"],
            "unit": None,
            "services": [s["code"] for s in SERVICES],
        }
    ]
    for username, _first, extra_role, memberships in ACCOUNTS:
        roles = [extra_role] if extra_role else []
        services = []
        for office, unit, role in memberships:
            if role not in roles:
                roles.append(role)
            for code in services_by_unit.get((office, unit), []):
                if code not in services:
                    services.append(code)
        accounts.append(
            {
                "username": username,
                "password": password,
                "roles": roles,
                "unit": "; ".join(unit_names[(o, u)] for o, u, _r in memberships),
                "services": services,
            }
        )
    return accounts


@transaction.atomic
def demo_load(*, today: datetime.date | None = None) -> dict:
    """Create or update the demo organisation, catalogue and accounts. Idempotent.

    The caller (seed_demo) refuses to run unless DEBUG is on. Returns row counts.
    """
    today = today or timezone.localdate()
    offices = {}
    for data in OFFICES:
        data = dict(data)
        parent = data.pop("parent")
        offices[data["code"]], _ = Office.objects.update_or_create(
            code=data["code"], defaults={**data, "parent": offices.get(parent)}
        )
    units = {}
    for code, office in offices.items():
        table = KANWIL_UNITS if office.kind == Office.Kind.KANWIL else KANKEMENAG_UNITS
        for unit_code, name, kind in table:
            units[(code, unit_code)], _ = Unit.objects.update_or_create(
                office=office, code=unit_code, defaults={"name": name, "kind": kind}
            )
    positions = {}
    for key, office, unit, name, kind, superior in POSITIONS:
        positions[key], _ = Position.objects.update_or_create(
            unit=units[(office, unit)],
            name=name,
            defaults={"kind": kind, "superior": positions.get(superior)},
        )

    User = get_user_model()
    users = {}
    admin, _ = User.objects.update_or_create(
        username="admin",
        defaults={
            "first_name": "Admin",
            "last_name": "Alur",
            "email": "admin@alur.test",
            "is_staff": True,
            "is_superuser": True,
            "is_active": True,
        },
    )
    users["admin"] = admin
    names = {username: name for _nip, name, _pos, username in EMPLOYEES if username}
    for username, first, _role, memberships in ACCOUNTS:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": names.get(username, first)[:150],
                "email": f"{username}@alur.test",
                "is_staff": False,
                "is_superuser": False,
                "is_active": True,
            },
        )
        users[username] = user
        for office, unit, role in memberships:
            StaffMembership.objects.get_or_create(user=user, unit=units[(office, unit)], role=role)
    # One hash for every demo account (their password is published anyway): checked once
    # and written only where it differs, so a second run changes no row and costs one hash.
    encoded = admin.password if admin.check_password(settings.DEMO_PASSWORD) else None
    encoded = encoded or make_password(settings.DEMO_PASSWORD)
    for user in users.values():
        if user.password != encoded:
            user.password = encoded
            user.save(update_fields=["password"])

    employees = {}
    for nip, name, position_key, username in EMPLOYEES:
        employees[nip], _ = Employee.objects.update_or_create(
            nip=nip,
            defaults={
                "name": name,
                "user": users.get(username),
                "email": f"{username}@alur.test" if username else "",
            },
        )
        if position_key:
            PositionHolding.objects.update_or_create(
                employee=employees[nip],
                position=positions[position_key],
                defaults={"start_date": HOLDING_START, "end_date": None},
            )

    start = today - datetime.timedelta(days=ACTING["days_before"])
    end = today + datetime.timedelta(days=ACTING["days_after"])
    acting = ActingAssignment.objects.filter(
        position=positions[ACTING["position"]], decree_number=ACTING["decree_number"]
    ).first()
    if acting is None:
        acting_assignment_create(
            employee=employees[ACTING["nip"]],
            position=positions[ACTING["position"]],
            start_date=start,
            end_date=end,
            decree_number=ACTING["decree_number"],
        )
    elif (acting.start_date, acting.end_date) != (start, end):
        acting.start_date, acting.end_date = start, end
        acting.full_clean()
        acting.save(update_fields=["start_date", "end_date"])

    for order, data in enumerate(SERVICES, start=1):
        _service_load(data, units=units, display_order=order)

    return {
        "offices": len(offices),
        "units": len(units),
        "positions": len(positions),
        "employees": len(employees),
        "services": len(SERVICES),
        "accounts": len(users),
    }


def _service_load(data: dict, *, units: dict, display_order: int) -> ServiceType:
    data = dict(data)
    fields, documents, steps = data.pop("fields"), data.pop("documents"), data.pop("steps")
    unit = units[data.pop("unit")]
    service, _ = ServiceType.objects.update_or_create(
        code=data.pop("code"),
        defaults={**data, "unit": unit, "is_active": True, "display_order": display_order},
    )
    field_objs = [
        FormField.objects.update_or_create(
            service=service, code=f["code"], defaults={**f, "order": i}
        )[0]
        for i, f in enumerate(fields, start=1)
    ]
    service.fields.exclude(code__in=[f["code"] for f in fields]).delete()
    document_objs = [
        RequiredDocument.objects.update_or_create(
            service=service, code=d["code"], defaults={**d, "order": i}
        )[0]
        for i, d in enumerate(documents, start=1)
    ]
    service.documents.exclude(code__in=[d["code"] for d in documents]).delete()
    service.steps.filter(order__gt=len(steps)).delete()
    step_objs = []
    for order, s in enumerate(steps, start=1):
        s = dict(s)
        s["unit"] = units[s["unit"]]
        step_objs.append(Step.objects.update_or_create(service=service, order=order, defaults=s)[0])
    for obj in [service, *field_objs, *document_objs, *step_objs]:
        obj.full_clean()
    service_type_validate(fields=field_objs, documents=document_objs, steps=step_objs)
    return service
