from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models
import django.db.models.functions.text

TRIGRAM_INDEX = "services_catalog_servicetype_search_trgm"


def create_trigram_index(apps, schema_editor):
    # A GIN index is PostgreSQL's; other databases search with the plain fallback.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {TRIGRAM_INDEX} ON services_catalog_servicetype "
            "USING gin (search_text gin_trgm_ops)"
        )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("services_catalog", "0003_servicetype_correction_days"),
    ]

    operations = [
        # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
        TrigramExtension(),
        migrations.AddField(
            model_name="servicetype",
            name="synonyms",
            field=models.TextField(
                blank=True,
                help_text="Other words and common misspellings people type when looking for this service, separated by commas, e.g. ijasah, legalisasi.",
                verbose_name="search synonyms",
            ),
        ),
        migrations.AddField(
            model_name="servicetype",
            name="search_text",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.functions.text.Lower(
                    django.db.models.functions.text.Concat(
                        "name",
                        models.Value(" "),
                        "synonyms",
                        models.Value(" "),
                        "description",
                        models.Value(" "),
                        "product",
                        output_field=models.TextField(),
                    )
                ),
                output_field=models.TextField(),
            ),
        ),
        migrations.RunPython(create_trigram_index, drop_trigram_index, elidable=False),
    ]
