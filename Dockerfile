# Multi-stage build of the Lumen web app. docker compose up builds and starts it next to PostgreSQL + pgvector.
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

FROM eclipse-temurin:17-jre
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/backend/target/lumen.jar /app/lumen.jar
COPY demo /app/demo
ENV JAVA_TOOL_OPTIONS="-Dai.djl.offline=true"
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=5 \
  CMD curl -fsS http://localhost:8080/actuator/health || exit 1
ENTRYPOINT ["java", "--add-modules", "jdk.incubator.vector", "-jar", "/app/lumen.jar"]
CMD ["serve"]
