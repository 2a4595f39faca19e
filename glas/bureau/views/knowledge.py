"""The knowledge base: public search and articles, suggestions while a question is typed, and the
advisors' drafting and review pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from glas.bureau import knowledge
from glas.bureau.forms import ArticleForm
from glas.bureau.models import Article
from glas.bureau.views.public import form_error
from glas.core.access import require_perm
from glas.core.exceptions import DomainError
from glas.core.types import AuthedRequest

QUERY_CAP = 200


@require_GET
def kb_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:QUERY_CAP]
    return render(request, "bureau/kb_list.html", {"query": query, "articles": knowledge.search_articles(query)})


@require_GET
def kb_suggest(request: HttpRequest) -> HttpResponse:
    """Articles for the question being typed on the request form (an HTMX partial)."""
    text = " ".join(request.GET.get(name, "")[:QUERY_CAP] for name in ("subject", "description"))
    return render(request, "bureau/_kb_suggestions.html", {"articles": knowledge.suggest_articles(text)})


@require_GET
def kb_article(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article, slug=slug, status=Article.Status.PUBLISHED)
    return render(request, "bureau/kb_article.html", {"article": article})


@login_required
@require_GET
def kb_manage(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, "bureau.work_cases")
    articles = Article.objects.select_related("author").order_by("status", "-updated_at")[:200]
    return render(request, "bureau/kb_manage.html", {"articles": articles})


def _article_for_edit(request: AuthedRequest, slug: str | None) -> Article | None:
    require_perm(request.user, "bureau.work_cases")
    return get_object_or_404(Article, slug=slug) if slug else None


@login_required
@require_http_methods(["GET", "POST"])
def kb_edit(request: AuthedRequest, slug: str | None = None) -> HttpResponse:
    article = _article_for_edit(request, slug)
    initial = {f: getattr(article, f) for f in ("title", "summary", "category", "body")} if article else None
    form = ArticleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if article is None:
                article = knowledge.article_create(actor=request.user, **form.cleaned_data)
            else:
                article = knowledge.article_update(actor=request.user, article=article, **form.cleaned_data)
        except DomainError as error:
            if error.code == "forbidden":
                raise PermissionDenied from None
            form_error(form, error)
        else:
            messages.success(request, _("The article is saved."))
            return redirect("bureau:kb_manage")
    context = {"form": form, "article": article}
    return render(request, "bureau/kb_edit.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def kb_transition(request: AuthedRequest, slug: str, to: str) -> HttpResponse:
    steps = {
        "review": knowledge.article_submit,
        "publish": knowledge.article_publish,
        "withdraw": knowledge.article_withdraw,
    }
    article = _article_for_edit(request, slug)
    if to not in steps or article is None:
        raise PermissionDenied
    try:
        steps[to](actor=request.user, article=article)
    except DomainError as error:
        if error.code == "forbidden":
            raise PermissionDenied from None
        messages.error(request, error.message)
        return redirect("bureau:kb_manage")
    messages.success(request, _("The article's status is changed."))
    return redirect("bureau:kb_manage")
