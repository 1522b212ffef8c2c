from django.urls import path

from .views import search

urlpatterns = [path("search/", search.search_view, name="search")]
