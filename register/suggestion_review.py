"""The admin page where a curator reviews one suggestion: read it in its article, accept it onto an event or reject it.

``SuggestionAdmin.get_urls`` serves it at ``admin/register/suggestion/<pk>/review/`` behind the admin's login,
and passes itself as ``model_admin`` for the permissions, messages and page context the admin gives its own views.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from register.forms import SuggestionReviewForm
from register.models import Suggestion, SuggestionStatus
from register.models.vocabularies import PublicationState
from register.services.articles import suggestion_accept, suggestion_reject

# How much of the article is shown on each side of the quote, so the curator reads it in context.
CONTEXT_CHARACTERS = 300


def suggestion_review(request, pk, *, model_admin):
    """Show one suggestion in its article, and accept it onto an event or reject it."""
    suggestion = get_object_or_404(
        Suggestion.objects.select_related("article__publisher", "monument", "artefact", "cited_source"), pk=pk
    )
    if not model_admin.has_change_permission(request, suggestion):
        raise PermissionDenied
    form = SuggestionReviewForm(request.POST or None, suggestion=suggestion)
    if request.method == "POST" and form.is_valid() and suggestion.status == SuggestionStatus.PENDING:
        try:
            if "_reject" in request.POST:
                suggestion_reject(suggestion=suggestion, user=request.user, reason=form.cleaned_data["reason"])
                model_admin.message_user(request, _("Suggestion rejected."), messages.SUCCESS)
            else:
                if not request.user.has_perm("register.add_evidence"):
                    raise PermissionDenied
                evidence = suggestion_accept(
                    suggestion=suggestion,
                    user=request.user,
                    incident=form.cleaned_data["incident"],
                    restoration=form.cleaned_data["restoration"],
                    assessment=form.cleaned_data["assessment"],
                    date=form.cleaned_data["date"].strip(),
                )
                event = evidence.event
                accepted = (
                    _(
                        'Accepted as evidence for the draft <a href="{}">{}</a>: write its summary and give what it '
                        "lacks there, then publish it."
                    )
                    if event.state == PublicationState.DRAFT
                    else _('Accepted as evidence for <a href="{}">{}</a>.')
                )
                change = reverse(f"admin:register_{event._meta.model_name}_change", args=[event.pk])
                model_admin.message_user(request, format_html(accepted, change, event), messages.SUCCESS)
        except ValidationError as error:
            # The messages may name model fields the form lacks (an incident's date): show them all above.
            form.add_error(None, error.messages)
        else:
            return redirect(f"{reverse('admin:register_suggestion_changelist')}?status__exact=pending")
    body = suggestion.article.body
    end = suggestion.position + len(suggestion.quote)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Review a suggestion"),
        "original": suggestion,
        "suggestion": suggestion,
        "form": form,
        "before": body[max(0, suggestion.position - CONTEXT_CHARACTERS) : suggestion.position],
        "after": body[end : end + CONTEXT_CHARACTERS],
    }
    return TemplateResponse(request, "admin/register/suggestion/review.html", context)
