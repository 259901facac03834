"""Usernames that cannot be mistaken for one another.

Django accepts any Unicode letter in a username and Wagtail's user form does not normalise it, so
"kasi" and "кasi" (Cyrillic "к") could be two accounts that read the same in the inbox, the
timeline and the audit log: a Staf could be given a look-alike of the Kasi's account. Lontar's
usernames are therefore plain ASCII (letters, digits and . @ + - _, as Django's
``ASCIIUsernameValidator``), and a new name is refused when it matches an existing one once case
and the usual look-alike characters are folded (``skeleton``)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.validators import ASCIIUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# ASCII characters that readers confuse: 0/o, 1/l/i/|, and the pairs rn/m, vv/w, cl/d.
_LOOKALIKE_PAIRS = (("rn", "m"), ("vv", "w"), ("cl", "d"))
_LOOKALIKE_CHARS = str.maketrans({"0": "o", "1": "l", "i": "l", "|": "l"})


class LontarUsernameValidator(ASCIIUsernameValidator):
    message = _(
        "Nama pengguna hanya boleh berisi huruf Latin tanpa aksen, angka, dan tanda . @ + - _ "
        "(tanpa spasi dan tanpa huruf dari abjad lain)."
    )


def skeleton(username: str) -> str:
    """What a username looks like to a reader: lower case, look-alike characters folded."""
    folded = username.casefold()
    for pair, single in _LOOKALIKE_PAIRS:
        folded = folded.replace(pair, single)
    return folded.translate(_LOOKALIKE_CHARS)


def validate_username(username: str, *, exclude_pk=None) -> None:
    """Raise ``ValidationError`` (Indonesian) for a username that is not plain ASCII or that looks
    like another account's."""
    LontarUsernameValidator()(username)
    User = get_user_model()
    wanted = skeleton(username)
    # Usernames are few (the office's officials): compared in Python, one query.
    others = User._default_manager.exclude(pk=exclude_pk).values_list(User.USERNAME_FIELD, flat=True)
    for other in others:
        if other != username and skeleton(other) == wanted:
            raise ValidationError(
                _("Nama pengguna ini terlalu mirip dengan akun yang sudah ada (%(other)s). Pilih nama lain."),
                code="confusable_username",
                params={"other": other},
            )
