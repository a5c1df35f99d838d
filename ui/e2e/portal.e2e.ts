// The candidate portal on a phone (360 × 740, as the seed opens it inside WeChat), in Debian's Chromium driven by
// Playwright: register, upload the photo, read the plan notice, go through the three steps, see 报名成功 and the
// application under 我的报名. Screenshots of each page in $SKILLCERT_E2E_DIR/screenshots/portal-*.png.
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "./driver";

let browser: Browser;
let portal: ChildProcess;
let base = "";

/** A portal of its own, seeded with the demo agency (--demo), on a free port. */
async function startDemoPortal(): Promise<string> {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
  const db = join(env.dir(), "portal-phone.db");
  rmSync(db, { force: true });
  portal = spawn(env.portalBin(), ["--db", db, "--listen", `127.0.0.1:${port}`, "--demo"], { stdio: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (await fetch(url).then((r) => r.ok).catch(() => false)) return url;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the demo portal did not answer within 10 s");
}

beforeAll(async () => {
  base = await startDemoPortal();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  portal?.kill();
});

/** A valid 居民身份证 number (GB 11643 check character) that no fixture uses: born 1988-08-08 in 440305. */
function residentId(sequence: number): string {
  const first17 = `44030519880808${String(sequence).padStart(3, "0")}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * weights[i], 0);
  return first17 + "10X98765432"[sum % 11];
}

/** The text of the first element matching, once it is there. */
async function textOf(page: Page, selector: string): Promise<string> {
  const element = page.locator(selector).first();
  await element.waitFor({ state: "visible" });
  return ((await element.textContent()) ?? "").trim();
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(env.dir(), "screenshots", `portal-${name}.png`), fullPage: true });
  // Nothing wider than the phone: tables scroll inside their own box, the page never sideways.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${name} is wider than the screen`).toBeLessThanOrEqual(0);
}

describe("the portal on a phone", () => {
  it("takes a candidate from registration to a pending application", async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();

    await page.goto(base);
    expect(await textOf(page, "h2")).toBe("职业技能报考信息");
    await shot(page, "01-home");

    await page.click("text=注册");
    const id = residentId(Date.now() % 1000);
    await page.fill("input[name=id_number]", id);
    // 𪚥 (U+2A6A5, CJK Extension B) is in no font of the phone's: the portal serves its glyph.
    await page.fill("input[name=name]", "赵𪚥");
    await page.fill("input[name=phone]", "13912345678");
    await page.fill("input[name=password]", "phone2026ok");
    await page.fill("input[name=password_again]", "phone2026ok");
    await shot(page, "02-register");
    await page.click("button:has-text('注册')");
    await page.waitForURL(/\/center$/);
    const rare = await page.evaluate(async () => {
      await document.fonts.ready;
      return [...document.fonts].filter((f) => f.family.replace(/["']/g, "") === "SkillCert Rare").map((f) => f.status);
    });
    expect(rare).toEqual(["loaded"]);

    const photos = join(env.dir(), "photos");
    const photo = join(photos, readdirSync(photos)[0]);
    await page.setInputFiles("input[name=photo]", photo);
    await page.click("button:has-text('上传照片')");
    expect(await textOf(page, ".ok")).toBe("照片已上传");
    await shot(page, "03-center");

    await page.goto(base);
    await page.locator("a.button:has-text('报名')").first().click();
    expect(await textOf(page, "h2")).toBe("职业技能等级认定计划");
    await page.locator("text=报名识别码为").first().waitFor({ state: "visible" });
    await shot(page, "04-notice");
    await page.click("a.button:has-text('报名')");
    expect(await textOf(page, ".steps .now")).toBe("1.确认报名须知");
    await page.click("text=下一步");
    expect(await textOf(page, ".steps .now")).toBe("2.填写报名信息");
    // The demo plans carry the national 报考条件 rules: the candidate sees what their profile meets, as advice.
    await page.locator("text=报考条件自查").first().waitFor({ state: "visible" });
    await shot(page, "05a-step2");
    await page.click("text=下一步");
    expect(await textOf(page, ".steps .now")).toBe("3.上传证件信息");
    await shot(page, "05-step3");
    await page.click("button:has-text('确认报名')");
    expect(await textOf(page, "h2")).toBe("报名成功");
    await page.locator("text=请耐心等待审核结果").first().waitFor({ state: "visible" });
    await shot(page, "06-success");
    await page.click("text=查看我的报名");
    await page.locator("td:has-text('待处理')").first().waitFor({ state: "visible" });
    await shot(page, "07-my-applications");

    const verify = await browser.newPage({ viewport: { width: 360, height: 740 } });
    await verify.goto(`${base}/verify?no=S0000440001232600000&name=x`);
    await verify.locator("[data-verified=no]").waitFor({ state: "visible" });
    await context.close();
  });
});
