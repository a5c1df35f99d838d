// One typed function per Tauri command.
import { call } from "./invoke";
import type { AppInfo, Application, ApplicationStatus, PlanSummary } from "./types";

export const appInfo = () => call<AppInfo>("app_info");

export const listPlans = () => call<PlanSummary[]>("list_plans");

export const listApplications = (planId: number, status?: ApplicationStatus) =>
  call<Application[]>("list_applications", { planId, status: status ?? null });

export interface UiReport {
  plans: number;
  applications: number;
  status_tags: string[];
}

/** Tells the shell the first screen rendered (the end-to-end smoke test reads it). */
export const uiReady = (report: UiReport) => call<void>("ui_ready", { report });
