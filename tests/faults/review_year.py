"""The deployment of the environment gets 2017 in 考评中 and N 考评小组 accounts, each with an API token
(test-only): `python review_year.py N` prints {"username": "token", …} as JSON. One process instead of
2N + 2 commands."""

import json
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaoping.settings")
    import django

    django.setup()
    from django.conf import settings

    from kaoping.api.tokens import api_token_create
    from kaoping.assessments.workflow import campaign_advance, campaign_create
    from kaoping.campaigns.models import State
    from kaoping.org.services import user_create

    # The writers sign in with their tokens only: no need for the slow password hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    campaign_advance(campaign=campaign_create(year=2017), to=State.REVIEW)
    tokens = {}
    for n in range(1, int(sys.argv[1]) + 1):
        user = user_create(username=f"group{n:02d}", password=os.environ["KAOPING_PASSWORD"], role="group")
        tokens[user.username] = api_token_create(user=user, name=f"并发写入测试 {n}")
    print(json.dumps(tokens))
