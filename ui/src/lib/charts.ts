// ECharts with only the parts the dashboard uses (the whole library is ~1 MB).
import { use } from "echarts/core";
import { BarChart, LineChart, PieChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";
import type { PlanDashboard, YearStatistics } from "../api/bindings";
import { paymentTagType, statusTagType } from "./format";

use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

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

/** 参考 and 合格 per occupation, side by side, with the pass rate in the tooltip. */
export function occupationBars(stats: YearStatistics) {
  const lines = stats.by_occupation.slice(0, 12);
  return {
    grid: { left: 8, right: 8, top: 28, bottom: 4, containLabel: true },
    tooltip: { trigger: "axis" },
    legend: { top: 0, itemWidth: 10, itemHeight: 10, textStyle: { fontSize: 11 } },
    xAxis: { type: "category", data: lines.map((l) => l.label), axisLabel: { fontSize: 10, interval: 0, rotate: lines.length > 6 ? 30 : 0 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: "参考人次", type: "bar", barMaxWidth: 28, data: lines.map((l) => l.figures.sat), itemStyle: { color: TAG_COLOURS.primary } },
      { name: "合格人次", type: "bar", barMaxWidth: 28, data: lines.map((l) => l.figures.passed), itemStyle: { color: TAG_COLOURS.success } },
      { name: "缺考人次", type: "bar", barMaxWidth: 28, data: lines.map((l) => l.figures.absent), itemStyle: { color: TAG_COLOURS.info } },
    ],
  };
}

/** 报名, 参考 and 合格 by month of the year. */
export function monthLines(stats: YearStatistics) {
  return {
    grid: { left: 8, right: 8, top: 28, bottom: 4, containLabel: true },
    tooltip: { trigger: "axis" },
    legend: { top: 0, itemWidth: 10, itemHeight: 10, textStyle: { fontSize: 11 } },
    xAxis: { type: "category", data: stats.by_month.map((m) => m.label), axisLabel: { fontSize: 10 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: "报名人次", type: "line", data: stats.by_month.map((m) => m.figures.applied), itemStyle: { color: TAG_COLOURS.warning } },
      { name: "参考人次", type: "line", data: stats.by_month.map((m) => m.figures.sat), itemStyle: { color: TAG_COLOURS.primary } },
      { name: "合格人次", type: "line", data: stats.by_month.map((m) => m.figures.passed), itemStyle: { color: TAG_COLOURS.success } },
    ],
  };
}
