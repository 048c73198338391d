"""The forwarding view: rules' ``SessionProxyView``, plus djaoapp's user menu.

djaoapp re-serialises every HTML page it forwards to a signed-in user
(BeautifulSoup with html5lib) and fills the element marked
``data-dj-menubar-user-item`` with its own user menu: the profile, the
organisations (``/app/<organisation>/``) and sign-out (``/logout/``). See
djaoapp ``djaoapp/edition_tools.py`` (``inject_edition_tools``).
"""

from bs4 import BeautifulSoup
from django.template import loader
from rules.views.app import SessionProxyView
from saas.models import Role


class AppProxyView(SessionProxyView):
    def translate_response(self, response):
        proxy_response = super().translate_response(response)
        if not self.request.user.is_authenticated:
            return proxy_response
        if not proxy_response.get("Content-Type", "").startswith("text/html"):
            return proxy_response
        soup = BeautifulSoup(proxy_response.content, "html5lib")
        if soup.body:
            item = soup.body.find(attrs={"data-dj-menubar-user-item": True})
            if item is not None:
                roles = (
                    Role.objects.valid_for(user=self.request.user)
                    .exclude(organization__slug=self.request.user.username)
                    .order_by("role_description")
                    .select_related("role_description", "organization")
                )
                menu = loader.render_to_string(
                    "_menubar.html", {"user": self.request.user, "roles": roles}, self.request
                )
                # As djaoapp does: the attribute goes, so its menubar script
                # does not fetch the menu again.
                del item.attrs["data-dj-menubar-user-item"]
                item.clear()
                for element in BeautifulSoup(menu, "html.parser").contents:
                    item.append(element)
        proxy_response.content = str(soup).encode("utf-8")
        return proxy_response
