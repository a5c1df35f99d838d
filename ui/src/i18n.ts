import { createI18n } from "vue-i18n";
import zhCN from "./locales/zh-CN.json";
import en from "./locales/en.json";

export type MessageSchema = typeof zhCN;

// zh-CN first: it is what agency staff read; en is kept complete for support staff.
export const i18n = createI18n<[MessageSchema], "zh-CN" | "en">({
  legacy: false,
  locale: "zh-CN",
  fallbackLocale: "zh-CN",
  messages: { "zh-CN": zhCN, en },
});
