"""The HTTP service (``aidrules serve``): assess, explain, notice and validate over JSON,
for county systems in any language. The only package that imports the web framework
(FastAPI on Starlette) and its server (uvicorn); they come with ``pip install
'aidrules[serve]'``.

One module per job: ``auth`` (tokens and roles), ``problems`` (errors as
application/problem+json), ``limits`` (request size), ``openapi`` (the published
document), ``app`` (the routes: ``create_app``), ``command`` (the ``serve`` command,
which imports the framework only when run).
"""
