"""The trivial endpoint HTTP figures are compared with: FastAPI, one async route, served
by uvicorn with the settings ``civicweave serve`` uses."""

from __future__ import annotations

from fastapi import FastAPI

app = FastAPI()


@app.get("/ping")
async def ping() -> dict[str, bool]:
    """Nothing but the framework and the server."""
    return {"ok": True}
