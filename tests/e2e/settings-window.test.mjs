// The real app, driven through WebDriver: the settings window opens and renders the forms
// from the Rust provider schemas.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { buildApp, Services, Session } from "./harness.mjs";

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
    const names = [];
    for (const b of buttons) names.push(await session.text(b));
    assert.deepEqual(names, ["HuggingFace", "Lambda Cloud", "AWS", "Azure", "Google Cloud"]);
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
