// The real app, driven through WebDriver: the settings window opens and renders the forms
// from the Rust provider schemas.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { buildApp, Services, Session } from "./harness.mjs";

/** Every registered provider's id, in display order, from the generated `ProviderId` union. */
function registeredProviders() {
  const bindings = readFileSync(new URL("../../ui/src/lib/bindings.ts", import.meta.url), "utf8");
  const union = bindings.match(/export type ProviderId = ([^;]+);/)[1];
  return [...union.matchAll(/"([a-z0-9_]+)"/g)].map((m) => m[1]);
}

describe("settings window", () => {
  let services;
  let session;

  before(async () => {
    const app = buildApp();
    services = new Services(); // assigned first so `after` cleans up even if start fails
    await services.start();
    session = await Session.create(services.webdriverUrl, app);
  });

  after(async () => {
    await session?.close().catch(() => {});
    services?.stopSync();
  });

  it("opens titled cloudcreds with every provider listed", async () => {
    assert.equal(await session.title(), "cloudcreds");
    await session.waitFor("nav button[data-provider]");
    const buttons = await session.findAll("nav button[data-provider]");
    const ids = [];
    const names = [];
    for (const b of buttons) {
      ids.push(await session.attribute(b, "data-provider"));
      names.push(await session.text(b));
    }
    assert.deepEqual(ids, registeredProviders());
    assert.deepEqual(names.slice(0, 3), ["HuggingFace", "Lambda Cloud", "AWS"]);
    assert.ok(names.every((n) => n.trim().length > 0), names.join(", "));
  });

  it("shows the selected provider's settings form with masked secrets", async () => {
    await session.waitFor("[data-testid=settings-form]");
    const heading = await session.find("[data-testid=settings-form] h2");
    assert.equal(await session.text(heading), "HuggingFace");
    const token = await session.find("input[name=token]");
    assert.equal(await session.attribute(token, "type"), "password");
  });

  it("switches forms when another provider is chosen", async () => {
    await session.click(await session.find("nav button[data-provider=aws]"));
    await session.waitFor("input[name=access_key_id]");
    const heading = await session.find("[data-testid=settings-form] h2");
    assert.equal(await session.text(heading), "AWS");
    const secret = await session.find("input[name=secret_access_key]");
    assert.equal(await session.attribute(secret, "type"), "password");
    await new Promise((r) => setTimeout(r, 300)); // let the compositor paint before capturing
    const path = await session.screenshot("settings-window");
    console.log(`screenshot: ${path}`);
  });
});
