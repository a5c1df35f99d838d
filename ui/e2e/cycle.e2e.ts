// The whole operator cycle in the real app, as a newcomer would do it after `cargo xtask run`: publish a plan,
// import a roster with one bad row and see its error, import photos, approve, set the agency details, arrange the
// exam, import scores after it, publish them as a notice, correct one, issue the certificates after the notice, print
// the tickets, then look the candidates up. A screenshot of each main screen is saved under
// $SKILLCERT_E2E_DIR/screenshots.
import { execFileSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Key } from "webdriverio";
import { env, openApp, startDriver, ui, type Browser } from "./driver";

/** Today and the days after it, in Asia/Shanghai as the app judges dates. */
function shanghaiDay(offset: number): string {
  return new Date(Date.now() + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);
}

/** `days` pass for the app's database: every plan's exam and results notice move that far back. */
function daysPass(days: number) {
  execFileSync(env.fixturesBin(), ["days-pass", "--db", join(env.dir(), "e2e.db"), String(days)]);
}

let driver: ChildProcess;
let browser: Browser;

beforeAll(async () => {
  driver = await startDriver();
  browser = await openApp(join(env.dir(), "e2e.db"));
});

afterEach(async (context) => {
  // What the window showed when a step failed.
  if (context.task.result?.state === "fail") await browser?.saveScreenshot(join(env.dir(), "failure.png")).catch(() => undefined);
});

afterAll(async () => {
  await browser?.deleteSession().catch(() => undefined);
  driver?.kill();
});

describe("the operator cycle", () => {
  it("goes from a new plan to printed tickets without the CLI", async () => {
    const u = ui(browser);
    const dir = env.dir();

    // 工作台 opens first, with the demo's plans. Preferences a previous run left behind are dropped first.
    await u.waitFor("dashboard-plan", 60_000);
    await browser.execute(() => localStorage.clear());
    await browser.refresh();
    await u.waitFor("dashboard-plan", 60_000);
    expect((await browser.$$('[data-test="dashboard-plan"]')).length).toBe(5);
    await u.shot("01-dashboard");

    // 认定计划: publish a free plan whose registration is open today.
    await u.menu("plans");
    await u.click("new-plan");
    // 职业 from the 职业目录: the start of a code lists its occupations; choosing one fills in its 职业编码.
    await u.type("plan-occupation", "6-31-01");
    const option = browser.$('//*[@data-test="occupation-option" and text()="电工"]');
    await option.waitForDisplayed({ timeout: 20_000 });
    await u.shot("02a-occupation-list");
    await option.click();
    await browser.waitUntil(async () => (await browser.$('[data-test="plan-occupation-code"] input, input[data-test="plan-occupation-code"]').getValue()) === "6-31-01-03", {
      timeout: 10_000,
      timeoutMsg: "choosing 电工 does not fill in its 职业编码",
    });
    await u.type("plan-occupation", "电工（端到端）");
    for (const [field, day] of [["plan-reg-start", 0], ["plan-reg-end", 10], ["plan-exam", 20]] as const) {
      await u.type(field, shanghaiDay(day));
      await browser.keys("Enter");
    }
    await u.click("plan-save");
    expect(await u.success()).toContain("计划已发布");
    await u.shot("02-plans");

    // 报考条件: the national pattern for 四级, whose notice text is generated from the rules.
    const row = await browser.$("//tr[contains(., '电工（端到端）')]");
    await row.$('[data-test="plan-rules"]').click();
    await u.click("rules-preset");
    await browser.waitUntil(async () => (await u.textOf("rules-preview")).includes("条件三："), { timeout: 20_000 });
    expect((await browser.$$('[data-test="rules-path"]')).length).toBe(3);
    await u.shot("02b-rules");
    await u.click("rules-save");
    expect(await u.success()).toContain("报考条件规则已保存");

    // 导入: the preview shows the header mapping; the import keeps the good rows and names the bad one.
    await u.menu("import");
    await u.type("import-path", join(dir, "roster.xlsx"));
    await u.waitFor("import-preview");
    expect(await u.textOf("import-preview")).toContain("→ 证件号码");
    await u.click("start-import");
    await u.waitFor("import-result", 60_000);
    await u.waitFor("import-errors");
    const errors = await u.textOf("import-errors");
    expect(errors).toContain("110105194912310021");
    expect(errors).toContain("校验位");
    expect(await u.textOf("import-result")).toContain("导入完成");
    await u.type("photo-path", join(dir, "photos"));
    await u.click("import-photos");
    expect(await (await u.waitFor("photo-result")).getText()).toContain("导入 5 张");
    await u.shot("03-import");

    // 审核: every pending application shows its check; approving all with "only 符合" takes the two with 8 years of
    // work and leaves the rest pending, which the reviewer then approves after looking at them.
    await u.menu("review");
    const review = await u.waitFor("review-table");
    await browser.waitUntil(async () => (await review.$$('[data-test="verdict"]')).length === 5, { timeout: 20_000 });
    const verdicts = await browser.execute(() =>
      Array.from(document.querySelectorAll('[data-test="verdict"]')).map((v) => v.textContent?.trim() ?? ""),
    );
    expect(verdicts.filter((v) => v === "符合")).toHaveLength(2);
    expect(verdicts.filter((v) => v === "需人工核对")).toHaveLength(1);
    expect(verdicts.filter((v) => v === "不符合")).toHaveLength(2);
    expect(await u.textOf("verdict-filter")).toContain("符合（2）");
    await u.shot("04-review");
    await u.click("only-eligible");
    await review.$(".el-table__header .el-checkbox").click();
    await u.click("approve");
    expect(await u.success()).toContain("已通过 2 份报名");
    await browser.waitUntil(async () => (await review.$$(".el-table__body tr")).length === 3, { timeout: 20_000 });
    await u.click("only-eligible");
    const all = review.$(".el-table__header .el-checkbox");
    if (!(await all.getAttribute("class")).includes("is-checked")) await all.click();
    await u.click("approve");
    expect(await u.success()).toContain("已通过 3 份报名");

    // 设置: the agency details certificate numbers are made of.
    await u.menu("settings");
    for (const [key, value] of [
      ["agency.name", "深圳市端到端职业技能评价中心"],
      ["agency.type", "S"],
      ["agency.province", "44"],
      ["agency.site", "000123"],
    ]) {
      await u.type(`setting-${key}`, value);
      await u.click(`save-${key}`);
      await u.success();
    }
    // The imports above each made a backup first: the last one is shown.
    expect(await (await u.waitFor("backup-last")).getText()).toContain("批量操作前");
    await u.shot("05-settings");
    // 套打: the template is previewed on an A4 sheet as core reads it, every field of the bundled template.
    const preview = await u.waitFor("overlay-preview");
    await preview.scrollIntoView();
    await browser.waitUntil(async () => (await preview.$$(".text")).length === 8 && (await preview.$$(".box")).length === 2, {
      timeout: 10_000,
      timeoutMsg: "the 套打 preview does not show the bundled template's 8 values and 2 boxes",
    });
    await u.shot("05b-overlay-preview");
    // 备案范围: a line without levels is refused, naming the line; nothing is saved.
    await u.type("setting-agency.scope", "6-31-01-03 电工");
    await u.click("save-agency.scope");
    const scopeError = browser.$('[data-test="setting-agency.scope"]').$("..").$("..").$(".el-form-item__error");
    await scopeError.waitForDisplayed({ timeout: 10_000 });
    expect(await scopeError.getText()).toContain("第 1 行“6-31-01-03 电工”：没有写备案的等级");
    await browser.$('[data-test="setting-agency.scope"]').scrollIntoView({ block: "center" });
    await u.shot("05c-filed-scope");

    // 考点 / 人员: the agency's workbook of 考点, 考场 and 考务人员, imported whole and listed.
    await u.menu("venues");
    await u.type("venues-path", join(dir, "venues.xlsx"));
    await u.click("venues-import");
    expect(await u.success()).toContain("考务基础数据已导入");
    const roomRows = await u.waitFor("venues-rooms");
    await browser.waitUntil(async () => (await roomRows.$$(".el-table__body tr")).length === 5, { timeout: 20_000 });
    expect(await u.textOf("venues-staff")).toContain("高级考评员");
    // One more 考点 typed in on its own: listed (no rooms yet) beside the imported ones.
    await u.type("site-name", "宝安考点");
    await u.type("site-address", "深圳市宝安区测试大道 9 号");
    await u.click("site-save");
    expect(await u.success()).toContain("已保存");
    await browser.waitUntil(async () => (await roomRows.$$(".el-table__body tr")).length === 6, { timeout: 20_000 });
    await u.shot("05d-venues");
    // And removed again, after a confirmation: the five imported rooms are left.
    for (const row of await roomRows.$$(".el-table__body tr")) {
      if ((await row.getText()).includes("宝安考点")) await row.$('[data-test="remove-site"]').click();
    }
    const confirm = await browser.$(".el-message-box__btns .el-button--primary");
    await confirm.waitForClickable();
    await confirm.click();
    expect(await u.success()).toContain("已删除 宝安考点");
    await browser.waitUntil(async () => (await roomRows.$$(".el-table__body tr")).length === 5, { timeout: 20_000 });

    // 考务编排 into the imported 考点's 机房一 (its 40 seats); the approved applications are filed with 准考证号.
    await u.menu("exam");
    await u.choose("arrange-site", "第一考点");
    await u.choose("arrange-rooms", "机房一（机考，40 座）");
    await browser.keys(Key.Escape);
    expect(await u.textOf("arrange-capacity")).toContain("共 40 个座位");
    await u.type("theory", `${shanghaiDay(20)} 09:00-10:30`);
    await u.type("practical", `${shanghaiDay(20)} 14:00-16:00`);
    // The 操作技能 in a room of its own: each candidate gets a second place, listed beside the first.
    await u.choose("practical-rooms", "302（笔试，30 座）");
    await browser.keys(Key.Escape);
    // Seats filled at random: the seed drawn is shown, to repeat the same chart later.
    await u.choose("seat-rule", "随机（记录种子）");
    await u.waitFor("seat-seed");
    await u.click("arrange");
    expect(await u.success()).toContain("已编排 5 人");
    const seats = await u.waitFor("seat-table");
    await browser.waitUntil(async () => (await seats.$$(".el-table__body tr")).length === 5, { timeout: 20_000 });
    expect(await u.textOf("seat-rule-used")).toMatch(/排座：随机（种子 \d+）/);
    expect(await u.textOf("seat-table")).toContain("机房一");
    expect(await u.textOf("seat-table")).toMatch(/机房一 0\d号；操作技能 302 0\d号/);
    await u.shot("06-arrange");

    // 考务人员指派: the 考点's 督导员 for the morning, saved and listed under the rules.
    await u.menu("venues");
    await (await u.waitFor("staffing-places")).scrollIntoView({ block: "center" });
    await u.choose("staffing-select-0-theory", "王督导");
    await browser.keys(Key.Escape);
    await u.click("staffing-save-0-theory");
    expect(await u.success()).toContain("已保存考点 理论知识的指派");
    await u.shot("06a-staffing");
    await u.menu("exam");

    // 成绩: before the exam the score sheet is refused; once it has been held (30 days pass) the sheet is imported and
    // published as a results notice; four pass, one fails the practical part.
    await browser.$("#tab-scores").click();
    await u.type("score-path", join(dir, "scores.xlsx"));
    await u.click("import-scores");
    const refused = browser.$(".el-tabs .el-alert--error");
    await refused.waitForDisplayed({ timeout: 20_000 });
    expect(await refused.getText()).toContain("考试之后才能登记成绩");
    daysPass(30);
    await u.click("import-scores");
    expect(await (await u.waitFor("score-result")).getText()).toContain("保存 5 行");
    await u.click("publish");
    await browser.$(".el-message-box__btns .el-button--primary").click();
    expect(await u.success()).toContain("4 人合格");
    expect(await (await u.waitFor("notice")).getText()).toContain("公示中");
    // A 查分 request finds the failed practical mark wrong: corrected with the reason, the original kept.
    await browser.$("//tr[contains(., '不合格')]//button[@data-test='correct']").click();
    await browser.$("//label[contains(@class, 'el-radio-button') and contains(., '操作技能')]").click();
    await u.type("correction-mark", "61");
    await u.type("correction-reason", "查分复核：操作技能第 2 项漏计 6 分");
    await u.click("save-correction");
    expect(await u.success()).toContain("55 → 61");
    await u.waitFor("corrected");
    // The public list, printed: 证件号码 masked, the corrected mark in it.
    const list = join(dir, "公示名单.pdf");
    await u.type("notice-list-path", list);
    await u.click("write-notice-list");
    expect(await u.success()).toContain("已生成 5 人的成绩公示名单");
    const listed = execFileSync("pdftotext", ["-layout", list, "-"], { encoding: "utf8" });
    expect(listed).toContain("电工（端到端） 四级/中级工 职业技能等级认定成绩公示");
    expect(listed).toMatch(/\d{6}\*{8}\d{3}[\dX]/);
    expect(listed).not.toContain("不合格");
    await u.shot("07-scores");
    // No certificate during the notice; once it has ended (10 days pass) all five are issued, dated today.
    await browser.$("#tab-certificates").click();
    expect(await (await u.waitFor("issue")).isEnabled()).toBe(false);
    daysPass(10);
    await u.menu("dashboard");
    await u.menu("exam");
    await browser.$("#tab-certificates").click();
    await u.click("issue");
    await browser.$(".el-message-box__btns .el-button--primary").click();
    expect(await u.success()).toContain("已颁发证书 5 本");
    await browser.waitUntil(async () => (await browser.$$('[data-test="certificate-table"] .el-table__body tr')).length === 5);
    expect(await u.textOf("certificate-table")).toContain(shanghaiDay(0));
    // One certificate revoked (with the reason), another reissued under its number with the new paper's serial.
    await (await browser.$$('[data-test="revoke"]'))[0].click();
    await u.type("act-reason", "经核查不符合报考条件");
    await u.click("save-act");
    expect(await u.success()).toContain("已作废");
    await u.waitFor("revoked");
    await (await browser.$$('[data-test="reissue"]'))[0].click();
    await u.type("act-reason", "证书遗失");
    await u.type("act-serial", "A20260001");
    await u.click("save-act");
    expect(await u.success()).toContain("已补发证书");
    await browser.waitUntil(async () => (await browser.$$('[data-test="certificate-table"] .el-table__body tr')).length === 6);
    expect(await u.textOf("certificate-table")).toContain("A20260001");
    // 上报: the results of all five for the provincial system, as the generic workbook.
    await u.type("report-path", join(dir, "成绩上报.xlsx"));
    await u.click("write-report");
    expect(await u.success()).toContain("已生成 5 条上报数据");
    expect(existsSync(join(dir, "成绩上报.xlsx"))).toBe(true);
    // Sent: recorded as 已上报 on today's date; the deadline gives way to the city's review.
    await u.click("report-已上报");
    expect(await u.success()).toContain("已记录：已上报");
    expect(await u.textOf("report-state")).toContain("等待审核");
    await u.shot("08-certificates");

    // 打印: every ticket of the plan into one PDF, whose text is checked.
    await u.menu("print");
    const pdf = join(dir, "tickets.pdf");
    await u.type("print-output", pdf);
    await u.click("generate");
    expect(await (await u.waitFor("print-done", 60_000)).getText()).toContain("已生成 5 份");
    await u.shot("09-print");
    expect(existsSync(pdf)).toBe(true);
    const text = execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" });
    expect(text).toContain("准考证");
    expect(text).toContain("电工（端到端）");
    expect(text).toContain("深圳市福田区测试路 1 号");
    expect((text.match(/准考证号/g) ?? []).length).toBe(5);
    expect(text).toContain("龚𪚥");
    // 考务文书: the 座次表 of every room and subject, with a signature box per seat.
    await (await browser.$('[data-test="print-room-kind"]').$("span*=座次表")).click();
    const chart = join(dir, "seating.pdf");
    await u.type("print-output", chart);
    await u.click("generate");
    expect(await (await u.waitFor("print-done", 60_000)).getText()).toContain("已生成 5 份");
    await u.shot("09a-seating-chart");
    const chartText = execFileSync("pdftotext", ["-layout", chart, "-"], { encoding: "utf8" });
    expect(chartText).toContain("座次表");
    expect((chartText.match(/签名/g) ?? []).length).toBeGreaterThanOrEqual(5);

    // 考生 / 报名: search, then the detail drawer with photo and history; the profile is locked now.
    await u.menu("applications");
    await u.waitFor("application-table");
    const firstName = await browser.execute(() => document.querySelector(".el-table__body tr td")?.textContent ?? "");
    expect(firstName.length).toBeGreaterThan(0);
    await u.shot("10-applications");
    // 龚𪚥 (𪚥 is CJK Extension B, in no font of the window's) shows as written: the window loads its glyph.
    // (WebKit's driver cannot type a character beyond the BMP: search by the surname.)
    await u.type("search", "龚");
    await browser.waitUntil(
      async () => (await browser.execute(() => document.querySelector(".el-table__body tr td")?.textContent?.trim())) === "龚𪚥",
      { timeout: 10_000, timeoutMsg: "龚𪚥 is not the only 龚 of the plan" },
    );
    await browser.waitUntil(
      () =>
        browser.execute(() =>
          [...document.fonts].some((f) => f.family.replace(/["']/g, "") === "SkillCert Rare" && f.status === "loaded"),
        ),
      { timeout: 10_000, timeoutMsg: "the glyph of 𪚥 did not load" },
    );
    await u.shot("10a-rare-name");
    await u.type("search", firstName.trim());
    await browser.waitUntil(async () => (await browser.$$('[data-test="application-table"] .el-table__body tr')).length === 1);
    await u.shot("10-search");
    await browser.$('[data-test="open-detail"]').click();
    const drawer = await u.waitFor("candidate-drawer");
    await browser.$('[data-test="profile-locked"]').waitForDisplayed({ timeout: 20_000 });
    // The photo imported above shows (decoded, not a broken image).
    await browser.waitUntil(
      async () => (await browser.execute(() => document.querySelector<HTMLImageElement>(".el-drawer img.photo")?.naturalWidth ?? 0)) > 0,
      { timeout: 10_000, timeoutMsg: "the candidate's photo did not load in the detail drawer" },
    );
    expect(await drawer.getText()).toContain("操作记录");
    await u.shot("11-candidate");

    // 报名 from the drawer to another plan open for registration: its 报考条件 checked first, then 待处理.
    await drawer.$('[data-test="apply-section"] .el-select').click();
    const openPlan = async () => {
      // 保育师: open, and with a fee, so the payment can be recorded below.
      for (const li of await browser.$$("li.el-select-dropdown__item*=报名中")) {
        if ((await li.isDisplayed()) && (await li.getText()).includes("保育师")) return li;
      }
      return undefined;
    };
    await browser.waitUntil(async () => (await openPlan()) !== undefined, { timeoutMsg: "no open plan to apply to" });
    await (await openPlan())!.click();
    const check = await u.waitFor("apply-check");
    await browser.waitUntil(async () => (await check.getText()).length > 0);
    expect(await check.getText()).toMatch(/符合|不符合|需人工核对|没有设置报考条件/);
    await check.scrollIntoView();
    await u.shot("11b-apply");
    await u.click("apply-submit");
    expect(await u.success()).toContain("已报名");
    // 缓缴 granted for the new application: the fee stays owed, the candidate may sit the exam.
    await u.click("pay-缓缴");
    const paymentTags = () =>
      browser.execute(() => Array.from(document.querySelectorAll(".el-drawer .payment-tag")).map((tag) => tag.textContent?.trim() ?? ""));
    await browser.waitUntil(async () => (await paymentTags()).includes("缓缴"), { timeoutMsg: "缓缴 not shown in the drawer" });
    expect(await u.textOf("pay-已支付")).toContain("登记缴费");
    await u.shot("11c-deferred");
    const applicationRows = async () => (await (await drawer.$$(".el-table__body"))[0].$$("tr")).length;
    await browser.waitUntil(async () => (await applicationRows()) === 2, { timeoutMsg: "the new application is not listed" });

    // From the drawer, this candidate's ticket alone: the 打印 screen opens with them filled in.
    await drawer.$("button*=准考证").click();
    await u.waitFor("print-ids");
    const ids = await browser.$('[data-test="print-ids"]').getValue();
    expect(ids).toMatch(/^\d{17}[\dX]$/);
    await u.type("print-output", join(dir, "one-ticket.pdf"));
    await u.click("generate");
    expect(await (await u.waitFor("print-done", 60_000)).getText()).toContain("已生成 1 份");
    expect(execFileSync("pdftotext", [join(dir, "one-ticket.pdf"), "-"], { encoding: "utf8" })).toContain(ids);

    // 设置 → 门户连接: no keychain under Xvfb, so the token is kept for this run only; then 立即同步 pushes
    // everything to the portal started by `cargo xtask test`.
    await u.menu("settings");
    await u.type("portal-url", env.portalUrl());
    await u.type("portal-token", env.portalToken());
    await u.click("portal-connect");
    await browser.waitUntil(
      async () =>
        (await browser.$('[data-test="portal-session-only"]').isDisplayed()) ||
        (await browser.$(".el-message--success").isDisplayed()),
      { timeout: 15_000, timeoutMsg: "neither saved to the keychain nor offered to keep the token for this run" },
    );
    if (await browser.$('[data-test="portal-session-only"]').isDisplayed()) await u.click("portal-session-only");
    await u.success();
    await u.click("sync-now");
    const synced = await u.waitFor("sync-done", 60_000);
    expect(await synced.getText()).toMatch(/送出 \d{3,} 项/);
    await u.shot("12-sync");
    const home = await fetch(env.portalUrl()).then((r) => r.text());
    expect(home).toContain("电工（端到端）/--");

    await u.menu("audit");
    await u.waitFor("audit-table");
    await u.shot("13-audit");
    await u.menu("dashboard");
    await u.waitFor("dashboard-plan");
    expect((await browser.$$('[data-test="dashboard-plan"]')).length).toBe(6);
    const reportLines = await browser.execute(() =>
      Array.from(document.querySelectorAll('[data-test="report-line"]')).map((line) => line.textContent ?? ""),
    );
    expect(reportLines.some((line) => line.includes("成绩上报：已上报") && line.includes("等待审核"))).toBe(true);
    // 年度统计 under the plans: the demo's past plan has published results; the year's summary saved as a PDF.
    expect(await u.textOf("statistics-totals")).toContain("合格率");
    const summary = join(dir, "年度统计.pdf");
    // The card is below the plans: in view first, so no message or header lies over its field when it is typed in.
    await (await browser.$('[data-test="statistics-path"]')).scrollIntoView({ block: "center" });
    await u.type("statistics-path", summary);
    await u.click("save-statistics");
    expect(await u.success()).toContain("年度统计已保存到");
    expect(execFileSync("pdftotext", ["-layout", summary, "-"], { encoding: "utf8" })).toContain("年度职业技能等级认定工作统计");
    await u.shot("14-dashboard-after");
  });
});
