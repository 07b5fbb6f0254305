"""The messages' default texts (Bahasa Indonesia first, English): Django template strings
rendered by `notifications.texts`, which an office may override per service type."""

STATUS_LABELS = {
    "id": {
        "submitted": "Diterima",
        "in_progress": "Diproses",
        "needs_info": "Perlu perbaikan",
        "completed": "Selesai",
        "rejected": "Ditolak",
        "cancelled": "Dibatalkan",
    },
    "en": {
        "submitted": "Received",
        "in_progress": "In progress",
        "needs_info": "Needs correction",
        "completed": "Completed",
        "rejected": "Rejected",
        "cancelled": "Cancelled",
    },
}

DEFAULT_TEXTS = {
    "id": {
        "submitted": (
            "Permohonan {{ service }} Anda telah kami terima.\n"
            "Nomor registrasi: *{{ number }}*\n"
            "Perkiraan selesai: {{ due_date }}.\n"
            "Pantau status: {{ tracking_url }}\n"
            "Simpan nomor ini. Ketik CEK {{ number }} untuk menanyakan status."
        ),
        "step_started": (
            "Permohonan {{ number }} ({{ service }}) sedang diproses pada tahap: {{ step }}.\n"
            "Pantau status: {{ tracking_url }}"
        ),
        "returned": (
            "Permohonan {{ number }} ({{ service }}) perlu perbaikan.\n"
            "Catatan petugas: {{ note }}\n"
            "Perbaiki di sini: {{ applicant_url }}"
        ),
        "resubmitted": (
            "Perbaikan permohonan {{ number }} ({{ service }}) telah kami terima dan "
            "diproses kembali pada tahap: {{ step }}.\n"
            "Pantau status: {{ tracking_url }}"
        ),
        "completed": (
            "Permohonan {{ number }} ({{ service }}) telah selesai.\n"
            "{% if product_is_digital %}Unduh {{ product }} di: {{ applicant_url }}"
            "{% else %}{{ product }} dapat diambil di loket PTSP {{ office }} dengan "
            "menunjukkan nomor registrasi ini.{% endif %}\n"
            "Mohon isi survei kepuasan (1 menit): {{ survey_url }}\n"
            "Pengaduan: {{ complaint_url }}\n"
            "Terima kasih."
        ),
        "rejected": (
            "Mohon maaf, permohonan {{ number }} ({{ service }}) ditolak.\n"
            "Alasan: {{ note }}\n"
            "Rincian: {{ tracking_url }}"
        ),
        "cancelled": (
            "Permohonan {{ number }} ({{ service }}) telah dibatalkan.\nRincian: {{ tracking_url }}"
        ),
        "closed_unanswered": (
            "Permohonan {{ number }} ({{ service }}) ditutup karena perbaikan yang diminta "
            "tidak kami terima sampai batas waktunya.\n{{ note }}\n"
            "Silakan ajukan permohonan baru bila masih diperlukan. Rincian: {{ tracking_url }}"
        ),
        "overdue": (
            "Pengingat: tugas {{ step }} untuk permohonan {{ number }} ({{ service }}) "
            "melewati batas waktu ({{ due_date }})."
        ),
    },
    "en": {
        "submitted": (
            "We have received your {{ service }} request.\n"
            "Registration number: *{{ number }}*\n"
            "Expected completion: {{ due_date }}.\n"
            "Track it: {{ tracking_url }}\n"
            "Keep this number. Send CEK {{ number }} to ask for its status."
        ),
        "step_started": (
            "Request {{ number }} ({{ service }}) is now at the step: {{ step }}.\n"
            "Track it: {{ tracking_url }}"
        ),
        "returned": (
            "Request {{ number }} ({{ service }}) needs a correction.\n"
            "Note from the office: {{ note }}\n"
            "Fix it here: {{ applicant_url }}"
        ),
        "resubmitted": (
            "We have received the correction of request {{ number }} ({{ service }}); it is "
            "being processed again at the step: {{ step }}.\n"
            "Track it: {{ tracking_url }}"
        ),
        "completed": (
            "Request {{ number }} ({{ service }}) is complete.\n"
            "{% if product_is_digital %}Download the {{ product }} at: {{ applicant_url }}"
            "{% else %}Collect the {{ product }} at the PTSP counter of {{ office }}, showing "
            "this registration number.{% endif %}\n"
            "Please take the satisfaction survey (1 minute): {{ survey_url }}\n"
            "Complaints: {{ complaint_url }}\n"
            "Thank you."
        ),
        "rejected": (
            "We are sorry: request {{ number }} ({{ service }}) was rejected.\n"
            "Reason: {{ note }}\n"
            "Details: {{ tracking_url }}"
        ),
        "cancelled": (
            "Request {{ number }} ({{ service }}) has been cancelled.\nDetails: {{ tracking_url }}"
        ),
        "closed_unanswered": (
            "Request {{ number }} ({{ service }}) was closed: the correction we asked for did "
            "not reach us in time.\n{{ note }}\n"
            "Please apply again if you still need it. Details: {{ tracking_url }}"
        ),
        "overdue": (
            "Reminder: the {{ step }} task of request {{ number }} ({{ service }}) is past its "
            "due date ({{ due_date }})."
        ),
    },
}

# Complaint answers (feedback app): default texts only. `number` is the tracking code.
NOTICE_TEXTS = {
    "id": {
        "complaint_answered": (
            "Pengaduan Anda {{ number }} kepada {{ office }} telah ditanggapi.\n"
            "Baca tanggapannya: {{ url }}"
        ),
    },
    "en": {
        "complaint_answered": (
            "Your complaint {{ number }} to {{ office }} has been answered.\n"
            "Read the answer: {{ url }}"
        ),
    },
}

# SKP messages (to employees, not applicants): default texts only, no office override.
SKP_TEXTS = {
    "id": {
        "skp_submitted": (
            "SKP tahun {{ year }} atas nama {{ owner }} telah diajukan dan menunggu "
            "persetujuan Anda sebagai pejabat penilai.\n"
            "Tinjau di: {{ skp_url }}"
        ),
        "skp_returned": (
            "SKP tahun {{ year }} atas nama {{ owner }} dikembalikan untuk diperbaiki.\n"
            "Catatan pejabat penilai: {{ note }}\n"
            "Perbaiki di: {{ skp_url }}"
        ),
        "skp_approved": (
            "SKP tahun {{ year }} atas nama {{ owner }} telah disetujui.\n"
            "{% if note %}Catatan pejabat penilai: {{ note }}\n{% endif %}"
            "Lihat di: {{ skp_url }}"
        ),
        "skp_reopened": (
            "SKP tahun {{ year }} atas nama {{ owner }} dibuka kembali untuk direvisi.\n"
            "Catatan pejabat penilai: {{ note }}\n"
            "Revisi di: {{ skp_url }}"
        ),
        "skp_eval_submitted": (
            "Evaluasi kinerja {{ period }} (SKP {{ year }}) atas nama {{ owner }} "
            "telah diajukan dan menunggu "
            "penilaian Anda sebagai pejabat penilai.\n"
            "Nilai di: {{ skp_url }}"
        ),
        "skp_eval_returned": (
            "Evaluasi kinerja {{ period }} (SKP {{ year }}) atas nama {{ owner }} dikembalikan.\n"
            "Catatan pejabat penilai: {{ note }}\n"
            "Perbaiki di: {{ skp_url }}"
        ),
        "skp_eval_rated": (
            "Evaluasi kinerja {{ period }} (SKP {{ year }}) atas nama {{ owner }} "
            "telah dinilai: predikat "
            "{{ predikat }}.\n"
            "Lihat di: {{ skp_url }}"
        ),
        "skp_period_locked": (
            "Yth. {{ owner }}, periode {{ period }} (SKP {{ year }}) telah dikunci untuk "
            "pembayaran tunjangan"
            "{% if payment_ref %} ({{ payment_ref }}){% endif %}. Rencana aksi, realisasi "
            "dan penilaian bulan tersebut tidak dapat diubah lagi.\n"
            "Lihat di: {{ skp_url }}"
        ),
    },
    "en": {
        "skp_submitted": (
            "The {{ year }} SKP of {{ owner }} has been submitted and awaits your approval "
            "as pejabat penilai.\n"
            "Review it at: {{ skp_url }}"
        ),
        "skp_returned": (
            "The {{ year }} SKP of {{ owner }} was returned for revision.\n"
            "Note from the pejabat penilai: {{ note }}\n"
            "Revise it at: {{ skp_url }}"
        ),
        "skp_approved": (
            "The {{ year }} SKP of {{ owner }} has been approved.\n"
            "{% if note %}Note from the pejabat penilai: {{ note }}\n{% endif %}"
            "See it at: {{ skp_url }}"
        ),
        "skp_reopened": (
            "The {{ year }} SKP of {{ owner }} was reopened for revision.\n"
            "Note from the pejabat penilai: {{ note }}\n"
            "Revise it at: {{ skp_url }}"
        ),
        "skp_eval_submitted": (
            "The {{ period }} (SKP {{ year }}) performance evaluation of "
            "{{ owner }} has been submitted and "
            "awaits your rating as pejabat penilai.\n"
            "Rate it at: {{ skp_url }}"
        ),
        "skp_eval_returned": (
            "The {{ period }} (SKP {{ year }}) performance evaluation of "
            "{{ owner }} was returned.\n"
            "Note from the pejabat penilai: {{ note }}\n"
            "Fix it at: {{ skp_url }}"
        ),
        "skp_eval_rated": (
            "The {{ period }} (SKP {{ year }}) performance evaluation of "
            "{{ owner }} has been rated: predikat "
            "{{ predikat }}.\n"
            "See it at: {{ skp_url }}"
        ),
        "skp_period_locked": (
            "Dear {{ owner }}, the period {{ period }} (SKP {{ year }}) is locked for the "
            "allowance payment"
            "{% if payment_ref %} ({{ payment_ref }}){% endif %}. Its action plans, "
            "realisation and ratings can no longer change.\n"
            "See it at: {{ skp_url }}"
        ),
    },
}

HELP_TEXT = {
    "id": (
        "Alur - layanan Kementerian Agama.\n"
        "Untuk menanyakan status permohonan, kirim: CEK <nomor registrasi>\n"
        "Contoh: CEK KJB-2026-00042-7"
    ),
    "en": (
        "Alur - Ministry of Religious Affairs services.\n"
        "To ask for a request's status, send: STATUS <registration number>\n"
        "Example: STATUS KJB-2026-00042-7"
    ),
}
