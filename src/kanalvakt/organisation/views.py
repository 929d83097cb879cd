from django.shortcuts import render

from kanalvakt.core.views_access import requires
from kanalvakt.organisation.models import OrgUnit, Person


@requires("organisation.view_person")
def people(request):
    units = OrgUnit.objects.filter(parent__isnull=True).prefetch_related("children")
    persons = Person.objects.select_related("org_unit", "manager").order_by(
        "org_unit__name", "name"
    )
    return render(request, "organisation/people.html", {"units": units, "people": persons})
