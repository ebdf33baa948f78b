// End-to-end harness: starts (and always stops) its own Xvfb, D-Bus session, gnome-keyring and
// tauri-driver, builds the real app, and speaks W3C WebDriver to it over loopback.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");
export const ARTIFACTS = join(ROOT, "target", "e2e");
const APP = join(ROOT, "target", "debug", "cloudcreds-app");
const FAKE_CLOUDS = join(ROOT, "target", "debug", "fake-clouds");
/** The endpoint overrides the app honours; fake-clouds prints them among its exports. */
/** The fake's endpoint variables (every provider's endpoint role: `*_ENDPOINT*`,
 * `AZURE_AUTHORITY_HOST`, `MODAL_SERVER_URL`), so the app never calls a real service. */
const ENDPOINT_VAR = /ENDPOINT|AUTHORITY_HOST|SERVER_URL/;
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

/** Builds the app as `npm run app` does, unless CLOUDCREDS_E2E_SKIP_BUILD is set. */
export function buildApp() {
  if (!process.env.CLOUDCREDS_E2E_SKIP_BUILD || !existsSync(APP)) {
    const r = spawnSync("npx", ["tauri", "build", "--debug", "--no-bundle"], {
      cwd: ROOT,
      stdio: "inherit",
      // The Tauri CLI accepts only true/false in CI; some runners set CI=1.
      env: { ...process.env, CI: process.env.CI ? "true" : "false" },
    });
    if (r.status !== 0) throw new Error("building the app failed (npx tauri build --debug --no-bundle)");
    const f = spawnSync("cargo", ["build", "--quiet", "-p", "fake-clouds"], { cwd: ROOT, stdio: "inherit" });
    if (f.status !== 0) throw new Error("building fake-clouds failed (cargo build -p fake-clouds)");
  }
  return APP;
}

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

/** The absolute path of `cmd`, or an error naming what to install. */
function need(cmd, pkg) {
  const r = spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" });
  if (r.status !== 0) {
    throw new Error(`${cmd} is missing: run \`bash scripts/install-system-deps.sh test\` (package ${pkg})`);
  }
  return r.stdout.trim();
}

/** Reads from a stream until `pattern` matches, or fails after `ms`. */
function readUntil(stream, pattern, ms, what) {
  return new Promise((ok, fail) => {
    let buf = "";
    const timer = setTimeout(() => fail(new Error(`${what} did not start within ${ms} ms: ${buf}`)), ms);
    stream.on("data", (chunk) => {
      buf += chunk.toString();
      const m = buf.match(pattern);
      if (m) {
        clearTimeout(timer);
        ok(m);
      }
    });
  });
}

const BUS_CONFIG = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;

/** Polls the bus until org.freedesktop.secrets is owned (gnome-keyring is up). */
async function waitForSecretService(env) {
  for (let i = 0; i < 100; i++) {
    const r = spawnSync(
      "dbus-send",
      ["--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
        "org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.secrets"],
      { env, encoding: "utf8" },
    );
    if (r.stdout?.includes("boolean true")) return;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error("gnome-keyring-daemon did not register the Secret Service within 10 s");
}

/** Everything the app needs around it. `stop()` kills all of it, in reverse order. */
export class Services {
  procs = [];
  env = { ...process.env };
  home = mkdtempSync(join(tmpdir(), "cloudcreds-e2e-"));

  spawnTracked(cmd, args, opts = {}) {
    const child = spawn(cmd, args, { env: this.env, detached: true, ...opts });
    child.unref(); // never keep the test process alive; stopSync() ends them
    this.procs.push(child);
    return child;
  }

  /** `keyring: false` leaves the session without a Secret Service (an unavailable keyring). */
  async start({ keyring = true } = {}) {
    const exitHook = () => this.stopSync();
    process.once("exit", exitHook);
    for (const sig of ["SIGINT", "SIGTERM"]) process.once(sig, () => { this.stopSync(); process.exit(130); });

    const tauriDriver = need("tauri-driver", "cargo install tauri-driver");
    const nativeDriver = need("WebKitWebDriver", "webkit2gtk-driver");
    need("dbus-daemon", "dbus");
    need("gnome-keyring-daemon", "gnome-keyring");

    // Everything started here keeps its files in the temp home: the user's own keyrings,
    // config and caches are never touched.
    this.env.HOME = this.home;
    for (const [name, dir] of [["XDG_DATA_HOME", "data"], ["XDG_CONFIG_HOME", "xdg-config"],
      ["XDG_CACHE_HOME", "cache"], ["XDG_RUNTIME_DIR", "run"]]) {
      this.env[name] = join(this.home, dir);
      mkdirSync(this.env[name], { recursive: true, mode: 0o700 });
    }
    this.env.NO_AT_BRIDGE = "1";

    if (!process.env.DISPLAY) {
      need("Xvfb", "xvfb");
      const xvfb = this.spawnTracked("Xvfb", ["-displayfd", "3", "-screen", "0", "1280x900x24", "-nolisten", "tcp"], {
        stdio: ["ignore", "ignore", "pipe", "pipe"],
      });
      const [, n] = await readUntil(xvfb.stdio[3], /(\d+)\n/, 15000, "Xvfb");
      this.env.DISPLAY = `:${n}`;
    }

    // A private bus with no service directories: nothing (not the user's own keyring, not
    // the accessibility bus) is ever auto-started on it; we start what the test needs.
    const busConfig = join(this.home, "bus.conf");
    writeFileSync(busConfig, BUS_CONFIG);
    const dbus = this.spawnTracked("dbus-daemon", [`--config-file=${busConfig}`, "--nofork", "--print-address=1"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const [addr] = await readUntil(dbus.stdout, /^\S+/m, 15000, "dbus-daemon");
    this.env.DBUS_SESSION_BUS_ADDRESS = addr;

    if (keyring) {
      const daemon = this.spawnTracked(
        "gnome-keyring-daemon",
        ["--foreground", "--unlock", "--components=secrets"],
        { stdio: ["pipe", "pipe", "pipe"] },
      );
      daemon.stdin.end("test"); // an empty password would leave no usable collection
      // Wait until the Secret Service answers, so the app never races its start.
      await waitForSecretService(this.env);
    }

    // The fake clouds on loopback; the app reaches them through the standard overrides.
    const fake = this.spawnTracked(FAKE_CLOUDS, [], { stdio: ["ignore", "pipe", "inherit"] });
    const [printed] = await readUntil(fake.stdout, /[\s\S]*gcp_key_json: written to .*\n/, 30000, "fake-clouds");
    this.fakeCreds = {};
    for (const line of printed.split("\n")) {
      const exp = line.match(/^export (\w+)='(.*)'$/);
      if (exp && ENDPOINT_VAR.test(exp[1])) this.env[exp[1]] = exp[2];
      const cred = line.match(/^#\s+(\w+)=(.*)$/);
      if (cred) this.fakeCreds[cred[1]] = cred[2];
    }

    this.env.CLOUDCREDS_HOME = join(this.home, "config");
    this.env.CLOUDCREDS_KEYRING_SERVICE = `cloudcreds-e2e-${process.pid}`;

    const port = await freePort();
    const nativePort = await freePort();
    this.spawnTracked(
      tauriDriver,
      ["--port", String(port), "--native-port", String(nativePort), "--native-driver", nativeDriver],
      { stdio: ["ignore", "inherit", "inherit"] },
    );
    this.webdriverUrl = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      try {
        const r = await fetch(`${this.webdriverUrl}/status`);
        if (r.ok) return this;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("tauri-driver did not answer on its port within 10 s");
  }

  stopSync() {
    for (const child of this.procs.reverse()) {
      try {
        process.kill(-child.pid, "SIGKILL"); // the whole group: tauri-driver's WebKitWebDriver and app too
      } catch {
        /* already gone */
      }
    }
    this.procs = [];
    rmSync(this.home, { recursive: true, force: true });
  }
}

/** A minimal W3C WebDriver client: the handful of commands the tests use. */
export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  static async create(base, application) {
    const value = await call(base, "POST", "/session", {
      capabilities: { alwaysMatch: { browserName: "wry", "tauri:options": { application } } },
    });
    return new Session(base, value.sessionId);
  }

  cmd(method, path, body) {
    return call(this.base, method, `/session/${this.id}${path}`, body);
  }

  async find(css) {
    return (await this.cmd("POST", "/element", { using: "css selector", value: css }))[ELEMENT];
  }

  async findAll(css) {
    return (await this.cmd("POST", "/elements", { using: "css selector", value: css })).map((e) => e[ELEMENT]);
  }

  /** Polls until an element matching `css` exists. */
  async waitFor(css, ms = 15000) {
    const end = Date.now() + ms;
    for (;;) {
      const found = await this.findAll(css);
      if (found.length > 0) return found[0];
      if (Date.now() > end) {
        const shot = await this.screenshot(`failure-${Date.now()}`).catch(() => "none");
        throw new Error(`no element matched ${css} within ${ms} ms (screenshot: ${shot})`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Polls `probe` until it returns something truthy (then returns it), or fails after `ms`. */
  async waitUntil(what, probe, ms = 15000) {
    const end = Date.now() + ms;
    for (;;) {
      const value = await probe().catch(() => null);
      if (value) return value;
      if (Date.now() > end) {
        const shot = await this.screenshot(`failure-${Date.now()}`).catch(() => "none");
        throw new Error(`${what}: not within ${ms} ms (screenshot: ${shot})`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  text(el) {
    return this.cmd("GET", `/element/${el}/text`);
  }

  attribute(el, name) {
    return this.cmd("GET", `/element/${el}/attribute/${name}`);
  }

  /** Types like a keyboard; line breaks become Enter (WebKitWebDriver drops a raw "\n"). */
  type(el, text) {
    return this.cmd("POST", `/element/${el}/value`, { text: text.replaceAll("\n", "\uE007") });
  }

  click(el) {
    return this.cmd("POST", `/element/${el}/click`, {});
  }

  title() {
    return this.cmd("GET", "/title");
  }

  async screenshot(name) {
    mkdirSync(ARTIFACTS, { recursive: true });
    const path = join(ARTIFACTS, `${name}.png`);
    writeFileSync(path, Buffer.from(await this.cmd("GET", "/screenshot"), "base64"));
    return path;
  }

  close() {
    return call(this.base, "DELETE", `/session/${this.id}`);
  }
}

async function call(base, method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok || json.value?.error) {
    throw new Error(`WebDriver ${method} ${path}: ${json.value?.error}: ${json.value?.message}`);
  }
  return json.value;
}
