from django.contrib import admin

from civicplan.imports.models import ImportDraft


@admin.register(ImportDraft)
class ImportDraftAdmin(admin.ModelAdmin):
    """Uploads are decided on the upload pages (preview, load, cancel); the admin only shows them."""

    list_display = ("file_name", "status", "family", "created_by", "created_at", "cycle")
    list_filter = ("status", "family")
    exclude = ("document", "lines")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
