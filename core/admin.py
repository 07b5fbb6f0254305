from django.contrib import admin

from .models import LoginEvent


@admin.register(LoginEvent)
class LoginEventAdmin(admin.ModelAdmin):
    list_display = ["user", "at"]
    search_fields = ["user__username"]
    date_hierarchy = "at"
