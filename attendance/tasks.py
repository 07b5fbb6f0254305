from celery import shared_task

from . import services


@shared_task(name="attendance.tasks.purge_photos", acks_late=True)
def purge_photos() -> int:
    """Delete attendance photos older than ATTENDANCE_PHOTO_RETENTION_DAYS."""
    return services.photos_purge()
