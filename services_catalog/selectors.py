"""Read-side queries on the catalogue."""

import re

from django.db import connection
from django.db.models import Case, F, IntegerField, Prefetch, Q, Value, When
from django.db.models.functions import Greatest

from .models import ServiceType, Step

SEARCH_MAX_CHARS = 100
SEARCH_MAX_TERMS = 8
# word_similarity of a typed word against the closest stretch of the service's text:
# 0.45 forgives one wrong letter in a six-letter word ("ijasah" ~ "ijazah" scores 0.57)
# while unrelated words stay below it.
TRIGRAM_THRESHOLD = 0.45
_WORD = re.compile(r"\w+")


def service_type_list_public():
    """Active public services with everything the catalogue shows (fixed query count)."""
    return ServiceType.objects.public().with_catalogue()


def service_for_submission(code) -> ServiceType | None:
    """The active service `code` with everything a submission reads (its unit and
    office, form fields, documents, steps with their units): four queries, however many
    fields, documents and steps it has."""
    return (
        ServiceType.objects.active()
        .filter(code=code)
        .select_related("unit__office")
        .prefetch_related(
            "fields",
            "documents",
            Prefetch("steps", queryset=Step.objects.select_related("unit").order_by("order")),
        )
        .first()
    )


def search_terms(query: str) -> list[str]:
    """The words of a typed query, lower case, bounded (public input)."""
    words = _WORD.findall((query or "")[:SEARCH_MAX_CHARS].lower())
    return list(dict.fromkeys(w for w in words if len(w) <= 40))[:SEARCH_MAX_TERMS]


def service_type_search(services, *, query: str):
    """`services` matching the query, best first; unchanged for an empty query.

    On PostgreSQL a service matches when every word is found as a word prefix (full text,
    `simple` configuration: Indonesian needs no English stemming), or as a substring, or
    when the query is close to some stretch of its name, synonyms, description or product
    (pg_trgm word similarity: typos). Matches in the name and the synonyms rank above the
    description. Elsewhere (SQLite in development) every word must appear as a substring;
    name matches come first. Either way one query, whatever the number of services.
    """
    terms = search_terms(query)
    if not terms:
        return services
    every_word = Q()
    for term in terms:
        every_word &= Q(search_text__contains=term)
    if connection.vendor != "postgresql":
        in_name = Q()
        for term in terms:
            in_name &= Q(name__icontains=term) | Q(synonyms__icontains=term)
        return (
            services.filter(every_word)
            .annotate(
                search_rank=Case(
                    When(in_name, then=Value(1)), default=Value(0), output_field=IntegerField()
                )
            )
            .order_by("-search_rank", "display_order", "name")
        )
    return _postgres_search(services, terms=terms, every_word=every_word)


def _postgres_search(services, *, terms, every_word):
    from django.contrib.postgres.search import (
        SearchQuery,
        SearchRank,
        SearchVector,
        TrigramWordSimilarity,
    )

    phrase = " ".join(terms)
    vector = (
        SearchVector("name", weight="A", config="simple")
        + SearchVector("synonyms", weight="A", config="simple")
        + SearchVector("description", "product", weight="C", config="simple")
    )
    # Terms are \w+ only, so this raw tsquery is safe: every word, each as a prefix.
    prefix_query = SearchQuery(
        " & ".join(f"{term}:*" for term in terms), search_type="raw", config="simple"
    )
    return (
        services.annotate(
            document=vector,
            text_rank=SearchRank(vector, prefix_query),
            head_similarity=Greatest(
                TrigramWordSimilarity(phrase, "name"), TrigramWordSimilarity(phrase, "synonyms")
            ),
            text_similarity=TrigramWordSimilarity(phrase, "search_text"),
        )
        .filter(
            Q(document=prefix_query) | every_word | Q(text_similarity__gte=TRIGRAM_THRESHOLD),
        )
        .annotate(
            search_rank=(F("text_rank") * 2 + F("head_similarity") + F("text_similarity") / 2)
        )
        .order_by("-search_rank", "display_order", "name")
    )


def service_type_steps_over_limit(service: ServiceType) -> int | None:
    """The working days of `service`'s steps together, when they exceed its time limit
    (the published standard would then promise what the procedure cannot keep); else None."""
    total = sum(step.sla_working_days for step in service.steps.all())
    return total if total > service.sla_working_days else None
