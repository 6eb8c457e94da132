from django.db import migrations

from quantriet.evaluation.defaults import write_default_sets


def create_default_sets(apps, schema_editor):
    names = ("CriteriaSet", "CriterionGroup", "Criterion", "Band")
    write_default_sets(*(apps.get_model("evaluation", name) for name in names))


def remove_default_sets(apps, schema_editor):
    apps.get_model("evaluation", "CriteriaSet").objects.filter(to_confirm=True).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]

    operations = [migrations.RunPython(create_default_sets, remove_default_sets)]
