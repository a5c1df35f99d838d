import { createApp } from "vue";
import "element-plus/theme-chalk/base.css";
import "element-plus/theme-chalk/el-message.css";
import "element-plus/theme-chalk/el-message-box.css";
import "element-plus/theme-chalk/el-loading.css";
import "./styles.css";
import App from "./App.vue";
import { i18n } from "./i18n";
import { router } from "./router";
import { screenFont } from "./api/commands";
import { watchRareGlyphs } from "./lib/rareGlyphs";

createApp(App).use(i18n).use(router).mount("#app");
// Dialogs and messages are mounted outside #app: watch the whole body.
watchRareGlyphs(document.body, screenFont);
