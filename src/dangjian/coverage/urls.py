from django.urls import path

app_name = "coverage"
urlpatterns: list = []
