"""The staff search page: every plan the user may see (drafts of their cities included)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from civicplan.plans.visibility import visible_cycles
from civicplan.search import pages


@login_required
def search(request):
    asked = pages.read(request.GET)
    results = pages.decorate(pages.run(asked, user=request.user) if asked.q else None, public=False)
    cycles = visible_cycles(request.user).select_related("city").order_by("city__name", "-start_year")
    return render(request, "civicplan/search/search.html", {
        "asked": asked, "results": results, "cycles": cycles,
        "action": request.path,
    })
