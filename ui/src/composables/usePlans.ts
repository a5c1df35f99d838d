// The plans every screen chooses from, and the plan the operator is working on (kept across restarts).
import { computed, ref, watch } from "vue";
import { listPlans } from "../api/commands";
import type { PlanSummary } from "../api/bindings";
import { loadPref, savePref } from "../lib/prefs";

const plans = ref<PlanSummary[]>([]);
const loaded = ref(false);
const currentPlanId = ref<number | null>(loadPref<number | null>("currentPlan", null));
watch(currentPlanId, (id) => savePref("currentPlan", id));

async function reload(): Promise<PlanSummary[]> {
  plans.value = await listPlans();
  loaded.value = true;
  if (currentPlanId.value === null || !plans.value.some((p) => p.id === currentPlanId.value)) {
    // Start on the plan operators most likely work on: one open for registration, else the newest.
    currentPlanId.value = (plans.value.find((p) => p.registration === "报名中") ?? plans.value[0])?.id ?? null;
  }
  return plans.value;
}

export function usePlans() {
  const currentPlan = computed(() => plans.value.find((p) => p.id === currentPlanId.value) ?? null);
  return { plans, loaded, currentPlanId, currentPlan, reload };
}
