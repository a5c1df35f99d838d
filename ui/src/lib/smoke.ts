// The first screen tells the shell what it rendered, read from the DOM (the smoke test of `cargo xtask test` waits
// for it and checks it). Outside that test the command does nothing.
import { nextTick } from "vue";
import { uiReady } from "../api/commands";

let reported = false;

export async function reportFirstRender(plans: number): Promise<void> {
  if (reported) return;
  reported = true;
  await nextTick();
  const tags = Array.from(document.querySelectorAll(".status-tag")).map((el) => el.textContent?.trim() ?? "");
  const cards = document.querySelectorAll("[data-test=dashboard-plan]").length;
  await uiReady({ plans, applications: cards, status_tags: [...new Set(tags)] }).catch(() => undefined);
}
