# WhatsApp delivery journeys: worker subprocess, Twilio stand-in, live server.
from tests.integration.whatsapp_stack import stack, standin  # noqa: F401
