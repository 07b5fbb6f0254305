"""Pages of the year's work and evaluation under /staf/skp/: parse, check, call one
service, render. Reading is for the owner, the pejabat penilai of the day and HR."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_GET

from config.uploads import file_response

from . import selectors_realisation
from .models_realisation import BuktiDukung


@login_required
@require_GET
def bukti_dukung(request, skp_id, ra_id, bd_id):
    """An evidence file, privately (or the evidence link)."""
    evidence = get_object_or_404(
        BuktiDukung.objects.select_related("rencana_aksi__skp__position__unit"),
        pk=bd_id,
        rencana_aksi_id=ra_id,
        rencana_aksi__skp_id=skp_id,
    )
    skp = evidence.rencana_aksi.skp
    if not selectors_realisation.realisation_visible_to(
        skp=skp, user=request.user, on=timezone.localdate()
    ):
        raise Http404
    if evidence.kind == BuktiDukung.Kind.LINK:
        return redirect(evidence.url)
    return file_response(evidence.file, evidence.original_name)
