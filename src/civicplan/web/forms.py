"""Edit forms. Each carries the version the user read (optimistic locking) and the reason for the change.

The forms validate what the user typed (ModelForm runs the model's own checks, e.g. the city's 構面 list);
the service function then checks permission, refuses a stale version, saves and records the audit event.
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civicplan.agencies.models import Agency
from civicplan.plans.models import AgencyPlan, CycleStatus, Goal, Indicator, OwnerRole, Section, Target
from civicplan.plans.services import (
    CHAPTER_FIELDS,
    GOAL_FIELDS,
    INDICATOR_FIELDS,
    SECTION_FIELDS,
    TARGET_FIELDS,
)


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


class InlineValidationMixin:
    """Each visible field is checked on the server as the user types (htmx): the form's data goes to `url`, which
    answers with the errors of the field that changed; they replace the field's `#<id>-errors` box (edit.html)."""

    INLINE_TRIGGER = "change, keyup changed delay:500ms"
    inline_exclude = ("reason",)

    def enable_inline_validation(self, url: str) -> None:
        self.validate_url = url
        for name, field in self.fields.items():
            if field.widget.is_hidden or name in self.inline_exclude:
                continue
            field.widget.attrs.update({
                "hx-post": url, "hx-trigger": self.INLINE_TRIGGER, "hx-include": "closest form",
                "hx-target": f"#{self[name].auto_id}-errors", "hx-swap": "innerHTML", "hx-sync": "this:replace",
            })

    def field_errors(self, name: str) -> list[str]:
        """The errors of one field after the whole form's checks (the same as a full submit would show)."""
        if name not in self.fields or name in self.inline_exclude:
            return []
        self.is_valid()
        return list(self.errors.get(name, []))


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


class GoalForm(InlineValidationMixin, VersionedModelForm):
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
        if self.instance.pk:
            self.enable_inline_validation(reverse("goal-validate", args=[self.instance.pk]))


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


class IndicatorFields(InlineValidationMixin, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = list(INDICATOR_FIELDS)
        widgets = {"standard": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, goal: Goal | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        goal = goal or self.instance.goal
        self.goal = goal
        self.fields["period_profile"] = ProfileField(
            label=self.fields["period_profile"].label, required=False,
            help_text=self.fields["period_profile"].help_text)
        legend = goal.chapter.cycle.city.eval_system_legend
        self.fields["eval_system"] = forms.ChoiceField(
            label=self.fields["eval_system"].label, required=False,
            choices=[("", "—"), *((code, f"{code}：{text}") for code, text in sorted(legend.items()))],
        )
        if self.instance.pk:
            self.enable_inline_validation(reverse("indicator-validate", args=[self.instance.pk]))
        else:
            self.enable_inline_validation(reverse("indicator-add-validate", args=[goal.pk]))


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


class SectionForm(VersionedModelForm):
    class Meta:
        model = Section
        fields = list(SECTION_FIELDS)
        widgets = {"text": forms.Textarea(attrs={"rows": 14})}


class SectionCreateForm(ServiceErrorsMixin, forms.ModelForm):
    after = forms.ModelChoiceField(queryset=Section.objects.none(), required=False, label=_("Place after"),
                                   empty_label=_("At the end of the chapter"))
    reason = forms.CharField(label=_("Reason (修改理由)"), max_length=1000, required=True,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Kept in the record's history with your name."))

    class Meta:
        model = Section
        fields = list(SECTION_FIELDS)
        widgets = {"text": forms.Textarea(attrs={"rows": 14})}

    def __init__(self, *args, chapter: AgencyPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["after"].queryset = chapter.sections.all()
        self.order_fields(["after", *SECTION_FIELDS, "reason"])

    def fields_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class OwnersForm(ServiceErrorsMixin, forms.Form):
    """The lead agency (主責, exactly one) and the co-owner agencies (協辦) of a KPI, among the city's agencies."""

    lead = forms.ModelChoiceField(queryset=Agency.objects.none(), label=_("Lead agency (主責)"))
    co = forms.ModelMultipleChoiceField(queryset=Agency.objects.none(), required=False,
                                        label=_("Co-owner agencies (協辦)"), widget=forms.CheckboxSelectMultiple)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(label=_("Reason (修改理由)"), max_length=1000, required=True,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Kept in the record's history with your name."))

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.filter(city_id=indicator.goal.chapter.cycle.city_id).order_by("order", "name")
        self.fields["lead"].queryset = agencies
        self.fields["co"].queryset = agencies
        if not self.is_bound:
            owners = list(indicator.ownerships.all())
            lead = next((o.agency_id for o in owners if o.role == OwnerRole.LEAD), None)
            self.initial.setdefault("lead", lead)
            self.initial.setdefault("co", [o.agency_id for o in owners if o.role == OwnerRole.CO])
            self.initial.setdefault("version", indicator.version)

    def clean(self):
        data = super().clean()
        lead, co = data.get("lead"), data.get("co") or []
        if lead is not None and lead in co:
            self.add_error("co", _("%(agency)s is the lead agency; it cannot also be a co-owner.") % {"agency": lead})
        return data


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
