from django.db import models


class FormSubmission(models.Model):
    """A one-time token handed out with each application form.

    Its unique index makes a double click (or a resent upload) create one request: the
    second POST with the same token waits for the first transaction, then finds its
    request and shows the same receipt.
    """

    token = models.CharField(max_length=64, unique=True)
    request = models.ForeignKey(
        "workflow.ServiceRequest", models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.token[:8]
