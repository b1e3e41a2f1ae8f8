"""Edit forms. Each carries the version the user read (optimistic locking) and the reason for the change.

The forms validate what the user typed (ModelForm runs the model's own checks, e.g. the city's 構面 list);
the service function then checks permission, refuses a stale version, saves and records the audit event.
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from civicplan.plans.models import AgencyPlan, CycleStatus, Goal, Indicator, Target
from civicplan.plans.services import CHAPTER_FIELDS, GOAL_FIELDS, INDICATOR_FIELDS, TARGET_FIELDS


class ServiceErrorsMixin:
    def add_service_errors(self, error: ValidationError) -> None:
        """Show a service's ValidationError on the fields it names (others on the form as a whole)."""
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                target = field if field in self.fields else None
                if field == NON_FIELD_ERRORS:
                    target = None
                for message in messages:
                    self.add_error(target, message if target or field == NON_FIELD_ERRORS else f"{field}: {message}")
        else:
            for message in error.messages:
                self.add_error(None, message)


class ReasonedForm(ServiceErrorsMixin, forms.Form):
    """A change that needs no other field than the reason (workflow steps, deletions)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(label=_("Reason (修改理由)"), max_length=1000, required=True,
                             widget=forms.Textarea(attrs={"rows": 2}))


class WorkflowForm(ServiceErrorsMixin, forms.Form):
    ACTIONS = (("submit", _("Submit for review")), ("return", _("Return for revision")), ("approve", _("Approve")))
    action = forms.ChoiceField(choices=ACTIONS)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(label=_("Comment"), max_length=1000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("action") == "return" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the chapter is returned (退回理由)."))
        return data


class CycleStatusForm(ServiceErrorsMixin, forms.Form):
    status = forms.ChoiceField(choices=CycleStatus.choices, label=_("New status"))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(label=_("Comment"), max_length=1000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class VersionedModelForm(ServiceErrorsMixin, forms.ModelForm):
    """A ModelForm over a versioned record; `changes()` gives the fields for the service function."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(label=_("Reason (修改理由)"), max_length=1000, required=True,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Kept in the record's history with your name."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "version" not in self.initial:
            self.initial["version"] = self.instance.version

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class ChapterForm(VersionedModelForm):
    class Meta:
        model = AgencyPlan
        fields = [f for f in CHAPTER_FIELDS if f != "priorities"]
        widgets = {"mission": forms.Textarea(attrs={"rows": 3}), "vision": forms.Textarea(attrs={"rows": 3})}


class LinesField(forms.CharField):
    """A list of short texts, one per line (a goal's description items)."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(str(v) for v in value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if isinstance(value, list):
            return value
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class GoalForm(VersionedModelForm):
    description = LinesField(label=_("Description items (one per line)"), required=False)

    class Meta:
        model = Goal
        fields = list(GOAL_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        perspectives = self.instance.chapter.cycle.city.perspectives
        self.fields["perspective"] = forms.ChoiceField(
            label=self.fields["perspective"].label, required=False,
            choices=[("", "—"), *((p, p) for p in perspectives)],
        )


class ProfileField(forms.CharField):
    """Cumulative shares per period typed as `10, 30, 50, 70, 90, 100` (empty: pro rata)."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(f"{v:g}" for v in value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        text = (super().to_python(value) or "").replace("，", ",").replace("、", ",").replace("%", "")
        if not text.strip():
            return []
        try:
            return [float(part) if "." in part else int(part) for part in (p.strip() for p in text.split(",")) if part]
        except ValueError:
            raise ValidationError(_("Numbers separated by commas, e.g. 10, 30, 50, 70, 90, 100.")) from None


class IndicatorFields(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = list(INDICATOR_FIELDS)
        widgets = {"standard": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, goal: Goal | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        goal = goal or self.instance.goal
        self.fields["period_profile"] = ProfileField(
            label=self.fields["period_profile"].label, required=False,
            help_text=self.fields["period_profile"].help_text)
        legend = goal.chapter.cycle.city.eval_system_legend
        self.fields["eval_system"] = forms.ChoiceField(
            label=self.fields["eval_system"].label, required=False,
            choices=[("", "—"), *((code, f"{code}：{text}") for code, text in sorted(legend.items()))],
        )


class IndicatorForm(VersionedModelForm, IndicatorFields):
    class Meta(IndicatorFields.Meta):
        pass


class IndicatorCreateForm(ServiceErrorsMixin, IndicatorFields):
    reason = forms.CharField(label=_("Reason (修改理由)"), max_length=1000, required=True,
                             widget=forms.Textarea(attrs={"rows": 2}))

    class Meta(IndicatorFields.Meta):
        pass

    def fields_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class TargetForm(VersionedModelForm):
    class Meta:
        model = Target
        fields = list(TARGET_FIELDS)
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"raw": _("As it is to be printed, e.g. 360件, ≧95%, 112年6月底前完成.")}


class UploadPlanForm(forms.Form):
    file = forms.FileField(label=_("Plan book (txt, md, html, docx, odt, pdf)"))
    city = forms.CharField(label=_("City, if the book does not say"), required=False, max_length=50)
    period = forms.CharField(label=_("Plan period in ROC years, if the book does not say (e.g. 109-112)"),
                             required=False, max_length=20)

    def clean_period(self):
        import re

        text = (self.cleaned_data.get("period") or "").strip()
        if not text:
            return None
        match = re.fullmatch(r"(\d{2,3})\s*(?:[-–~至到]\s*(\d{2,3}))?", text)
        if not match or int(match[2] or match[1]) < int(match[1]):
            raise ValidationError(_("Give ROC years such as 109-112."))
        return int(match[1]), int(match[2] or match[1])


class CommitImportForm(forms.Form):
    reason = forms.CharField(label=_("Comment (kept in the audit trail)"), required=False, max_length=500)

    def __init__(self, *args, needs_replace=False, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_replace:
            self.fields["replace"] = forms.BooleanField(
                label=_("Replace the chapters that differ (their edits in this draft cycle are lost)"), required=True)
