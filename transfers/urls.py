"""The transfer pages, sending and receiving, under one namespace."""

from django.urls import include, path

from transfers.receiving import urls as receiving
from transfers.sending import urls as sending

app_name = "transfers"

urlpatterns = [
    path("", include(sending.urlpatterns)),
    path("", include(receiving.urlpatterns)),
]
