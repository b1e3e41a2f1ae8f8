"""Bulk entry of actuals from spreadsheets."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
