from django import forms

from quantriet.core.numbers import VnIntegerField

from .models import MAX_CHOICES, QuestionKind, Quiz
from .services import question_problems

LETTERS = "ABCDEF"[:MAX_CHOICES]


class QuestionForm(forms.Form):
    text = forms.CharField(label="Câu hỏi", widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(label="Loại", choices=QuestionKind.choices, initial=QuestionKind.SINGLE)
    explanation = forms.CharField(label="Giải thích", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    correct = forms.MultipleChoiceField(
        label="Đáp án đúng",
        choices=[(letter, letter) for letter in LETTERS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for letter in LETTERS:
            self.fields[f"choice_{letter}"] = forms.CharField(label=f"Đáp án {letter}", required=False, max_length=500)
        for name, field in self.fields.items():
            if name != "correct":
                field.widget.attrs["class"] = "form-select" if name == "kind" else "form-control"

    @staticmethod
    def initial_for(question) -> dict:
        """The form's initial values for editing QUESTION (its choices in order as A, B, …)."""
        initial = {"text": question.text, "kind": question.kind, "explanation": question.explanation}
        choices = list(question.choices.order_by("position", "id"))[: len(LETTERS)]
        for letter, choice in zip(LETTERS, choices, strict=False):
            initial[f"choice_{letter}"] = choice.text
        initial["correct"] = [letter for letter, choice in zip(LETTERS, choices, strict=False) if choice.correct]
        return initial

    def choice_fields(self):
        return [self[f"choice_{letter}"] for letter in LETTERS]

    def choices(self):
        data = self.cleaned_data
        correct = set(data.get("correct", []))
        return [(data[f"choice_{x}"], x in correct) for x in LETTERS if data.get(f"choice_{x}", "").strip()]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        for field, message in question_problems(data["kind"], data["text"], self.choices()):
            self.add_error("text" if field == "text" else "correct", message)
        return data


class QuizForm(forms.ModelForm):
    class Meta:
        model = Quiz
        fields = ["time_limit_minutes", "questions_per_attempt", "attempts_allowed", "pass_mark", "shuffle", "reveal"]
        #: Whole numbers in text inputs: <input type="number"> turns a typed "7,5" into 75.
        field_classes = {
            name: VnIntegerField
            for name in ["time_limit_minutes", "questions_per_attempt", "attempts_allowed", "pass_mark"]
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        classes = {"shuffle": "form-check-input", "reveal": "form-select"}
        for name, field in self.fields.items():
            field.widget.attrs["class"] = classes.get(name, "form-control")
