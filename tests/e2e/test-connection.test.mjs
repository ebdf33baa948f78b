// "Test connection" in the real window against the fake clouds on loopback: typed and
// pasted credentials, a success with identity and a failure with its hint.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { buildApp, Services, Session } from "./harness.mjs";

describe("test connection", () => {
  let services;
  let session;

  before(async () => {
    const app = buildApp();
    services = new Services();
    await services.start();
    session = await Session.create(services.webdriverUrl, app);
  });

  after(async () => {
    await session?.close().catch(() => {});
    services?.stopSync();
  });

  it("a typed HuggingFace token connects and shows who it belongs to", async () => {
    await session.type(await session.waitFor("input[name=token]"), services.fakeCreds.hf_token);
    await session.click(await session.find("[data-testid=test-connection]"));
    const report = await session.waitFor("[data-testid=report][data-status=ok]");
    const text = await session.text(report);
    assert.match(text, /fake-user/);
    await new Promise((r) => setTimeout(r, 300));
    console.log(`screenshot: ${await session.screenshot("test-connection-ok")}`);
  });

  it("a Modal token connects over gRPC and shows its workspace", async () => {
    await session.click(await session.find("nav button[data-provider=modal]"));
    await session.type(await session.waitFor("input[name=token_id]"), services.fakeCreds.modal_token_id);
    await session.type(await session.find("input[name=token_secret]"), services.fakeCreds.modal_token_secret);
    await session.click(await session.find("[data-testid=test-connection]"));
    const report = await session.waitFor("[data-testid=report][data-status=ok]");
    const text = await session.text(report);
    assert.match(text, new RegExp(services.fakeCreds.modal_workspace_name));
    assert.doesNotMatch(text, new RegExp(services.fakeCreds.modal_token_secret));
    await new Promise((r) => setTimeout(r, 300));
    console.log(`screenshot: ${await session.screenshot("test-connection-modal")}`);
    await session.click(await session.find("nav button[data-provider=huggingface]"));
  });

  it("a pasted AWS block with a wrong secret is named and explained, secret never shown", async () => {
    const wrong = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    const block = `[default]\naws_access_key_id = ${services.fakeCreds.aws_access_key_id}\naws_secret_access_key = ${wrong}\n`;
    await session.type(await session.find("[data-testid=paste-box]"), block);
    await session.click(await session.find("[data-testid=paste-apply]"));
    await session.waitFor("input[name=access_key_id]");
    const secret = await session.find("input[name=secret_access_key]");
    assert.equal(await session.attribute(secret, "value"), "", "a pasted secret must not be put back into the page");
    assert.match(await session.attribute(secret, "placeholder"), /pasted …EKEY/);
    await session.click(await session.find("[data-testid=test-connection]"));
    const report = await session.waitFor("[data-testid=report][data-status=invalid_credentials]");
    const text = await session.text(report);
    assert.match(text, /SignatureDoesNotMatch/);
    assert.match(text, /secret/i);
    assert.doesNotMatch(text, /EXAMPLEKEY/);
    await new Promise((r) => setTimeout(r, 300));
    console.log(`screenshot: ${await session.screenshot("test-connection-wrong-secret")}`);
  });
});
