"""The read-only REST API (django-ninja): see civicplan.api.urls."""
