// Starts tauri-driver (which starts WebKitWebDriver, which starts the app) and gives small helpers over
// WebdriverIO for Element Plus widgets.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";
import { Key, remote } from "webdriverio";

export type Browser = Awaited<ReturnType<typeof remote>>;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the end-to-end tests through \`cargo xtask test\``);
  return value;
}

export const env = {
  app: () => required("SKILLCERT_APP"),
  dir: () => required("SKILLCERT_E2E_DIR"),
  portalUrl: () => required("SKILLCERT_PORTAL_URL"),
  portalToken: () => required("SKILLCERT_PORTAL_TOKEN"),
  portalBin: () => required("SKILLCERT_PORTAL_BIN"),
  /** skillcert-fixtures, for time passing (`days-pass`). */
  fixturesBin: () => required("SKILLCERT_FIXTURES_BIN"),
  /** An empty database on a throwaway PostgreSQL cluster: postgres://user:password@127.0.0.1:port/database. */
  serverUrl: () => required("SKILLCERT_E2E_SERVER_URL"),
};

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.end();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export async function startDriver(): Promise<ChildProcess> {
  const driver = spawn(process.env.TAURI_DRIVER ?? "tauri-driver", ["--port", "4444"], { stdio: ["ignore", "inherit", "inherit"] });
  for (let i = 0; i < 100; i++) {
    if (await portOpen(4444)) return driver;
    await new Promise((r) => setTimeout(r, 100));
  }
  driver.kill();
  throw new Error("tauri-driver did not listen on 127.0.0.1:4444 within 10 s");
}

export async function openApp(db: string): Promise<Browser> {
  return remote({
    hostname: "127.0.0.1",
    port: 4444,
    logLevel: "warn",
    capabilities: { "tauri:options": { application: env.app(), args: ["--db", db] } } as WebdriverIO.Capabilities,
  });
}

/** Helpers bound to one session. */
export function ui(browser: Browser) {
  const shots = join(env.dir(), "screenshots");
  mkdirSync(shots, { recursive: true });
  const el = (test: string) => browser.$(`[data-test="${test}"]`);
  return {
    el,
    async menu(name: string) {
      await el(`menu-${name}`).click();
      await browser.pause(300);
    },
    /** Types into an el-input (the data-test sits on its wrapper) after clearing it. */
    async type(test: string, text: string) {
      const input = await browser.$(`[data-test="${test}"] input, [data-test="${test}"] textarea, input[data-test="${test}"], textarea[data-test="${test}"]`);
      await input.waitForDisplayed();
      // Select-all and delete as a person would: clearValue() empties the DOM without Vue seeing an input event.
      await input.click();
      await browser.keys([Key.Ctrl, "a"]);
      await browser.keys(Key.Delete);
      await input.addValue(text);
    },
    /** Everything inside an element, hidden overflow included (getText returns only what is rendered). */
    async textOf(test: string): Promise<string> {
      return browser.execute((t) => document.querySelector(`[data-test="${t}"]`)?.textContent ?? "", test);
    },
    async click(test: string) {
      const target = el(test);
      await target.waitForClickable({ timeout: 20_000 });
      await target.click();
    },
    /** Opens the el-select `test` and clicks its option showing `option` (other selects list theirs hidden). */
    async choose(test: string, option: string) {
      await this.click(test);
      await browser.waitUntil(
        async () => {
          for (const item of await browser.$$(`.el-select-dropdown__item*=${option}`)) {
            if (await item.isDisplayed()) {
              await item.click();
              return true;
            }
          }
          return false;
        },
        { timeoutMsg: `no option “${option}” in ${test}` },
      );
    },
    async waitFor(test: string, timeout = 30_000) {
      const target = el(test);
      await target.waitForDisplayed({ timeout });
      return target;
    },
    /** The last success toast's text (waits for one to appear). */
    async success(timeout = 30_000): Promise<string> {
      const toast = browser.$(".el-message--success");
      await toast.waitForDisplayed({ timeout });
      const text = await toast.getText();
      await browser.execute(() => document.querySelectorAll(".el-message").forEach((m) => m.remove()));
      return text;
    },
    async shot(name: string) {
      await browser.pause(400);
      await browser.saveScreenshot(join(shots, `${name}.png`));
    },
  };
}
