# Debian packages the commands use: bubblewrap to isolate emulated sandboxes and slirp4netns (with
# iproute2's ip) for their outbound network (the portal and the tests; the emulator refuses to
# start without them unless told to run without isolation or internet), Chromium for the browser test, Prometheus for
# promtool and the scrape test of deploy/monitoring (those tests fail without it). Installed with
# apt-get when running as root; otherwise the command says what to install.

# Installs the named packages (package:command-or-path pairs) that are missing.
install_missing_packages() {
  local missing=() pair
  for pair in "$@"; do
    local package="${pair%%:*}" probe="${pair#*:}"
    if [[ "$probe" == /* ]]; then [ -x "$probe" ] || missing+=("$package")
    else command -v "$probe" >/dev/null || missing+=("$package"); fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "Installing ${missing[*]} with apt-get"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/dev/null 2>&1 ||
      warn "apt-get could not install ${missing[*]}"
  else
    warn "Missing ${missing[*]}: install them (sudo apt-get install -y ${missing[*]}) for sandbox isolation, the browser test and the Prometheus tests."
  fi
}

ensure_system_packages() {
  install_missing_packages chromium:/usr/bin/chromium bubblewrap:bwrap slirp4netns:slirp4netns \
    iproute2:/usr/sbin/ip prometheus:promtool
}

ensure_bubblewrap() {
  install_missing_packages bubblewrap:bwrap slirp4netns:slirp4netns iproute2:/usr/sbin/ip
}
