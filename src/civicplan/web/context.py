from civicplan.agencies.rules import is_admin_anywhere, memberships_of


def roles(request):
    """The signed-in user's memberships, for menus and the role badge."""
    user = getattr(request, "user", None)
    memberships = memberships_of(user) if user is not None else []
    return {"my_memberships": memberships, "is_yankao_admin": bool(user) and is_admin_anywhere(user)}
