// Profiles in the real window with a real Secret Service: saving puts the secret in the
// keyring (and nowhere in the store file), "use stored" checks with it, profiles switch.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildApp, Services, Session } from "./harness.mjs";

describe("profiles and the keyring", () => {
  let services;
  let session;
  let token;

  before(async () => {
    const app = buildApp();
    services = new Services();
    await services.start();
    token = services.fakeCreds.hf_token;
    session = await Session.create(services.webdriverUrl, app);
  });

  after(async () => {
    await session?.close().catch(() => {});
    services?.stopSync();
  });

  const placeholder = async (css) => session.attribute(await session.find(css), "placeholder");

  it("starts with a default profile and a working keyring", async () => {
    const select = await session.waitFor("[data-testid=profile-select] option[value=default]");
    assert.equal(await session.text(select), "default");
    assert.equal((await session.findAll("[data-testid=keyring-banner]")).length, 0);
  });

  it("saves a token to the keyring only, then tests with the stored secret", async () => {
    await session.type(await session.waitFor("input[name=token]"), token);
    await session.click(await session.find("[data-testid=save]"));
    await session.waitFor("[data-testid=form-notice]");
    const input = await session.find("input[name=token]");
    assert.equal(await session.attribute(input, "value"), "", "the secret is not kept in the page");
    assert.match(await placeholder("input[name=token]"), new RegExp(`saved …${token.slice(-4)}`));

    const store = readFileSync(join(services.env.CLOUDCREDS_HOME, "profiles.json"), "utf8");
    assert.ok(!store.includes(token), "the token must never be in the profile store file");
    const found = spawnSync("secret-tool", ["search", "--all", "service", services.env.CLOUDCREDS_KEYRING_SERVICE], {
      env: services.env,
      encoding: "utf8",
    });
    assert.match(found.stdout + found.stderr, /default\/huggingface\/token/, "the keyring holds the entry");

    await session.click(await session.find("[data-testid=test-connection]"));
    const report = await session.waitFor("[data-testid=report][data-status=ok]");
    assert.match(await session.text(report), /fake-user/);
  });

  it("a new profile starts empty and switching back shows the saved one", async () => {
    await session.click(await session.find("[data-testid=profile-new]"));
    await session.type(await session.waitFor("[data-testid=profile-name]"), "work");
    await session.click(await session.find("[data-testid=profile-confirm]"));
    await session.waitFor("[data-testid=profile-select] option[value=work]");
    await session.waitUntil("the new profile's empty form", async () =>
      !/saved/.test(await placeholder("input[name=token]")));

    await session.click(await session.find("[data-testid=profile-select] option[value=default]"));
    await session.waitUntil("the saved token's hint after switching back", async () =>
      /saved …/.test(await placeholder("input[name=token]")));
    console.log(`screenshot: ${await session.screenshot("profiles-saved")}`);
  });

  it("checks every saved provider at once, each answer landing on its own", async () => {
    // Save a second provider with a key the fake says belongs to an inactive account.
    await session.click(await session.find("nav button[data-provider=lambda]"));
    await session.type(await session.waitFor("input[name=api_key]"), services.fakeCreds.lambda_api_key_inactive);
    await session.click(await session.find("[data-testid=save]"));
    await session.waitFor("[data-testid=form-notice]");

    await session.click(await session.waitFor("[data-testid=check-all]"));
    const result = await session.waitFor("[data-testid=check-all-result]");
    assert.equal(await session.text(result), "1 of 2 saved providers ok.");
    await session.waitFor("[data-testid=report][data-status=permission_denied]");
    const dots = await session.findAll("nav li .dot");
    assert.equal(dots.length, 2, "a status dot for each saved provider");
    console.log(`screenshot: ${await session.screenshot("check-all")}`);
  });
});

describe("without a keyring", () => {
  let services;
  let session;

  before(async () => {
    const app = buildApp();
    services = new Services();
    await services.start({ keyring: false });
    session = await Session.create(services.webdriverUrl, app);
  });

  after(async () => {
    await session?.close().catch(() => {});
    services?.stopSync();
  });

  it("the window still opens, says why, and typed credentials can still be tested", async () => {
    const banner = await session.waitFor("[data-testid=keyring-banner]", 30000);
    assert.match(await session.text(banner), /keyring is unavailable/i);
    await session.type(await session.find("input[name=token]"), services.fakeCreds.hf_token);
    await session.click(await session.find("[data-testid=test-connection]"));
    await session.waitFor("[data-testid=report][data-status=ok]");
    const save = await session.find("[data-testid=save]");
    assert.equal(await session.cmd("GET", `/element/${save}/enabled`), false, "saving is disabled");
    console.log(`screenshot: ${await session.screenshot("no-keyring")}`);
  });
});
