"""GeoReport v2 documents in JSON and XML, with the specification's element names."""

import json
import xml.etree.ElementTree as ET

from django.http import HttpResponse

XML_ROOTS = {
    # root element, item element
    "services": ("services", "service"),
    "requests": ("service_requests", "request"),
    "errors": ("errors", "error"),
}


def _xml_value(parent, key, value):
    node = ET.SubElement(parent, key)
    if isinstance(value, bool):
        node.text = "true" if value else "false"
    elif isinstance(value, list):
        singular = {"attributes": "attribute", "values": "value"}.get(key, "item")
        for item in value:
            _xml_dict(ET.SubElement(node, singular), item)
    elif isinstance(value, dict):
        _xml_dict(node, value)
    elif value is not None:
        node.text = str(value)


def _xml_dict(node, data: dict):
    for key, value in data.items():
        _xml_value(node, key, value)


def to_xml(kind: str, items) -> bytes:
    """`kind` "services" / "requests" / "errors": a list of items under its root;
    "service_definition": one object as the root."""
    if kind == "service_definition":
        root = ET.Element("service_definition")
        _xml_dict(root, items)
    else:
        root_name, item_name = XML_ROOTS[kind]
        root = ET.Element(root_name)
        for item in items:
            _xml_dict(ET.SubElement(root, item_name), item)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def respond(fmt: str, kind: str, payload, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(
            to_xml(kind, payload), status=status, content_type="text/xml; charset=utf-8"
        )
    return HttpResponse(
        json.dumps(payload, ensure_ascii=False), status=status, content_type="application/json"
    )


def errors(fmt: str, status: int, descriptions: list[str], headers=None) -> HttpResponse:
    response = respond(
        fmt, "errors", [{"code": status, "description": d} for d in descriptions], status
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response
