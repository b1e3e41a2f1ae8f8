"""The user's own account pages: personal API tokens (list, create — shown once —, revoke).

Thin: the work is in civicplan.tokens.services. A new token is shown once, on the page the creation redirects
to (it is handed over in the session and removed from it as it is shown); only its hash is stored.
"""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from civicplan.tokens.models import ApiToken
from civicplan.tokens.services import NAME_MAX, do_create_token, do_revoke_token

NEW_TOKEN_KEY = "civicplan_new_api_token"


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=NAME_MAX,
                           help_text=gettext_lazy("What the token is for, e.g. the program that will use it."))
    expires = forms.TypedChoiceField(
        label=gettext_lazy("Expires"), coerce=int, empty_value=None, required=False,
        choices=[("", gettext_lazy("Never")), (30, gettext_lazy("in 30 days")), (90, gettext_lazy("in 90 days")),
                 (365, gettext_lazy("in a year"))],
    )


@login_required
def tokens(request):
    status = 200
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            days = form.cleaned_data["expires"]
            try:
                token, secret = do_create_token(
                    request.user, name=form.cleaned_data["name"], actor=request.user,
                    expires_at=timezone.now() + timedelta(days=days) if days else None,
                    reason=_("created on the account page"))
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                request.session[NEW_TOKEN_KEY] = {"id": token.pk, "secret": secret}
                return redirect("account-tokens")
        status = 400
    else:
        form = TokenForm()
    new = request.session.pop(NEW_TOKEN_KEY, None)
    rows = list(ApiToken.objects.filter(user=request.user).order_by("-created_at", "-id"))
    now = timezone.now()
    for row in rows:
        row.state = (_("revoked") if row.is_revoked else _("expired") if row.is_expired(now) else _("active"))
    return render(request, "civicplan/account/tokens.html", {
        "form": form, "tokens": rows, "new_secret": new["secret"] if new else None,
        "new_token": next((t for t in rows if new and t.pk == new["id"]), None),
    }, status=status)


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk)
    do_revoke_token(token, actor=request.user, reason=_("revoked on the account page"))
    messages.success(request, _("Revoked: %(token)s. Programs using it are refused from now on.") % {"token": token})
    return redirect("account-tokens")
