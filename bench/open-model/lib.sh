# shellcheck shell=bash
# bench/open-model/lib.sh: what the issue-15 benchmark scripts share (sourced, not run).
#
# - the command line every script takes: BUILD_DIR first, then --out DIR and --duration S;
# - a private nginx on 127.0.0.1:<free port> (plain or TLS 1.3 with a self-signed certificate
#   made here), ONE process (`master_process off`) pinned to CPU $server_cpu, so the stall
#   benchmark can freeze exactly the process that answers (SIGSTOP/SIGCONT to its PID);
# - `timed`: a generator pinned to CPU $gen_cpu under /usr/bin/time (user, sys CPU, max RSS);
# - cleanup at exit: background helpers stopped, then nginx continued (if frozen), TERM, KILL
#   after 5 s; everything by its PID only.
# All traffic goes to 127.0.0.1; every tool run here has a bounded duration.

om_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
om_bench=$(cd "$om_here/.." && pwd)
om_report="$om_here/report.py"  # used by the scripts
export PYTHONDONTWRITEBYTECODE=1  # no __pycache__ in the source tree
gen_cpu=${STAMPEDE_BENCH_GEN_CPU:-0}
server_cpu=${STAMPEDE_BENCH_SERVER_CPU:-1}
nginx_pid=""
om_bg_pids=()  # helpers started in the background (the stall timer): stopped first at exit

om_die() { echo "$om_name: $*" >&2; exit 2; }

# om_usage: prints the script's header comment (lines 2.. up to the first line without '#').
om_usage() {
  awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"
  exit "${1:-0}"
}

# om_check_number NAME VALUE: a positive number (integer or decimal), else a usage error.
om_check_number() {
  if ! [[ "$2" =~ ^([0-9]+\.?[0-9]*|\.[0-9]+)$ ]] \
     || ! python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) > 0 else 1)" "$2"; then
    om_die "$1: '$2' is not a positive number"
  fi
}

# om_setup BUILD_DIR: the stampede binary, the tools every script needs, the output folder
# ($out, made here), the open-files limit raised as a user would.
om_setup() {
  local build=$1
  [[ -d "$build" ]] || om_die "BUILD_DIR '$build' is not a folder (a release build, e.g. build-bench)"
  stampede=$(realpath "$build")/generator/stampede
  [[ -x "$stampede" ]] || om_die "no stampede binary at $stampede (STAMPEDE_BUILD_DIR=$build STAMPEDE_TARGETS=stampede scripts/build)"
  "$stampede" run --help 2>/dev/null | grep -q -- '--arrival-rate' \
    || om_die "$stampede has no --arrival-rate (an old build? rebuild $build)"
  local newer
  newer=$(cd "$om_bench/.." && find units results scenarios generator -newer "$stampede" \
            \( -name '*.cpp' -o -name '*.h' -o -name CMakeLists.txt \) 2>/dev/null | head -3)
  [[ -z "$newer" ]] || echo "$om_name: warning: sources newer than $stampede (e.g. ${newer//$'\n'/, }): rebuild $build first" >&2
  local type
  type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
  [[ "$type" == Release ]] || echo "$om_name: warning: $build is a '${type:-unknown}' build, not Release" >&2
  for tool in nginx taskset /usr/bin/time curl python3; do
    command -v "$tool" >/dev/null || om_die "missing $tool"
  done
  mkdir -p "$out" || om_die "--out: cannot make '$out'"
  out=$(realpath "$out")
  ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
  nofile=$(ulimit -n)
  trap om_cleanup EXIT
  trap 'exit 130' INT TERM
}

om_cleanup() {
  local p
  for p in "${om_bg_pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  om_bg_pids=()
  if [[ -n "$nginx_pid" ]] && kill -0 "$nginx_pid" 2>/dev/null; then
    kill -CONT "$nginx_pid" 2>/dev/null || true
    kill -TERM "$nginx_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$nginx_pid" 2>/dev/null || true
  fi
  nginx_pid=""
}

om_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# om_start_nginx plain|tls: nginx in $out/nginx-<mode>, answering every path with 200 and a
# small JSON body (the body of bench/run-benchmarks). Sets $host (http:// or https://) and
# $nginx_pid. TLS: TLS 1.3 only, a P-256 certificate for 127.0.0.1 made now with openssl.
om_start_nginx() {
  local mode=$1 dir="$out/nginx-$1" port scheme=http listen tls_lines=""
  port=$(om_free_port)
  mkdir -p "$dir/logs" "$dir/tmp"
  listen="listen 127.0.0.1:$port backlog=4096"
  if [[ $mode == tls ]]; then
    command -v openssl >/dev/null || om_die "missing openssl (for the self-signed certificate)"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
      -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
      -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>"$dir/openssl.log" \
      || om_die "openssl could not make a certificate (see $dir/openssl.log)"
    scheme=https
    listen="$listen ssl"
    tls_lines="ssl_certificate $dir/cert.pem; ssl_certificate_key $dir/key.pem;
    ssl_protocols TLSv1.3; ssl_session_cache shared:bench:1m;"
  fi
  cat > "$dir/nginx.conf" <<EOF
worker_processes 1;
master_process off;
daemon off;
worker_rlimit_nofile $nofile;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections $((nofile - 100)); multi_accept on; }
http {
  access_log off;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  keepalive_requests 1000000000;
  keepalive_timeout 300s;
  server {
    $listen;
    $tls_lines
    default_type application/json;
    location / { return 200 '{"grab_status": 1, "coupon_id": 7, "message": "ok"}'; }
  }
}
EOF
  taskset -c "$server_cpu" nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log" \
    > "$dir/logs/stdout.log" 2>&1 &
  nginx_pid=$!
  host="$scheme://127.0.0.1:$port"
  for _ in $(seq 50); do
    curl -sk -o /dev/null "$host/" && return 0
    kill -0 "$nginx_pid" 2>/dev/null || break
    sleep 0.1
  done
  om_die "nginx ($mode) did not come up on $host (see $dir/logs/error.log)"
}

om_stop_nginx() { om_cleanup; }

# timed TIMEFILE CMD...: CMD on CPU $gen_cpu; "user sys maxrss_kb" into TIMEFILE.
timed() { taskset -c "$gen_cpu" /usr/bin/time -f "%U %S %M" -o "$1" "${@:2}"; }

# om_paced_scenario FILE RATE_PER_USER: bench/plain-get.json with a constant_throughput wait
# (the closed model at a chosen mean rate: users x RATE_PER_USER per second).
om_paced_scenario() {
  python3 - "$om_bench/plain-get.json" "$1" "$2" <<'PY'
import json, sys
src, dst, per_user = sys.argv[1], sys.argv[2], float(sys.argv[3])
s = json.load(open(src))
s["name"] = "plain-get-paced"
s["description"] = f"GET / at {per_user:g} tasks/s per user (constant_throughput)"
for c in s["user_classes"]:
    c["wait_time"] = {"constant_throughput": per_user}
json.dump(s, open(dst, "w"), indent=2)
PY
}

om_header() {
  echo "# $om_name: $(nproc) cores, $(. /etc/os-release && echo "$PRETTY_NAME"), load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# stampede $stampede; generator on CPU $gen_cpu, nginx on CPU $server_cpu; output in $out"
}
