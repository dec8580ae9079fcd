"""URLs that raise, so tests can see how a server error is answered and logged."""

from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView


class DeliberateFailure(Exception):
    """The error the views below raise, told apart from any other in a log."""


def page_that_fails(request):
    raise DeliberateFailure("the page failed on purpose")


class ApiViewThatFails(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise DeliberateFailure("the API view failed on purpose")


urlpatterns = [
    path("fails/", page_that_fails),
    path("api/fails/", ApiViewThatFails.as_view()),
]
