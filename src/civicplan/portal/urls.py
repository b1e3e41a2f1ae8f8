"""The public portal (no login): published plans and results only. Every page takes ?format=csv|json|xlsx|ods."""

from django.urls import path

from civicplan.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle"),
    path("chapters/<int:pk>/", views.chapter_detail, name="chapter"),
    path("kpis/<int:pk>/", views.indicator_detail, name="indicator"),
    path("search/", views.search, name="search"),
]
