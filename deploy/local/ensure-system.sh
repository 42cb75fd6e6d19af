#!/usr/bin/env bash
# Install the system packages tweetpulse needs when they are missing (Debian/Ubuntu, as root):
# Java 17+ and Maven (Kafka from Maven Central), redis-server, a CJK font for the word cloud,
# promtool (Debian `prometheus`, ~20 MB) for the Prometheus rule tests, and a C compiler for the
# compiled ingest hot path (`tweetpulse native build`; Python's headers come with the interpreter).
set -euo pipefail
need=()
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v cc >/dev/null 2>&1 || need+=(gcc)
if ! fc-list :lang=zh file 2>/dev/null | grep -q . ; then need+=(fonts-wqy-microhei fontconfig); fi
lean=()  # installed without their recommends (prometheus would pull node-exporter, snmp, ...)
command -v promtool >/dev/null 2>&1 || lean+=(prometheus)
[ ${#need[@]} -eq 0 ] && [ ${#lean[@]} -eq 0 ] && exit 0
echo "tweetpulse: installing system packages: ${need[*]} ${lean[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "tweetpulse: run as root or install: apt-get install -y ${need[*]} ${lean[*]}" >&2; exit 1
  fi
else SUDO=""; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null || true
[ ${#need[@]} -eq 0 ] || $SUDO apt-get install -y -q "${need[@]}" >/dev/null
[ ${#lean[@]} -eq 0 ] || $SUDO apt-get install -y -q --no-install-recommends "${lean[@]}" >/dev/null
# Debian starts redis-server as a system service on install; tweetpulse runs its own.
if [[ " ${need[*]} " == *" redis-server "* ]] && command -v systemctl >/dev/null 2>&1; then
  $SUDO systemctl disable --now redis-server >/dev/null 2>&1 || true
fi
# Only promtool is wanted from `prometheus`: no Prometheus server left running on :9090.
if [[ " ${lean[*]} " == *" prometheus "* ]] && command -v systemctl >/dev/null 2>&1; then
  $SUDO systemctl disable --now prometheus >/dev/null 2>&1 || true
fi
if [[ " ${lean[*]} " == *" prometheus "* ]] && [ -x /etc/init.d/prometheus ]; then
  $SUDO /etc/init.d/prometheus stop >/dev/null 2>&1 || true  # containers without systemd
fi
