"""What the stand-in says about a person: their name, email and groups, and, when told to
misbehave (``--mode``), an ID token that has expired, is meant for another client, or was
changed after it was signed."""

import base64
import json
import time

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator



class CouncilDirectory(OAuth2Validator):
    oidc_claim_scope = None  # every claim to every client: a stand-in

    def get_additional_claims(self, request):
        user = request.user
        return {"email": user.email, "given_name": user.first_name, "family_name": user.last_name,
                "name": f"{user.first_name} {user.last_name}", "groups": sorted(user.groups.values_list("name", flat=True))}

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expires = super().get_id_token_dictionary(token, token_handler, request)
        mode = settings.OPTIONS["mode"]
        if mode == "expired":
            claims["exp"] = int(time.time()) - 600
        elif mode == "wrong-audience":
            claims["aud"] = "another-service"
        return claims, expires

    def finalize_id_token(self, id_token, token, token_handler, request):
        signed = super().finalize_id_token(id_token, token, token_handler, request)
        if settings.OPTIONS["mode"] != "tampered":
            return signed
        header, payload, signature = signed.split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        claims["sub"] = "someone-else"  # a changed claim under the original signature
        payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        return f"{header}.{payload}.{signature}"
