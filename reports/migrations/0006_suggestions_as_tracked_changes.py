"""Suggested edits become tracked changes in the text: each open suggestion's paragraph is
marked deleted and its proposed paragraphs follow it as inserted paragraphs, by the suggestion's
author at the time it was made, for the chair to accept or reject in the editor (a new version of
the section, kept in its history). A suggestion's reason becomes a comment on the section. Then
the suggestions go. Nothing decided is changed: accepted and rejected suggestions are in the
sections' history and the audit trail already."""

import datetime

from django.db import migrations
from django.utils import timezone

from reports import redactions
from reports.richtext import Token, blocks, serialise, tokens


def _change(suggestion) -> tuple[tuple[str, str], ...]:
    when = suggestion.created_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        ("data-change", f"suggestion-{suggestion.pk}"),
        ("data-author", str(suggestion.author_id or 0)),
        ("data-time", when),
    )


def _wrapped(html: str, tag: str, change) -> str:
    """Every piece of text in ``html`` inside a tracked ``tag`` (ins or del), markup kept around it."""
    out = []
    for token in tokens(html):
        if token.kind == "text" and token.text.strip():
            out += [Token("start", tag, change), token, Token("end", tag)]
        else:
            out.append(token)
    return serialise(out)


def _inserted(proposed: str, change) -> str:
    """The proposed paragraphs as paragraphs the suggester added."""
    attrs = "".join(f' {name}="{value}"' for name, value in change)
    out = []
    for block in blocks(proposed):
        inner = serialise(tokens(block.html)[1:-1])
        out.append(f"<{block.tag}{attrs}>{_wrapped(inner, 'ins', change)}</{block.tag}>")
    return "".join(out)


def suggestions_to_changes(apps, schema_editor):
    Suggestion = apps.get_model("reports", "Suggestion")
    Section = apps.get_model("reports", "Section")
    SectionRevision = apps.get_model("reports", "SectionRevision")
    Comment = apps.get_model("reports", "Comment")
    open_ = Suggestion.objects.filter(status="open").order_by("section_id", "created_at", "pk")
    by_section = {}
    for suggestion in open_:
        by_section.setdefault(suggestion.section_id, []).append(suggestion)
    for section_id, suggestions in by_section.items():
        section = Section.objects.get(pk=section_id)
        parts = [block.html for block in blocks(section.body)]
        for suggestion in suggestions:
            change = _change(suggestion)
            kept = redactions.redactions_apply(suggestion.proposed, redactions.passages(suggestion.original))
            added = _inserted(kept, change)
            index = next((i for i, html in enumerate(parts) if html == suggestion.original), None)
            if index is None:  # the paragraph changed since: the wording proposed goes at the end
                parts.append(added)
            else:
                parts[index] = _wrapped(parts[index], "del", change) + added
            if suggestion.reason:
                Comment.objects.create(
                    section_id=section_id, author_id=suggestion.author_id, text=suggestion.reason,
                    quote=" ".join(block.text for block in blocks(suggestion.original))[:1000],
                )  # fmt: skip
        section.body = "".join(parts)
        section.version += 1
        section.updated_at = timezone.now()
        section.save(update_fields=["body", "version", "updated_at"])
        count = len(suggestions)
        SectionRevision.objects.create(
            section_id=section_id, version=section.version, title=section.title, body=section.body, autosave=False,
            note=f"{count} suggested edit{'s' if count != 1 else ''} made tracked changes",
        )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0005_comment_anchor"),
    ]

    operations = [
        migrations.RunPython(suggestions_to_changes, migrations.RunPython.noop),
        migrations.DeleteModel(name="Suggestion"),
    ]
