"""Documents made in the background: ask for one, watch it being made, download it."""

from django.urls import path

from civicplan.web import documents

urlpatterns = [
    path("cycles/<int:pk>/documents/", documents.documents, name="documents"),
    path("documents/<int:pk>/", documents.document_job, name="document-job"),
    path("documents/<int:pk>/download/", documents.document_download, name="document-download"),
]
