import { createRouter, createWebHashHistory } from "vue-router";

// Hash history: the app is served from the embedded assets, where only index.html exists.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: "/", redirect: "/dashboard" },
    { path: "/dashboard", component: () => import("./views/DashboardView.vue"), meta: { menu: "dashboard" } },
    { path: "/plans", component: () => import("./views/PlansView.vue"), meta: { menu: "plans" } },
    { path: "/applications", component: () => import("./views/ApplicationsView.vue"), meta: { menu: "applications" } },
    { path: "/import", component: () => import("./views/ImportView.vue"), meta: { menu: "import" } },
    { path: "/review", component: () => import("./views/ReviewView.vue"), meta: { menu: "review" } },
    { path: "/exam", component: () => import("./views/ExamView.vue"), meta: { menu: "exam" } },
    { path: "/venues", component: () => import("./views/VenuesView.vue"), meta: { menu: "venues" } },
    { path: "/print", component: () => import("./views/PrintView.vue"), meta: { menu: "print" } },
    { path: "/settings", component: () => import("./views/SettingsView.vue"), meta: { menu: "settings" } },
    { path: "/audit", component: () => import("./views/AuditView.vue"), meta: { menu: "audit" } },
  ],
});

export const MENU = ["dashboard", "plans", "applications", "import", "review", "exam", "venues", "print", "settings", "audit"] as const;
