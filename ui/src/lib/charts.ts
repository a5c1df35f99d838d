// ECharts with only the parts the dashboard uses (the whole library is ~1 MB).
import { use } from "echarts/core";
import { BarChart, PieChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";
import type { PlanDashboard } from "../api/bindings";
import { paymentTagType, statusTagType } from "./format";

use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const TAG_COLOURS = { primary: "#409eff", success: "#67c23a", info: "#909399", warning: "#e6a23c", danger: "#f56c6c" };

/** Applications per status, one bar each, coloured like the status tags. */
export function statusBars(plan: PlanDashboard) {
  return {
    grid: { left: 8, right: 8, top: 16, bottom: 4, containLabel: true },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: plan.counts.map((c) => c.status), axisLabel: { fontSize: 10, interval: 0 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      {
        type: "bar",
        barMaxWidth: 36,
        data: plan.counts.map((c) => ({ value: c.count, itemStyle: { color: TAG_COLOURS[statusTagType(c.status)] } })),
        label: { show: true, position: "top", fontSize: 11 },
      },
    ],
  };
}

/** 支付状态 as a ring. */
export function paymentRing(plan: PlanDashboard) {
  return {
    tooltip: { trigger: "item" },
    legend: { bottom: 0, itemWidth: 10, itemHeight: 10, textStyle: { fontSize: 11 } },
    series: [
      {
        type: "pie",
        radius: ["45%", "70%"],
        // No applications yet: an empty ring, not three equal slices of nothing.
        stillShowZeroSum: false,
        center: ["50%", "42%"],
        label: { show: false },
        data: plan.payments.map((p) => ({ name: p.payment, value: p.count, itemStyle: { color: TAG_COLOURS[paymentTagType(p.payment)] } })),
      },
    ],
  };
}
