# The civicweave image: the API (`civicweave serve`) and the projection worker
# (`civicweave worker`) run from it. Built from the project alone: docker build .
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

RUN useradd --create-home --uid 10001 civicweave
WORKDIR /app

COPY pyproject.toml README.md ./
COPY domain ./domain
COPY projections ./projections
COPY visualisations ./visualisations
COPY service ./service
COPY bench ./bench
RUN pip install .

USER civicweave
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --retries=5 \
  CMD python -c "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health').status != 200)"
CMD ["civicweave", "serve", "--host", "0.0.0.0", "--no-projector"]
