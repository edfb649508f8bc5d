from django.contrib.auth import forms as auth_forms

from pcn_portal.core.form_messages import NHSMessagesMixin


class LoginForm(NHSMessagesMixin, auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is inactive. Ask your national admin to reactivate it.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username, password = self.fields["username"], self.fields["password"]
        username.widget.attrs.update({"autocomplete": "username", "spellcheck": "false"})
        username.error_messages["required"] = "Enter your username"
        password.widget.attrs["autocomplete"] = "current-password"
        password.error_messages["required"] = "Enter your password"


class PasswordChangeForm(NHSMessagesMixin, auth_forms.PasswordChangeForm):
    pass
