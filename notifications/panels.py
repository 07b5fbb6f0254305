"""The WhatsApp panel on the staff request page (settings.STAFF_REQUEST_PANELS)."""

from django.template.loader import render_to_string

from notifications import selectors


def message_panel(http_request, service_request) -> str:
    messages = selectors.messages_for_request(service_request=service_request)
    return render_to_string(
        "notifications/panel.html", {"messages_sent": messages}, request=http_request
    )
