# WhatsApp delivery journeys: worker subprocess, Twilio stand-in, live server.
from tests.integration.whatsapp_stack import module_stack, stack, standin  # noqa: F401
