"""Small pieces shared by the views of several apps: run an action and report its outcome on the page."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect


def error_text(exc: ValidationError, labels: dict | None = None) -> str:
    """Every message of an action's error, each prefixed with the field it is about ("地点：…")."""
    labels = labels or {}
    if not hasattr(exc, "error_dict"):
        return "；".join(exc.messages)
    parts = []
    for name, errors in exc.error_dict.items():
        prefix = f"{labels[name]}：" if name in labels else ""
        parts += [prefix + m for e in errors for m in e.messages]
    return "；".join(parts)


def field_labels(form) -> dict:
    """{field name: label} of a form, to prefix an action's messages with the field they are about."""
    return {n: str(f.label) for n, f in form.fields.items()}


def form_errors(form) -> str:
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts += [f"{label}：{e}" if label else str(e) for e in errors]
    return "；".join(parts)


def act(request, call, done: str, to: str, *args, labels=None):
    """Call an action; on success flash ``done``, on a rule error flash the messages; then go to ``to``."""
    try:
        call()
    except ValidationError as exc:
        messages.error(request, error_text(exc, labels))
    else:
        if done:
            messages.success(request, done)
    return redirect(to, *args)
