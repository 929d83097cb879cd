from django.shortcuts import render

from kanalvakt.core.views_access import public
from kanalvakt.public.municipality import municipality_context


@public
def start(request):
    return render(request, "public/start.html", municipality_context())


@public
def accessibility(request):
    return render(request, "public/accessibility.html", municipality_context())
