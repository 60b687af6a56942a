# syntax=docker/dockerfile:1
#
# The flink-job-controller image: the Swift operator binary, the SQL runner jar compiled against Flink 2.3, and
# Flink's Python driver jar, on a slim Debian runtime running as the non-root user 65532.
#
#   docker build -t ghcr.io/flink-job-controller/flink-job-controller:0.1.0 .
#
# Stages: swift-build (the operator), flink (the official Flink image, source of lib/ and opt/), sql-runner (javac),
# runtime. scripts/check-packaging.sh lints this file with hadolint; docs/install.md, "Image".

ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG FLINK_IMAGE=flink:2.3.0-java17
ARG JDK_IMAGE=eclipse-temurin:17-jdk
ARG RUNTIME_IMAGE=debian:bookworm-slim

# ---------------------------------------------------------------------------------------------------------------
# The operator, built in release mode with the Swift runtime linked statically (the runtime image has no Swift).
# ---------------------------------------------------------------------------------------------------------------
FROM ${SWIFT_IMAGE} AS swift-build
# Debian's package versions move with security updates; the base image's release pins them.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libcurl4-openssl-dev libssl-dev libsqlite3-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Manifest first: the dependency resolution layer is reused while only sources change.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
# SwiftPM checks every target's directory when it loads the manifest, test targets included.
COPY Tests ./Tests
# Stripped (install -s): the symbol tables are most of an unstripped release binary (75 MB → 20 MB without the
# static Swift runtime); crash backtraces then show addresses, not symbol names.
RUN swift build -c release --product flink-job-controller --static-swift-stdlib \
    && install -D -s -m 0755 "$(swift build -c release --show-bin-path)/flink-job-controller" \
        /out/usr/local/bin/flink-job-controller

# ---------------------------------------------------------------------------------------------------------------
# Flink 2.3: lib/ to compile the SQL runner against, and the Python driver jar.
# ---------------------------------------------------------------------------------------------------------------
FROM ${FLINK_IMAGE} AS flink

# ---------------------------------------------------------------------------------------------------------------
# The SQL runner (runtime/sql-runner/), compiled for Java 17 against Flink's own jars.
# ---------------------------------------------------------------------------------------------------------------
FROM ${JDK_IMAGE} AS sql-runner
COPY --from=flink /opt/flink/lib /opt/flink/lib
WORKDIR /build
COPY runtime/sql-runner/src ./src
RUN mkdir classes \
    && find src/main/java -name '*.java' > sources.txt \
    && javac --release 17 -nowarn -encoding UTF-8 -d classes -cp '/opt/flink/lib/*' @sources.txt \
    && jar --create --file sql-runner.jar --main-class io.jobcontroller.sqlrunner.SqlRunner -C classes .

# ---------------------------------------------------------------------------------------------------------------
# Runtime: libcurl (HTTP to Kubernetes and Flink), OpenSSL, SQLite (local-mode state), CA certificates, tzdata
# (batch schedules in IANA time zones), libstdc++ (needed by the statically linked Swift runtime).
# ---------------------------------------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE} AS runtime
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates libcurl4 libssl3 libsqlite3-0 libstdc++6 tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 65532 nonroot \
    && useradd --uid 65532 --gid 65532 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin nonroot
COPY --from=swift-build /out/usr/local/bin/flink-job-controller /usr/local/bin/flink-job-controller
COPY --from=sql-runner /build/sql-runner.jar /opt/flink-job-controller/sql-runner.jar
COPY --from=flink /opt/flink/opt/flink-python-2.3.0.jar /opt/flink-job-controller/flink-python.jar
LABEL org.opencontainers.image.title="flink-job-controller" \
      org.opencontainers.image.description="Kubernetes operator for Apache Flink jobs on shared session clusters"
# /tmp is the only writable path in the pod (an emptyDir); the root filesystem is read-only.
ENV TMPDIR=/tmp
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/flink-job-controller"]
CMD ["run"]
