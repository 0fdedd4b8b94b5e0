"""Create N 考评小组 accounts, each with an API token, in the deployment of the environment (test-only):
`python writers_create.py N` prints {"username": "token", …} as JSON. One process instead of 2N commands."""

import json
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaoping.settings")
    import django

    django.setup()
    from django.conf import settings

    # The writers sign in with their tokens only: no need for the slow password hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from kaoping.api.tokens import api_token_create
    from kaoping.org.services import user_create

    tokens = {}
    for n in range(1, int(sys.argv[1]) + 1):
        user = user_create(username=f"group{n:02d}", password=os.environ["KAOPING_PASSWORD"], role="group")
        tokens[user.username] = api_token_create(user=user, name=f"并发写入测试 {n}")
    print(json.dumps(tokens))
