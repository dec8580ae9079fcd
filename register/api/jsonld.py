"""JSON-LD in Linked Art's terms for CIDOC-CRM: monuments, incidents, assessments and articles.

A monument is a human-made object (E22) at a place (E53); an incident a
destruction (E6) or, for lesser damage and misuse, an event (E5); an assessment
a condition assessment (E14) that identified a condition state (E3) of its
subject; an article a document (E31) and linguistic object (E33); a quote a
linguistic object that forms part of its article. The context is embedded in
every response, so a consumer needs no network to expand it. Nodes are built
from the JSON representation, so both formats always say the same thing.
"""

from django.urls import reverse

from register.geojson import wkt
from register.models.vocabularies import aat_url

CRM = "http://www.cidoc-crm.org/cidoc-crm/"

CONTEXT = {
    "@version": 1.1,
    "crm": CRM,
    "la": "https://linked.art/ns/terms/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "id": "@id",
    "type": "@type",
    "HumanMadeObject": "crm:E22_Human-Made_Object",
    "Place": "crm:E53_Place",
    "Destruction": "crm:E6_Destruction",
    "Event": "crm:E5_Event",
    "ConditionAssessment": "crm:E14_Condition_Assessment",
    "ConditionState": "crm:E3_Condition_State",
    "LinguisticObject": {
        "@id": "crm:E33_Linguistic_Object",
        # A passage forms part of its text (P106), not of a physical thing (P46).
        "@context": {"part_of": {"@id": "crm:P106i_forms_part_of", "@container": "@set"}},
    },
    "Document": "crm:E31_Document",
    "Name": "crm:E33_E41_Linguistic_Appellation",
    "Identifier": "crm:E42_Identifier",
    "Type": "crm:E55_Type",
    "TimeSpan": "crm:E52_Time-Span",
    "Group": "crm:E74_Group",
    "Creation": "crm:E65_Creation",
    "Language": "crm:E56_Language",
    "_label": "rdfs:label",
    "see_also": {"@id": "rdfs:seeAlso", "@type": "@id"},
    "content": "crm:P190_has_symbolic_content",
    "identified_by": {"@id": "crm:P1_is_identified_by", "@container": "@set"},
    "classified_as": {"@id": "crm:P2_has_type", "@container": "@set"},
    "referred_to_by": {"@id": "crm:P67i_is_referred_to_by", "@container": "@set"},
    "about": {"@id": "crm:P129_is_about", "@container": "@set"},
    "part_of": {"@id": "crm:P46i_forms_part_of", "@container": "@set"},
    "current_location": "crm:P55_has_current_location",
    "defined_by": "crm:P168_place_is_defined_by",
    "timespan": "crm:P4_has_time-span",
    "begin_of_the_begin": {"@id": "crm:P82a_begin_of_the_begin", "@type": "xsd:dateTime"},
    "end_of_the_end": {"@id": "crm:P82b_end_of_the_end", "@type": "xsd:dateTime"},
    "destroyed": {"@id": "crm:P13_destroyed", "@type": "@id"},
    "involved": {"@id": "crm:P12_occurred_in_the_presence_of", "@type": "@id", "@container": "@set"},
    "concerned": {"@id": "crm:P34_concerned", "@type": "@id", "@container": "@set"},
    "identified": {"@id": "crm:P35_has_identified", "@container": "@set"},
    "condition_of": {"@id": "crm:P44i_is_condition_of", "@type": "@id", "@container": "@set"},
    "created_by": "crm:P94i_was_created_by",
    "carried_out_by": {"@id": "crm:P14_carried_out_by", "@container": "@set"},
    "language": {"@id": "crm:P72_has_language", "@container": "@set"},
    "equivalent": {"@id": "la:equivalent", "@type": "@id", "@container": "@set"},
    "access_point": {"@id": "la:access_point", "@type": "@id", "@container": "@set"},
}


def _type(label: str) -> dict:
    return {"type": "Type", "_label": label}


def _kind_type(kind: str) -> dict:
    """Return a monument's kind as a type, identified by its Getty AAT concept where the register records one."""
    concept = aat_url(kind)
    return {"id": concept, **_type(kind)} if concept else _type(kind)


def _statement(kind: str, text: str, language: str | None = None) -> dict:
    """Return a text about a record; with ``language``, its content tagged with it (``@language``)."""
    content = {"@value": text, "@language": language} if language else text
    return {"type": "LinguisticObject", "classified_as": [_type(kind)], "content": content}


def _timespan(text: str, earliest: str | None, latest: str | None) -> dict:
    span = {"type": "TimeSpan", "identified_by": [{"type": "Name", "content": text}]}
    if earliest:
        span["begin_of_the_begin"] = f"{earliest}T00:00:00Z"
    if latest:
        span["end_of_the_end"] = f"{latest}T23:59:59Z"
    return span


def absolute_url(path: str, context: dict) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


def _monument_url(slug: str, context: dict) -> str:
    return absolute_url(reverse("api:monument-detail", kwargs={"slug": slug}), context)


def _source_url(slug: str, context: dict) -> str:
    return absolute_url(reverse("api:source-detail", kwargs={"slug": slug}), context)


def monument_node(record: dict, context: dict) -> dict:
    """Return a monument's JSON representation as a Linked Art HumanMadeObject."""
    names = [{"type": "Name", "content": record["name"], "classified_as": [_type("primary name")]}]
    names += [
        {"type": "Name", "content": {"@value": name["name"], "@language": name["language"]}}
        for name in record["alternate_names"]
    ]
    names.append({"type": "Identifier", "content": record["slug"], "classified_as": [_type("slug")]})
    node = {
        "id": record["api_url"],
        "type": "HumanMadeObject",
        "_label": record["name"],
        "identified_by": names,
        "classified_as": [_kind_type(record["kind"])],
        "referred_to_by": [_statement("condition now (EAMENA)", record["condition"])],
        "see_also": record["page_url"],
    }
    if record["description"]:
        node["referred_to_by"].append(_statement("description", record["description"], record["description_language"]))
    if record["built"]:
        node["referred_to_by"].append(_statement("built", record["built"]))
    # The record shows what its reader may see (a sensitive place rounded, without its extent): so does the node.
    if record.get("extent") is not None:
        node["current_location"] = {"type": "Place", "_label": record["name"], "defined_by": wkt(record["extent"])}
    elif record["latitude"] is not None and record["longitude"] is not None:
        node["current_location"] = {
            "type": "Place",
            "_label": record["name"],
            "defined_by": f"POINT({float(record['longitude'])} {float(record['latitude'])})",
        }
    if record["part_of"]:
        node["part_of"] = [{"id": _monument_url(record["part_of"], context), "type": "HumanMadeObject"}]
    if record["wikidata"]:
        node["equivalent"] = [f"http://www.wikidata.org/entity/{record['wikidata']}"]
    return node


def quote_node(evidence: dict) -> dict:
    """Return one quote (or a curator's note of a report held by reference) as part of its article."""
    citation = evidence["citation"]
    return {
        "id": evidence["api_url"],
        "type": "LinguisticObject",
        # A report held only by reference has no words to quote: the curator's note says what it reports.
        "content": evidence["quote"] if evidence["is_quote"] else evidence["note"],
        "classified_as": [_type(evidence["stance"])],
        "part_of": [{"id": citation["api_url"], "type": ["LinguisticObject", "Document"], "_label": citation["text"]}],
        "referred_to_by": [_statement("attribution", evidence["attribution"]["text"])],
    }


def incident_node(record: dict, context: dict) -> dict:
    """Return an incident as a Destruction (when destroyed) or an Event, with its quotes."""
    subject = record["subject"]
    destroyed = record["kind"] == "destroyed"
    node = {
        "id": record["api_url"],
        "type": "Destruction" if destroyed else "Event",
        "_label": f"{subject['name']}: {record['kind_label']}, {record['occurred']}",
        "classified_as": [_type(record["kind"]), _type(f"evidence: {record['strength']}")],
        "timespan": _timespan(record["occurred"], record["occurred_earliest"], record["occurred_latest"]),
        "referred_to_by": [
            _statement("summary", record["summary"], record["summary_language"]),
            *(quote_node(evidence) for evidence in record["evidence"]),
        ],
        "see_also": record["page_url"],
    }
    if destroyed:
        node["destroyed"] = subject["api_url"]
    else:
        node["involved"] = [subject["api_url"]]
    if record["grade"]:
        node["classified_as"].append(_type(f"damage grade: {record['grade']}"))
    if record["perpetrator"]:
        node["referred_to_by"].append(_statement("reported perpetrator", record["perpetrator"]))
    return node


def assessment_node(record: dict, context: dict) -> dict:
    """Return an assessment as a Condition Assessment (E14) that identified its subject's Condition State (E3).

    The state holds the EAMENA condition, and the damage extent and trend where given, over the assessment's
    time-span; the assessment is classified by its method and priority, and referred to by its summary, the
    threats it names and its quotes.
    """
    subject = record["subject"]
    timespan = _timespan(record["assessed"], record["assessed_earliest"], record["assessed_latest"])
    state = {
        "type": "ConditionState",
        "_label": f"{subject['name']}: {record['condition_label']}, {record['assessed']}",
        "classified_as": [_type(f"condition (EAMENA): {record['condition']}")],
        "condition_of": [subject["api_url"]],
        "timespan": timespan,
    }
    if record["extent"]:
        state["classified_as"].append(_type(f"damage extent: {record['extent']}"))
    state["classified_as"].append(_type(f"trend: {record['trend']}"))
    node = {
        "id": record["api_url"],
        "type": "ConditionAssessment",
        "_label": f"{subject['name']}: {record['condition_label']} ({record['method_label']}), {record['assessed']}",
        "classified_as": [_type(f"method: {record['method']}")],
        "concerned": [subject["api_url"]],
        "identified": [state],
        "timespan": timespan,
        "referred_to_by": [
            _statement("summary", record["summary"], record["summary_language"]),
            *(quote_node(evidence) for evidence in record["evidence"]),
        ],
        "see_also": record["page_url"],
    }
    if record["priority"]:
        node["classified_as"].append(_type(f"priority (Historic England Heritage at Risk): {record['priority']}"))
    if record["threats"]:
        node["referred_to_by"].append(_statement("threats", record["threats"], record["threats_language"]))
    return node


def article_node(record: dict, context: dict) -> dict:
    """Return an article as a document: its title, text, fingerprint, publisher and what it is about."""
    identifiers = []
    if record["title"]:
        identifiers.append({"type": "Name", "content": record["title"]})
    if record["sha256"]:
        identifiers.append({"type": "Identifier", "content": record["sha256"], "classified_as": [_type("SHA-256")]})
    creation = {"type": "Creation"}
    # A publisher the importer guessed is not stated as the creator until a curator confirms it.
    if "publisher" not in record["unconfirmed"]:
        creation["carried_out_by"] = [{"id": _source_url(record["publisher"], context), "type": "Group"}]
    if record["published"]:
        creation["timespan"] = _timespan(record["published"], record["published"], record["published"])
    node = {
        "id": record["api_url"],
        "type": ["LinguisticObject", "Document"],
        "_label": record["citation"],
        "identified_by": identifiers,
        "language": [{"type": "Language", "_label": record["language"]}],
        "created_by": creation,
        "about": [
            {"id": monument["api_url"], "type": "HumanMadeObject", "_label": monument["name"]}
            for monument in record["mentions"]
        ],
        "referred_to_by": [_statement("citation", record["citation"])],
        "see_also": record["page_url"],
    }
    if record["carried_by"]:
        outlet = {"id": _source_url(record["carried_by"], context)}
        node["referred_to_by"].append({**_statement("carried by", record["carried_by"]), "about": [outlet]})
    if record["body"]:
        node["content"] = record["body"]
    if record["url"]:
        node["access_point"] = [record["url"]]
    return node


def document(nodes: dict | list[dict]) -> dict:
    """Return one node, or a list of them as a graph, with the context embedded."""
    if isinstance(nodes, list):
        return {"@context": CONTEXT, "@graph": nodes}
    return {"@context": CONTEXT, **nodes}
