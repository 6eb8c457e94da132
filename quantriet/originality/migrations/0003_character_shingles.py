"""The engine now sketches character shingles of the folded text: sketches stored before mean nothing to it.

The index is emptied here; `manage.py rescan_originality --all` then indexes the sample library
and every plan's essays again and recomputes their verdicts (docs/originality.md, "Upgrading").
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("originality", "0002_signature_scope"),
    ]

    operations = [
        migrations.RunSQL(
            ["DELETE FROM originality_originalityband", "DELETE FROM originality_originalitysignature"],
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
