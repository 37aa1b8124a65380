from django.urls import include, path

from . import views

urlpatterns = [
    path("programmes/<slug:slug>/sample/", views.sample_page, name="sample-page"),
    path("", include("config.urls")),
]
