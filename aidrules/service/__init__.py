"""The HTTP service (``aidrules serve``): assess, explain, notice and validate over JSON,
for county systems in any language. The only package that imports the web framework
(FastAPI on Starlette) and its server (uvicorn); they come with ``pip install
'aidrules[serve]'``.

One module per job: ``auth`` (tokens and roles), ``problems`` (errors as
application/problem+json), ``limits`` (request size), ``openapi`` (the published
document), ``app`` (the routes: ``create_app``), ``factory`` (the app as configured, built
over the composition root :mod:`aidrules.compose`, and run by uvicorn). The ``serve``
command itself is :mod:`aidrules.cli.serve`, which imports this package only when run.
"""
