"""Refuse to start with a secret key that protects nothing."""

from django.core.exceptions import ImproperlyConfigured

MIN_LENGTH = 50
MIN_UNIQUE_CHARACTERS = 5
PLACEHOLDERS = ("change-me", "django-insecure", "insecure", "secret")


def check_secret_key(key: str) -> None:
    """Raise ImproperlyConfigured for a missing, short, repetitive or placeholder key, with the fix."""
    if not key:
        problem = "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off."
    elif len(key) < MIN_LENGTH or len(set(key)) < MIN_UNIQUE_CHARACTERS:
        problem = f"DJANGO_SECRET_KEY is too weak: use at least {MIN_LENGTH} random characters."
    elif key.lower().startswith(PLACEHOLDERS):
        problem = "DJANGO_SECRET_KEY is a placeholder, not a secret."
    else:
        return
    raise ImproperlyConfigured(
        f"{problem} Run `make run` once to write a local .env with a generated key, or set the variable to "
        "the output of: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
