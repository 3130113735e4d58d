from .pages import KINDS

urlpatterns = [url for kind in KINDS for url in kind.urls()]
