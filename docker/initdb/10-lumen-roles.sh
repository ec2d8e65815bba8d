#!/bin/bash
# Runs once, as the image's superuser, when the database volume is created (docs/security.md): the owner role runs
# the migrations and owns the database; the app role is what Lumen connects as (granted by the migrations).
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<SQL
CREATE ROLE lumen LOGIN PASSWORD '${LUMEN_DB_PASSWORD}' NOSUPERUSER;
CREATE ROLE lumen_app LOGIN PASSWORD '${LUMEN_DB_APP_PASSWORD}' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE DATABASE lumen OWNER lumen;
GRANT CONNECT, TEMPORARY ON DATABASE lumen TO lumen_app;
SQL
# pgvector is not a trusted extension: the superuser creates it once
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname lumen -c "CREATE EXTENSION IF NOT EXISTS vector"
