#!/usr/bin/env bash
# Installs the system packages the build and the tests need, on a fresh Debian 12 machine (run as root).
# Idempotent: packages already installed are not touched, and apt is only asked when something is missing.
set -euo pipefail

packages=(
  libcurl4-openssl-dev    # HTTP transport (libcurl with OpenSSL, HTTP/2, GSS-API)
  libssl-dev              # the test certificate authority (CTestCertificates)
  libyaml-dev             # YAML (Yams links its own copy; kept for tools that want the system one)
  libsqlite3-dev          # local mode state (GRDB)
  openjdk-17-jdk-headless # Flink 2.3 session clusters and the test jobs
  python3-venv            # project-local virtualenvs for Flink and the tool checks
  openssl                 # independent certificate checks in tests
  prometheus              # promtool: the OperatorServer tests lint /metrics with `promtool check metrics`
)
# kubectl for the kubectl walkthrough tests: a kubectl already on PATH is kept (any recent one works; the tests
# use its default validation, OpenAPI v3 and server-side printing), else Debian's kubernetes-client provides one.
command -v kubectl >/dev/null 2>&1 || packages+=(kubernetes-client)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
