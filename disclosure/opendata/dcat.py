"""The DCAT catalogue of the open data (DCAT-AP 2 style), as JSON-LD and as Turtle: the
catalogue, each dataset (a publication or a province) and its distributions with
media type, download address, byte size, SHA-256 checksum, issued/modified and
publisher. Built from Dataset rows only: what is listed is what can be downloaded."""

from django.urls import reverse

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "spdx": "http://spdx.org/rdf/terms#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
}
FORMATS = {  # EU file-type vocabulary
    "csv": "http://publications.europa.eu/resource/authority/file-type/CSV",
    "xlsx": "http://publications.europa.eu/resource/authority/file-type/XLSX",
    "json": "http://publications.europa.eu/resource/authority/file-type/JSON",
    "sha256": "http://publications.europa.eu/resource/authority/file-type/TXT",
}
LANGUAGE = "http://publications.europa.eu/resource/authority/language/ZHO"


def _date(value):
    return {"@value": value.isoformat(), "@type": "xsd:dateTime"} if value else None


def _publisher(dataset, absolute):
    if dataset.publication_id:
        department = dataset.publication.department
        return {"@id": absolute(reverse("disclosure:department", args=[dataset.region.code, department.pk])),
                "@type": "foaf:Agent", "foaf:name": f"{dataset.region.name}{department.name}"}
    return {"@id": absolute(reverse("disclosure:region", args=[dataset.region.code])), "@type": "foaf:Agent",
            "foaf:name": dataset.region.name}


def _distribution(dataset, f, absolute):
    url = absolute(reverse("opendata:download", args=[dataset.identifier, f.format]))
    return {
        "@id": url + "#distribution", "@type": "dcat:Distribution",
        "dct:title": f.filename, "dcat:downloadURL": {"@id": url}, "dcat:accessURL": {"@id": url},
        "dcat:mediaType": {"@id": f"http://www.iana.org/assignments/media-types/{f.media_type}"},
        "dct:format": {"@id": FORMATS[f.format]},
        "dcat:byteSize": {"@value": str(f.size), "@type": "xsd:nonNegativeInteger"},
        "spdx:checksum": {"@type": "spdx:Checksum", "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
                          "spdx:checksumValue": {"@value": f.sha256, "@type": "xsd:hexBinary"}},
        "dct:issued": _date(f.created_at), "dct:modified": _date(f.created_at),
    }


def catalogue(datasets, *, absolute, title, description):
    """The JSON-LD document. `absolute(path)` makes a path an absolute address."""
    home = absolute(reverse("opendata:datasets"))
    entries = []
    for dataset in datasets:
        files = [f for f in dataset.files.all()]
        if not files:
            continue
        page = home + f"#{dataset.identifier}"
        entries.append({
            "@id": page, "@type": "dcat:Dataset", "dct:identifier": dataset.identifier,
            "dct:title": {"@value": dataset.title, "@language": "zh"},
            "dct:description": {"@value": f"{dataset.title}:{dataset.power_count}项行政权力的公开内容。", "@language": "zh"},
            "dct:issued": _date(dataset.issued), "dct:modified": _date(dataset.modified),
            "dct:publisher": _publisher(dataset, absolute), "dct:language": {"@id": LANGUAGE},
            "dcat:landingPage": {"@id": page},
            "dct:spatial": {"@id": absolute(reverse("disclosure:region", args=[dataset.region.code])),
                            "dct:identifier": dataset.region.code},
            "dcat:keyword": ["权力清单", "行政权力", "公开目录", dataset.region.name],
            "dcat:distribution": [_distribution(dataset, f, absolute) for f in files],
        })
    return {
        "@context": CONTEXT, "@id": absolute(reverse("opendata:catalogue")), "@type": "dcat:Catalog",
        "dct:title": {"@value": title, "@language": "zh"},
        "dct:description": {"@value": description, "@language": "zh"},
        "dct:language": {"@id": LANGUAGE}, "foaf:homepage": {"@id": home},
        "dcat:service": {"@id": absolute(reverse("open-api-schema")), "@type": "dcat:DataService",
                         "dct:title": {"@value": "开放数据 API", "@language": "zh"},
                         "dcat:endpointURL": {"@id": absolute("/api/open/v1/")},
                         "dcat:endpointDescription": {"@id": absolute(reverse("open-api-schema"))}},
        "dcat:dataset": entries,
    }


# ---------------------------------------------------------------- Turtle


def _literal(value):
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "")
    return f'"{text}"'


def _term(value):
    """A JSON-LD value as a Turtle term."""
    if isinstance(value, dict):
        if "@id" in value and len(value) == 1:
            ref = value["@id"]
            return ref if ":" in ref and not ref.startswith("http") else f"<{ref}>"
        if "@value" in value:
            if "@language" in value:
                return f'{_literal(value["@value"])}@{value["@language"]}'
            if "@type" in value:
                return f'{_literal(value["@value"])}^^{value["@type"]}'
            return _literal(value["@value"])
        return "[ " + " ; ".join(_pair(k, v) for k, v in value.items()
                                 if not k.startswith("@") or k == "@type") + " ]"
    return _literal(value)


def _pair(key, value):
    if key == "@type":
        return f"a {value}"  # a prefixed class name
    if isinstance(value, list):
        return f"{key} " + " , ".join(_term(v) for v in value)
    return f"{key} {_term(value)}"


def _node(node, out, nested_keys=("dcat:dataset", "dcat:distribution", "dcat:service", "dct:publisher",
                                  "dct:spatial")):
    lines = []
    for key, value in node.items():
        if key in ("@id", "@context") or value is None:
            continue
        if key in nested_keys:
            children = value if isinstance(value, list) else [value]
            refs = []
            for child in children:
                _node(child, out)
                refs.append(f"<{child['@id']}>")
            if refs:
                lines.append(f"{key} {' , '.join(refs)}")
            continue
        lines.append(_pair(key, value))
    out.append(f"<{node['@id']}>\n    " + " ;\n    ".join(lines) + " .\n")


def turtle(document) -> str:
    """The same catalogue as RDF Turtle."""
    head = "".join(f"@prefix {p}: <{uri}> .\n" for p, uri in document["@context"].items())
    out = []
    _node(document, out)
    return head + "\n" + "\n".join(reversed(out))
