"""Create the Curators group: full rights on the register's models, read-only history."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Curators"

# The register's models as of this migration; a model added later needs its own migration to be granted.
CURATED_MODELS = (
    "monument",
    "alternatename",
    "monumentimage",
    "artefact",
    "source",
    "article",
    "incident",
    "restoration",
    "evidence",
)

# Curators keep the register and may read its history; the history itself is written only by saves.
CURATOR_CODENAMES = frozenset(
    [f"{action}_{model}" for model in CURATED_MODELS for action in ("add", "change", "delete", "view")]
    + [f"view_historical{model}" for model in CURATED_MODELS]
)


def create_curators_group(apps, schema_editor):
    # Permissions are normally created after migrate (post_migrate); on a fresh
    # database they do not exist yet, so create them from the historical models.
    app_config = apps.get_app_config("register")
    app_config.models_module = True
    try:
        create_permissions(app_config, apps=apps, using=schema_editor.connection.alias, verbosity=0)
    finally:
        app_config.models_module = None

    db = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(
        Permission.objects.using(db).filter(content_type__app_label="register", codename__in=CURATOR_CODENAMES)
    )
    missing = CURATOR_CODENAMES - {permission.codename for permission in permissions}
    if missing:
        raise RuntimeError(f"Permissions not found for the Curators group: {', '.join(sorted(missing))}")
    group, _ = Group.objects.using(db).get_or_create(name=GROUP_NAME)
    group.permissions.set(permissions)


def delete_curators_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_curators_group, delete_curators_group),
    ]
