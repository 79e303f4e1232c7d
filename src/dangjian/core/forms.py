"""Forms whose save goes through an app's action; the action's ValidationErrors land on the fields."""
from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

DATE_FORMAT = "%Y-%m-%d"


def attach_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put an action's errors next to the form fields they name (others on top of the form)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def style(form: forms.Form) -> None:
    """Tabler classes, HTML date pickers and error hooks for every widget."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(field, forms.DateField) and not isinstance(widget, forms.HiddenInput) and getattr(widget, "input_type", "") != "month":
            field.widget = widget = forms.DateInput(attrs=widget.attrs, format=DATE_FORMAT)
            widget.input_type = "date"
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, (forms.Select, forms.SelectMultiple)) and not isinstance(widget, forms.CheckboxSelectMultiple):
            css = "form-select"
        elif isinstance(widget, forms.CheckboxSelectMultiple):
            css = ""
        else:
            css = "form-control"
        if css:
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
        _placeholder_choice(field)
        widget.attrs.setdefault("aria-describedby", f"err-{name}")


def inline_checks(form: forms.Form, url: str) -> None:
    """Check each field against the action's rules when it changes (htmx POST to ``url``,
    answered by core.htmx.render_inline_errors); the real submit stays a plain POST."""
    for field in form.fields.values():
        field.widget.attrs.update(
            {"hx-post": url, "hx-trigger": "change", "hx-swap": "none", "hx-sync": "closest form:replace"}
        )


def _placeholder_choice(field) -> None:
    """A readable blank choice ("请选择" / "（不填）") instead of Django's "---------"."""
    blank = _("请选择") if field.required else _("（不填）")
    if isinstance(field, forms.ModelChoiceField) and not isinstance(field, forms.ModelMultipleChoiceField):
        if field.empty_label is not None and str(field.empty_label).startswith("---"):
            field.empty_label = blank
            field.widget.choices = field.choices
    elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
        choices = list(field.choices)
        if choices and choices[0][0] == "" and str(choices[0][1]).startswith("---"):
            field.choices = [("", blank)] + choices[1:]


class ActionForm(forms.ModelForm):
    """A ModelForm used for its fields and initial values only.

    The model validation of ModelForm is skipped: the app's action validates fully (with
    messages that say what is wrong) and writes; ``save()`` returns the object, or None
    after attaching the action's errors to the fields.
    """

    def __init__(self, *args, user, validate_url: str = "", **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.limit_choices()
        style(self)
        if validate_url:
            inline_checks(self, validate_url)

    def limit_choices(self) -> None:
        """Restrict foreign-key choices to the user's write scope (subclasses)."""

    def _post_clean(self):
        pass

    @property
    def creating(self) -> bool:
        return self.instance.pk is None

    def model_data(self) -> dict:
        """Cleaned values of the model fields; on edit only those the user changed."""
        names = [n for n in self._meta.fields if n in self.cleaned_data]
        if not self.creating:
            names = [n for n in names if n in self.changed_data]
        return {n: self.cleaned_data[n] for n in names}

    def perform(self):
        """Call the create/update action and return the object."""
        raise NotImplementedError

    def check_rules(self) -> None:
        """Run the action's rules on an unsaved copy built from ``cleaned_data`` (which may lack
        the fields that are still invalid), raising its ValidationError. Never writes."""

    def save(self, commit=True):
        try:
            return self.perform()
        except ValidationError as exc:
            attach_errors(self, exc)
            return None

    def validate_only(self) -> dict:
        """All errors (form and business rules) without writing anything: {field: [messages]}.

        The rules run on whatever fields are already valid, so a half-filled form still gets
        its ID number or credit code checked."""
        self.is_valid()
        try:
            self.check_rules()
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):  # a field already marked keeps its first message
                exc = ValidationError({k: v for k, v in exc.error_dict.items() if k not in self.errors})
            attach_errors(self, exc)
        return {name: [str(m) for m in errors] for name, errors in self.errors.items()}


class SearchSelect(forms.Select):
    """A <select> for very long choice lists (thousands of units): it renders only the chosen
    option, and a search box above it loads matching options from ``url`` with htmx.
    The field's queryset still validates the submitted value."""

    template_name = "core/widgets/search_select.html"

    def __init__(self, url: str = "", attrs=None):
        super().__init__(attrs)
        self.url = url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["search_url"] = str(self.url)
        context["widget"]["search_label"] = _("输入名称或代码搜索")
        return context

    def optgroups(self, name, value, attrs=None):
        choices = self.choices
        if isinstance(choices, ModelChoiceIterator):
            picked = [v for v in value if v and str(v).isdigit()]
            rows = choices.queryset.filter(pk__in=picked) if picked else choices.queryset.none()
            self.choices = ([("", choices.field.empty_label)] if choices.field.empty_label is not None else []) + [
                choices.choice(obj) for obj in rows
            ]
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = choices


def form_page(request, form: "ActionForm", template: str, context: dict, *, detail: str, done_message: str):
    """The create/edit page cycle shared by the registry: save through the action, or show every error."""
    from django.contrib import messages
    from django.shortcuts import redirect, render

    if request.method == "POST" and form.is_valid():
        saved = form.save()
        if saved is not None:
            messages.success(request, done_message % {"name": saved.name})
            return redirect(detail, pk=saved.pk)
    elif request.method == "POST":
        form.validate_only()  # also show the business-rule errors of the fields that are filled
    return render(request, template, {"form": form, **context})
