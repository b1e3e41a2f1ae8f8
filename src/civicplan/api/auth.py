"""Who is asking: a personal API token (`Authorization: Bearer <token>`), else the Django session, else nobody.

* Reads take a token, a login session or nothing at all (public data). A token that is presented but unknown,
  revoked or expired is refused with 401 — it never falls back to the anonymous view.
* Writes take a token only (`WRITE_AUTH`). A session cookie is not enough: a write can then never be made by a
  browser on someone's behalf, so no CSRF check is needed (and none is made for token requests).

The token's owner becomes `request.user`, so every rule and service sees the same user as on the web pages.
"""

from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from civicplan.tokens.services import authenticate


class ApiToken(HttpBearer):
    """A personal API token, created on /account/tokens/ or with `civicplan api_token create`."""

    openapi_description = "A personal API token: `Authorization: Bearer cp_…` (create one at /account/tokens/)."

    def authenticate(self, request, token: str):
        found, why = authenticate(token.strip())
        if found is None:
            raise AuthenticationError(message=why)
        request.user = found.user
        request.api_token = found
        return found.user


def visitor(request):
    """No token: the session's user, or the anonymous user (reads only)."""
    return request.user


api_token = ApiToken()
READ_AUTH = [api_token, visitor]
WRITE_AUTH = [api_token]
# Reads: a token is optional (OpenAPI: either the bearer scheme or no security at all).
OPTIONAL_TOKEN = {"security": [{}]}
