// 设置 → 数据库: an agency moves its database onto a PostgreSQL server (an empty database on a throwaway cluster
// `cargo xtask test` started), and the app then works on the server — also when started on it directly.
import { type ChildProcess } from "node:child_process";
import { copyFileSync } from "node:fs";
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

describe("a database server", () => {
  it("receives everything of this computer's database, and the app works on it", async () => {
    const db = join(env.dir(), "to-server.db");
    copyFileSync(join(env.dir(), "e2e.db"), db);
    const server = new URL(env.serverUrl());
    browser = await openApp(db);
    let u = ui(browser);
    await u.waitFor("dashboard-plan", 60_000);
    const plans = (await browser.$$('[data-test="dashboard-plan"]')).length;
    expect(plans).toBeGreaterThan(0);

    await u.menu("settings");
    await u.waitFor("database-card");
    expect(await u.textOf("database-current")).toContain("本机数据库");
    await u.type("db-host", server.hostname);
    await u.type("db-port", server.port);
    await u.type("db-name", server.pathname.slice(1));
    await u.type("db-user", decodeURIComponent(server.username));
    // A wrong password first: said in words, nothing changes.
    await u.type("db-password", "not-the-password");
    await u.click("db-check");
    expect(await (await u.waitFor("db-problem")).getText()).toContain("用户名或密码不正确");
    await u.type("db-password", decodeURIComponent(server.password));
    await u.click("db-check");
    expect(await (await u.waitFor("db-checked")).getText()).toContain("空数据库");
    await u.click("db-use");
    const confirm = browser.$(".el-message-box .el-button--primary");
    await confirm.waitForClickable({ timeout: 10_000 });
    await confirm.click();
    expect(await u.success(120_000)).toContain("已改用数据库服务器");
    expect(await u.textOf("database-current")).toContain("机构数据库服务器");
    expect(await u.textOf("db-copied")).toContain("操作日志");
    await u.shot("14-database-server");

    await u.menu("dashboard");
    await u.waitFor("dashboard-plan");
    expect((await browser.$$('[data-test="dashboard-plan"]')).length).toBe(plans);

    // Started on the server directly (as a second PC would be): the same plans.
    await browser.deleteSession();
    browser = await openApp(env.serverUrl());
    u = ui(browser);
    await u.waitFor("dashboard-plan", 60_000);
    expect((await browser.$$('[data-test="dashboard-plan"]')).length).toBe(plans);
    await u.shot("15-dashboard-on-server");
  });
});
