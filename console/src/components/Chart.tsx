// An ECharts bar chart of categories that drills down on click, with the same categories as a list of links under
// it: the canvas is for the eye, the list for keyboards and screen readers.
import { BarChart } from "echarts/charts";
import { AriaComponent, GridComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";
import { useI18n } from "../i18n/I18n";
import { total, type Category } from "../logic/counting";
import { Link, navigate } from "../router";

echarts.use([BarChart, GridComponent, TooltipComponent, AriaComponent, SVGRenderer]);

export interface ChartCategory extends Category {
  label: string;
  /** Where the list behind this bar is; null when there is none to show. */
  to: string | null;
  colour?: string;
}

/** `shownTotal`: the figure under the chart when the bars overlap (overdue within open); null shows none. */
export function CategoryChart({
  title,
  categories,
  shownTotal,
}: {
  title: string;
  categories: readonly ChartCategory[];
  shownTotal?: number | null;
}) {
  const { count, m } = useI18n();
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (element.current === null) return;
    const chart = echarts.init(element.current, undefined, { renderer: "svg" });
    const rows = [...categories].reverse(); // ECharts draws the first category at the bottom
    chart.setOption({
      aria: { enabled: true, label: { description: `${title}: ${categories.map((c) => `${c.label} ${c.count}`).join("；")}` } },
      animation: false,
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "item", formatter: (p: { name: string; value: number }) => `${p.name}: ${count(p.value)}` },
      xAxis: { type: "value", minInterval: 1, axisLabel: { color: "#333" } },
      yAxis: { type: "category", data: rows.map((c) => c.label), axisLabel: { color: "#333", width: 140, overflow: "truncate" } },
      series: [
        {
          type: "bar",
          data: rows.map((c) => ({ value: c.count, itemStyle: { color: c.colour ?? "#2b6cb0" } })),
          label: { show: true, position: "right", color: "#1a202c", formatter: (p: { value: number }) => count(p.value) },
          cursor: "pointer",
        },
      ],
    });
    chart.on("click", (params) => {
      const target = rows[params.dataIndex ?? -1]?.to;
      if (target) navigate(target);
    });
    const resize = () => chart.resize();
    window.addEventListener("resize", resize);
    return () => {
      window.removeEventListener("resize", resize);
      chart.dispose();
    };
  }, [categories, title, count]);
  const height = Math.max(120, 34 * categories.length + 24);
  return (
    <div className="chart">
      <div ref={element} className="chart-canvas" style={{ height }} aria-hidden="true" />
      {shownTotal === null ? null : (
        <p className="chart-total">
          {m("total")}: <strong data-testid="total">{count(shownTotal ?? total(categories))}</strong>
        </p>
      )}
      <ul className="category-list" aria-label={`${title} · ${m("drillDown")}`}>
        {categories.map((c) => (
          <li key={c.key}>
            {c.colour ? <span className="swatch" style={{ background: c.colour }} aria-hidden="true" /> : null}
            {c.to ? (
              <Link to={c.to}>
                {c.label}: <strong>{count(c.count)}</strong>
              </Link>
            ) : (
              <span>
                {c.label}: <strong>{count(c.count)}</strong>
              </span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
