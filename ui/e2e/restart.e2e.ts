// What the operator set up survives closing and reopening the app: the table's columns and sort, and the plan
// being worked on.
import { type ChildProcess } from "node:child_process";
import { copyFileSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env, openApp, startDriver, ui, type Browser } from "./driver";

let driver: ChildProcess;
let browser: Browser | undefined;

beforeAll(async () => {
  driver = await startDriver();
});

afterAll(async () => {
  await browser?.deleteSession().catch(() => undefined);
  driver?.kill();
});

async function headers(b: Browser): Promise<string[]> {
  return b.execute(() =>
    Array.from(document.querySelectorAll('[data-test="application-table"] .el-table__header th')).map(
      (th) => th.textContent?.trim() ?? "",
    ),
  );
}

describe("preferences", () => {
  it("survive a restart of the app", async () => {
    const db = join(env.dir(), "e2e.db");
    browser = await openApp(db);
    let u = ui(browser);
    await u.waitFor("dashboard-plan", 60_000);
    await browser.execute(() => localStorage.clear());
    await browser.refresh();
    await u.waitFor("dashboard-plan", 60_000);
    await u.menu("applications");
    await u.waitFor("application-table");
    expect(await headers(browser)).toContain("手机号码");

    // Hide 手机号码 and sort by 姓名, descending (two clicks on the header).
    await browser.$("button*=显示列").click();
    const phone = await browser.$(".el-popover").$(".el-checkbox*=手机号码");
    await phone.waitForDisplayed();
    await phone.click();
    await browser.keys("Escape");
    const name = browser.$('[data-test="application-table"] .el-table__header').$("th*=姓名");
    await name.click();
    await name.click();
    await browser.waitUntil(async () => !(await headers(browser!)).includes("手机号码"));
    const planBefore = await browser.$('[data-test="plan-select"]').getText();

    await browser.deleteSession();
    browser = await openApp(db);
    u = ui(browser);
    await u.waitFor("dashboard-plan", 60_000);
    await u.menu("applications");
    await u.waitFor("application-table");
    await browser.pause(500);
    const after = await headers(browser);
    expect(after).not.toContain("手机号码");
    expect(after).toContain("姓名");
    const sorted = await browser.execute(
      () => document.querySelector('[data-test="application-table"] th.descending')?.textContent?.trim() ?? "",
    );
    expect(sorted).toBe("姓名");
    expect(await browser.$('[data-test="plan-select"]').getText()).toBe(planBefore);
    await u.shot("14-after-restart");
  });

  it("need a sign-in once the first operator account exists", async () => {
    // A copy of the demo database, so the other tests' database keeps no accounts whatever order they run in.
    await browser?.deleteSession();
    const db = join(env.dir(), "accounts.db");
    copyFileSync(join(env.dir(), "e2e.db"), db);
    browser = await openApp(db);
    let u = ui(browser);
    await u.waitFor("dashboard-plan", 60_000);
    // 设置 → 操作员: the first account is the administrator, signed in at once.
    await u.menu("settings");
    await u.waitFor("operators-card");
    await u.type("operator-login", "admin");
    await u.type("operator-name", "管理员甲");
    await u.type("operator-password", "Admin2026");
    await u.click("operator-add");
    expect(await u.success()).toContain("已添加管理员 admin");
    expect(await (await u.waitFor("signed-in")).getText()).toContain("管理员甲（admin）");
    await u.shot("15-operators");

    // A new start of the app asks for a sign-in; a wrong password is refused, the right one opens the app.
    await browser!.deleteSession();
    browser = await openApp(db);
    u = ui(browser);
    await u.waitFor("sign-in", 60_000);
    await u.shot("16-sign-in");
    await u.type("sign-in-login", "admin");
    await u.type("sign-in-password", "wrong2026");
    await u.click("sign-in-submit");
    expect(await (await u.waitFor("sign-in-error")).getText()).toContain("登录名或密码不正确");
    await u.type("sign-in-password", "Admin2026");
    await u.click("sign-in-submit");
    await u.waitFor("dashboard-plan", 30_000);
    // 退出 locks it again.
    await u.click("sign-out");
    await u.waitFor("sign-in");
  });

  it("ask for the recovery code of a database encrypted elsewhere", async () => {
    // Encrypted with a key no keychain here has, as when a database comes from another computer.
    await browser?.deleteSession();
    const db = join(env.dir(), "locked.db");
    const code = readFileSync(`${db}.recovery.txt`, "utf8").trim();
    browser = await openApp(db);
    const u = ui(browser);
    await u.waitFor("unlock", 60_000);
    await u.type("unlock-code", code.slice(0, 20));
    await u.click("unlock-submit");
    expect(await (await u.waitFor("unlock-error")).getText()).toContain("恢复码");
    await u.type("unlock-code", code.toLowerCase().replace(/-/g, " "));
    await u.shot("17-unlock");
    await u.click("unlock-submit");
    // Without a keychain (as on CI) the app says the code will be asked for again next time.
    const box = browser.$(".el-message-box");
    await browser.pause(500);
    if (await box.isDisplayed().catch(() => false)) await box.$(".el-message-box__btns button").click();
    await u.waitFor("dashboard-plan", 30_000);
    // The day's backup, which could not run while the database was locked, runs once it is open.
    const dailyOfLocked = () =>
      readdirSync(join(env.dir(), "backups")).some((f) => f.startsWith("locked-") && f.endsWith("-daily.db"));
    await browser.waitUntil(async () => dailyOfLocked(), { timeoutMsg: "no daily backup after unlocking" });
    // Nobody has exported its recovery code yet: the dashboard says so until someone does.
    expect(await (await u.waitFor("recovery-reminder")).getText()).toContain("恢复码还没有导出");
    await u.menu("settings");
    await u.waitFor("security-encrypted");
    await u.shot("18-data-security");
  });
});
