from django.urls import path

from reports import (
    appendix_views,
    discussion_views,
    document_views,
    editor_views,
    family_views,
    glossary_views,
    history_views,
    import_views,
    publication_views,
    published_views,
    render_views,
    section_views,
    submission_views,
)

app_name = "reports"

SECTION = "reviews/<int:pk>/documents/<int:doc_pk>/sections/<int:section_pk>/"

# Documents, sections, the editor, history, discussion and the glossary (reports/*_views.py).
urlpatterns = [
    path("reviews/<int:pk>/documents/", document_views.document_list, name="documents"),
    path("reviews/<int:pk>/documents/new/", document_views.document_create, name="document_create"),
    path("reviews/<int:pk>/documents/references/", editor_views.reference_search, name="reference_search"),
    path("reviews/<int:pk>/documents/<int:doc_pk>/", document_views.document_detail, name="document"),
    path(
        "reviews/<int:pk>/documents/<int:doc_pk>/numbering/",
        document_views.document_numbering,
        name="document_numbering",
    ),
    path("reviews/<int:pk>/documents/<int:doc_pk>/status/", document_views.document_status, name="document_status"),
    path(
        "reviews/<int:pk>/documents/<int:doc_pk>/chronology-columns/",
        appendix_views.document_chronology_columns,
        name="document_chronology_columns",
    ),
    path("reviews/<int:pk>/documents/<int:doc_pk>/preview/", document_views.document_preview, name="document_preview"),
    path("reviews/<int:pk>/documents/<int:doc_pk>/sections/new/", section_views.section_add, name="section_add"),
    path(SECTION, section_views.section_detail, name="section"),
    path(SECTION + "edit/", editor_views.section_edit, name="section_edit"),
    path(SECTION + "rename/", section_views.section_rename, name="section_rename"),
    path(SECTION + "move/", section_views.section_move, name="section_move"),
    path(SECTION + "remove/", section_views.section_remove, name="section_remove"),
    path(SECTION + "history/", history_views.section_history, name="section_history"),
    path(SECTION + "history/<int:revision_pk>/restore/", history_views.revision_restore, name="revision_restore"),
    path(SECTION + "comments/", discussion_views.comment_add, name="comment_add"),
    path(SECTION + "comments/<int:comment_pk>/resolve/", discussion_views.comment_resolve, name="comment_resolve"),
    path("reviews/<int:pk>/glossary/", glossary_views.glossary, name="glossary"),
    path("reviews/<int:pk>/glossary/<int:term_pk>/delete/", glossary_views.glossary_delete, name="glossary_delete"),
]

# Rendering: PDF and Word files of a document, made by a task (reports/render_views.py).
RENDERS = "reviews/<int:pk>/documents/<int:doc_pk>/renders/"
urlpatterns += [
    path(RENDERS + "new/", render_views.render_request, name="render_request"),
    path(RENDERS + "<int:render_pk>/", render_views.render_download, name="render_download"),
    path(RENDERS + "<int:render_pk>/retry/", render_views.render_retry, name="render_retry"),
    path(RENDERS + "<int:render_pk>/status/", render_views.render_status, name="render_status"),
    path(RENDERS + "<int:render_pk>/cancel/", render_views.render_cancel, name="render_cancel"),
]

# The publication check's decisions and the publication report (reports/publication_views.py).
PUBLICATION = "reviews/<int:pk>/documents/<int:doc_pk>/publication/"
urlpatterns += [
    path(PUBLICATION + "acknowledge/", publication_views.publication_acknowledge, name="publication_acknowledge"),
    path(PUBLICATION + "redact/", publication_views.publication_redact, name="publication_redact"),
    path(PUBLICATION + "replace/", publication_views.publication_confirm_person, name="publication_confirm_person"),
    path(
        PUBLICATION + "decisions/<int:decision_pk>/withdraw/",
        publication_views.publication_decision_withdraw,
        name="publication_decision_withdraw",
    ),
    path(PUBLICATION + "report/", publication_views.publication_report_page, name="publication_report"),
    path(PUBLICATION + "report.pdf", publication_views.publication_report_pdf, name="publication_report_pdf"),
]

# Importing a Word draft: the upload, the changes it would make, and their confirmation (reports/import_views.py).
IMPORT = "reviews/<int:pk>/documents/<int:doc_pk>/import/"
urlpatterns += [
    path(IMPORT, import_views.document_import, name="document_import"),
    path(IMPORT + "<int:import_pk>/", import_views.document_import_preview, name="document_import_preview"),
    path(IMPORT + "<int:import_pk>/confirm/", import_views.document_import_confirm, name="document_import_confirm"),
    path(IMPORT + "<int:import_pk>/cancel/", import_views.document_import_cancel, name="document_import_cancel"),
]

# Publishing: the files a document is published with, made first; each publication kept with its
# frozen files; a partnership's published reviews (reports/published_views.py).
PUBLISHED = "reviews/<int:pk>/publications/<int:publication_pk>/"
urlpatterns += [
    path(PUBLICATION + "files/", published_views.publication_files_make, name="publication_files_make"),
    path(PUBLISHED, published_views.publication_detail, name="publication_detail"),
    path(PUBLISHED + "files/<int:artefact_pk>/", published_views.published_download, name="published_download"),
    path(
        "partnerships/<int:partnership_pk>/published/",
        published_views.partnership_published,
        name="partnership_published",
    ),
]

# A review's submission to its quality-assurance panel: the checklist, the pack, the panel's
# feedback (reports/submission_views.py).
SUBMISSION = "reviews/<int:pk>/submission/"
urlpatterns += [
    path(SUBMISSION, submission_views.submission, name="submission"),
    path(SUBMISSION + "packs/", submission_views.submission_pack_create, name="submission_pack_create"),
    path(SUBMISSION + "packs/<int:pack_pk>/", submission_views.submission_pack_status, name="submission_pack_status"),
    path(
        SUBMISSION + "packs/<int:pack_pk>/download/",
        submission_views.submission_pack_download,
        name="submission_pack_download",
    ),
    path(SUBMISSION + "checklist/<slug:item>/", submission_views.submission_mark, name="submission_mark"),
    path(SUBMISSION + "feedback/", submission_views.submission_feedback, name="submission_feedback"),
]

# The family reads the draft: the chair's pages under the review, the reader's own (reports/family_views.py).
urlpatterns += [
    path("reviews/<int:pk>/family-readers/", family_views.family_readers, name="family_readers"),
    path("reviews/<int:pk>/family-readers/invite/", family_views.family_reader_invite, name="family_reader_invite"),
    path(
        "reviews/<int:pk>/family-readers/<int:reader_pk>/withdraw/",
        family_views.family_reader_withdraw,
        name="family_reader_withdraw",
    ),
    path("reviews/<int:pk>/family-readers/responses/", family_views.family_response_add, name="family_response_add"),
    path("family-reading/", family_views.family_home, name="family_home"),
    path("family-reading/<int:reader_pk>/<int:pk>/", family_views.family_version, name="family_version"),
    path(
        "family-reading/<int:reader_pk>/<int:pk>/comments/", family_views.family_comment_add, name="family_comment_add"
    ),
]
