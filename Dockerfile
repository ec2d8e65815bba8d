# Multi-stage build of Lumen. 'docker compose up --build' starts it next to PostgreSQL + pgvector and, like
# './lumen demo', extracts and labels the bundled demo on first start, then serves it (docker/entrypoint.sh).
# Untested here: the machine this project is built on has no Docker engine (docs/security.md).
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY sae-engine/pom.xml sae-engine/pom.xml
COPY feature-stats/pom.xml feature-stats/pom.xml
COPY spark/pom.xml spark/pom.xml
COPY db/pom.xml db/pom.xml
COPY frontend/pom.xml frontend/pom.xml
COPY backend/pom.xml backend/pom.xml
RUN ./mvnw -B -q dependency:go-offline -DskipTests -Dlumen.no-spark -pl '!spark' || true
COPY . .
RUN ./mvnw -B -q -DskipTests -Dlumen.no-spark -pl '!spark' package

# A JDK, not a JRE: the entry point asks for the jdk.incubator.vector module, which JRE images may leave out
FROM eclipse-temurin:17-jdk
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
  && java --add-modules jdk.incubator.vector -version \
  && useradd --system --uid 10001 --user-group --home-dir /app --no-create-home lumen
WORKDIR /app
COPY --from=build /src/backend/target/lumen.jar /app/lumen.jar
COPY demo /app/demo
COPY docker/entrypoint.sh /app/entrypoint.sh
# DJL unpacks nothing at run time (offline, natives from the jar) but wants a writable home for its cache
RUN mkdir -p /app/home && chown -R lumen:lumen /app/home
ENV HOME=/app/home
USER lumen
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=300s --retries=5 \
  CMD curl -fsS http://localhost:8080/actuator/health || exit 1
ENTRYPOINT ["/app/entrypoint.sh"]
