from django.http import HttpRequest, HttpResponse


def referral_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse("")
