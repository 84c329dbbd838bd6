"""The OpenAPI schema tells the truth about errors: every operation documents the error
answers the API really gives (drf-spectacular postprocessing hook, SPECTACULAR_SETTINGS).

- 400 everywhere: a query parameter, path or body that fails the input contract
  ({field: [messages]} or {"detail": …}; powerlist/inputs.py, config/middleware.py);
- 403: not signed in, or refused with the reason;
- 404 everywhere: an id that does not exist or that the user may not read (the same
  answer), a page number past the end, a department one may not read;
- 409 on writes to one item (PUT, PATCH, POST below an id): the version was stale;
- 429: throttled (config/throttling.py).

What a view documents itself (with its own description) stays as it is. The error
body has the media type of the success answer: JSON {"detail": …} for JSON operations,
the reason as text for the SVG drawing.
"""

ERROR = {"$ref": "#/components/schemas/Error"}
ERROR_COMPONENT = {
    "type": "object",
    "description": "A refusal (403), a missing item (404) or a conflict (409): the reason to show.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
INVALID = {"type": "object", "additionalProperties": True}
DESCRIPTIONS = {
    "400": "输入有误:{字段: [说明]} 或 {detail: 说明}。",
    "403": "未登录,或无权执行;detail 说明原因。",
    "404": "不存在或您无权查看(两者的回答相同)。",
    "409": "已被他人处理或修改(version 过期),请重新读取。",
    "429": "请求过于频繁,已被限流;Retry-After 说明何时再试。",
}
WRITES = {"put", "patch", "post"}


def _media_types(operation):
    for code, response in operation.get("responses", {}).items():
        if code.startswith("2") and response.get("content"):
            return list(response["content"])
    return ["application/json"]


def _error_response(code, media_types):
    # A URL no route matches answers JSON whatever the operation (config/api_errors.py).
    content = {"application/json": {"schema": INVALID if code == "400" else ERROR}}
    for media_type in media_types:
        if media_type == "application/json":
            content[media_type] = {"schema": INVALID if code == "400" else ERROR}
        else:
            content[media_type] = {"schema": {"type": "string"}}
    return {"description": DESCRIPTIONS[code], "content": content}


def document_error_responses(result, generator, request, public):
    """Add the error answers each operation can give and does not document yet."""
    result.setdefault("components", {}).setdefault("schemas", {}).setdefault("Error", ERROR_COMPONENT)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = ["400", "403", "404", "429"]
            if method in WRITES and "{" in path:
                codes.append("409")
            media_types = _media_types(operation)
            responses = operation["responses"]
            for code in codes:
                existing = responses.get(code)
                if existing is None or not existing.get("content"):
                    responses[code] = _error_response(code, media_types)
    return result
