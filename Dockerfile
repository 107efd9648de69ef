# memberlens: GraphQL metrics service for e-commerce member operations.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MEMBERLENS_HOME=/data

RUN useradd --create-home --uid 10001 memberlens \
    && mkdir /data && chown memberlens /data
WORKDIR /app

# Dependencies first, in their own layer: it changes only when pyproject.toml does.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt

COPY README.md ./
COPY service ./service
COPY schema ./schema
COPY resolvers ./resolvers
COPY vocabulary ./vocabulary
RUN pip install --no-deps .

USER memberlens
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"
CMD ["memberlens", "serve", "--host", "0.0.0.0", "--port", "8000"]
