from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="home"),
    path("portfolio/export.csv", views.export_csv, name="portfolio-export"),
    path("portfolio/changes/", views.changes, name="portfolio-changes"),
    path("portfolio/board-pack/", views.board_pack, name="portfolio-board-pack"),
    path("portfolio/board-pack.md", views.board_pack_markdown, name="portfolio-board-pack-md"),
    path("portfolio/digest/", views.digest_preference, name="portfolio-digest-preference"),
]
