"""A stand-in for a council's identity provider (Entra ID, Okta, Keycloak…): a real OpenID
Connect provider (django-oauth-toolkit) in its own process, with people, their groups and one
client, Caremarket, so that single sign-on is tested against the real protocol on one machine.

    python -m standin.identity_provider --port 8950 --client-id caremarket --client-secret s3cret \\
        --redirect-uri http://127.0.0.1:8000/oidc/callback/ \\
        --person ann@council.example:password:Caremarket brokers [--mode expired|wrong-audience|tampered]

A person is ``username:password:group,group``. It is not part of Caremarket.
"""

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--redirect-uri", action="append", required=True)
    parser.add_argument("--person", action="append", default=[], help="username:password:group,group")
    parser.add_argument("--mode", default="honest", choices=["honest", "expired", "wrong-audience", "tampered"])
    options = parser.parse_args()

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    folder = tempfile.mkdtemp(prefix="identity-provider-")
    os.environ["IDENTITY_PROVIDER_OPTIONS"] = json.dumps({
        "database": str(Path(folder) / "idp.sqlite3"), "private_key": key, "mode": options.mode,
        "issuer": f"http://127.0.0.1:{options.port}/o"})
    os.environ["DJANGO_SETTINGS_MODULE"] = "standin.identity_provider.settings"
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for person in options.person:
        username, password, groups = person.split(":", 2)
        user = User.objects.create_user(username=username, email=username, password=password,
                                        first_name=username.split("@")[0].title(), last_name="Council")
        user.groups.set([Group.objects.get_or_create(name=name)[0] for name in groups.split(",") if name])
    Application.objects.create(
        name="Caremarket", client_id=options.client_id, client_secret=options.client_secret,
        client_type=Application.CLIENT_CONFIDENTIAL, authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(options.redirect_uri), algorithm=Application.RS256_ALGORITHM, skip_authorization=True)

    from django.core.servers.basehttp import WSGIServer, run
    from django.core.wsgi import get_wsgi_application

    print(f"The stand-in identity provider is on http://127.0.0.1:{options.port}/o", flush=True)
    sys.stdout.flush()
    run("127.0.0.1", options.port, get_wsgi_application(), threading=True, server_cls=WSGIServer)


if __name__ == "__main__":
    main()
